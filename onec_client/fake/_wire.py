"""How 1C code writes values on the wire: its JSON writer, dates, base64 and body encodings."""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ._faults import Quirks

EMPTY_DATE = "0001-01-01T00:00:00"
ZERO_GUID = "00000000-0000-0000-0000-000000000000"


def xml_datetime(value: datetime | None) -> str:
    """1C's ``XMLСтрока(Дата)``: naive, seconds, no offset; the empty date is year 1."""
    if value is None:
        return EMPTY_DATE
    return value.replace(microsecond=0, tzinfo=None).isoformat(timespec="seconds")


def dump_json(value: Any, indent: int = 0) -> str:
    """Like ``ЗаписатьJSON`` with default settings: tab-indented, CRLF, UTF-8 text as is,
    Decimal written as an exact JSON number."""
    pad = "\t" * indent
    inner = "\t" * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        parts = [
            f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {dump_json(v, indent + 1)}"
            for k, v in value.items()
        ]
        return "{\r\n" + ",\r\n".join(parts) + "\r\n" + pad + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        parts = [f"{inner}{dump_json(v, indent + 1)}" for v in value]
        return "[\r\n" + ",\r\n".join(parts) + "\r\n" + pad + "]"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, Decimal | int):
        return str(value)
    if isinstance(value, datetime):
        return json.dumps(xml_datetime(value))
    if isinstance(value, date):
        return json.dumps(value.isoformat() + "T00:00:00")
    return json.dumps(str(value), ensure_ascii=False)


def encode_text(text: str, quirks: Quirks) -> bytes:
    """Text body in the fake's charset, with a BOM when asked (1C's ``ЗаписьТекста`` default)."""
    if quirks.windows1251:
        return text.encode("cp1251", "replace")
    body = text.encode("utf-8", "surrogatepass")
    return b"\xef\xbb\xbf" + body if quirks.bom else body


def base64_lines(data: bytes) -> str:
    """1C's ``Base64Строка``: 76-character lines separated by CRLF."""
    flat = base64.b64encode(data).decode("ascii")
    return "\r\n".join(flat[i : i + 76] for i in range(0, len(flat), 76))
