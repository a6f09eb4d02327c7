"""The order index: what `index_orders` keeps and how `search_orders` filters and orders it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from b2bsync.store import Store
from b2bsync.store._bench import load_synthetic_orders, measure_search, synthetic_orders
from jobs import IndexedOrder

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


def order(
    order_id: int,
    number: str,
    company: int | None,
    status: str,
    when: datetime,
    manager: int | None,
    articles: tuple[str, ...] = (),
    names: tuple[str, ...] = (),
    price: str = "100.00",
) -> IndexedOrder:
    return IndexedOrder(
        order_id=order_id,
        account_number=number,
        company_id=company,
        status_id=status,
        date_insert=when,
        date_update=when + timedelta(hours=1),
        price=Decimal(price),
        currency="RUB",
        user_id=5000 + order_id,
        responsible_id=manager,
        canceled=False,
        articles=articles,
        product_names=names,
    )


ORDERS = [
    order(1, "1234", 10, "N", day(1), 100, ("AB-1", "cd-2"), ("Болт М8", "Гайка М8"), "1234.5678"),
    order(2, "12345", 10, "F", day(2), 101, ("ab-1",), ("Болт М8",)),
    order(3, "11234", 20, "N", day(3), 100, ("XY-9",)),
    order(4, "Z1234", 20, "PA", day(4), None, ("Арт-Ж",)),
    order(5, "1234/2", None, "N", day(5), 101),
    order(6, "12_4", 10, "N", day(6), 100, ("AB-10",)),
    order(7, "124", 30, "F", day(6), 102),
]


@pytest.fixture
def indexed(store: Store) -> Store:
    store.index_orders(ORDERS)
    return store


def ids(found: list[IndexedOrder]) -> list[int]:
    return [o.order_id for o in found]


def test_without_filters_newest_first_ties_by_id(indexed: Store):
    assert ids(indexed.search_orders()) == [7, 6, 5, 4, 3, 2, 1]


def test_orders_come_back_as_indexed(indexed: Store):
    [first] = indexed.search_orders(number="1234", company_id=10, status="N")
    assert first == ORDERS[0]
    assert first.price == Decimal("1234.5678")


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("1234", [5, 2, 1]),  # exact, and every number it begins
        (" 1234 ", [5, 2, 1]),
        ("12345", [2]),
        ("12", [7, 6, 5, 2, 1]),
        ("z12", [4]),  # case-insensitive
        ("Z1234", [4]),
        ("12_", [6]),  # no LIKE wildcards
        ("1234/", [5]),
        ("9", []),
    ],
)
def test_number_matches_exactly_or_as_a_prefix(indexed: Store, number: str, expected: list[int]):
    assert ids(indexed.search_orders(number=number)) == expected


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        ("AB-1", [2, 1]),
        ("ab-1", [2, 1]),  # any case, on any basket line
        ("CD-2", [1]),
        ("AB-10", [6]),
        ("AB", []),  # whole articles only
        ("арт-ж", [4]),  # Cyrillic, case-folded
        ("Болт М8", []),  # product names are not articles
    ],
)
def test_article_matches_any_basket_line_exactly(indexed: Store, article: str, expected: list[int]):
    assert ids(indexed.search_orders(article=article)) == expected


def test_single_filters(indexed: Store):
    assert ids(indexed.search_orders(company_id=10)) == [6, 2, 1]
    assert ids(indexed.search_orders(company_id=20)) == [4, 3]
    assert ids(indexed.search_orders(company_id=99)) == []
    assert ids(indexed.search_orders(status="N")) == [6, 5, 3, 1]
    assert ids(indexed.search_orders(status="pa")) == [4]
    assert ids(indexed.search_orders(manager_id=100)) == [6, 3, 1]
    assert ids(indexed.search_orders(manager_id=102)) == [7]


def test_date_range_from_inclusive_to_exclusive(indexed: Store):
    assert ids(indexed.search_orders(date_from=day(2), date_to=day(4))) == [3, 2]
    assert ids(indexed.search_orders(date_from=day(6))) == [7, 6]
    assert ids(indexed.search_orders(date_to=day(2))) == [1]
    msk = day(2).astimezone(timezone(timedelta(hours=3)))
    assert ids(indexed.search_orders(date_from=msk, date_to=msk + timedelta(seconds=1))) == [2]


def test_filters_combine(indexed: Store):
    assert ids(indexed.search_orders(company_id=10, status="N", article="ab-1")) == [1]
    assert ids(indexed.search_orders(company_id=10, number="123")) == [2, 1]
    assert ids(indexed.search_orders(manager_id=101, date_from=day(3))) == [5]
    assert ids(indexed.search_orders(company_id=20, article="ab-1")) == []
    assert ids(
        indexed.search_orders(
            company_id=10,
            number="12",
            article="AB-10",
            status="N",
            date_from=day(6),
            date_to=day(7),
            manager_id=100,
        )
    ) == [6]


def test_limit_and_offset_page_through(indexed: Store):
    assert ids(indexed.search_orders(limit=2)) == [7, 6]
    assert ids(indexed.search_orders(limit=2, offset=2)) == [5, 4]
    assert ids(indexed.search_orders(limit=2, offset=6)) == [1]
    assert ids(indexed.search_orders(offset=50)) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"limit": 0}, "limit must be between 1 and 1000"),
        ({"limit": 1001}, "limit must be between 1 and 1000"),
        ({"offset": -1}, "offset must not be negative"),
        ({"number": "  "}, "number to search for is empty"),
        ({"article": ""}, "article to search for is empty"),
    ],
)
def test_bad_queries_are_refused(indexed: Store, query: dict[str, object], message: str):
    with pytest.raises(ValueError, match=message):
        indexed.search_orders(**query)  # type: ignore[arg-type]


def test_reindexing_an_order_replaces_its_row_and_basket(indexed: Store):
    changed = order(1, "1234", 10, "F", day(1), 100, ("NEW-1",), ("Шайба",))
    indexed.index_orders([changed])
    assert ids(indexed.search_orders(article="AB-1")) == [2]
    assert indexed.search_orders(article="new-1") == [changed]
    assert ids(indexed.search_orders(status="F")) == [7, 2, 1]
    assert indexed.indexed_orders() == 7


def test_the_last_copy_of_an_order_in_a_batch_wins(store: Store):
    store.index_orders([order(1, "1", 1, "N", day(1), 1), order(1, "1", 1, "F", day(1), 1)])
    assert [o.status_id for o in store.search_orders()] == ["F"]
    store.index_orders([])
    assert store.indexed_orders() == 1


def test_synthetic_orders_are_reproducible():
    assert list(synthetic_orders(50, seed=3)) == list(synthetic_orders(50, seed=3))
    assert list(synthetic_orders(50, seed=3)) != list(synthetic_orders(50, seed=4))


def test_bench_helpers_load_and_time_searches(store: Store):
    assert load_synthetic_orders(store, 300, batch=128) == 300
    assert store.indexed_orders() == 300
    result = measure_search(store, samples=26)
    assert result.samples == 26
    assert 0 < result.p50 <= result.p95
    assert len(result.by_kind) == 13
    assert result.rows > 0
