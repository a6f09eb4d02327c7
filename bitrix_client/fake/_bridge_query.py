"""``filter``/``order``/``select``/``start`` of the bridge's list methods, read strictly.

Unlike ``sale.*`` (which drops unknown keys silently, see :mod:`._filters`), the bridge answers
``ERROR_ARGUMENT`` for an unknown field, operator or value, and its ``total`` past the end is the
real count (the bridge counts itself where D7 would answer the offset). Rows hold the site's
stored values, so a ``null`` condition is widened to them: ``""`` for a string (the shared
:func:`~._filters._eq` already does that), ``0`` for an enumeration or file; a boolean is never
NULL (``=null`` matches nothing, ``=0`` also a row older than the field, which holds NULL).
Matching, sorting and 50-row cutting reuse the shared :mod:`._filters` and :mod:`._paging`.
Rules: ``bridge/contract/README.md`` ("item.list"); the PHP twin is
``bridge/b2bsync.bridge/lib/core/listquery.php``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from ._api import ListResult
from ._bridge_params import ERROR_ARGUMENT, as_list, as_object, fail
from ._bridge_values import STRING_TYPES, BadValue, to_scalar
from ._filters import Condition, Op, apply_filter, sort_rows
from ._paging import PAGE_SIZE, IdTable, page_of, wants_count

#: column name → field type (``integer``, ``double``, ``boolean``, ``date``, ``datetime``,
#: ``string``…, ``enumeration``, ``file``); a multiple field is marked ``multiple``.
Columns = Mapping[str, str]
MULTIPLE = "multiple"

_KEY = re.compile(r"(!@|!%|!=|>=|<=|!|>|<|=|@|%)?([A-Z0-9_]+)")
_OPS: dict[str, Op] = {
    "": "eq",
    "=": "eq",
    "!": "ne",
    "!=": "ne",
    ">": "gt",
    ">=": "ge",
    "<": "lt",
    "<=": "le",
    "@": "in",
    "!@": "nin",
    "%": "like",
    "!%": "nlike",
}


@dataclass(frozen=True)
class ListQuery:
    conditions: list[Condition]
    order: list[tuple[str, bool]]
    select: list[str]


def parse_query(
    params: Mapping[str, Any],
    columns: Columns,
    tz: tzinfo,
    *,
    default_order: Sequence[tuple[str, bool]] = (("ID", False),),
) -> ListQuery:
    """``params`` with upper-cased names (``FILTER``, ``ORDER``, ``SELECT``)."""
    return ListQuery(
        parse_filter(params.get("FILTER"), columns, tz) if "FILTER" in params else [],
        parse_order(params.get("ORDER"), columns, default_order)
        if "ORDER" in params
        else [*default_order],
        parse_select(params.get("SELECT"), columns) if "SELECT" in params else list(columns),
    )


def parse_filter(raw: object, columns: Columns, tz: tzinfo) -> list[Condition]:
    out: list[Condition] = []
    for key, value in as_object(raw, "filter").items():
        match = _KEY.fullmatch(key.upper())
        if not match:
            raise fail(ERROR_ARGUMENT, f"filter key {key!r}: operation not allowed")
        prefix, name = match.group(1) or "", match.group(2)
        kind = _filterable(columns, name, "filter")
        out.append(_condition(_OPS[prefix], name, kind, value, tz))
    return out


def _filterable(columns: Columns, name: str, where: str) -> str:
    kind = columns.get(name)
    if kind is None:
        raise fail(ERROR_ARGUMENT, f"{where}: unknown field {name}")
    if kind == MULTIPLE:
        raise fail(ERROR_ARGUMENT, f"{where}: multiple field {name} is not allowed")
    return kind


def _condition(op: Op, name: str, kind: str, value: object, tz: tzinfo) -> Condition:
    if op in {"like", "nlike"}:
        if kind not in STRING_TYPES:
            raise fail(ERROR_ARGUMENT, f"filter: % is for string fields, not {name}")
        text = _value(kind, value, tz)
        if not isinstance(text, str):
            raise fail(ERROR_ARGUMENT, f"filter: {name} needs a string")
        return Condition(name, op, re.compile(re.escape(text), re.IGNORECASE | re.DOTALL))
    if op in {"in", "nin"} or (op in {"eq", "ne"} and isinstance(value, list)):
        values = as_list(value, f"filter {name}")
        wanted = _stored_empties(kind, frozenset(_value(kind, item, tz) for item in values))
        return Condition(name, "in" if op in {"eq", "in"} else "nin", wanted)
    if op in {"gt", "ge", "lt", "le"} and value is None:
        raise fail(ERROR_ARGUMENT, f"filter: {name} needs a value to compare with")
    converted = _value(kind, value, tz)
    if op in {"eq", "ne"} and (kind in _ZERO_EMPTY or kind == "boolean"):
        wanted = _stored_empties(kind, frozenset({converted}))
        if wanted != frozenset({converted}):
            return Condition(name, "in" if op == "eq" else "nin", wanted)
    return Condition(name, op, converted)


_ZERO_EMPTY = frozenset({"enumeration", "file"})


def _stored_empties(kind: str, wanted: frozenset[Any]) -> frozenset[Any]:
    """The stored values a set of internal ones stands for: ``None`` also means 0 for an
    enumeration or file; for a boolean 0 also means NULL and ``None`` means nothing."""
    if kind in _ZERO_EMPTY and None in wanted:
        return wanted | {0}
    if kind == "boolean":
        out = wanted - {None}
        return out | {None} if 0 in out else out
    return wanted


def _value(kind: str, value: object, tz: tzinfo) -> Any:
    if value is None:
        return None
    if isinstance(value, list | dict):
        raise fail(ERROR_ARGUMENT, "filter: a single value is expected")
    try:
        converted = to_scalar("integer" if kind == "enumeration" else kind, value, tz)
    except BadValue as exc:
        raise fail(ERROR_ARGUMENT, f"filter: {exc}") from None
    return converted.casefold() if isinstance(converted, str) else converted


def parse_order(
    raw: object, columns: Columns, default_order: Sequence[tuple[str, bool]]
) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for key, direction in as_object(raw, "order").items():
        name = key.upper()
        _filterable(columns, name, "order")
        if not isinstance(direction, str) or direction.upper() not in {"ASC", "DESC"}:
            raise fail(ERROR_ARGUMENT, "order direction should be ASC or DESC")
        out.append((name, direction.upper() == "DESC"))
    return out or [*default_order]


def parse_select(raw: object, columns: Columns) -> list[str]:
    names = [str(item).upper() for item in as_list(raw, "select")]
    if not names or "*" in names:
        return list(columns)
    for name in names:
        if name not in columns:
            raise fail(ERROR_ARGUMENT, f"select: unknown field {name}")
    return [name for name in columns if name in names or name == "ID"]


def run_query(rows: Sequence[Mapping[str, Any]], query: ListQuery) -> list[Mapping[str, Any]]:
    """Matching rows in the requested order, ``ID`` ascending breaking ties."""
    order = list(query.order)
    if all(name != "ID" for name, _ in order):
        order.append(("ID", False))
    by_id = sorted(rows, key=lambda row: int(row["ID"]))
    return sort_rows(apply_filter(by_id, query.conditions), order)


def list_rows(rows: Mapping[int, Mapping[str, Any]], query: ListQuery, start: object) -> ListResult:
    """One page of ``rows`` (keyed by ``ID``) for ``query``.

    By ``ID`` ascending (the default order, keyset paging) an :class:`IdTable` is read in ID
    order from the first ID the filter allows: all of it when the page is counted, else up to
    the 50th match. Any other order filters and sorts every row.
    """
    if isinstance(rows, IdTable) and query.order[0] == ("ID", False):
        limit = None if wants_count(start) else PAGE_SIZE
        return paged(rows.select(query.conditions, "ID", limit=limit), start)
    return paged(run_query(list(rows.values()), query), start)


def paged(rows: Sequence[Any], start: object) -> ListResult:
    """One page of ``rows``; ``total`` is their count (also past the end), as ``setNavData``."""
    page = page_of(rows, start)
    total = len(rows) if page.total is not None else None
    return ListResult(page.rows, total, page.next)
