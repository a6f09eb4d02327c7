"""Pages of 50: ``start`` floored, ``next`` only when more follow, ``start=-1`` uncounted."""

from __future__ import annotations

import pytest

from bitrix_client.fake._paging import page_of, paginate

ROWS = list(range(1, 121))


def test_first_page() -> None:
    page = page_of(ROWS, None)
    assert page.rows == list(range(1, 51))
    assert page.next == 50
    assert page.total == 120


def test_middle_and_last_page() -> None:
    assert (page_of(ROWS, 50).next, page_of(ROWS, 50).total) == (100, 120)
    last = page_of(ROWS, "100")
    assert last.rows == list(range(101, 121))
    assert last.next is None
    assert last.total == 120


@pytest.mark.parametrize("start", [51, 99, "75"])
def test_start_is_floored_to_a_multiple_of_50(start: object) -> None:
    assert page_of(ROWS, start).rows[0] == 51


def test_past_the_end_total_is_the_offset() -> None:
    page = page_of(ROWS, 500)
    assert page.rows == []
    assert page.total == 500
    assert page.next is None


def test_start_minus_one_has_neither_next_nor_total() -> None:
    page = page_of(ROWS, -1)
    assert page.rows == list(range(1, 51))
    assert page.total is None
    assert page.next is None


def test_exactly_fifty_has_no_next() -> None:
    page = page_of(ROWS[:50], 0)
    assert page.total == 50
    assert page.next is None


def test_empty() -> None:
    page = page_of([], 0)
    assert page.rows == []
    assert page.total == 0
    assert page.next is None


def test_paginate_wraps_the_rows() -> None:
    result = paginate(ROWS, 100, lambda rows: {"items": rows})
    assert result.result == {"items": list(range(101, 121))}
    assert (result.total, result.next) == (120, None)
