"""`b2bsync orders search`: the local order index, newest first.

Dates are calendar days (``YYYY-MM-DD``) in the site's time zone (``sync.site_timezone``,
Europe/Moscow by default); ``--from`` and ``--to`` are both inclusive.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import Annotated, Any

import typer

from jobs import IndexedOrder

from .._errors import UsageError
from ..store._orders import MAX_LIMIT
from ._app import app
from ._context import app_context
from ._output import emit, json_mode
from ._present import existing_store, show_table, site_zone, when

orders_app = typer.Typer(
    name="orders",
    help="The local index of the store's orders.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(orders_app, name="orders")


def _int(option: str, value: str | None, *, minimum: int = 0) -> int | None:
    if value is None:
        return None
    try:
        number = int(value.strip())
    except ValueError:
        raise UsageError(f"{option} must be a whole number, got {value!r}") from None
    if number < minimum:
        raise UsageError(f"{option} must be at least {minimum}, got {number}")
    return number


def _day(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"{option} must be a date YYYY-MM-DD, got {value!r}") from None


def _text(option: str, value: str | None) -> None:
    if value is not None and not value.strip():
        raise UsageError(f"{option} is empty")


def _start_of(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def order_json(order: IndexedOrder, zone: tzinfo) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "account_number": order.account_number,
        "company_id": order.company_id,
        "status_id": order.status_id,
        "date_insert": order.date_insert.astimezone(zone).isoformat(),
        "date_update": order.date_update.astimezone(zone).isoformat(),
        "price": str(order.price),
        "currency": order.currency,
        "user_id": order.user_id,
        "manager_id": order.responsible_id,
        "canceled": order.canceled,
        "articles": list(order.articles),
        "product_names": list(order.product_names),
    }


def _articles(order: IndexedOrder) -> str:
    shown = ", ".join(order.articles[:3])
    more = len(order.articles) - 3
    return f"{shown} +{more}" if more > 0 else shown


@orders_app.command("search")
def search_cmd(
    ctx: typer.Context,
    company: Annotated[str | None, typer.Option("--company", help="Company id (Bitrix).")] = None,
    number: Annotated[
        str | None, typer.Option("--number", help="Account number, or its beginning.")
    ] = None,
    article: Annotated[
        str | None, typer.Option("--article", help="Article of a basket line (any case).")
    ] = None,
    status: Annotated[str | None, typer.Option("--status", help="Status id: N, PA, F…")] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="Placed on or after this day, YYYY-MM-DD.")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Placed on or before this day, YYYY-MM-DD.")
    ] = None,
    manager: Annotated[
        str | None, typer.Option("--manager", help="Responsible manager (Bitrix user id).")
    ] = None,
    limit: Annotated[str, typer.Option("--limit", help=f"Rows to show, 1–{MAX_LIMIT}.")] = "50",
    offset: Annotated[str, typer.Option("--offset", help="Rows to skip (paging).")] = "0",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Search the order index; every filter combines with the others; newest first."""
    first, last = _day("--from", date_from), _day("--to", date_to)
    for option, text in (("--number", number), ("--article", article), ("--status", status)):
        _text(option, text)
    if first is not None and last is not None and first > last:
        raise UsageError(f"--from {first} is after --to {last}")
    rows = _int("--limit", limit, minimum=1)
    assert rows is not None
    if rows > MAX_LIMIT:
        raise UsageError(f"--limit must be at most {MAX_LIMIT}, got {rows}")
    skip = _int("--offset", offset) or 0
    settings = app_context(ctx).settings
    zone = site_zone(settings)
    company_id = _int("--company", company, minimum=1)
    manager_id = _int("--manager", manager, minimum=1)
    with existing_store(settings) as store:
        found = store.search_orders(
            company_id=company_id,
            number=number,
            article=article,
            status=status,
            date_from=None if first is None else _start_of(first, zone),
            date_to=None if last is None else _start_of(last + timedelta(days=1), zone),
            manager_id=manager_id,
            limit=rows,
            offset=skip,
        )
    if json_mode(ctx, as_json):
        emit(
            {
                "count": len(found),
                "limit": rows,
                "offset": skip,
                "orders": [order_json(order, zone) for order in found],
            }
        )
        return
    if not found:
        typer.echo("no orders match")
        return
    table = [
        [
            when(order.date_insert, zone),
            order.account_number,
            str(order.order_id),
            "—" if order.company_id is None else str(order.company_id),
            order.status_id + (" (canceled)" if order.canceled else ""),
            f"{order.price} {order.currency}",
            "—" if order.responsible_id is None else str(order.responsible_id),
            _articles(order),
        ]
        for order in found
    ]
    headers = [f"placed ({zone})", "number", "id", "company", "status", "total", "manager"]
    show_table([*headers, "articles"], table)
    more = " (--offset for more)" if len(found) == rows else ""
    typer.echo(f"{len(found)} order(s){more}")
