"""``sale.status.*`` and ``sale.statusLang.*``.

Recorded: ids at most 2 characters (201350000005), case kept (``qq``); duplicates 201350000001;
``type`` required on add *and* update (error 0 "Required fields: type"); unknown type
201350000003; not found 201340400001; system statuses N, F, DN, DF cannot be deleted
(201350000002) nor change type (201350000006); a type change while orders use the status
201350000007; deleting a status orders still use succeeds. No sort → ``null``, notify → "N",
no xmlId → ``bx_<uniqid>``. Names only in active languages (201750000004), duplicates
201750000003; the status itself is not checked; ``deleteByFilter`` needs ``name`` too.
"""

from __future__ import annotations

from typing import Any

from ._api import CallContext, FakeRestError, ListResult
from ._filters import Fields
from ._sale_common import (
    check_required,
    coerce,
    dump,
    fields_param,
    internalize,
    list_answer,
    method,
    param,
    state,
)
from ._sale_fields import STATUS, STATUS_FIELDS, STATUS_LANG, STATUS_LANG_FIELDS, field_infos
from ._sale_state import DELIVERY_TYPE, ORDER_TYPE, SYSTEM_STATUSES, Row

STATUS_KEYS = ("color", "id", "notify", "sort", "type", "xmlId")
STATUS_LANG_KEYS = ("description", "lid", "name", "statusId")
LANG_FIELDS: Fields = {"active": "char", "lid": "string", "name": "string"}

_NOT_FOUND = (201340400001, "status is not exists")


@method("sale.status.getFields")
def status_get_fields(ctx: CallContext) -> dict[str, Any]:
    return {"status": field_infos(STATUS)}


@method("sale.status.list")
def status_list(ctx: CallContext) -> ListResult:
    return list_answer(
        ctx,
        state(ctx).statuses.values(),
        STATUS_FIELDS,
        wrap="statuses",
        keys=STATUS_KEYS,
    )


@method("sale.status.get")
def status_get(ctx: CallContext) -> dict[str, Any]:
    return {"status": dump(_existing(ctx, param(ctx, "id")), STATUS_KEYS)}


@method("sale.status.add")
def status_add(ctx: CallContext) -> dict[str, Any]:
    sale = state(ctx)
    raw = fields_param(ctx)
    fields = internalize(ctx, raw, STATUS, update=False)
    status_id = fields.get("id") or ""
    if sale.find_status(status_id) is not None:
        raise FakeRestError(201350000001, "Duplicate entry for key [id]")
    _validate(fields)
    row: Row = {
        "color": fields.get("color"),
        "id": status_id,
        "notify": "Y" if fields.get("notify") == "Y" else "N",
        "sort": fields.get("sort"),
        "type": fields["type"],
        "xmlId": fields.get("xmlId") or sale.xml_id(ctx.site.now()),
    }
    sale.statuses[status_id] = row
    sale.refresh_status_xml_ids(status_id)
    return {"status": dump(row, STATUS_KEYS)}


@method("sale.status.update")
def status_update(ctx: CallContext) -> dict[str, Any]:
    sale = state(ctx)
    row = _existing(ctx, param(ctx, "id"))
    fields = internalize(ctx, fields_param(ctx), STATUS, update=True)
    fields["id"] = row["id"]
    _validate(fields)
    locked = SYSTEM_STATUSES.get(row["id"])
    if locked is not None and locked != fields["type"]:
        raise FakeRestError(201350000006, "Ошибка смены типа статуса. Тип не может быть сменен")
    if (
        row["type"] != fields["type"]
        and row["type"] == ORDER_TYPE
        and sale.order_is_using(row["id"])
    ):
        raise FakeRestError(
            201350000007, "Ошибка смены типа статуса. Для данного типа есть связанные заказы"
        )
    for name in ("type", "sort", "notify", "color", "xmlId"):
        if name in fields:
            row[name] = fields[name]
    sale.refresh_status_xml_ids(row["id"])
    return {"status": dump(row, STATUS_KEYS)}


@method("sale.status.delete")
def status_delete(ctx: CallContext) -> bool:
    sale = state(ctx)
    row = _existing(ctx, param(ctx, "id"))
    if row["id"] in SYSTEM_STATUSES:
        raise FakeRestError(201350000002, "delete status type loced")
    del sale.statuses[row["id"]]
    for key in [k for k in sale.status_langs if k[0] == row["id"]]:
        del sale.status_langs[key]
    sale.refresh_status_xml_ids(row["id"])
    return True


@method("sale.statusLang.getFields")
def status_lang_get_fields(ctx: CallContext) -> dict[str, Any]:
    return {"statusLang": field_infos(STATUS_LANG)}


@method("sale.statusLang.getListLangs")
def status_lang_langs(ctx: CallContext) -> ListResult:
    rows = [
        {"active": "Y" if lang.active else "N", "lid": lang.lid, "name": lang.name}
        for lang in ctx.site.languages
    ]
    return list_answer(
        ctx,
        rows,
        LANG_FIELDS,
        wrap="langs",
        keys=("active", "lid", "name"),
        default_order=(("lid", False),),
    )


@method("sale.statusLang.list")
def status_lang_list(ctx: CallContext) -> ListResult:
    return list_answer(
        ctx,
        state(ctx).status_langs.values(),
        STATUS_LANG_FIELDS,
        wrap="statusLangs",
        keys=STATUS_LANG_KEYS,
        default_order=(("statusId", False), ("lid", False)),
    )


@method("sale.statusLang.add")
def status_lang_add(ctx: CallContext) -> dict[str, Any]:
    sale = state(ctx)
    fields = internalize(ctx, fields_param(ctx), STATUS_LANG, update=False)
    key = (fields.get("statusId") or "", fields.get("lid") or "")
    if key in sale.status_langs:
        raise FakeRestError(201750000003, "Duplicate entry for key [statusId, lid]")
    _check_lid(ctx, key[1])
    row: Row = {
        "description": fields.get("description"),
        "lid": key[1],
        "name": fields.get("name"),
        "statusId": key[0],
    }
    sale.status_langs[key] = row
    return {"statusLang": dump(row, STATUS_LANG_KEYS)}


@method("sale.statusLang.deleteByFilter")
def status_lang_delete(ctx: CallContext) -> bool:
    sale = state(ctx)
    raw = fields_param(ctx)
    check_required(raw, ("statusId", "lid", "name"))
    fields = coerce(ctx, raw, {"statusId": "string", "lid": "string"})
    key = (fields.get("statusId") or "", fields.get("lid") or "")
    _check_lid(ctx, key[1])
    if key not in sale.status_langs:
        raise FakeRestError(201740400001, "status lang is not exists")
    del sale.status_langs[key]
    return True


def _existing(ctx: CallContext, status_id: object) -> Row:
    row = state(ctx).find_status(status_id)
    if row is None:
        raise FakeRestError(*_NOT_FOUND)
    return row


def _validate(fields: dict[str, Any]) -> None:
    if fields.get("type") not in {ORDER_TYPE, DELIVERY_TYPE}:
        raise FakeRestError(201350000003, "Не известный тип статуса")
    status_id = str(fields.get("id") or "")
    if not status_id.strip():
        raise FakeRestError(201350000004, "Не указан идентификатор статуса")
    if len(status_id) > 2:
        raise FakeRestError(201350000005, "Превышено ограничение длинны идентификатора статуса >2")


def _check_lid(ctx: CallContext, lid: str) -> None:
    if lid not in ctx.site.active_languages:
        raise FakeRestError(201750000004, "lid out of range")
