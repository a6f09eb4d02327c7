"""``sale.basketitem.*`` and ``sale.basketproperties.*``: items, reservations, prices."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from bitrix_client.fake import FakeSite, ManualClock
from bitrix_client.fake._seed import seed_recordings_dataset

NOW = datetime(2026, 11, 24, 1, 18, 38, tzinfo=UTC)


async def call(client: httpx.AsyncClient, method: str, **params: Any) -> tuple[int, Any]:
    answer = await client.post(f"{method}.json", json=params)
    return answer.status_code, answer.json()


@pytest.fixture
def seeded(fake_site: FakeSite, fake_clock: ManualClock) -> FakeSite:
    seed_recordings_dataset(fake_site)
    fake_clock.set(NOW)
    return fake_site


ITEM = {
    "orderId": 4,
    "productId": 108,
    "currency": "RUB",
    "quantity": 2,
    "name": "Перфолента",
    "price": 230,
}


async def test_add_answers_reduced_item_with_total_one(
    fake_client: httpx.AsyncClient, seeded: FakeSite
) -> None:
    old_reservation = seeded.sale.basket_items[10]["reservationId"]
    status, body = await call(fake_client, "sale.basketitem.add", fields=ITEM)
    assert (status, body["total"]) == (200, 1)
    item = body["result"]["basketItem"]
    assert item["id"] == 301
    assert (item["basePrice"], item["customPrice"], item["fuserId"], item["lid"]) == (
        0,
        "Y",
        1,
        "s1",
    )
    assert "catalogXmlId" not in item
    assert item["reservations"][0].keys() == {
        "basketId",
        "dateReserve",
        "dateReserveEnd",
        "id",
        "quantity",
        "storeId",
    }
    assert item["reservations"][0]["dateReserveEnd"] == "2026-11-27T00:00:00+03:00"
    order = seeded.sale.orders[4]
    assert (order["price"], order["version"]) == (464.25, 2)
    assert old_reservation not in seeded.sale.reservations  # the whole order's reservations anew
    assert seeded.sale.basket_items[10]["dateUpdate"] == NOW


async def test_add_errors(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    _, body = await call(fake_client, "sale.basketitem.add", fields={"orderId": 4})
    assert body["error_description"] == "Required fields: productId, currency, quantity"
    _, body = await call(fake_client, "sale.basketitem.add", fields={**ITEM, "currency": "USD"})
    assert body["error_description"] == "Currency must be the currency of the order"
    _, body = await call(fake_client, "sale.basketitem.add", fields={**ITEM, "orderId": 999})
    assert body["error"] == 0
    assert len(seeded.sale.basket_items) == 300


async def test_list_and_get(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    _, body = await call(fake_client, "sale.basketitem.list", filter={"orderId": 3})
    rows = body["result"]["basketItems"]
    assert [r["id"] for r in rows] == [6, 7, 8, 9]
    assert "reservations" not in rows[0]
    _, body = await call(
        fake_client, "sale.basketitem.list", filter={"productXmlId": "ART-107"}, select=["orderId"]
    )
    assert body["total"] == 30
    assert body["result"]["basketItems"][:2] == [{"orderId": 3}, {"orderId": 6}]
    _, body = await call(fake_client, "sale.basketitem.get", id=7)
    assert body["result"]["basketItem"]["properties"] == []
    assert body["result"]["basketItem"]["reservations"][0]["reservedBy"] is None
    _, body = await call(fake_client, "sale.basketitem.get", id=9999)
    assert body == {"error": 200140400001, "error_description": "basket item is not exists"}


async def test_update_and_delete_reprice_the_order(
    fake_client: httpx.AsyncClient, seeded: FakeSite
) -> None:
    _, body = await call(fake_client, "sale.basketitem.update", id=1, fields={"quantity": 10})
    assert (body["total"], body["result"]["basketItem"]["quantity"]) == (1, 10)
    order = seeded.sale.orders[1]
    assert (order["price"], order["version"]) == (34.55, 4)
    reservation = seeded.sale.reservations[seeded.sale.basket_items[1]["reservationId"]]
    assert reservation["quantity"] == 10
    _, body = await call(fake_client, "sale.basketitem.delete", id=2)
    assert body["result"] is True
    assert (order["price"], order["version"]) == (32.0, 5)
    assert seeded.sale.order_items[1] == [1]


async def test_basket_properties(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    fields = {
        "basketId": 1,
        "name": "Артикул",
        "code": "ARTNUMBER",
        "value": "ART-101",
        "sort": 100,
    }
    _, body = await call(fake_client, "sale.basketproperties.add", fields=fields)
    row = body["result"]["basketProperty"]
    assert list(row) == ["basketId", "code", "id", "name", "sort", "value", "xmlId"]
    assert (row["id"], row["basketId"]) == (1, 1)
    assert seeded.sale.orders[1]["version"] == 4
    assert seeded.sale.basket_items[1]["dateUpdate"] == NOW
    _, body = await call(
        fake_client, "sale.basketproperties.list", filter={"code": "ARTNUMBER", "value": "ART-101"}
    )
    assert body["result"]["basketProperties"] == [row]
    _, body = await call(fake_client, "sale.order.get", id=1)
    assert body["result"]["order"]["basketItems"][0]["properties"] == [row]
    _, body = await call(
        fake_client, "sale.basketproperties.add", fields={**fields, "basketId": 999}
    )
    assert body["error"] == 200140400001
    _, body = await call(fake_client, "sale.basketproperties.add", fields={"basketId": 1})
    assert body["error_description"] == "Required fields: name, value, code"


async def test_get_fields(fake_client: httpx.AsyncClient) -> None:
    _, body = await call(fake_client, "sale.basketitem.getFields")
    assert body["result"]["basketItem"]["quantity"] == {
        "isImmutable": False, "isReadOnly": False, "isRequired": True, "type": "double",
    }  # fmt: skip
    _, body = await call(fake_client, "sale.basketproperties.getFields")
    assert list(body["result"]["basketProperties"]) == [
        "basketId",
        "code",
        "id",
        "name",
        "sort",
        "value",
        "xmlId",
    ]
