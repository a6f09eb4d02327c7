"""Seeders that write the sale state directly (no HTTP), deterministic and fast.

* :func:`seed_recordings_dataset` — the data set behind ``tests/data/bitrix-recordings`` (README
  "The data set behind the answers"), as it stood when seeding ended (recording seq 75): payer
  type 1 "Юридическое лицо" (``LEGAL``, code ``B2B``), property group 1, property 1
  ``B2B_COMPANY_ID`` (id 2 used up by the deleted duplicate), statuses PA/AP/RJ with ru/en names,
  120 orders with their basket items, reservations and company values.
* :data:`RECORDING_STEPS` — for replaying the recordings call by call on a fresh site: what
  happened *between* recorded calls (seeding calls that were not recorded, withheld calls), keyed
  by the ``seq`` of the recorded call each step must run before. The recorded calls themselves
  create the payer type, group, property, statuses, order 1 and its first item.
* :func:`seed_store` (from :mod:`._seed_store`) — a realistic store before b2bsync is installed.

The 120 orders follow formulas read off the recorded answers: order *o* is inserted on
2026-07-26 + (o−1) days at 09:00 + (37·o mod 600) minutes MSK; has ``o % 4 + 1`` items, item *k*
being product ``(o + 3k) % 8`` of :data:`RECORDED_PRODUCTS` with quantity ``o·(k+1) % 5 + 1``;
status PA when ``o % 4 == 0``, else F when ``o % 10 == 3``, else N; B2B_COMPANY_ID 1001 when
``o % 3 == 0``, 1002 when ``o % 6 == 1``; comments "seed order o" when ``o % 5 == 0``;
``userDescription`` "Доставка до 12:00" when ``o % 7 == 0``. Each order was created, then its
items added, then its value written; the order's own creation instant is its recorded xmlId
(``bx_`` + PHP ``uniqid``), the later calls are spread evenly up to 40 ms before the next order —
which reproduces every recorded ``dateStatus``/``dateUpdate``/reservation second.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from ._sale_props import add_person_type, add_property, add_property_group
from ._sale_state import (
    Row,
    add_basket_item,
    new_order,
    replace_property_values,
    save_order,
)
from ._seed_store import seed_store
from ._site import FakeSite

__all__ = [
    "RECORDED_PRODUCTS",
    "RECORDING_STEPS",
    "run_recording_step",
    "seed_order_one_first_item",
    "seed_recorded_catalog",
    "seed_recordings_dataset",
    "seed_store",
]

RECORDED_PRODUCTS: tuple[tuple[int, str, float], ...] = (
    (101, "Болт М8×40 оцинк.", 12.5),
    (102, "Гайка М8", 3.2),
    (103, "Шайба 8 мм", 1.1),
    (104, "Анкер клиновой 10×100", 48.0),
    (105, "Саморез 4,2×19", 0.85),
    (106, "Дюбель 6×40", 0.6),
    (107, "Шпилька М10×1000", 145.0),
    (108, "Перфолента 20 мм", 230.0),
)
RECORDED_STATUSES: tuple[Row, ...] = (
    {"id": "PA", "sort": 155, "color": "#FFBB00", "notify": "Y", "xmlId": "APPROVAL_PENDING"},
    {"id": "AP", "sort": 160, "color": "#00AA00", "notify": "Y", "xmlId": "APPROVED"},
    {"id": "RJ", "sort": 170, "color": "#AA0000", "notify": "N", "xmlId": "REJECTED"},
)
STATUS_NAMES = {
    "PA": (
        "Ожидает согласования",
        "Заказ ждёт согласования владельцем компании",
        "Approval pending",
    ),
    "AP": ("Согласован", "Заказ согласован владельцем компании", "Approved"),
    "RJ": ("Отклонён", "Заказ отклонён владельцем компании", "Rejected"),
}
ORDER_COUNT = 120
_FIRST_DAY = datetime(2026, 7, 26, 9, 0)
_BASE_SECOND = 0x6B04E5 << 28  # high digits shared by every recorded seeding uniqid
# Low 7 hex digits of the recorded ``uniqid`` of orders 1..120 (their creation instants).
_ORDER_UNIQIDS = (
    "c93bbbf", "c9b3990", "ca09c61", "ca7a0f6", "ca9af02", "cad024d", "cb36b4b", "cba628a",
    "cbc8533", "cc197cd", "cc632d0", "ccc1135", "ccf2781", "cd423f4", "cd8c430", "ce05914",
    "ce2733f", "ce5c694", "cebb0e0", "cf3b16e", "cf5e0ec", "cfa48e8", "cfed8be", "d05b408",
    "d08d1f6", "d0d0b3d", "d124dd4", "d1bc970", "d1dd84c", "d21d056", "d2744b6", "d2e2b26",
    "d30f7fb", "d353a3f", "d39bd90", "d4049d0", "d435a61", "d47bfe8", "d4c82ce", "d547e86",
    "d56c101", "d5a53d5", "d60dcdb", "d67db86", "d69f284", "d707e9c", "d74e0ae", "d7a856e",
    "d7d6b2d", "d824180", "d86b455", "d8d3eb6", "d8f3901", "d9314f5", "d98595d", "d9ed88a",
    "da19a4c", "da5cc9f", "daa79e3", "db15b2d", "db4ad01", "db928a3", "dbe435c", "dc60c5d",
    "dc821a3", "dcb57ee", "dd1a27e", "dd85cad", "dda6b4d", "dde9739", "de3c5f8", "de96b03",
    "dec79b8", "df156ee", "df5e39c", "dfca696", "dfebece", "e02bc46", "e085f92", "e10e769",
    "e13115a", "e177823", "e1c1d58", "e22f57c", "e262b23", "e2aa2d2", "e306bec", "e371e3f",
    "e391f36", "e3c3d22", "e42849a", "e494123", "e4b50e9", "e506fb6", "e54f728", "e5abef9",
    "e5dca1a", "e62f1e8", "e6733f0", "e6dd139", "e70b1f7", "e73f6fe", "e79c836", "e81b160",
    "e83c0da", "e87e89a", "e8c70c6", "e92d9b8", "e95d011", "e9a2440", "e9ec1d1", "ea661c7",
    "ea87d51", "eabb811", "eb1e99c", "eb90e4c", "ebb35a7", "ec04788", "ec4b939", "eca8019",
)  # fmt: skip
_SEEDING_END = 1795483116.880464  # seq 75 started here
_ITEM_1_AT = 1795483081.401205  # seq 73
_ORDER_1_ITEM_2_AT = 1795483081.579314
_ORDER_1_VALUE_AT = 1795483081.66
_SETTLE = 0.04
_ORDER_2_DROP_AT = 1795483117.0
COMPANY_PROPERTY = 1


def recorded_order(o: int, tz: tzinfo) -> dict[str, Any]:
    """The ``sale.order.add`` fields the seeding sent for order ``o`` (times local to ``tz``)."""
    minutes = 37 * o % 600
    inserted = (_FIRST_DAY + timedelta(days=o - 1, minutes=minutes)).replace(tzinfo=tz)
    status = "PA" if o % 4 == 0 else "F" if o % 10 == 3 else "N"
    return {
        "lid": "s1",
        "personTypeId": 1,
        "userId": 1,
        "currency": "RUB",
        "statusId": status,
        "responsibleId": 1,
        "dateInsert": inserted,
        "comments": f"seed order {o}" if o % 5 == 0 else "",
        "userDescription": "Доставка до 12:00" if o % 7 == 0 else "",
    }


def recorded_items(o: int) -> list[dict[str, Any]]:
    """The ``sale.basketitem.add`` fields of order ``o``'s items, in the order they were sent."""
    out = []
    for k in range(o % 4 + 1):
        product_id, name, price = RECORDED_PRODUCTS[(o + 3 * k) % 8]
        out.append(
            {
                "productId": product_id,
                "currency": "RUB",
                "quantity": float(o * (k + 1) % 5 + 1),
                "name": name,
                "price": price,
                "productXmlId": f"ART-{product_id}",
            }
        )
    return out


def recorded_company(o: int) -> str | None:
    if o % 3 == 0:
        return "1001"
    if o % 6 == 1:
        return "1002"
    return None


def seed_recordings_dataset(site: FakeSite) -> None:
    """Write the whole recorded data set into an empty site (see the module docstring)."""
    sale = site.sale
    seed_recorded_catalog(site)
    for row in RECORDED_STATUSES:
        sale.statuses[row["id"]] = {**row, "type": "O"}
        ru_name, ru_text, en_name = STATUS_NAMES[row["id"]]
        sale.status_langs[(row["id"], "ru")] = _lang(row["id"], "ru", ru_name, ru_text)
        sale.status_langs[(row["id"], "en")] = _lang(row["id"], "en", en_name, None)
    seed_order_one_first_item(site)
    _finish_order_one(site)
    _seed_orders(site, 2, ORDER_COUNT)


def seed_order_one_first_item(site: FakeSite) -> None:
    """Order 1 and its first item, as recorded calls 72 and 73 created them."""
    sale = site.sale
    order = new_order(sale, recorded_order(1, site.tz), now=_at(site, _uniqid(1)), user_id=1)
    order["xmlId"] = _xml(1)
    add_basket_item(sale, order, recorded_items(1)[0], now=_at(site, _ITEM_1_AT))


def seed_recorded_catalog(site: FakeSite) -> None:
    """Payer type, group and property as seq 62–71 left them (property id 2 used and deleted)."""
    sale = site.sale
    add_person_type(
        sale,
        {"name": "Юридическое лицо", "lid": "s1", "code": "B2B", "sort": 100, "active": "Y"},
        xml_id="LEGAL",
    )
    add_property_group(sale, {"name": "Реквизиты B2B", "personTypeId": 1, "sort": 100})
    add_property(
        sale,
        {
            "personTypeId": 1,
            "propsGroupId": 1,
            "name": "ID компании B2B",
            "type": "STRING",
            "code": "B2B_COMPANY_ID",
            "active": "Y",
            "util": "Y",
            "userProps": "N",
            "isFiltered": "Y",
            "required": "N",
            "multiple": "N",
            "sort": 500,
        },
        xml_id="B2B_COMPANY_ID",
    )
    sale.next_id("property")


def _finish_order_one(site: FakeSite) -> None:
    """Order 1's second item and its company value, sent right after seq 73."""
    sale = site.sale
    order = sale.orders[1]
    add_basket_item(sale, order, recorded_items(1)[1], now=_at(site, _ORDER_1_ITEM_2_AT))
    replace_property_values(sale, order, {COMPANY_PROPERTY: recorded_company(1)})
    save_order(order, _at(site, _ORDER_1_VALUE_AT))


def _seed_orders(site: FakeSite, first: int, last: int) -> None:
    sale = site.sale
    for o in range(first, last + 1):
        company = recorded_company(o)
        items = recorded_items(o)
        calls = 1 + len(items) + (1 if company is not None or o == 2 else 0)
        start = _uniqid(o)
        end = (_uniqid(o + 1) if o < ORDER_COUNT else _SEEDING_END) - _SETTLE
        slot = (end - start) / (calls - 1)
        order = new_order(sale, recorded_order(o, site.tz), now=_at(site, start), user_id=1)
        order["xmlId"] = _xml(o)
        for k, item in enumerate(items, start=1):
            add_basket_item(sale, order, item, now=_at(site, start + k * slot))
        if company is not None:
            replace_property_values(sale, order, {COMPANY_PROPERTY: company})
            save_order(order, _at(site, start + (calls - 1) * slot))
    sale.last_uniqid = max(sale.last_uniqid, int(_SEEDING_END * 1_000_000) - 1)


def _step_qq(site: FakeSite) -> None:
    """Withheld seq 28/29 added status ``qq`` (lower case, type only)."""
    sale = site.sale
    sale.statuses["qq"] = {
        "color": None,
        "id": "qq",
        "notify": "N",
        "sort": None,
        "type": "O",
        "xmlId": sale.xml_id(site.now()),
    }


def _step_orders_1_to_3(site: FakeSite) -> None:
    """After seq 73: order 1's second item and value, orders 2 and 3 (seq 74 writes 3's value)."""
    _finish_order_one(site)
    sale = site.sale
    for o in (2, 3):
        items = recorded_items(o)
        start = _uniqid(o)
        slot = (_uniqid(o + 1) - _SETTLE - start) / (len(items) + 1)
        order = new_order(sale, recorded_order(o, site.tz), now=_at(site, start), user_id=1)
        order["xmlId"] = _xml(o)
        for k, item in enumerate(items, start=1):
            add_basket_item(sale, order, item, now=_at(site, start + k * slot))


def _step_orders_4_to_120(site: FakeSite) -> None:
    _seed_orders(site, 4, ORDER_COUNT)


def _step_drop_order_2_value(site: FakeSite) -> None:
    """Withheld seq 79 (04:18:37, after seq 77): a modify of order 2 naming an unknown property
    dropped its only row (and used up value id 121, which is why orders 121/122 get 122–124)."""
    sale = site.sale
    order = sale.orders[2]
    replace_property_values(sale, order, {})
    sale.next_id("propertyValue")
    save_order(order, _at(site, _ORDER_2_DROP_AT))


def _step_order_7_zz(site: FakeSite) -> None:
    """Withheld seq 134: order 7 got status ``ZZ``, which does not exist."""
    _set_status(site, 7, "ZZ")


def _step_order_9_ts(site: FakeSite) -> None:
    """Withheld seq 145: order 9 got status TS, then TS was deleted."""
    _set_status(site, 9, "TS")
    site.sale.statuses.pop("TS", None)
    site.sale.refresh_status_xml_ids("TS")


def _step_order_121(site: FakeSite) -> None:
    """Before seq 182: a throwaway order 121 (seq 182 deletes it)."""
    _plain_order(site)


def _step_order_122(site: FakeSite) -> None:
    """Between seq 186 and 187: a throwaway order 122 without items or responsible user."""
    _plain_order(site)


RecordingStep = Callable[[FakeSite], None]
RECORDING_STEPS: Mapping[int, RecordingStep] = {
    30: _step_qq,
    74: _step_orders_1_to_3,
    75: _step_orders_4_to_120,
    80: _step_drop_order_2_value,
    135: _step_order_7_zz,
    146: _step_order_9_ts,
    182: _step_order_121,
    187: _step_order_122,
}


def run_recording_step(site: FakeSite, seq: int) -> None:
    """Run what happened just before recorded call ``seq`` (nothing for most calls)."""
    step = RECORDING_STEPS.get(seq)
    if step is not None:
        step(site)


def _set_status(site: FakeSite, order_id: int, status_id: str) -> None:
    order = site.sale.orders[order_id]
    now = site.now()
    order.update(statusId=status_id, dateStatus=now, empStatusId=1)
    order["statusXmlId"] = site.sale.status_xml_id(status_id)
    save_order(order, now)


def _plain_order(site: FakeSite) -> Row:
    fields = {"lid": "s1", "personTypeId": 1, "userId": 1, "currency": "RUB", "statusId": "N"}
    return new_order(site.sale, fields, now=site.now(), user_id=1)


def _lang(status_id: str, lid: str, name: str, description: str | None) -> Row:
    return {"description": description, "lid": lid, "name": name, "statusId": status_id}


def _uniqid(o: int) -> float:
    value = _BASE_SECOND | int(_ORDER_UNIQIDS[o - 1], 16)
    seconds, micros = divmod(value, 1 << 20)
    return seconds + micros / 1_000_000


def _xml(o: int) -> str:
    return f"bx_6b04e5{_ORDER_UNIQIDS[o - 1]}"


def _at(site: FakeSite, timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC).astimezone(site.tz)
