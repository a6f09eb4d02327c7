"""How orders, basket items and property values look on the wire (keys as recorded).

Recorded shapes: a full order (``sale.order.get``/``update``) carries ``basketItems`` and
``propertyValues`` only when non-empty (``payments``/``shipments``/``tradeBindings`` are never
there, the fake has none); ``sale.order.add`` answers a reduced order (no price, no basket);
an order lists every active property of its payer type, a property without a stored value
without ``id`` and ``value``, a stored empty value without ``value``; basket items inside an
order carry ``properties`` and ``reservations``, list rows do not.
"""

from __future__ import annotations

from typing import Any

from ._sale_common import dump, wire
from ._sale_state import Row, SaleState

ORDER_KEYS = (
    "accountNumber", "additionalInfo", "affiliateId", "canceled", "comments", "companyId",
    "currency", "dateCanceled", "dateInsert", "dateLock", "dateMarked", "dateStatus",
    "dateUpdate", "deducted", "discountValue", "empCanceledId", "empMarkedId", "empStatusId",
    "externalOrder", "id", "id1c", "lid", "lockedBy", "marked", "orderTopic", "payed",
    "personTypeId", "personTypeXmlId", "price", "reasonCanceled", "reasonMarked", "recountFlag",
    "recurringId", "responsibleId", "statusId", "statusXmlId", "taxValue", "updated1c",
    "userDescription", "userId", "version", "version1c", "xmlId",
)  # fmt: skip
ORDER_ADD_KEYS = (
    "accountNumber", "canceled", "currency", "dateInsert", "dateStatus", "dateUpdate",
    "deducted", "empStatusId", "id", "lid", "payed", "personTypeId", "personTypeXmlId",
    "statusId", "statusXmlId", "updated1c", "userId", "xmlId",
)  # fmt: skip
ITEM_KEYS = (
    "basePrice", "canBuy", "catalogXmlId", "currency", "customPrice", "dateInsert",
    "dateUpdate", "detailPageUrl", "dimensions", "discountPrice", "fuserId", "id", "lid",
    "measureCode", "measureName", "module", "name", "orderId", "price", "priceTypeId",
    "productId", "productPriceId", "productProviderClass", "productXmlId", "quantity",
    "setParentId", "sort", "type", "vatIncluded", "vatRate", "weight", "xmlId",
)  # fmt: skip
ITEM_ADD_KEYS = (
    "basePrice", "canBuy", "currency", "customPrice", "dateInsert", "dateUpdate", "fuserId",
    "id", "lid", "module", "name", "orderId", "price", "productId", "productXmlId", "quantity",
    "sort", "vatRate", "xmlId",
)  # fmt: skip
RESERVATION_KEYS = (
    "basketId",
    "dateReserve",
    "dateReserveEnd",
    "id",
    "quantity",
    "reservedBy",
    "storeId",
)
BASKET_PROPERTY_KEYS = ("basketId", "code", "id", "name", "sort", "value", "xmlId")
VALUE_LIST_KEYS = ("code", "id", "name", "orderId", "orderPropsId", "orderPropsXmlId", "value")


def full_order(sale: SaleState, order: Row) -> dict[str, Any]:
    out = dump(order, ORDER_KEYS)
    items = [full_item(sale, item) for item in sale.items_of(order["id"])]
    if items:
        out["basketItems"] = items
    values = order_property_values(sale, order)
    if values:
        out["propertyValues"] = values
    return dict(sorted(out.items()))


def added_order(sale: SaleState, order: Row, given: set[str]) -> dict[str, Any]:
    out = dump(order, set(ORDER_ADD_KEYS) | (given & set(ORDER_KEYS)))
    values = order_property_values(sale, order, fresh=True)
    if values:
        out["propertyValues"] = values
    return dict(sorted(out.items()))


def full_item(sale: SaleState, item: Row) -> dict[str, Any]:
    out = dump(item, ITEM_KEYS)
    out["properties"] = basket_properties_of(sale, item)
    out["reservations"] = _reservations(sale, item, RESERVATION_KEYS)
    return dict(sorted(out.items()))


def added_item(sale: SaleState, item: Row) -> dict[str, Any]:
    out = dump(item, ITEM_ADD_KEYS)
    out["properties"] = basket_properties_of(sale, item)
    keys = tuple(k for k in RESERVATION_KEYS if k != "reservedBy")
    out["reservations"] = _reservations(sale, item, keys)
    return dict(sorted(out.items()))


def basket_properties_of(sale: SaleState, item: Row) -> list[dict[str, Any]]:
    return [
        dump(sale.basket_properties[p], BASKET_PROPERTY_KEYS) for p in item.get("propertyIds", [])
    ]


def order_property_values(
    sale: SaleState, order: Row, *, fresh: bool = False
) -> list[dict[str, Any]]:
    """Every active property of the order's payer type, then stored values of any other.

    ``fresh``: the order was just created, its empty values were never read back, so they have
    no ``value`` key at all (seq 72); read back from the database they show ``null`` (seq 157).
    """
    stored = {row["orderPropsId"]: row for row in sale.values_of(order["id"])}
    props = sorted(
        sale.person_type_properties(order["personTypeId"]), key=lambda p: (p["sort"], p["id"])
    )
    out = [value_item(stored.pop(p["id"], None), p, fresh=fresh) for p in props]
    out += [value_item(row, sale.properties[pid], fresh=fresh) for pid, row in stored.items()]
    return out


def stored_values(sale: SaleState, order: Row) -> list[dict[str, Any]]:
    """The order's stored values only, as ``sale.propertyvalue.modify`` answers them."""
    return [
        value_item(row, sale.properties[row["orderPropsId"]]) for row in sale.values_of(order["id"])
    ]


def value_item(row: Row | None, prop: Row, *, fresh: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": prop["code"],
        "name": prop["name"],
        "orderPropsId": prop["id"],
        "orderPropsXmlId": prop["xmlId"],
    }
    if row is not None:
        out["id"] = row["id"]
        if row["value"] is not None or not fresh:
            out["value"] = wire(row["value"])
    return dict(sorted(out.items()))


def _reservations(sale: SaleState, item: Row, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    reservation_id = item.get("reservationId")
    if reservation_id is None:
        return []
    return [dump(sale.reservations[reservation_id], keys)]
