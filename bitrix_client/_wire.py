"""Turning parameters into what a Bitrix site parses: JSON bodies and PHP-style form strings.

PHP's ``parse_str`` reads ``filter[>=id]=10`` as the key ``filter[>`` (the ``=`` ends the key),
silently losing the filter, so in form strings every *key* is percent-encoded
(``filter%5B%3E%3Did%5D=10``). The same encoding is used inside ``batch`` command strings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from urllib.parse import quote


@dataclass(frozen=True)
class Ref:
    """A batch reference to an earlier command's answer: ``$result[name][path…]``."""

    name: str
    path: tuple[str | int, ...] = ()
    kind: str = "result"

    def render(self) -> str:
        return f"${self.kind}[{self.name}]" + "".join(f"[{p}]" for p in self.path)


def iso_datetime(value: datetime) -> str:
    """ISO 8601 with an explicit offset; PHP ``strtotime`` reads it unambiguously."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: Bitrix filters need an explicit UTC offset")
    return value.isoformat(timespec="seconds")


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return iso_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return scalar(value.value)
    if isinstance(value, Ref):
        return value.render()
    if isinstance(value, int | Decimal | str):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    raise TypeError(f"cannot encode {type(value).__name__} for Bitrix")


def flatten(params: Mapping[str, Any] | list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Nested params → ``(key, leaf)`` pairs like PHP ``http_build_query`` (None is skipped)."""
    pairs: list[tuple[str, Any]] = []
    items = params.items() if isinstance(params, Mapping) else enumerate(params)
    for key, value in items:
        full = f"{prefix}[{key}]" if prefix else str(key)
        if value is None:
            continue
        if isinstance(value, Mapping | list | tuple):
            pairs.extend(flatten(dict(value) if isinstance(value, Mapping) else list(value), full))
        else:
            pairs.append((full, value))
    return pairs


def _quote_value(value: Any) -> str:
    if isinstance(value, Ref):
        # Left readable: the server substitutes references whether it looks before or after
        # decoding the command string.
        return value.render()
    return quote(scalar(value), safe="")


def encode_form(params: Mapping[str, Any]) -> str:
    return "&".join(f"{quote(k, safe='')}={_quote_value(v)}" for k, v in flatten(params))


def encode_command(method: str, params: Mapping[str, Any] | None) -> str:
    """A ``batch`` command string: ``method?percent-encoded-form``."""
    query = encode_form(params or {})
    return f"{method}?{query}" if query else method


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Ref):
        return value.render()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"cannot encode {type(value).__name__} for Bitrix")


def encode_json(params: Mapping[str, Any]) -> bytes:
    return json.dumps(params, ensure_ascii=False, default=_json_default).encode()
