"""Filters as b2bsync sends them: dates only as aware datetimes, rendered ISO 8601 with offset.

Bitrix feeds date filter values to PHP ``strtotime``; text it cannot parse silently drops the
filter and the list returns every row, and ``01/11/2026`` means January 11. So a date-like key
never accepts a string here: only a ``datetime`` with a UTC offset, which we render ourselves.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from ._wire import iso_datetime

_OPERATOR = re.compile(r"^(>=|<=|><|!><|!=|!@|!%|[<>@%=!])?")
_DATE_FIELD = re.compile(r"(^date|^DATE_|_AT$|_DATE$|^UF_DATE$|Date$|At$)")


def field_of(key: str) -> str:
    return key[_OPERATOR.match(key).end() :]  # type: ignore[union-attr]


def is_date_field(key: str) -> bool:
    return bool(_DATE_FIELD.search(field_of(key)))


def _render(key: str, value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_datetime(value)
    if isinstance(value, date):
        raise TypeError(f"filter {key!r}: pass a datetime with offset, not a date")
    if isinstance(value, list | tuple):
        return [_render(key, v) for v in value]
    if is_date_field(key) and isinstance(value, str):
        raise TypeError(
            f"filter {key!r}: dates must be aware datetimes, not text ({value!r}); "
            "Bitrix silently drops a date it cannot parse"
        )
    return value


def build_filter(flt: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate and render a filter mapping (see module docstring)."""
    return {key: _render(key, value) for key, value in (flt or {}).items()}
