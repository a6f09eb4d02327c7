"""``sale.propertyvalue.*``: ``modify`` replaces an order's whole set of values."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bitrix_client.fake import FakeSite
from bitrix_client.fake._sale_props import add_property
from bitrix_client.fake._seed import seed_recordings_dataset


async def call(client: httpx.AsyncClient, method: str, **params: Any) -> tuple[int, Any]:
    answer = await client.post(f"{method}.json", json=params)
    return answer.status_code, answer.json()


@pytest.fixture
def seeded(fake_site: FakeSite) -> FakeSite:
    seed_recordings_dataset(fake_site)
    add_property(
        fake_site.sale,
        {"personTypeId": 1, "propsGroupId": 1, "name": "Заметка B2B", "type": "STRING",
         "code": "B2B_NOTE", "sort": 600},
        xml_id="B2B_NOTE",
    )  # fmt: skip
    return fake_site


def modify(order_id: int, *values: tuple[int, str]) -> dict[str, Any]:
    items = [{"orderPropsId": p, "value": v} for p, v in values]
    return {"fields": {"order": {"id": order_id, "propertyValues": items}}}


def stored(site: FakeSite, order_id: int) -> dict[int, Any]:
    return {r["orderPropsId"]: (r["id"], r["value"]) for r in site.sale.values_of(order_id)}


async def test_modify_replaces_the_whole_set(
    fake_client: httpx.AsyncClient, seeded: FakeSite
) -> None:
    _, body = await call(
        fake_client, "sale.propertyvalue.modify", **modify(3, (1, "1001"), (3, "keep me"))
    )
    assert [v["value"] for v in body["result"]["propertyValues"]] == ["1001", "keep me"]
    assert stored(seeded, 3) == {1: (3, "1001"), 3: (121, "keep me")}
    version = seeded.sale.orders[3]["version"]
    _, body = await call(fake_client, "sale.propertyvalue.modify", **modify(3, (1, "1002")))
    assert body["result"]["propertyValues"] == [
        {"code": "B2B_COMPANY_ID", "id": 3, "name": "ID компании B2B", "orderPropsId": 1,
         "orderPropsXmlId": "B2B_COMPANY_ID", "value": "1002"},
    ]  # fmt: skip
    assert stored(seeded, 3) == {1: (3, "1002")}  # the note is gone
    assert seeded.sale.orders[3]["version"] == version + 1
    _, body = await call(
        fake_client, "sale.propertyvalue.modify", **modify(3, (1, "1001"), (3, "keep me"))
    )
    assert stored(seeded, 3) == {1: (3, "1001"), 3: (122, "keep me")}


async def test_modify_with_unknown_property_drops_everything(
    fake_client: httpx.AsyncClient, seeded: FakeSite
) -> None:
    _, body = await call(fake_client, "sale.propertyvalue.modify", **modify(6, (999, "x")))
    assert body["result"]["propertyValues"] == []
    assert stored(seeded, 6) == {}
    _, body = await call(fake_client, "sale.order.get", id=6)
    assert body["result"]["order"]["propertyValues"][0] == {
        "code": "B2B_COMPANY_ID", "name": "ID компании B2B", "orderPropsId": 1,
        "orderPropsXmlId": "B2B_COMPANY_ID",
    }  # fmt: skip


async def test_unchanged_modify_does_not_save(
    fake_client: httpx.AsyncClient, seeded: FakeSite
) -> None:
    before = dict(seeded.sale.orders[6])
    await call(fake_client, "sale.propertyvalue.modify", **modify(6, (1, "1001")))
    assert seeded.sale.orders[6] == before


async def test_modify_errors(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    _, body = await call(fake_client, "sale.propertyvalue.modify", **modify(999999, (1, "1001")))
    assert body == {"error": 0, "error_description": "Не удается загрузить заказ"}
    _, body = await call(fake_client, "sale.propertyvalue.modify", fields={"order": {}})
    assert body["error_description"] == "Required fields: [order][id], [order][propertyValues][]"
    _, body = await call(
        fake_client,
        "sale.propertyvalue.modify",
        fields={"order": {"id": 3, "propertyValues": [{"value": "1"}]}},
    )
    assert body["error_description"] == "Required fields: [propertyValues][0] - orderPropsId."
    _, body = await call(fake_client, "sale.propertyvalue.modify")
    assert body["error"] == 100
    assert stored(seeded, 3) == {1: (3, "1001")}


async def test_list_by_code_and_value(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    _, body = await call(
        fake_client, "sale.propertyvalue.list", filter={"code": "B2B_COMPANY_ID", "value": "1001"}
    )
    assert body["total"] == 40
    assert body["result"]["propertyValues"][0] == {
        "code": "B2B_COMPANY_ID", "id": 3, "name": "ID компании B2B", "orderId": 3,
        "orderPropsId": 1, "orderPropsXmlId": "B2B_COMPANY_ID", "value": "1001",
    }  # fmt: skip
    _, body = await call(
        fake_client, "sale.propertyvalue.list",
        filter={"code": "B2B_COMPANY_ID", "value": 1002}, select=["orderId", "value"],
    )  # fmt: skip
    assert body["total"] == 20
    assert body["result"]["propertyValues"][:2] == [
        {"orderId": 1, "value": "1002"},
        {"orderId": 7, "value": "1002"},
    ]
    _, body = await call(fake_client, "sale.propertyvalue.list", filter={"orderId": 2})
    assert body["result"]["propertyValues"][0]["value"] is None


async def test_get(fake_client: httpx.AsyncClient, seeded: FakeSite) -> None:
    _, body = await call(fake_client, "sale.propertyvalue.get", id=3)
    assert body["result"]["propertyValue"]["value"] == "1001"
    assert "orderId" not in body["result"]["propertyValue"]
    _, body = await call(fake_client, "sale.propertyvalue.get", id=99999)
    assert body["error"] == 201040400001


async def test_property_delete_removes_values(
    fake_client: httpx.AsyncClient, seeded: FakeSite
) -> None:
    _, body = await call(fake_client, "sale.property.delete", id=1)
    assert body["result"] is True
    assert seeded.sale.property_values == {}
    assert seeded.sale.order_values[3] == []
