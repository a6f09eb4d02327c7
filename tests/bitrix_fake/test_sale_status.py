"""``sale.status.*`` and ``sale.statusLang.*`` through the app, checked against the state."""

from __future__ import annotations

from typing import Any

import httpx

from bitrix_client.fake import FakeSite


async def call(client: httpx.AsyncClient, method: str, **params: Any) -> tuple[int, Any]:
    answer = await client.post(f"{method}.json", json=params)
    return answer.status_code, answer.json()


async def test_fresh_site_has_the_system_statuses(fake_client: httpx.AsyncClient) -> None:
    status, body = await call(fake_client, "sale.status.list")
    assert status == 200
    assert [s["id"] for s in body["result"]["statuses"]] == ["DF", "DN", "F", "N"]
    assert body["result"]["statuses"][3] == {
        "color": None, "id": "N", "notify": "Y", "sort": 100, "type": "O", "xmlId": None,
    }  # fmt: skip
    assert body["total"] == 4


async def test_add_keeps_case_and_fills_defaults(
    fake_client: httpx.AsyncClient, fake_site: FakeSite
) -> None:
    status, body = await call(fake_client, "sale.status.add", fields={"id": "qq", "type": "O"})
    assert status == 200
    row = body["result"]["status"]
    assert (row["id"], row["sort"], row["notify"], row["color"]) == ("qq", None, "N", None)
    assert row["xmlId"].startswith("bx_")
    assert len(row["xmlId"]) == 16
    assert "qq" in fake_site.sale.statuses
    _, got = await call(fake_client, "sale.status.get", id="qq")
    assert got["result"]["status"] == row


async def test_add_errors(fake_client: httpx.AsyncClient, fake_site: FakeSite) -> None:
    cases = [
        ({"fields": {"id": "XYZ", "type": "O"}}, 201350000005),
        ({"fields": {"id": "QQ"}}, 0),
        ({"fields": {"id": "QQ", "type": "X"}}, 201350000003),
        ({"id": "QQ", "type": "O"}, 100),
        ({"fields": {"id": "N", "type": "O"}}, 201350000001),
        ({"fields": {"id": "n", "type": "O"}}, 201350000001),
    ]
    for params, code in cases:
        status, body = await call(fake_client, "sale.status.add", **params)
        assert (status, body["error"]) == (400, code), params
        assert "time" not in body
    assert set(fake_site.sale.statuses) == {"N", "F", "DN", "DF"}
    _, body = await call(fake_client, "sale.status.add", fields={"id": "QQ"})
    assert body["error_description"] == "Required fields: type"


async def test_update_needs_type_and_guards_system_types(
    fake_client: httpx.AsyncClient, fake_site: FakeSite
) -> None:
    await call(fake_client, "sale.status.add", fields={"id": "PA", "type": "O", "sort": 150})
    _, body = await call(fake_client, "sale.status.update", id="PA", fields={"sort": 155})
    assert (body["error"], body["error_description"]) == (0, "Required fields: type")
    _, body = await call(
        fake_client,
        "sale.status.update",
        id="PA",
        fields={"type": "O", "sort": 155, "color": "#FFBB00"},
    )
    assert body["result"]["status"]["sort"] == 155
    assert fake_site.sale.statuses["PA"]["color"] == "#FFBB00"
    _, body = await call(fake_client, "sale.status.update", id="N", fields={"type": "D"})
    assert body["error"] == 201350000006
    _, body = await call(fake_client, "sale.status.update", id="ZZ", fields={"type": "O"})
    assert body["error"] == 201340400001
    _, body = await call(fake_client, "sale.status.update", id="PA", fields={"type": "D"})
    assert body["result"]["status"]["type"] == "D"


async def test_type_change_refused_while_orders_use_the_status(
    fake_client: httpx.AsyncClient, fake_site: FakeSite
) -> None:
    await call(fake_client, "sale.status.add", fields={"id": "PA", "type": "O"})
    fake_site.sale.orders[1] = {"id": 1, "statusId": "PA", "statusXmlId": ""}
    _, body = await call(fake_client, "sale.status.update", id="PA", fields={"type": "D"})
    assert body["error"] == 201350000007
    assert fake_site.sale.statuses["PA"]["type"] == "O"


async def test_delete(fake_client: httpx.AsyncClient, fake_site: FakeSite) -> None:
    await call(fake_client, "sale.status.add", fields={"id": "TS", "type": "O"})
    await call(
        fake_client, "sale.statusLang.add", fields={"statusId": "TS", "lid": "ru", "name": "Т"}
    )
    fake_site.sale.orders[9] = {"id": 9, "statusId": "TS", "statusXmlId": "x"}
    status, body = await call(fake_client, "sale.status.delete", id="TS")
    assert (status, body["result"]) == (200, True)
    assert "TS" not in fake_site.sale.statuses
    assert ("TS", "ru") not in fake_site.sale.status_langs
    assert fake_site.sale.orders[9]["statusXmlId"] == ""
    _, body = await call(fake_client, "sale.status.delete", id="TS")
    assert body["error"] == 201340400001
    _, body = await call(fake_client, "sale.status.delete", id="N")
    assert (body["error"], body["error_description"]) == (201350000002, "delete status type loced")


async def test_get_errors(fake_client: httpx.AsyncClient) -> None:
    _, body = await call(fake_client, "sale.status.get")
    assert body == {"error": 100, "error_description": "Could not find value for parameter {id}"}
    _, body = await call(fake_client, "sale.status.get", id="ZZ")
    assert body == {"error": 201340400001, "error_description": "status is not exists"}


async def test_list_filter_order_select(fake_client: httpx.AsyncClient) -> None:
    for sid, sort in (("PA", 155), ("AP", 160)):
        await call(fake_client, "sale.status.add", fields={"id": sid, "type": "O", "sort": sort})
    _, body = await call(
        fake_client, "sale.status.list",
        filter={"type": "O"}, order={"sort": "DESC"}, select=["id", "sort", "nonsense"],
    )  # fmt: skip
    assert body["result"]["statuses"] == [
        {"id": "F", "sort": 200}, {"id": "AP", "sort": 160}, {"id": "PA", "sort": 155},
        {"id": "N", "sort": 100},
    ]  # fmt: skip


async def test_get_fields(fake_client: httpx.AsyncClient) -> None:
    _, body = await call(fake_client, "sale.status.getFields")
    fields = body["result"]["status"]
    assert list(fields) == ["color", "id", "notify", "sort", "type", "xmlId"]
    assert fields["id"] == {
        "isImmutable": True,
        "isReadOnly": False,
        "isRequired": True,
        "type": "string",
    }
    _, body = await call(fake_client, "sale.statusLang.getFields")
    assert body["result"]["statusLang"]["lid"]["isRequired"] is True


async def test_status_lang_rules(fake_client: httpx.AsyncClient, fake_site: FakeSite) -> None:
    add = "sale.statusLang.add"
    _, body = await call(
        fake_client, add, fields={"statusId": "PA", "lid": "ru", "name": "Ожидает"}
    )
    assert body["result"]["statusLang"] == {
        "description": None, "lid": "ru", "name": "Ожидает", "statusId": "PA",
    }  # fmt: skip
    for lid in ("de", "xx"):
        _, body = await call(fake_client, add, fields={"statusId": "PA", "lid": lid, "name": "x"})
        assert (body["error"], body["error_description"]) == (201750000004, "lid out of range")
    _, body = await call(fake_client, add, fields={"statusId": "PA", "lid": "ru", "name": "x"})
    assert body["error"] == 201750000003
    _, body = await call(fake_client, add, fields={"statusId": "AP", "lid": "ru"})
    assert body["error_description"] == "Required fields: name"
    await call(fake_client, add, fields={"statusId": "PA", "lid": "en", "name": "Pending"})
    _, body = await call(fake_client, "sale.statusLang.list", filter={"statusId": "PA"})
    assert [r["lid"] for r in body["result"]["statusLangs"]] == ["en", "ru"]
    _, body = await call(
        fake_client, "sale.statusLang.deleteByFilter", fields={"statusId": "PA", "lid": "en"}
    )
    assert body["error_description"] == "Required fields: name"
    _, body = await call(
        fake_client,
        "sale.statusLang.deleteByFilter",
        fields={"statusId": "PA", "lid": "en", "name": "x"},
    )
    assert body["result"] is True
    assert set(fake_site.sale.status_langs) == {
        ("N", "ru"),
        ("F", "ru"),
        ("DN", "ru"),
        ("DF", "ru"),
        ("PA", "ru"),
    }


async def test_list_langs(fake_client: httpx.AsyncClient) -> None:
    _, body = await call(fake_client, "sale.statusLang.getListLangs")
    assert body["result"]["langs"] == [
        {"active": "N", "lid": "de", "name": "German"},
        {"active": "Y", "lid": "en", "name": "English"},
        {"active": "Y", "lid": "ru", "name": "Russian"},
    ]
    assert body["total"] == 3
