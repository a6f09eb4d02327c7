"""``sale.propertyvalue.*``.

``modify`` replaces the order's whole set of values (seq 74, 78, 184–192): listed properties keep
their row id and take the new value, unlisted ones are deleted, a property id that names no
property is skipped (seq 79 dropped order 2's only value that way). An unknown order is error 0
"Не удается загрузить заказ". List rows carry ``orderId``; the modify answer and ``get`` do not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._api import CallContext, FakeRestError, ListResult
from ._filters import php_intval, php_strval
from ._sale_common import fields_param, list_answer, method, param, state
from ._sale_fields import PROPERTY_VALUE, PROPERTY_VALUE_FIELDS, field_infos
from ._sale_state import replace_property_values, save_order
from ._sale_views import VALUE_LIST_KEYS, stored_values, value_item


@method("sale.propertyvalue.getFields")
def value_get_fields(ctx: CallContext) -> dict[str, Any]:
    return {"propertyValue": field_infos(PROPERTY_VALUE)}


@method("sale.propertyvalue.list")
def value_list(ctx: CallContext) -> ListResult:
    return list_answer(
        ctx,
        state(ctx).property_values,
        PROPERTY_VALUE_FIELDS,
        wrap="propertyValues",
        keys=VALUE_LIST_KEYS,
    )


@method("sale.propertyvalue.get")
def value_get(ctx: CallContext) -> dict[str, Any]:
    sale = state(ctx)
    row = sale.property_values.get(php_intval(param(ctx, "id")))
    if row is None:
        raise FakeRestError(201040400001, "property value is not exists")
    return {"propertyValue": value_item(row, sale.properties[row["orderPropsId"]])}


@method("sale.propertyvalue.modify")
def value_modify(ctx: CallContext) -> dict[str, Any]:
    sale = state(ctx)
    fields = fields_param(ctx)
    raw_order = fields.get("order")
    order_part = raw_order if isinstance(raw_order, Mapping) else {}
    raw_values = order_part.get("propertyValues")
    items = list(raw_values.values()) if isinstance(raw_values, Mapping) else raw_values
    missing = []
    if order_part.get("id") is None:
        missing.append("[order][id]")
    if not isinstance(items, list):
        missing.append("[order][propertyValues][]")
    if missing or not isinstance(items, list):
        raise FakeRestError(0, "Required fields: " + ", ".join(missing))
    problems = [_missing_in(i, item) for i, item in enumerate(items)]
    problems = [p for p in problems if p]
    if problems:
        raise FakeRestError(0, "Required fields: " + " ".join(problems))
    order = sale.orders.get(php_intval(order_part["id"]))
    if order is None:
        raise FakeRestError(0, "Не удается загрузить заказ")
    values: dict[int, Any] = {}
    for item in items:
        prop_id = php_intval(item["orderPropsId"])
        if prop_id in sale.properties:
            value = item["value"]
            values[prop_id] = value if isinstance(value, list) else php_strval(value)
    before = [(r["id"], r["value"]) for r in sale.values_of(order["id"])]
    replace_property_values(sale, order, values)
    if before != [(r["id"], r["value"]) for r in sale.values_of(order["id"])]:
        save_order(order, ctx.site.now())
    return {"propertyValues": stored_values(sale, order)}


def _missing_in(index: int, item: object) -> str:
    present = item if isinstance(item, Mapping) else {}
    names = [n for n in ("value", "orderPropsId") if n not in present]
    return f"[propertyValues][{index}] - {', '.join(names)}." if names else ""
