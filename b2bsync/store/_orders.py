"""The local order index: rows from :class:`jobs.IndexedOrder`, and the search over them.

Every filter is answered by an index: company, status and manager by composite indexes that
also order by date; the number prefix by a range on a code-point-ordered column; the article by
the basket-line table's (kind, key, order) index.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.engine import Connection, Row

from jobs import IndexedOrder

from ._models import ARTICLE, PRODUCT_NAME, order_index, order_index_items

MAX_LIMIT = 1000
_MAX_CODE_POINT = 0x10FFFF


def number_key(number: str) -> str:
    return number.strip().casefold()


def article_key(article: str) -> str:
    return article.strip().casefold()


def _after_prefix(prefix: str) -> str | None:
    """The smallest string greater than every string that starts with ``prefix``."""
    while prefix:
        last = ord(prefix[-1])
        if last < _MAX_CODE_POINT:
            return prefix[:-1] + chr(last + 1)
        prefix = prefix[:-1]
    return None


def order_row(order: IndexedOrder, now: datetime) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "account_number": order.account_number,
        "number_key": number_key(order.account_number),
        "company_id": order.company_id,
        "status_id": order.status_id,
        "date_insert": order.date_insert,
        "date_update": order.date_update,
        "price": str(order.price),
        "currency": order.currency,
        "user_id": order.user_id,
        "responsible_id": order.responsible_id,
        "canceled": order.canceled,
        "indexed_at": now,
    }


def item_rows(order: IndexedOrder) -> list[dict[str, Any]]:
    rows = [
        {
            "order_id": order.order_id,
            "kind": ARTICLE,
            "position": position,
            "value": article,
            "value_key": article_key(article),
        }
        for position, article in enumerate(order.articles)
    ]
    rows.extend(
        {
            "order_id": order.order_id,
            "kind": PRODUCT_NAME,
            "position": position,
            "value": name,
            "value_key": None,
        }
        for position, name in enumerate(order.product_names)
    )
    return rows


def search_query(
    *,
    company_id: int | None,
    number: str | None,
    article: str | None,
    status: str | None,
    date_from: datetime | None,
    date_to: datetime | None,
    manager_id: int | None,
    limit: int,
    offset: int,
) -> Select[Any]:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise ValueError(f"offset must not be negative, got {offset}")
    o = order_index.c
    where: list[ColumnElement[bool]] = []
    if company_id is not None:
        where.append(o.company_id == company_id)
    if manager_id is not None:
        where.append(o.responsible_id == manager_id)
    if status is not None:
        where.append(o.status_id == status.strip().upper())
    if date_from is not None:
        where.append(o.date_insert >= date_from)
    if date_to is not None:
        where.append(o.date_insert < date_to)
    if number is not None:
        prefix = number_key(number)
        if not prefix:
            raise ValueError("the order number to search for is empty")
        where.append(o.number_key >= prefix)
        upper = _after_prefix(prefix)
        if upper is not None:
            where.append(o.number_key < upper)
    if article is not None:
        key = article_key(article)
        if not key:
            raise ValueError("the article to search for is empty")
        i = order_index_items.c
        where.append(
            o.order_id.in_(select(i.order_id).where(i.kind == ARTICLE, i.value_key == key))
        )
    return (
        select(order_index)
        .where(*where)
        .order_by(o.date_insert.desc(), o.order_id.desc())
        .limit(limit)
        .offset(offset)
    )


def with_items(conn: Connection, rows: Sequence[Row[Any]]) -> list[IndexedOrder]:
    """The orders of ``rows`` with their articles and product names, in ``rows``' order."""
    if not rows:
        return []
    i = order_index_items.c
    lines: dict[int, dict[str, list[str]]] = {
        r.order_id: {ARTICLE: [], PRODUCT_NAME: []} for r in rows
    }
    found = conn.execute(
        select(i.order_id, i.kind, i.value)
        .where(i.order_id.in_(list(lines)))
        .order_by(i.order_id, i.kind, i.position)
    )
    for order_id, kind, value in found:
        lines[order_id][kind].append(value)
    return [
        IndexedOrder(
            order_id=r.order_id,
            account_number=r.account_number,
            company_id=r.company_id,
            status_id=r.status_id,
            date_insert=r.date_insert,
            date_update=r.date_update,
            price=Decimal(r.price),
            currency=r.currency,
            user_id=r.user_id,
            responsible_id=r.responsible_id,
            canceled=r.canceled,
            articles=tuple(lines[r.order_id][ARTICLE]),
            product_names=tuple(lines[r.order_id][PRODUCT_NAME]),
        )
        for r in rows
    ]
