"""List parameters (``filter``, ``select``, ``order``) as Bitrix's REST list methods read them.

Shared by the ``sale.*`` family and the bridge scope. A list method describes its rows with a
mapping *field name → type* (``"integer"``, ``"double"``, ``"string"``, ``"char"``,
``"datetime"``, ``"date"``); rows are mappings of field name → internal value (ints, floats, strs,
aware datetimes, ``None``). Then::

    conditions = parse_filter(params.get("filter"), FIELDS, site.tz)
    rows = [row for row in all_rows if matches(row, conditions)]
    rows = sort_rows(rows, parse_order(params.get("order"), FIELDS))
    names = parse_select(params.get("select"), FIELDS)

Rules the recordings show: unknown filter/select/order keys (``UF_COMPANY_ID`` too) are dropped
silently; a filter value is coerced to the field's type the way PHP does (integer ``1002``
matches the string ``"1002"``, ``"10abc"`` is 10 for an integer field); a date value goes through
``strtotime`` and an unparseable one drops that key. String comparisons are case-insensitive, as
in MySQL's default collations; ``NULL`` sorts first ascending.

Key prefixes (the ORM's legacy filter syntax): ``=`` (or none) equal — a list value means IN;
``!``/``!=`` not equal (NOT IN for a list); ``<``, ``<=``, ``>``, ``>=``; ``@`` IN, ``!@`` NOT
IN; ``%`` contains (LIKE ``%v%``), ``!%`` does not contain, ``=%`` LIKE with the caller's own
``%``/``_`` wildcards, ``!=%`` its negation, ``%=`` starts with; ``><`` between two values
(inclusive), ``!><`` not between.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any, Literal, TypeVar

from ._strtotime import strtotime

FieldType = Literal["integer", "double", "string", "char", "datetime", "date"]
Fields = Mapping[str, FieldType]
Op = Literal[
    "eq", "ne", "lt", "le", "gt", "ge", "in", "nin", "like", "nlike", "between", "nbetween"
]
R = TypeVar("R", bound=Mapping[str, Any])

_PREFIXES: tuple[tuple[str, Op, str], ...] = (
    # (prefix, operation, how the value is read: "scalar", "list", "contains", "pattern", "start")
    ("!><", "nbetween", "list"),
    ("><", "between", "list"),
    ("!=%", "nlike", "pattern"),
    ("!%", "nlike", "contains"),
    ("!@", "nin", "list"),
    ("!=", "ne", "scalar"),
    (">=", "ge", "scalar"),
    ("<=", "le", "scalar"),
    ("=%", "like", "pattern"),
    ("%=", "like", "start"),
    ("!", "ne", "scalar"),
    (">", "gt", "scalar"),
    ("<", "lt", "scalar"),
    ("%", "like", "contains"),
    ("@", "in", "list"),
    ("=", "eq", "scalar"),
)
_INT_PREFIX = re.compile(r"^\s*([+-]?)(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)")
_FLOAT_PREFIX = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")


@dataclass(frozen=True)
class Condition:
    """One parsed filter key: ``field`` ``op`` ``value`` (already coerced to the field's type)."""

    field: str
    op: Op
    value: Any

    def test(self, row: Mapping[str, Any]) -> bool:
        actual = row.get(self.field)
        return _TESTS[self.op](_norm(actual), self.value)

    def predicate(self) -> Callable[[Mapping[str, Any]], bool]:
        """:meth:`test` as one closure; plain comparisons of numbers and dates skip the
        general path (lists of 100,000 orders are filtered with these)."""
        name, wanted = self.field, self.value
        plain = isinstance(wanted, int | float | datetime) and not isinstance(wanted, bool)
        if plain and self.op in _PLAIN:
            compare = _PLAIN[self.op]

            def fast(row: Mapping[str, Any]) -> bool:
                actual = row.get(name)
                if actual is None or isinstance(actual, str):
                    return self.test(row)
                try:
                    return compare(actual, wanted)
                except TypeError:
                    return self.test(row)

            return fast
        if self.op == "eq" and isinstance(wanted, str) and wanted:

            def same_text(row: Mapping[str, Any]) -> bool:
                actual = row.get(name)
                if actual.__class__ is str:
                    return bool(actual == wanted or actual.casefold() == wanted)
                return self.test(row)

            return same_text
        return self.test


def parse_filter(raw: object, fields: Fields, tz: tzinfo) -> list[Condition]:
    """Read a ``filter`` parameter; keys that name no field or hold unusable values are dropped."""
    if not isinstance(raw, Mapping):
        return []
    out: list[Condition] = []
    for key, value in raw.items():
        condition = _parse_key(str(key), value, fields, tz)
        if condition is not None:
            out.append(condition)
    return out


def matches(row: Mapping[str, Any], conditions: Sequence[Condition]) -> bool:
    return all(condition.test(row) for condition in conditions)


def apply_filter(rows: Iterable[R], conditions: Sequence[Condition]) -> list[R]:
    if not conditions:
        return list(rows)
    tests = [condition.predicate() for condition in conditions]
    if len(tests) == 1:
        only = tests[0]
        return [row for row in rows if only(row)]
    return [row for row in rows if all(test(row) for test in tests)]


def parse_select(raw: object, fields: Fields) -> list[str]:
    """Field names to answer with, in the fields' order; empty, ``*`` or nothing known → all."""
    items = _as_list(raw)
    if "*" in items:
        return list(fields)
    wanted = {item for item in items if isinstance(item, str) and item in fields}
    if not wanted:
        return list(fields)
    return [name for name in fields if name in wanted]


def parse_order(raw: object, fields: Fields) -> list[tuple[str, bool]]:
    """``(field, descending)`` pairs; unknown fields and directions other than asc/desc dropped."""
    if not isinstance(raw, Mapping):
        return []
    out: list[tuple[str, bool]] = []
    for key, direction in raw.items():
        name = str(key)
        if name not in fields or not isinstance(direction, str):
            continue
        lowered = direction.strip().lower()
        if lowered in {"asc", "desc"}:
            out.append((name, lowered == "desc"))
    return out


def sort_rows(rows: Iterable[R], order: Sequence[tuple[str, bool]]) -> list[R]:
    """Sort stably by ``order`` (the rows' own order breaks ties); ``NULL`` first ascending."""
    out = list(rows)
    for name, descending in reversed(order):
        out.sort(key=_sort_key(name), reverse=descending)
    return out


def project(row: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    return {name: row.get(name) for name in names}


def php_intval(value: object) -> int:
    """PHP's ``(int)`` cast of a request value."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else 0
    if isinstance(value, str):
        match = _INT_PREFIX.match(value)
        if not match:
            return 0
        number = float(match[2]) if any(c in match[2] for c in ".eE") else int(match[2])
        return -int(number) if match[1] == "-" else int(number)
    return 0


def php_floatval(value: object) -> float:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        match = _FLOAT_PREFIX.match(value)
        return float(match[1]) if match else 0.0
    return 0.0


def php_strval(value: object) -> str:
    """PHP's string conversion: ``True`` → "1", ``False``/``None`` → "", ``12.0`` → "12",
    an array → "Array"."""
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, list | Mapping):
        return "Array"
    return str(value)


def format_number(value: float) -> str:
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _parse_key(key: str, value: object, fields: Fields, tz: tzinfo) -> Condition | None:
    op: Op = "eq"
    mode = "scalar"
    name = key
    for prefix, prefix_op, prefix_mode in _PREFIXES:
        if key.startswith(prefix):
            op, mode, name = prefix_op, prefix_mode, key[len(prefix) :]
            break
    if name not in fields:
        return None
    kind = fields[name]
    values = _as_list(value) if isinstance(value, list | Mapping) else None
    if mode == "list" or values is not None:
        return _list_condition(name, op, values if values is not None else [value], kind, tz)
    if mode in {"contains", "pattern", "start"}:
        return Condition(name, op, _like_regex(php_strval(value), mode))
    coerced = _coerce(value, kind, tz)
    if coerced is _DROP:
        return None
    return Condition(name, op, coerced)


def _list_condition(
    name: str, op: Op, values: list[Any], kind: FieldType, tz: tzinfo
) -> Condition | None:
    coerced = [c for c in (_coerce(v, kind, tz) for v in values) if c is not _DROP]
    if op in {"between", "nbetween"}:
        if len(coerced) != 2:
            return None
        return Condition(name, op, (coerced[0], coerced[1]))
    if op in {"eq", "in"}:
        return Condition(name, "in", frozenset(coerced))
    if op in {"ne", "nin"}:
        return Condition(name, "nin", frozenset(coerced))
    return None


class _Drop:
    """Marks a filter value that makes Bitrix drop the key (an unparseable date)."""


_DROP: Any = _Drop()


def _coerce(value: object, kind: FieldType, tz: tzinfo) -> Any:
    if value is None:
        return None
    if kind == "integer":
        return php_intval(value)
    if kind == "double":
        return php_floatval(value)
    if kind in {"datetime", "date"}:
        if isinstance(value, datetime):
            return value.astimezone(tz)
        parsed = strtotime(php_strval(value), tz)
        if parsed is None:
            return _DROP
        return parsed.date() if kind == "date" else parsed
    return php_strval(value).casefold()


def _norm(value: object) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _like_regex(text: str, mode: str) -> re.Pattern[str]:
    if mode == "pattern":
        body = "".join(".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in text)
        return re.compile(rf"^{body}$", re.IGNORECASE | re.DOTALL)
    if mode == "start":
        return re.compile(rf"^{re.escape(text)}", re.IGNORECASE | re.DOTALL)
    return re.compile(re.escape(text), re.IGNORECASE | re.DOTALL)


def _as_list(raw: object) -> list[Any]:
    if isinstance(raw, list):
        return raw
    if isinstance(raw, Mapping):
        return list(raw.values())
    return []


def _cmp(actual: Any, wanted: Any, check: Callable[[Any, Any], bool]) -> bool:
    if actual is None or wanted is None:
        return False
    try:
        return check(actual, _align(actual, wanted))
    except TypeError:
        return False


def _align(actual: Any, wanted: Any) -> Any:
    """Make a coerced filter value comparable with a stored one of a neighbouring type."""
    if (
        isinstance(actual, datetime)
        and isinstance(wanted, date)
        and not isinstance(wanted, datetime)
    ):
        return datetime.combine(wanted, datetime.min.time(), actual.tzinfo)
    if (
        isinstance(actual, date)
        and not isinstance(actual, datetime)
        and isinstance(wanted, datetime)
    ):
        return wanted.date()
    if isinstance(actual, str) and not isinstance(wanted, str):
        return php_strval(wanted).casefold()
    return wanted


def _eq(actual: Any, wanted: Any) -> bool:
    if wanted is None or wanted == "":
        return actual is None or actual == ""
    return _cmp(actual, wanted, lambda a, w: bool(a == w))


def _like(actual: Any, pattern: re.Pattern[str]) -> bool:
    if actual is None:
        return False
    return pattern.search(php_strval(actual)) is not None


def _in(actual: Any, wanted: frozenset[Any]) -> bool:
    """``@`` as a set lookup: the value list is coerced to the field's type, so membership
    decides whenever the row's value has that same type; other cases go through ``_eq``."""
    try:
        if actual in wanted:
            return True
    except TypeError:
        pass
    if actual is not None and actual != "" and _kinds(wanted) == {type(actual)}:
        return False
    return any(_eq(actual, item) for item in wanted)


@functools.lru_cache(maxsize=512)
def _kinds(wanted: frozenset[Any]) -> set[type]:
    return {type(item) for item in wanted}


def _between(actual: Any, bounds: tuple[Any, Any]) -> bool:
    return _cmp(actual, bounds[0], lambda a, w: bool(a >= w)) and _cmp(
        actual, bounds[1], lambda a, w: bool(a <= w)
    )


_PLAIN: dict[Op, Callable[[Any, Any], bool]] = {
    "eq": lambda a, w: bool(a == w),
    "ne": lambda a, w: bool(a != w),
    "lt": lambda a, w: bool(a < w),
    "le": lambda a, w: bool(a <= w),
    "gt": lambda a, w: bool(a > w),
    "ge": lambda a, w: bool(a >= w),
}

_TESTS: dict[Op, Callable[[Any, Any], bool]] = {
    "eq": _eq,
    "ne": lambda a, w: not _eq(a, w),
    "lt": lambda a, w: _cmp(a, w, lambda x, y: bool(x < y)),
    "le": lambda a, w: _cmp(a, w, lambda x, y: bool(x <= y)),
    "gt": lambda a, w: _cmp(a, w, lambda x, y: bool(x > y)),
    "ge": lambda a, w: _cmp(a, w, lambda x, y: bool(x >= y)),
    "in": _in,
    "nin": lambda a, w: not _in(a, w),
    "like": _like,
    "nlike": lambda a, w: not _like(a, w),
    "between": _between,
    "nbetween": lambda a, w: not _between(a, w),
}


def _sort_key(name: str) -> Callable[[Mapping[str, Any]], tuple[int, Any]]:
    def key(row: Mapping[str, Any]) -> tuple[int, Any]:
        value = row.get(name)
        if value is None:
            return (0, 0)
        if isinstance(value, str):
            return (1, value.casefold())
        if isinstance(value, datetime):
            return (1, value.timestamp())
        return (1, value)

    return key
