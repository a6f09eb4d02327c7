"""What every ``sale.*`` handler shares: the registry, parameter checks, wire values, lists.

Wire rules the recordings show: keys sorted alphabetically at every level, datetimes as
ISO 8601 with the site's offset, whole numbers without ``.0``, integer error codes, HTTP 400 for
every error ("not found" included), ``100`` for a missing parameter and ``0`` for missing
required fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from ._api import CallContext, FakeRestError, ListResult, MethodRegistry
from ._filters import (
    Fields,
    apply_filter,
    parse_filter,
    parse_order,
    parse_select,
    php_floatval,
    php_intval,
    php_strval,
    sort_rows,
)
from ._paging import PAGE_SIZE, IdTable, page_of, wants_count
from ._sale_fields import Spec, required, settable
from ._sale_state import Row, SaleState
from ._strtotime import strtotime

SCOPE = "sale"
SALE = MethodRegistry()


def method(name: str) -> Callable[[Callable[[CallContext], Any]], Callable[[CallContext], Any]]:
    return SALE.add(name, SCOPE)


def state(ctx: CallContext) -> SaleState:
    return ctx.site.sale


def param(ctx: CallContext, name: str, message: str | None = None) -> Any:
    """A required top-level parameter, or error 100 as the REST engine words it."""
    value = ctx.params.get(name)
    if value is None:
        raise FakeRestError(100, message or f"Could not find value for parameter {{{name}}}")
    return value


def fields_param(ctx: CallContext) -> dict[str, Any]:
    value = param(ctx, "fields")
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    raise FakeRestError(100, "Could not find value for parameter {fields}")


def check_required(fields: Mapping[str, Any], names: Sequence[str]) -> None:
    missing = [name for name in names if name not in fields]
    if missing:
        raise FakeRestError(0, "Required fields: " + ", ".join(missing))


def internalize(
    ctx: CallContext, fields: Mapping[str, Any], spec: Spec, *, update: bool
) -> dict[str, Any]:
    """Check required fields, drop unknown/read-only ones and coerce values to their types."""
    check_required(fields, required(spec, update=update))
    return coerce(ctx, fields, settable(spec, update=update))


def coerce(ctx: CallContext, fields: Mapping[str, Any], types: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in fields.items():
        kind = types.get(name)
        if kind is None:
            continue
        if value is None or kind == "datatype":
            out[name] = value
        elif kind == "integer":
            out[name] = php_intval(value)
        elif kind == "double":
            out[name] = php_floatval(value)
        elif kind in {"datetime", "date"}:
            parsed = strtotime(php_strval(value), ctx.site.tz, ctx.site.now())
            if parsed is not None:
                out[name] = parsed
        else:
            out[name] = php_strval(value)
    return out


_AS_IS = frozenset({str, int, bool, type(None)})


def wire(value: Any) -> Any:
    if value.__class__ in _AS_IS:
        return value
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, Mapping):
        return {str(k): wire(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [wire(v) for v in value]
    return value


def dump(row: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    return {key: wire(row.get(key)) for key in sorted(keys)}


def dump_rows(rows: Iterable[Mapping[str, Any]], keys: Iterable[str]) -> list[dict[str, Any]]:
    """:func:`dump` of each row (the keys sorted once)."""
    names = sorted(keys)
    return [{key: wire(row.get(key)) for key in names} for row in rows]


def list_answer(
    ctx: CallContext,
    rows: Iterable[Row] | IdTable[Row],
    fields: Fields,
    *,
    wrap: str,
    keys: Sequence[str],
    default_order: Sequence[tuple[str, bool]] = (("id", False),),
) -> ListResult:
    """A list method's answer: filter, order, 50-row page, select, dump, wrapped as ``wrap``.

    ``rows`` given as an :class:`IdTable` (stores keyed by a growing id) are listed by ``id
    ASC`` without a sort, and a page that needs no count (``start=-1``) reads only from the
    bisected ``>id`` position up to its 50th match — keyset pages over 100,000 orders.
    """
    params = ctx.params
    conditions = parse_filter(params.get("filter"), fields, ctx.site.tz)
    order = parse_order(params.get("order"), fields) or list(default_order)
    start = params.get("start")
    ordered: Sequence[Row]
    if isinstance(rows, IdTable) and order[0] == ("id", False):
        ordered = rows.select(conditions, "id", limit=None if wants_count(start) else PAGE_SIZE)
    else:
        source = rows.values() if isinstance(rows, IdTable) else rows
        ordered = sort_rows(apply_filter(source, conditions), order)
    page = page_of(ordered, start)
    raw_select = params.get("select")
    names = parse_select(raw_select, fields) if _has_select(raw_select) else list(keys)
    return ListResult({wrap: dump_rows(page.rows, names)}, page.total, page.next)


def _has_select(raw: object) -> bool:
    items = raw if isinstance(raw, list) else list(raw.values()) if isinstance(raw, Mapping) else []
    return bool(items) and "*" not in items
