"""``sale.basketitem.*`` and ``sale.basketproperties.*``.

Recorded: ``sale.basketitem.add`` answers a reduced item *with* ``"total": 1`` (the controller
wraps it in a one-row page), custom-price items keep ``basePrice`` 0; adding an item re-creates
the reservations of the whole order; adding a basket property re-saves its item and order.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ._api import CallContext, FakeRestError, ListResult
from ._filters import php_intval
from ._sale_common import (
    coerce,
    dump,
    fields_param,
    internalize,
    list_answer,
    method,
    param,
    state,
)
from ._sale_fields import (
    BASKET_ITEM,
    BASKET_ITEM_FIELDS,
    BASKET_PROPERTY,
    BASKET_PROPERTY_FIELDS,
    field_infos,
    settable,
)
from ._sale_state import (
    Row,
    SaleState,
    add_basket_item,
    recalc_price,
    remove_basket_item,
    save_order,
    stamp,
)
from ._sale_views import BASKET_PROPERTY_KEYS, ITEM_KEYS, added_item, full_item

NO_ORDER = "Не удается загрузить заказ"


@method("sale.basketitem.getFields")
def item_get_fields(ctx: CallContext) -> dict[str, Any]:
    return {"basketItem": field_infos(BASKET_ITEM)}


@method("sale.basketitem.list")
def item_list(ctx: CallContext) -> ListResult:
    return list_answer(
        ctx,
        state(ctx).basket_items,
        BASKET_ITEM_FIELDS,
        wrap="basketItems",
        keys=ITEM_KEYS,
    )


@method("sale.basketitem.get")
def item_get(ctx: CallContext) -> dict[str, Any]:
    sale = state(ctx)
    return {"basketItem": full_item(sale, _item(ctx))}


@method("sale.basketitem.add")
def item_add(ctx: CallContext) -> ListResult:
    sale = state(ctx)
    fields = internalize(ctx, fields_param(ctx), BASKET_ITEM, update=False)
    order_id = fields.pop("orderId", 0) or 0
    if order_id <= 0:
        raise FakeRestError(0, "Required fields: fields[ORDER_ID]")
    order = sale.orders.get(order_id)
    if order is None:
        raise FakeRestError(0, NO_ORDER)
    if fields.get("currency") != order["currency"]:
        raise FakeRestError(0, "Currency must be the currency of the order")
    item = add_basket_item(sale, order, fields, now=ctx.site.now())
    return ListResult({"basketItem": added_item(sale, item)}, 1, None)


@method("sale.basketitem.update")
def item_update(ctx: CallContext) -> ListResult:
    sale = state(ctx)
    item = _item(ctx)
    fields = coerce(ctx, fields_param(ctx), settable(BASKET_ITEM, update=True))
    changed = {k: v for k, v in fields.items() if item.get(k) != v}
    if changed:
        now = stamp(ctx.site.now())
        item.update(changed, dateUpdate=now)
        reservation = sale.reservations.get(item.get("reservationId", 0))
        if reservation is not None:
            reservation["quantity"] = item["quantity"]
        order = sale.orders[item["orderId"]]
        recalc_price(sale, order)
        save_order(order, now)
    return ListResult({"basketItem": full_item(sale, item)}, 1, None)


@method("sale.basketitem.delete")
def item_delete(ctx: CallContext) -> bool:
    sale = state(ctx)
    item = _item(ctx)
    order = sale.orders[item["orderId"]]
    remove_basket_item(sale, item)
    recalc_price(sale, order)
    save_order(order, ctx.site.now())
    return True


@method("sale.basketproperties.getFields")
def property_get_fields(ctx: CallContext) -> dict[str, Any]:
    return {"basketProperties": field_infos(BASKET_PROPERTY)}


@method("sale.basketproperties.list")
def property_list(ctx: CallContext) -> ListResult:
    return list_answer(
        ctx,
        state(ctx).basket_properties.values(),
        BASKET_PROPERTY_FIELDS,
        wrap="basketProperties",
        keys=BASKET_PROPERTY_KEYS,
    )


@method("sale.basketproperties.add")
def property_add(ctx: CallContext) -> dict[str, Any]:
    sale = state(ctx)
    fields = internalize(ctx, fields_param(ctx), BASKET_PROPERTY, update=False)
    item = sale.basket_items.get(fields.get("basketId") or 0)
    if item is None:
        raise FakeRestError(200140400001, "basket item is not exists")
    row = add_basket_property(sale, item, fields, now=ctx.site.now())
    return {"basketProperty": dump(row, BASKET_PROPERTY_KEYS)}


def add_basket_property(
    sale: SaleState, item: Row, fields: dict[str, Any], *, now: datetime
) -> Row:
    row_id = sale.next_id("basketProperty")
    row: Row = {
        "sort": 100,
        **fields,
        "basketId": item["id"],
        "id": row_id,
        "xmlId": fields.get("xmlId") or sale.xml_id(now),
    }
    sale.basket_properties[row_id] = row
    item.setdefault("propertyIds", []).append(row_id)
    item["dateUpdate"] = stamp(now)
    save_order(sale.orders[item["orderId"]], now)
    return row


def _item(ctx: CallContext) -> Row:
    item = state(ctx).basket_items.get(php_intval(param(ctx, "id")))
    if item is None:
        raise FakeRestError(200140400001, "basket item is not exists")
    return item
