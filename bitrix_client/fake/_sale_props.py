"""``sale.persontype.*``, ``sale.propertygroup.*`` and ``sale.property.*``.

Recorded: a payer type's ``sort`` is a *string* ("100"); ``sale.property.add`` accepts a
duplicate ``code`` (look properties up by code and payer type before adding); a property row
carries the STRING-type flags and ``settings`` ({"multiline": "N"} for STRING). Codes of the
unrecorded errors follow the sale module's controllers (payer type not found 200740400001, code
taken 200750000005; property not found 200840400001, unknown type 200850000008).
"""

from __future__ import annotations

from typing import Any

from ._api import CallContext, FakeRestError, ListResult
from ._filters import php_intval, php_strval
from ._sale_common import dump, fields_param, internalize, list_answer, method, param, state
from ._sale_fields import (
    PERSON_TYPE,
    PERSON_TYPE_FIELDS,
    PROPERTY,
    PROPERTY_FIELDS,
    PROPERTY_GROUP,
    PROPERTY_GROUP_FIELDS,
    PROPERTY_TYPES,
    field_infos,
    property_fields_by_type,
)
from ._sale_state import Row, SaleState, delete_property, refresh_property_values

PERSON_TYPE_KEYS = ("active", "code", "id", "lid", "name", "sort", "xmlId")
GROUP_KEYS = ("id", "name", "personTypeId", "sort")
PROPERTY_KEYS = (
    "active", "code", "defaultValue", "description", "id", "inputFieldLocation", "isAddress",
    "isAddressFrom", "isAddressTo", "isEmail", "isFiltered", "isLocation", "isLocation4tax",
    "isPayer", "isPhone", "isProfileName", "isZip", "multiple", "name", "personTypeId",
    "propsGroupId", "required", "settings", "sort", "type", "userProps", "util", "xmlId",
)  # fmt: skip
_PROPERTY_DEFAULTS: Row = {
    "active": "Y",
    "code": None,
    "defaultValue": "",
    "description": "",
    "inputFieldLocation": "0",
    "isAddress": "N",
    "isAddressFrom": "N",
    "isAddressTo": "N",
    "isEmail": "N",
    "isFiltered": "N",
    "isLocation": "N",
    "isLocation4tax": "N",
    "isPayer": "N",
    "isPhone": "N",
    "isProfileName": "N",
    "isZip": "N",
    "multiple": "N",
    "required": "N",
    "sort": 100,
    "userProps": "N",
    "util": "N",
}


@method("sale.persontype.getFields")
def person_type_get_fields(ctx: CallContext) -> dict[str, Any]:
    return {"personType": field_infos(PERSON_TYPE)}


@method("sale.persontype.list")
def person_type_list(ctx: CallContext) -> ListResult:
    return list_answer(
        ctx,
        state(ctx).person_types.values(),
        PERSON_TYPE_FIELDS,
        wrap="personTypes",
        keys=PERSON_TYPE_KEYS,
    )


@method("sale.persontype.get")
def person_type_get(ctx: CallContext) -> dict[str, Any]:
    return {"personType": dump(_person_type(ctx, param(ctx, "id")), PERSON_TYPE_KEYS)}


@method("sale.persontype.add")
def person_type_add(ctx: CallContext) -> dict[str, Any]:
    sale = state(ctx)
    fields = internalize(ctx, fields_param(ctx), PERSON_TYPE, update=False)
    _check_code(sale, fields.get("code"), None)
    row = add_person_type(sale, fields, xml_id=fields.get("xmlId") or sale.xml_id(ctx.site.now()))
    return {"personType": dump(row, PERSON_TYPE_KEYS)}


@method("sale.persontype.update")
def person_type_update(ctx: CallContext) -> dict[str, Any]:
    sale = state(ctx)
    row = _person_type(ctx, param(ctx, "id"))
    fields = internalize(ctx, fields_param(ctx), PERSON_TYPE, update=True)
    _check_code(sale, fields.get("code"), row["id"])
    row.update(fields)
    if "xmlId" in fields:
        for order in sale.orders.values():
            if order["personTypeId"] == row["id"]:
                order["personTypeXmlId"] = row["xmlId"] or ""
    return {"personType": dump(row, PERSON_TYPE_KEYS)}


@method("sale.persontype.delete")
def person_type_delete(ctx: CallContext) -> bool:
    sale = state(ctx)
    row = _person_type(ctx, param(ctx, "id"))
    if any(order["personTypeId"] == row["id"] for order in sale.orders.values()):
        raise FakeRestError(200750000004, "delete person type error")
    del sale.person_types[row["id"]]
    return True


@method("sale.propertygroup.list")
def property_group_list(ctx: CallContext) -> ListResult:
    return list_answer(
        ctx,
        state(ctx).property_groups.values(),
        PROPERTY_GROUP_FIELDS,
        wrap="propertyGroups",
        keys=GROUP_KEYS,
    )


@method("sale.propertygroup.add")
def property_group_add(ctx: CallContext) -> dict[str, Any]:
    fields = internalize(ctx, fields_param(ctx), PROPERTY_GROUP, update=False)
    row = add_property_group(state(ctx), fields)
    return {"propertyGroup": dump(row, GROUP_KEYS)}


@method("sale.property.getFieldsByType")
def property_fields_by_type_method(ctx: CallContext) -> dict[str, Any]:
    kind = php_strval(param(ctx, "type")).upper()
    if kind not in PROPERTY_TYPES:
        raise FakeRestError(200850000008, "type is out of range")
    return {"property": property_fields_by_type(kind)}


@method("sale.property.list")
def property_list(ctx: CallContext) -> ListResult:
    return list_answer(
        ctx, state(ctx).properties.values(), PROPERTY_FIELDS, wrap="properties", keys=PROPERTY_KEYS
    )


@method("sale.property.get")
def property_get(ctx: CallContext) -> dict[str, Any]:
    return {"property": dump(_property(ctx, param(ctx, "id")), PROPERTY_KEYS)}


@method("sale.property.add")
def property_add(ctx: CallContext) -> dict[str, Any]:
    sale = state(ctx)
    fields = internalize(ctx, fields_param(ctx), PROPERTY, update=False)
    kind = str(fields.get("type") or "").upper()
    if kind not in PROPERTY_TYPES:
        raise FakeRestError(200850000006, "Неверный тип свойства")
    if fields.get("personTypeId") not in sale.person_types:
        raise FakeRestError(200850000006, "Тип плательщика не найден")
    fields["type"] = kind
    row = add_property(sale, fields, xml_id=fields.get("xmlId") or sale.xml_id(ctx.site.now()))
    return {"property": dump(row, PROPERTY_KEYS)}


@method("sale.property.update")
def property_update(ctx: CallContext) -> dict[str, Any]:
    row = _property(ctx, param(ctx, "id"))
    fields = internalize(ctx, fields_param(ctx), PROPERTY, update=True)
    row.update(fields)
    refresh_property_values(state(ctx), row["id"])
    return {"property": dump(row, PROPERTY_KEYS)}


@method("sale.property.delete")
def property_delete(ctx: CallContext) -> bool:
    row = _property(ctx, param(ctx, "id"))
    delete_property(state(ctx), row["id"])
    return True


def add_person_type(sale: SaleState, fields: dict[str, Any], *, xml_id: str) -> Row:
    row_id = sale.next_id("personType")
    row: Row = {"active": "Y", "code": None, "sort": "150", **fields, "id": row_id, "xmlId": xml_id}
    row["sort"] = php_strval(row["sort"])
    sale.person_types[row_id] = row
    return row


def add_property_group(sale: SaleState, fields: dict[str, Any]) -> Row:
    row_id = sale.next_id("propertyGroup")
    row: Row = {"sort": 100, **fields, "id": row_id}
    sale.property_groups[row_id] = row
    return row


def add_property(sale: SaleState, fields: dict[str, Any], *, xml_id: str) -> Row:
    row_id = sale.next_id("property")
    row: Row = {**_PROPERTY_DEFAULTS, **fields, "id": row_id, "xmlId": xml_id}
    if row.get("settings") in (None, [], {}):
        row["settings"] = {"multiline": "N"} if row["type"] == "STRING" else []
    sale.properties[row_id] = row
    return row


def _check_code(sale: SaleState, code: object, own_id: int | None) -> None:
    if code is None or code == "":
        return
    if any(p["code"] == code and p["id"] != own_id for p in sale.person_types.values()):
        raise FakeRestError(200750000005, "person type code exists")


def _person_type(ctx: CallContext, raw_id: object) -> Row:
    row = state(ctx).person_types.get(php_intval(raw_id))
    if row is None:
        raise FakeRestError(200740400001, "person type is not exists")
    return row


def _property(ctx: CallContext, raw_id: object) -> Row:
    row = state(ctx).properties.get(php_intval(raw_id))
    if row is None:
        raise FakeRestError(200840400001, "property is not exists")
    return row
