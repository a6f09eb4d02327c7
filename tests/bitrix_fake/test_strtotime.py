"""``strtotime``: the date forms the recordings filter with (seq 103–116), and PHP edge cases."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bitrix_client.fake._strtotime import strtotime

MSK = ZoneInfo("Europe/Moscow")
CUT = datetime(2026, 11, 1, 10, 5, tzinfo=MSK)
MIDNIGHT = datetime(2026, 11, 1, tzinfo=MSK)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-01T10:05:00+03:00", CUT),  # seq 103
        ("2026-11-01T07:05:00+00:00", CUT),  # seq 104
        ("2026-11-01T07:05:00Z", CUT),  # seq 105
        ("2026-11-01T10:05:00", CUT),  # seq 106: naive = site time zone
        ("2026-11-01 10:05:00", CUT),  # seq 107
        ("01.11.2026 10:05:00", CUT),  # seq 108: site culture
        ("01.11.2026", MIDNIGHT),  # seq 109
        ("2026-11-01", MIDNIGHT),  # seq 110
        ("11/01/2026 10:05:00", CUT),  # seq 111: American month/day
        ("@1793516700", CUT),  # seq 114
        ("24.11.2026 04:18:38", datetime(2026, 11, 24, 4, 18, 38, tzinfo=MSK)),  # seq 142
    ],
)
def test_recorded_forms_give_the_recorded_instant(text: str, expected: datetime) -> None:
    parsed = strtotime(text, MSK)
    assert parsed == expected
    assert parsed is not None
    assert parsed.utcoffset() == expected.utcoffset()


def test_slashes_read_month_first() -> None:
    assert strtotime("01/11/2026", MSK) == datetime(2026, 1, 11, tzinfo=MSK)


@pytest.mark.parametrize(
    "text", ["1793516700", "", "   ", "not a date", "2026-13-01", "32.01.2026"]
)
def test_what_php_cannot_parse_is_none(text: str) -> None:
    # seq 113: a bare unix timestamp string drops the filter like any unparseable text
    assert strtotime(text, MSK) is None


def test_offsets_in_other_spellings() -> None:
    assert strtotime("2026-11-01T12:05:00+0500", MSK) == CUT
    assert strtotime("2026-11-01T12:05+05", MSK) == CUT
    assert strtotime("2026-11-01 07:05:00 UTC", MSK) == CUT
    assert strtotime("2026-11-01T04:05:00-03:00", MSK) == CUT


def test_fraction_and_rollover() -> None:
    assert strtotime("2026-11-01T10:05:00.250+03:00", MSK) == CUT.replace(microsecond=250000)
    assert strtotime("31.02.2026", MSK) == datetime(2026, 3, 3, tzinfo=MSK)


def test_relative_words_use_the_given_now() -> None:
    now = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)  # 04:30 MSK
    assert strtotime("now", MSK, now) == now
    assert strtotime("today", MSK, now) == datetime(2026, 11, 24, tzinfo=MSK)
    assert strtotime("Yesterday", MSK, now) == datetime(2026, 11, 23, tzinfo=MSK)
    assert strtotime("tomorrow", MSK, now) == datetime(2026, 11, 25, tzinfo=MSK)


def test_result_is_in_the_site_zone() -> None:
    parsed = strtotime("2026-11-01T07:05:00Z", MSK)
    assert parsed is not None
    assert parsed.tzinfo is MSK
