"""``sale.order.*`` through the app on the recorded data set."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from bitrix_client.fake import FakeSite, ManualClock
from bitrix_client.fake._seed import seed_recordings_dataset

NOW = datetime(2026, 11, 24, 1, 18, 41, tzinfo=UTC)  # 04:18:41 MSK


async def call(client: httpx.AsyncClient, method: str, **params: Any) -> tuple[int, Any]:
    answer = await client.post(f"{method}.json", json=params)
    return answer.status_code, answer.json()


@pytest.fixture
def seeded(fake_site: FakeSite, fake_clock: ManualClock) -> FakeSite:
    seed_recordings_dataset(fake_site)
    fake_clock.set(NOW)
    return fake_site


async def test_add_answers_a_reduced_order(
    fake_client: httpx.AsyncClient, seeded: FakeSite
) -> None:
    fields = {"lid": "s1", "personTypeId": 1, "currency": "RUB", "comments": "x"}
    status, body = await call(fake_client, "sale.order.add", fields=fields)
    assert status == 200
    order = body["result"]["order"]
    assert list(order) == sorted(order)
    assert "price" not in order
    assert "basketItems" not in order
    assert (order["id"], order["accountNumber"], order["statusId"]) == (121, "121", "N")
    assert order["comments"] == "x"
    assert "userDescription" not in order
    assert order["propertyValues"] == [
        {"code": "B2B_COMPANY_ID", "id": 121, "name": "ID компании B2B", "orderPropsId": 1,
         "orderPropsXmlId": "B2B_COMPANY_ID"},
    ]  # fmt: skip
    stored = seeded.sale.orders[121]
    assert (stored["version"], stored["userId"], stored["empStatusId"]) == (0, 1, 1)
    assert stored["dateInsert"] == NOW


async def test_add_requires_fields(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    _, body = await call(fake_client, "sale.order.add", fields={"lid": "s1"})
    assert body == {"error": 0, "error_description": "Required fields: personTypeId, currency"}
    _, body = await call(fake_client, "sale.order.add")
    assert body["error"] == 100
    assert len(seeded.sale.orders) == 120


async def test_get_full_order(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    _, body = await call(fake_client, "sale.order.get", id=1)
    order = body["result"]["order"]
    assert order["price"] == 8.95
    assert [i["productXmlId"] for i in order["basketItems"]] == ["ART-102", "ART-105"]
    assert order["basketItems"][0]["reservations"][0]["id"] == 2
    assert order["propertyValues"][0]["value"] == "1002"
    assert "payments" not in order
    assert order["version"] == 3


async def test_get_errors(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    _, body = await call(fake_client, "sale.order.get", id=999999)
    assert body == {"error": 200540400001, "error_description": "order is not exists"}
    _, body = await call(fake_client, "sale.order.get")
    assert body["error"] == 100
    assert body["error_description"] == "Bitrix\\Sale\\Order constructor must be is public"


async def test_status_update_stamps_and_bumps(
    fake_client: httpx.AsyncClient, seeded: FakeSite
) -> None:
    before = dict(seeded.sale.orders[6])
    _, body = await call(fake_client, "sale.order.update", id=6, fields={"statusId": "PA"})
    order = body["result"]["order"]
    assert (order["statusId"], order["statusXmlId"]) == ("PA", "APPROVAL_PENDING")
    assert order["version"] == before["version"] + 1
    assert order["dateStatus"] == order["dateUpdate"] == "2026-11-24T04:18:41+03:00"
    assert order["empStatusId"] == 1
    assert seeded.sale.orders[6]["statusId"] == "PA"


async def test_unknown_status_is_stored(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    _, body = await call(fake_client, "sale.order.update", id=7, fields={"statusId": "ZZ"})
    assert (body["result"]["order"]["statusId"], body["result"]["order"]["statusXmlId"]) == (
        "ZZ",
        "",
    )
    assert seeded.sale.orders[7]["statusId"] == "ZZ"


async def test_no_change_no_stamp(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    before = dict(seeded.sale.orders[7])
    for fields in ({}, {"currency": "USD"}, {"comments": ""}, {"bogus": 1}):
        _, body = await call(fake_client, "sale.order.update", id=7, fields=fields)
        assert body["result"]["order"]["version"] == before["version"]
    assert seeded.sale.orders[7] == before


async def test_update_errors(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    _, body = await call(fake_client, "sale.order.update", id=7)
    assert body == {
        "error": 100,
        "error_description": "Could not find value for parameter {fields}",
    }
    _, body = await call(fake_client, "sale.order.update", id=999999, fields={"statusId": "PA"})
    assert body["error"] == 200540400001


async def test_cancel_drops_reservations(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    reservations = len(seeded.sale.reservations)
    _, body = await call(
        fake_client, "sale.order.update", id=7, fields={"canceled": "Y", "reasonCanceled": "нет"}
    )
    order = body["result"]["order"]
    assert (order["canceled"], order["empCanceledId"]) == ("Y", 1)
    assert order["dateCanceled"] == "2026-11-24T04:18:41+03:00"
    assert all(item["reservations"] == [] for item in order["basketItems"])
    assert all(i["dateUpdate"] == order["dateCanceled"] for i in order["basketItems"])
    assert len(seeded.sale.reservations) == reservations - 4


async def test_tryupdate_does_not_save(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    before = dict(seeded.sale.orders[6])
    _, body = await call(fake_client, "sale.order.tryupdate", id=6, fields={"statusId": "RJ"})
    order = body["result"]["order"]
    assert order["statusId"] == "RJ"
    assert order["dateStatus"] == "2026-11-24T04:18:41+03:00"
    assert order["version"] == before["version"]
    assert seeded.sale.orders[6] == before


async def test_delete(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    items = list(seeded.sale.order_items[3])
    _, body = await call(fake_client, "sale.order.delete", id=3)
    assert body["result"] is True
    assert 3 not in seeded.sale.orders
    assert not any(i in seeded.sale.basket_items for i in items)
    assert all(v["orderId"] != 3 for v in seeded.sale.property_values.values())
    _, body = await call(fake_client, "sale.order.delete", id=3)
    assert body["error"] == 200540400001


async def test_get_fields(fake_client: httpx.AsyncClient) -> None:
    _, body = await call(fake_client, "sale.order.getFields")
    fields = body["result"]["order"]
    assert fields["personTypeId"]["isRequired"] is True
    assert fields["dateUpdate"] == {
        "isImmutable": False,
        "isReadOnly": True,
        "isRequired": False,
        "type": "datetime",
    }
    assert list(fields) == sorted(fields)


async def ids(client: httpx.AsyncClient, **params: Any) -> list[int]:
    _, body = await call(client, "sale.order.list", select=["id"], **params)
    return [o["id"] for o in body["result"]["orders"]]


async def test_list_filters(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    assert await ids(fake_client, filter={"%accountNumber": "11"}) == [11, *range(110, 120)]
    assert await ids(fake_client, filter={"%comments": "seed order 1"}) == [
        10,
        15,
        100,
        105,
        110,
        115,
        120,
    ]
    assert await ids(fake_client, filter={"@id": [3, 6, 9, 999999]}) == [3, 6, 9]
    assert len(await ids(fake_client, filter={"!statusId": "N"}, start=-1)) == 42
    assert await ids(fake_client, filter={"@statusId": ["F"], "<id": 30}) == [3, 13, 23]
    assert await ids(fake_client, filter={"statusXmlId": "APPROVAL_PENDING", "<=id": 12}) == [
        4,
        8,
        12,
    ]
    assert await ids(
        fake_client, filter={">=dateInsert": "01.11.2026", "<dateInsert": "2026-11-03"}
    ) == [99, 100]
    assert len(await ids(fake_client, filter={">=dateInsert": "garbage"})) == 50


async def test_list_by_date_update(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    await call(fake_client, "sale.order.update", id=6, fields={"statusId": "PA"})
    assert await ids(fake_client, filter={">dateUpdate": "2026-11-24T04:18:40+03:00"}) == [6]
    assert await ids(fake_client, filter={">dateUpdate": "2026-11-24T04:18:41+03:00"}) == []
    assert await ids(fake_client, filter={">=dateStatus": "24.11.2026 04:18:41"}) == [6]


async def test_list_order_and_pages(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    _, body = await call(
        fake_client, "sale.order.list", select=["id", "price"], order={"price": "desc", "id": "asc"}
    )
    rows = body["result"]["orders"]
    assert rows[0] == {"id": 39, "price": 1181.2}
    assert (body["next"], body["total"]) == (50, 120)
    _, body = await call(fake_client, "sale.order.list", select=["id"], start=101)
    assert (len(body["result"]["orders"]), body["total"], "next" in body) == (20, 120, False)
    _, body = await call(
        fake_client, "sale.order.list", select=["id"], start=-1, filter={">id": 100}
    )
    assert ("total" in body, len(body["result"]["orders"])) == (False, 20)
