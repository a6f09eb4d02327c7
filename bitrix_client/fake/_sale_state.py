"""State of the fake site's sale module, and the writes every path into it shares.

Rows are plain dicts keyed by the REST field names (``statusId``, ``dateInsert``…) holding
internal values (aware datetimes, floats, ``None``), so the generic list machinery in
:mod:`._filters` works on them directly; :mod:`._sale_dump` turns them into wire JSON. Handlers
(``_sale_*.py``) and the seeders (:mod:`._seed`) both go through the functions below, so an order
written by a seeder looks exactly like one written through REST. Orders, basket items and
property values are :class:`~._paging.IdTable` objects (dicts that keep their ids sorted), so
keyset pages of their lists start where ``>id`` points instead of scanning every row.

A fresh ``SaleState()`` is a fresh Russian install: the system statuses N, F (orders) and DN, DF
(shipments) with their Russian names, no payer types, no properties, no orders.

Recorded behaviour kept here: every saved change bumps an order's ``version`` and stamps
``dateUpdate`` (a new order starts at version 0); adding a basket item re-creates the reservations
of all the order's items (new ids, re-saved items); cancelling drops them; a new order gets an
empty value row (``value`` ``None``) for each active property of its payer type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ._paging import IdTable

Row = dict[str, Any]
VALUE_KEYS = ("code", "id", "name", "orderId", "orderPropsId", "orderPropsXmlId", "value")

ORDER_TYPE = "O"
DELIVERY_TYPE = "D"
SYSTEM_STATUSES = {"N": ORDER_TYPE, "F": ORDER_TYPE, "DN": DELIVERY_TYPE, "DF": DELIVERY_TYPE}
RESERVE_DAYS = 3

_SYSTEM_STATUS_ROWS = (
    ("DF", "D", 400, "Отгружен", "Отгружен"),
    ("DN", "D", 300, "Ожидает обработки", "Ожидает обработки"),
    ("F", "O", 200, "Выполнен", "Заказ доставлен и оплачен"),
    (
        "N",
        "O",
        100,
        "Принят, ожидается оплата",
        "Заказ принят, но пока не обрабатывается (например, заказ только что создан или "
        "ожидается оплата заказа)",
    ),
)

ORDER_DEFAULTS: Row = {
    "accountNumber": "",
    "additionalInfo": "",
    "affiliateId": None,
    "canceled": "N",
    "comments": "",
    "companyId": None,
    "currency": "RUB",
    "dateCanceled": None,
    "dateInsert": None,
    "dateLock": None,
    "dateMarked": None,
    "dateStatus": None,
    "dateUpdate": None,
    "deducted": "N",
    "discountValue": 0.0,
    "empCanceledId": None,
    "empMarkedId": None,
    "empStatusId": None,
    "externalOrder": "N",
    "id": 0,
    "id1c": "",
    "lid": "s1",
    "lockedBy": "",
    "marked": "N",
    "orderTopic": "",
    "payed": "N",
    "personTypeId": 0,
    "personTypeXmlId": "",
    "price": 0.0,
    "reasonCanceled": "",
    "reasonMarked": "",
    "recountFlag": "Y",
    "recurringId": "",
    "responsibleId": None,
    "statusId": "N",
    "statusXmlId": "",
    "taxValue": 0.0,
    "updated1c": "N",
    "userDescription": "",
    "userId": None,
    "version": 0,
    "version1c": "",
    "xmlId": "",
}

ITEM_DEFAULTS: Row = {
    "basePrice": 0.0,
    "canBuy": "Y",
    "catalogXmlId": "",
    "currency": "RUB",
    "customPrice": "Y",
    "dateInsert": None,
    "dateUpdate": None,
    "detailPageUrl": "",
    "dimensions": "",
    "discountPrice": 0.0,
    "fuserId": None,
    "id": 0,
    "lid": "s1",
    "measureCode": "",
    "measureName": "",
    "module": "",
    "name": "",
    "orderId": 0,
    "price": 0.0,
    "priceTypeId": None,
    "productId": 0,
    "productPriceId": None,
    "productProviderClass": "",
    "productXmlId": "",
    "quantity": 0.0,
    "setParentId": None,
    "sort": 100,
    "type": None,
    "vatIncluded": "Y",
    "vatRate": None,
    "weight": None,
    "xmlId": "",
}


@dataclass
class SaleState:
    """Statuses, their names, payer types, order properties, orders and everything under them."""

    statuses: dict[str, Row] = field(default_factory=dict)
    status_langs: dict[tuple[str, str], Row] = field(default_factory=dict)
    person_types: dict[int, Row] = field(default_factory=dict)
    property_groups: dict[int, Row] = field(default_factory=dict)
    properties: dict[int, Row] = field(default_factory=dict)
    orders: IdTable[Row] = field(default_factory=IdTable)
    basket_items: IdTable[Row] = field(default_factory=IdTable)
    order_items: dict[int, list[int]] = field(default_factory=dict)
    reservations: dict[int, Row] = field(default_factory=dict)
    property_values: IdTable[Row] = field(default_factory=IdTable)
    order_values: dict[int, list[int]] = field(default_factory=dict)
    basket_properties: dict[int, Row] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    last_uniqid: int = 0

    def __post_init__(self) -> None:
        for name in ("orders", "basket_items", "property_values"):
            given = getattr(self, name)
            if not isinstance(given, IdTable):
                setattr(self, name, IdTable(given))
        if not self.statuses:
            for status_id, kind, sort, name, description in _SYSTEM_STATUS_ROWS:
                self.statuses[status_id] = {
                    "color": None,
                    "id": status_id,
                    "notify": "Y",
                    "sort": sort,
                    "type": kind,
                    "xmlId": None,
                }
                self.status_langs[(status_id, "ru")] = {
                    "description": description,
                    "lid": "ru",
                    "name": name,
                    "statusId": status_id,
                }

    def next_id(self, kind: str) -> int:
        value = self.counters.get(kind, 0) + 1
        self.counters[kind] = value
        return value

    def xml_id(self, now: datetime) -> str:
        """``bx_`` + PHP ``uniqid()``: 8 hex digits of seconds, 5 of microseconds, increasing."""
        micros = max(int(now.timestamp() * 1_000_000), self.last_uniqid + 1)
        self.last_uniqid = micros
        seconds, fraction = divmod(micros, 1_000_000)
        return f"bx_{seconds:08x}{fraction:05x}"

    def find_status(self, status_id: object) -> Row | None:
        """Status ids compare case-insensitively, as in MySQL's default collation."""
        if not isinstance(status_id, str):
            return None
        found = self.statuses.get(status_id)
        if found is not None:
            return found
        folded = status_id.casefold()
        return next((s for k, s in self.statuses.items() if k.casefold() == folded), None)

    def status_xml_id(self, status_id: str) -> str:
        status = self.find_status(status_id)
        return str(status["xmlId"]) if status is not None and status["xmlId"] else ""

    def refresh_status_xml_ids(self, status_id: str) -> None:
        """Orders show their status's xmlId; re-read it after the status changed or vanished."""
        folded = status_id.casefold()
        value = self.status_xml_id(status_id)
        for order in self.orders.values():
            if order["statusId"].casefold() == folded:
                order["statusXmlId"] = value

    def order_is_using(self, status_id: str) -> bool:
        folded = status_id.casefold()
        return any(o["statusId"].casefold() == folded for o in self.orders.values())

    def person_type_properties(self, person_type_id: int) -> list[Row]:
        return [
            p
            for p in self.properties.values()
            if p["personTypeId"] == person_type_id and p["active"] == "Y"
        ]

    def items_of(self, order_id: int) -> list[Row]:
        return [self.basket_items[i] for i in self.order_items.get(order_id, [])]

    def values_of(self, order_id: int) -> list[Row]:
        return [self.property_values[i] for i in self.order_values.get(order_id, [])]


def stamp(moment: datetime) -> datetime:
    """Dates are stored to the second (MySQL ``DATETIME``): a filter ``>dateUpdate`` with the
    second of a write does not match that write."""
    return moment.replace(microsecond=0)


def new_order(state: SaleState, fields: Row, *, now: datetime, user_id: int) -> Row:
    """Create an order from already-coerced ``fields`` (unknown keys must be removed first)."""
    xml_id = state.xml_id(now)
    now = stamp(now)
    order_id = state.next_id("order")
    order: Row = dict(ORDER_DEFAULTS)
    order.update(fields)
    person_type = state.person_types.get(order["personTypeId"])
    order.update(
        id=order_id,
        accountNumber=str(order_id),
        dateInsert=stamp(fields.get("dateInsert") or now),
        dateStatus=now,
        dateUpdate=now,
        empStatusId=user_id,
        userId=fields.get("userId", user_id),
        personTypeXmlId=(person_type or {}).get("xmlId") or "",
        statusXmlId=state.status_xml_id(order["statusId"]),
        version=0,
    )
    if not fields.get("xmlId"):
        order["xmlId"] = xml_id
    state.orders[order_id] = order
    state.order_items[order_id] = []
    state.order_values[order_id] = []
    for prop in state.person_type_properties(order["personTypeId"]):
        _new_value(state, order_id, prop["id"], None)
    return order


def save_order(order: Row, now: datetime) -> None:
    order["version"] += 1
    order["dateUpdate"] = stamp(now)


def add_basket_item(state: SaleState, order: Row, fields: Row, *, now: datetime) -> Row:
    """Add an item, re-create the order's reservations and save the order."""
    xml_id = state.xml_id(now)
    now = stamp(now)
    item_id = state.next_id("basket")
    item: Row = dict(ITEM_DEFAULTS)
    item.update(fields)
    item.update(
        id=item_id,
        orderId=order["id"],
        lid=order["lid"],
        currency=order["currency"],
        fuserId=order["userId"],
        dateInsert=now,
        dateUpdate=now,
    )
    if not fields.get("xmlId"):
        item["xmlId"] = xml_id
    state.basket_items[item_id] = item
    state.order_items[order["id"]].append(item_id)
    rebuild_reservations(state, order, now)
    recalc_price(state, order)
    save_order(order, now)
    return item


def rebuild_reservations(state: SaleState, order: Row, now: datetime) -> None:
    """Drop and re-create one reservation per item (new ids), re-saving every item."""
    now = stamp(now)
    drop_reservations(state, order, now)
    if order["canceled"] == "Y":
        return
    end = datetime.combine(
        now.date() + timedelta(days=RESERVE_DAYS), datetime.min.time(), now.tzinfo
    )
    for item in state.items_of(order["id"]):
        reservation_id = state.next_id("reservation")
        state.reservations[reservation_id] = {
            "basketId": item["id"],
            "dateReserve": now,
            "dateReserveEnd": end,
            "id": reservation_id,
            "quantity": item["quantity"],
            "reservedBy": None,
            "storeId": 0,
        }
        item["reservationId"] = reservation_id
        item["dateUpdate"] = now


def drop_reservations(state: SaleState, order: Row, now: datetime) -> None:
    now = stamp(now)
    for item in state.items_of(order["id"]):
        reservation_id = item.pop("reservationId", None)
        if reservation_id is not None:
            state.reservations.pop(reservation_id, None)
            item["dateUpdate"] = now


def remove_basket_item(state: SaleState, item: Row) -> None:
    reservation_id = item.pop("reservationId", None)
    if reservation_id is not None:
        state.reservations.pop(reservation_id, None)
    for prop_id in item.pop("propertyIds", []):
        state.basket_properties.pop(prop_id, None)
    state.basket_items.pop(item["id"], None)
    state.order_items[item["orderId"]].remove(item["id"])


def recalc_price(state: SaleState, order: Row) -> None:
    total = sum(i["price"] * i["quantity"] for i in state.items_of(order["id"]))
    order["price"] = round(float(total), 2)


def replace_property_values(state: SaleState, order: Row, values: dict[int, Any]) -> None:
    """``sale.propertyvalue.modify``: keep rows of listed properties, drop every other row."""
    kept: list[int] = []
    existing = {
        state.property_values[v]["orderPropsId"]: v for v in state.order_values[order["id"]]
    }
    for prop_id, value in values.items():
        if prop_id in existing:
            row_id = existing.pop(prop_id)
            state.property_values[row_id]["value"] = value
            kept.append(row_id)
        else:
            kept.append(_new_value(state, order["id"], prop_id, value, attach=False))
    for row_id in existing.values():
        state.property_values.pop(row_id, None)
    state.order_values[order["id"]] = kept


def set_property_value(state: SaleState, order: Row, prop_id: int, value: Any) -> None:
    """Write one value, keeping the order's other values (what the admin UI and PHP API do)."""
    for row in state.values_of(order["id"]):
        if row["orderPropsId"] == prop_id:
            row["value"] = value
            return
    _new_value(state, order["id"], prop_id, value)


def delete_order(state: SaleState, order_id: int) -> None:
    for item in list(state.items_of(order_id)):
        remove_basket_item(state, item)
    for row_id in state.order_values.pop(order_id, []):
        state.property_values.pop(row_id, None)
    state.order_items.pop(order_id, None)
    state.orders.pop(order_id, None)


def refresh_property_values(state: SaleState, prop_id: int) -> None:
    """Value rows repeat their property's code, name and xmlId (as the list joins them)."""
    prop = state.properties[prop_id]
    for row in state.property_values.values():
        if row["orderPropsId"] == prop_id:
            row.update(code=prop["code"], name=prop["name"], orderPropsXmlId=prop["xmlId"])


def delete_property(state: SaleState, prop_id: int) -> None:
    """Deleting a property deletes its values in every order."""
    state.properties.pop(prop_id, None)
    doomed = [k for k, v in state.property_values.items() if v["orderPropsId"] == prop_id]
    for row_id in doomed:
        row = state.property_values.pop(row_id)
        state.order_values[row["orderId"]].remove(row_id)


def _new_value(
    state: SaleState, order_id: int, prop_id: int, value: Any, *, attach: bool = True
) -> int:
    row_id = state.next_id("propertyValue")
    prop = state.properties[prop_id]
    state.property_values[row_id] = {
        "code": prop["code"],
        "id": row_id,
        "name": prop["name"],
        "orderId": order_id,
        "orderPropsId": prop_id,
        "orderPropsXmlId": prop["xmlId"],
        "value": value,
    }
    if attach:
        state.order_values[order_id].append(row_id)
    return row_id
