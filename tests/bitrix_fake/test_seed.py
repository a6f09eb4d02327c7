"""The seeders: the recorded data set (exact), the replay steps, and the realistic store."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from bitrix_client.fake import FakeSite, ManualClock
from bitrix_client.fake._sale_views import full_order
from bitrix_client.fake._seed import (
    RECORDING_STEPS,
    recorded_items,
    run_recording_step,
    seed_order_one_first_item,
    seed_recorded_catalog,
    seed_recordings_dataset,
    seed_store,
)
from bitrix_client.fake._seed_store import PRODUCTS, inn_checksum

CLOCK = datetime(2026, 11, 24, 1, 17, 58, tzinfo=UTC)


def site() -> FakeSite:
    return FakeSite(clock=ManualClock(CLOCK))


def test_recordings_dataset_matches_the_readme() -> None:
    s = site()
    seed_recordings_dataset(s)
    sale = s.sale
    assert len(sale.orders) == 120
    assert Counter(o["statusId"] for o in sale.orders.values()) == {"N": 78, "PA": 30, "F": 12}
    values = Counter(v["value"] for v in sale.property_values.values())
    assert (values["1001"], values["1002"], values[None]) == (40, 20, 60)
    assert sale.person_types[1]["xmlId"] == "LEGAL"
    assert sale.properties[1]["code"] == "B2B_COMPANY_ID"
    assert sale.next_id("property") == 3  # id 2 was the deleted duplicate
    assert {k for k in sale.statuses} == {"N", "F", "DN", "DF", "PA", "AP", "RJ"}
    assert sale.status_langs[("RJ", "en")]["name"] == "Rejected"


def test_recorded_order_shapes() -> None:
    s = site()
    seed_recordings_dataset(s)
    orders = s.sale.orders
    assert orders[1]["dateInsert"].isoformat() == "2026-07-26T09:37:00+03:00"
    assert orders[17]["dateInsert"].isoformat() == "2026-08-11T09:29:00+03:00"
    assert orders[120]["dateInsert"].isoformat() == "2026-11-22T13:00:00+03:00"
    assert [orders[o]["price"] for o in (1, 2, 3, 11, 39, 120)] == [
        8.95,
        31.3,
        500.55,
        548.05,
        1181.2,
        12.5,
    ]
    assert [orders[o]["version"] for o in (1, 2, 3, 4, 7)] == [3, 3, 5, 1, 5]
    assert orders[50]["comments"] == "seed order 50"
    assert orders[49]["userDescription"] == "Доставка до 12:00"
    assert orders[120]["xmlId"] == "bx_6b04e5eca8019"
    assert orders[1]["dateUpdate"].isoformat() == "2026-11-24T04:18:01+03:00"
    assert orders[59]["dateUpdate"].isoformat() == "2026-11-24T04:18:19+03:00"
    assert len(s.sale.basket_items) == 300
    assert s.sale.basket_items[293]["reservationId"] == 587
    assert [i["productXmlId"] for i in s.sale.items_of(7)] == [
        "ART-108",
        "ART-103",
        "ART-106",
        "ART-101",
    ]
    assert [i["quantity"] for i in recorded_items(3)] == [4, 2, 5, 3]


def test_recording_steps_rebuild_the_same_orders() -> None:
    full = site()
    seed_recordings_dataset(full)
    replay = site()
    # what the recorded calls 62–73 create, written the way the handlers would
    _recorded_calls_62_to_73(replay)
    for seq in (30, 74, 75):
        run_recording_step(replay, seq)
    keep = ("statusId", "price", "version", "dateInsert", "dateUpdate", "dateStatus", "xmlId")
    for o in range(1, 121):
        assert {k: replay.sale.orders[o][k] for k in keep if o != 3} == {
            k: full.sale.orders[o][k] for k in keep if o != 3
        }, o
    assert "qq" in replay.sale.statuses
    assert set(RECORDING_STEPS) == {30, 74, 75, 80, 135, 146, 182, 187}


def _recorded_calls_62_to_73(s: FakeSite) -> None:
    seed_recorded_catalog(s)
    seed_order_one_first_item(s)


def test_store_is_deterministic_and_realistic() -> None:
    first, second = site(), site()
    a = seed_store(first, orders=300, companies=12, seed=7)
    b = seed_store(second, orders=300, companies=12, seed=7)
    assert first.sale.orders == second.sale.orders
    assert a.companies == b.companies
    sale = first.sale
    assert set(sale.statuses) == {"N", "F", "DN", "DF"}
    assert {p["name"] for p in sale.person_types.values()} == {
        "Физическое лицо",
        "Юридическое лицо",
    }
    assert len(sale.orders) == 300
    counts = Counter(len(sale.order_items[o]) for o in sale.orders)
    assert set(counts) <= {1, 2, 3, 4, 5}
    assert len(counts) >= 4
    dates = [o["dateInsert"] for o in sale.orders.values()]
    assert dates == sorted(dates)
    assert dates[-1] <= first.now()
    inn = a.properties[(a.legal_type, "INN")]
    inns = {v["value"] for v in sale.property_values.values() if v["orderPropsId"] == inn}
    assert inns <= {c.inn for c in a.companies}
    assert len(inns) > 5
    assert all(inn_checksum(i[:9]) == i for i in inns)
    emails = [u.email for u in first.users.values()]
    assert len(emails) == len(set(emails))
    names = {i["name"] for i in sale.basket_items.values()}
    assert names <= {name for name, _ in PRODUCTS}
    for order in sale.orders.values():
        items = sale.items_of(order["id"])
        assert order["price"] == round(sum(i["price"] * i["quantity"] for i in items), 2)
        reserved = [i for i in items if "reservationId" in i]
        assert (len(reserved) == len(items)) == (
            order["statusId"] == "N" and order["canceled"] == "N"
        )


def test_store_orders_read_through_the_app_like_any_order() -> None:
    s = site()
    seed_store(s, orders=20, companies=3, seed=1)

    for order in s.sale.orders.values():
        rendered = full_order(s.sale, order)
        assert rendered["basketItems"]
        assert rendered["propertyValues"]


def test_inn_checksum() -> None:
    assert inn_checksum("770708389") == "7707083893"  # Сбербанк
