"""A company's orders of the current month, summed from Bitrix (``UF_MONTH_ORDERS_AMOUNT``).

Orders carry their company only as the ``B2B_COMPANY_ID`` order property, and
``sale.order.list`` silently ignores unknown filter keys, so the link goes through
``sale.propertyvalue.list``. Two routes give the same sums; the cheaper one is used:

- **by company** (few companies): the company's order IDs from the property value
  (``code`` + ``value``), then ``sale.order.list`` with ``@id`` and ``>=dateInsert`` = the
  month's start — about two commands per company, whatever the month's volume;
- **by month** (many companies): the month's orders (``>=dateInsert``), then their
  ``B2B_COMPANY_ID`` values (``@orderId``, 50 orders a command) — about two commands per 50
  orders of the month, whatever the number of companies.

Cancelled orders are left out; prices are summed as ``Decimal``. The month starts at midnight
on the 1st in the site's time zone; the date goes out as an aware datetime (the client renders
ISO 8601 with offset, the only form ``strtotime`` cannot misread).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from decimal import Decimal

from bitrix_client import BitrixClient

from ._lists import Query, chunks, list_many
from ._streams import closing
from ._values import to_decimal, to_int

#: Above this many companies in a run, the month route is cheaper.
BY_COMPANY_LIMIT = 10


def month_start(now: datetime, tz: tzinfo) -> datetime:
    local = now.astimezone(tz)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _counts(row: dict[str, object]) -> bool:
    return str(row.get("canceled") or "N").upper() != "Y"


async def by_company(
    client: BitrixClient, company_ids: Sequence[int], since: datetime, code: str
) -> dict[int, Decimal]:
    sums = {company_id: Decimal(0) for company_id in company_ids}
    if not company_ids:
        return sums
    values = await list_many(
        client,
        [
            Query(
                "sale.propertyvalue.list",
                {"filter": {"code": code, "value": str(cid)}, "select": ["id", "orderId"]},
                "propertyValues",
            )
            for cid in company_ids
        ],
    )
    owner: dict[int, int] = {}
    for company_id, rows in zip(company_ids, values, strict=True):
        for row in rows:
            order_id = to_int(row.get("orderId"))
            if order_id is not None:
                owner[order_id] = company_id
    queries = [
        Query(
            "sale.order.list",
            {
                "filter": {"@id": list(part), ">=dateInsert": since},
                "select": ["id", "price", "canceled"],
            },
            "orders",
        )
        for part in chunks(sorted(owner))
    ]
    for rows in await list_many(client, queries):
        for row in rows:
            order_id = to_int(row.get("id"))
            price = to_decimal(row.get("price"))
            if order_id in owner and price is not None and _counts(row):
                sums[owner[order_id]] += price
    return sums


async def by_month(client: BitrixClient, since: datetime, code: str) -> dict[int, Decimal]:
    prices: dict[int, Decimal] = {}
    orders = client.sale.orders({">=dateInsert": since}, ["id", "price", "canceled"])
    async with closing(orders) as stream:
        async for row in stream:
            order_id = to_int(row.get("id"))
            price = to_decimal(row.get("price"))
            if order_id is not None and price is not None and _counts(row):
                prices[order_id] = price
    queries = [
        Query(
            "sale.propertyvalue.list",
            {
                "filter": {"@orderId": list(part), "code": code},
                "select": ["id", "orderId", "value"],
            },
            "propertyValues",
        )
        for part in chunks(sorted(prices))
    ]
    sums: dict[int, Decimal] = {}
    for rows in await list_many(client, queries):
        for row in rows:
            order_id = to_int(row.get("orderId"))
            company_id = to_int(row.get("value"))
            if order_id in prices and company_id is not None:
                sums[company_id] = sums.get(company_id, Decimal(0)) + prices[order_id]
    return sums
