"""``sale.persontype.*``, ``sale.propertygroup.*`` and ``sale.property.*``."""

from __future__ import annotations

from typing import Any

import httpx

from bitrix_client.fake import FakeSite

LEGAL = {
    "name": "Юридическое лицо",
    "lid": "s1",
    "code": "B2B",
    "sort": 100,
    "active": "Y",
    "xmlId": "LEGAL",
}
PROP = {
    "personTypeId": 1, "propsGroupId": 1, "name": "ID компании B2B", "type": "STRING",
    "code": "B2B_COMPANY_ID", "active": "Y", "util": "Y", "isFiltered": "Y", "sort": 500,
    "xmlId": "B2B_COMPANY_ID",
}  # fmt: skip


async def call(client: httpx.AsyncClient, method: str, **params: Any) -> tuple[int, Any]:
    answer = await client.post(f"{method}.json", json=params)
    return answer.status_code, answer.json()


async def catalog(client: httpx.AsyncClient) -> None:
    await call(client, "sale.persontype.add", fields=LEGAL)
    await call(
        client,
        "sale.propertygroup.add",
        fields={"name": "Реквизиты B2B", "personTypeId": 1, "sort": 100},
    )


async def test_person_type_sort_is_a_string(
    fake_client: httpx.AsyncClient, fake_site: FakeSite
) -> None:
    _, body = await call(fake_client, "sale.persontype.list")
    assert (body["result"], body["total"]) == ({"personTypes": []}, 0)
    _, body = await call(fake_client, "sale.persontype.add", fields=LEGAL)
    assert body["result"]["personType"] == {
        "active": "Y", "code": "B2B", "id": 1, "lid": "s1", "name": "Юридическое лицо",
        "sort": "100", "xmlId": "LEGAL",
    }  # fmt: skip
    _, body = await call(fake_client, "sale.persontype.list", filter={"sort": 100})
    assert body["total"] == 1
    assert fake_site.sale.person_types[1]["sort"] == "100"


async def test_person_type_crud_and_errors(
    fake_client: httpx.AsyncClient, fake_site: FakeSite
) -> None:
    await call(fake_client, "sale.persontype.add", fields=LEGAL)
    _, body = await call(fake_client, "sale.persontype.add", fields={**LEGAL, "xmlId": "X"})
    assert (body["error"], body["error_description"]) == (200750000005, "person type code exists")
    _, body = await call(fake_client, "sale.persontype.add", fields={"lid": "s1"})
    assert body["error_description"] == "Required fields: name"
    _, body = await call(fake_client, "sale.persontype.update", id=1, fields={"name": "Юрлицо"})
    assert body["error_description"] == "Required fields: lid"
    _, body = await call(
        fake_client,
        "sale.persontype.update",
        id=1,
        fields={"lid": "s1", "name": "Юрлицо", "sort": 50},
    )
    assert body["result"]["personType"]["sort"] == "50"
    _, body = await call(fake_client, "sale.persontype.get", id=7)
    assert body == {"error": 200740400001, "error_description": "person type is not exists"}
    _, body = await call(fake_client, "sale.persontype.delete", id=1)
    assert body["result"] is True
    assert fake_site.sale.person_types == {}


async def test_property_group(fake_client: httpx.AsyncClient) -> None:
    await catalog(fake_client)
    _, body = await call(fake_client, "sale.propertygroup.list")
    assert body["result"]["propertyGroups"] == [
        {"id": 1, "name": "Реквизиты B2B", "personTypeId": 1, "sort": 100}
    ]


async def test_property_add_accepts_a_duplicate_code(
    fake_client: httpx.AsyncClient, fake_site: FakeSite
) -> None:
    await catalog(fake_client)
    _, first = await call(fake_client, "sale.property.add", fields=PROP)
    row = first["result"]["property"]
    assert (row["id"], row["settings"], row["inputFieldLocation"], row["defaultValue"]) == (
        1,
        {"multiline": "N"},
        "0",
        "",
    )
    assert (row["isFiltered"], row["util"], row["userProps"], row["required"]) == (
        "Y",
        "Y",
        "N",
        "N",
    )
    dup = {k: v for k, v in PROP.items() if k not in {"util", "isFiltered", "xmlId"}}
    _, second = await call(
        fake_client, "sale.property.add", fields={**dup, "active": "N", "sort": 900}
    )
    assert second["result"]["property"]["id"] == 2
    assert second["result"]["property"]["xmlId"].startswith("bx_")
    _, body = await call(fake_client, "sale.property.list", filter={"code": "B2B_COMPANY_ID"})
    assert body["total"] == 2
    _, body = await call(
        fake_client, "sale.property.list",
        filter={"code": "B2B_COMPANY_ID", "personTypeId": 1, "active": "Y"},
        select=["id", "code", "personTypeId", "active"],
    )  # fmt: skip
    assert body["result"]["properties"] == [
        {"active": "Y", "code": "B2B_COMPANY_ID", "id": 1, "personTypeId": 1}
    ]
    _, body = await call(fake_client, "sale.property.delete", id=2)
    assert body["result"] is True
    assert list(fake_site.sale.properties) == [1]


async def test_property_errors(fake_client: httpx.AsyncClient) -> None:
    await catalog(fake_client)
    _, body = await call(fake_client, "sale.property.add", fields={"name": "x"})
    assert body["error_description"] == "Required fields: personTypeId, propsGroupId, type"
    _, body = await call(fake_client, "sale.property.add", fields={**PROP, "type": "BOGUS"})
    assert body["error"] == 200850000006
    _, body = await call(fake_client, "sale.property.get", id=5)
    assert body == {"error": 200840400001, "error_description": "property is not exists"}


async def test_property_update_keeps_immutable_fields(
    fake_client: httpx.AsyncClient, fake_site: FakeSite
) -> None:
    await catalog(fake_client)
    await call(fake_client, "sale.property.add", fields=PROP)
    _, body = await call(
        fake_client, "sale.property.update", id=1, fields={"name": "Компания", "type": "NUMBER"}
    )
    assert (body["result"]["property"]["name"], body["result"]["property"]["type"]) == (
        "Компания",
        "STRING",
    )


async def test_fields_by_type(fake_client: httpx.AsyncClient) -> None:
    _, body = await call(fake_client, "sale.property.getFieldsByType", type="string")
    fields = body["result"]["property"]
    assert "isEmail" in fields
    assert "isLocation" not in fields
    assert list(fields["settings"]["fields"]) == [
        "cols",
        "maxlength",
        "minlength",
        "multiline",
        "pattern",
        "rows",
        "size",
    ]
    _, body = await call(fake_client, "sale.property.getFieldsByType", type="LOCATION")
    assert "isLocation" in body["result"]["property"]
    _, body = await call(fake_client, "sale.property.getFieldsByType", type="NOPE")
    assert body == {"error": 200850000008, "error_description": "type is out of range"}
