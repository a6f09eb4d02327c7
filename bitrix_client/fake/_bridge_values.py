"""Values of HL user fields: what a write accepts, how it is stored, how it is answered.

The table of accepted forms is in ``bridge/contract/README.md`` ("Row"); the PHP twin is
``bridge/b2bsync.bridge/lib/core/valuecodec.php``. Internal values: ``str``, ``int``,
``float``, ``date``, aware ``datetime`` (seconds), ``None``; booleans are the ints 0/1 and never
``None``; a file field holds a file ID; a double is rounded to its field's ``PRECISION``. During
a write a file value may also be a :class:`FileUpload` (new file) or :class:`FileRemove` until
:mod:`._bridge_rows` applies it.

Rows are *stored* the way a real site stores them (:func:`to_store`): ``""`` in a string field
nobody wrote, ``0`` in an emptied enumeration or file field, ``0`` for a boolean set to null;
:func:`from_store` reads them back as the internal "empty" (``None``), which is what answers and
comparisons see.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ._bridge_state import UserField

STRING_TYPES = frozenset({"string", "string_formatted", "url"})
FIELD_TYPES = STRING_TYPES | {
    "integer",
    "double",
    "boolean",
    "date",
    "datetime",
    "enumeration",
    "file",
}

_INTEGER = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_ISO = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)
_TRUE = frozenset({"1", "y", "true"})
_FALSE = frozenset({"0", "n", "false"})


class BadValue(ValueError):
    """A value that does not fit its field; the message is the one-line reason."""


@dataclass(frozen=True)
class FileUpload:
    name: str
    content: bytes


@dataclass(frozen=True)
class FileRemove:
    file_id: int


def is_empty(value: object) -> bool:
    return value is None or value in ("", [])


def convert(field: UserField, raw: object, tz: tzinfo) -> Any:
    """A written value in its internal form (a list for a multiple field). A boolean is never
    empty: ``null`` and ``""`` are 0, as the site stores them."""
    if field.multiple:
        values = raw if isinstance(raw, list) else [raw]
        return [convert_one(field, item, tz) for item in values if not is_empty(item)]
    if is_empty(raw):
        return 0 if field.type == "boolean" else None
    return convert_one(field, raw, tz)


def rounded(field: UserField, value: float) -> float:
    """``DoubleType::onBeforeSave``: PHP ``round()`` to ``SETTINGS.PRECISION`` (0 when missing),
    half away from zero."""
    precision = field.settings.get("PRECISION", 0)
    try:
        places = max(0, min(12, int(precision)))
    except (TypeError, ValueError):
        places = 0
    exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return float(exact)


_EMPTY_STORED = {"enumeration": 0, "file": 0}


def to_store(field: UserField, value: Any) -> Any:
    """A written internal value as the site stores it: a boolean 0/1, an emptied enumeration or
    file 0."""
    if field.multiple:
        return list(value or [])
    if field.type == "boolean":
        return 1 if value else 0
    if value is None and field.type in _EMPTY_STORED:
        return 0
    return value


def from_store(field: UserField, value: Any) -> Any:
    """A stored value in the internal form: ``""`` and a 0 enumeration/file are ``None``; a
    boolean is 0 or 1 (a row older than the field holds NULL, which reads 0)."""
    if field.multiple:
        return [v for v in (_stored_one(field.type, item) for item in value or []) if v is not None]
    return _stored_one(field.type, value)


def _stored_one(kind: str, value: Any) -> Any:
    if kind == "boolean":
        return 1 if value else 0
    if value is None or value == "":
        return None
    if kind in _EMPTY_STORED and value == 0:
        return None
    return value


def convert_one(field: UserField, raw: object, tz: tzinfo) -> Any:
    kind = field.type
    if kind == "enumeration":
        item_id = to_int(raw)
        if all(item.id != item_id for item in field.items):
            raise BadValue(f"{item_id} is not an item of the field's LIST")
        return item_id
    if kind == "file":
        return to_file(raw)
    if kind == "double":
        return rounded(field, to_float(raw))
    return to_scalar(kind, raw, tz)


def to_scalar(kind: str, raw: object, tz: tzinfo) -> Any:
    if kind in STRING_TYPES:
        if isinstance(raw, str):
            return raw
        if isinstance(raw, int) and not isinstance(raw, bool):
            return str(raw)
        raise BadValue("expected a string")
    if kind in {"integer", "enumeration", "file"}:
        return to_int(raw)
    if kind == "double":
        return to_float(raw)
    if kind == "boolean":
        return to_bool(raw)
    if kind == "date":
        return to_date(raw, tz)
    if kind == "datetime":
        return to_datetime(raw, tz)
    raise BadValue(f"unknown type {kind}")


def to_int(raw: object) -> int:
    if isinstance(raw, bool):
        raise BadValue("expected an integer")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and _INTEGER.fullmatch(raw):
        return int(raw)
    raise BadValue("expected an integer")


def to_float(raw: object) -> float:
    if isinstance(raw, bool):
        raise BadValue("expected a number")
    if isinstance(raw, int | float) and math.isfinite(raw):
        return float(raw)
    if isinstance(raw, str) and _DECIMAL.fullmatch(raw) and math.isfinite(value := float(raw)):
        return value  # digits beyond a double's range would be stored as inf
    raise BadValue("expected a number")


def to_bool(raw: object) -> int:
    if isinstance(raw, bool):
        return int(raw)
    if isinstance(raw, int) and raw in (0, 1):
        return raw
    if isinstance(raw, str):
        lowered = raw.lower()
        if lowered in _TRUE:
            return 1
        if lowered in _FALSE:
            return 0
    raise BadValue("expected a boolean (Y/N, 1/0, true/false)")


def parse_iso(text: str, tz: tzinfo) -> tuple[datetime, bool] | None:
    """An ISO 8601 date or date-time in ``tz`` (and whether a time was given); ``None`` if bad."""
    match = _ISO.fullmatch(text)
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        zone: tzinfo = tz if offset is None else _offset(offset)
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=zone,
        )
    except ValueError:
        return None
    return moment.astimezone(tz), hour is not None


def _offset(text: str) -> tzinfo:
    if text == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(text)
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if text[0] == "-" else delta)


def to_datetime(raw: object, tz: tzinfo) -> datetime:
    parsed = parse_iso(raw, tz) if isinstance(raw, str) else None
    if parsed is None:
        raise BadValue("expected an ISO 8601 date-time")
    return parsed[0]


def to_date(raw: object, tz: tzinfo) -> date:
    parsed = parse_iso(raw, tz) if isinstance(raw, str) else None
    if parsed is None:
        raise BadValue("expected an ISO 8601 date (YYYY-MM-DD)")
    return parsed[0].date()


def to_file(raw: object) -> FileUpload | FileRemove | int:
    if isinstance(raw, dict):
        if "fileData" in raw:
            return _upload(raw["fileData"])
        if str(raw.get("remove", "")).upper() == "Y":
            return FileRemove(to_int(raw.get("id")))
        raise BadValue('expected {"fileData": [name, base64]} or {"id": N, "remove": "Y"}')
    try:
        return to_int(raw)
    except BadValue:
        raise BadValue('expected {"fileData": [name, base64]}, a file ID or a removal') from None


def _upload(data: object) -> FileUpload:
    if not (
        isinstance(data, list) and len(data) == 2 and all(isinstance(part, str) for part in data)
    ):
        raise BadValue("fileData must be [name, base64]")
    name, encoded = data
    if not name.strip():
        raise BadValue("fileData needs a file name")
    if not encoded or not _BASE64.fullmatch(encoded):
        raise BadValue("fileData content is not padded standard base64")
    try:
        content = base64.b64decode(encoded, validate=True)
    except binascii.Error as exc:
        raise BadValue("fileData content is not base64") from exc
    return FileUpload(name, content)


def answer(field: UserField, value: Any, tz: tzinfo) -> Any:
    """The stored value as the REST answer shows it."""
    value = from_store(field, value)
    if field.multiple:
        return [answer_one(field.type, item, tz) for item in (value or [])]
    return answer_one(field.type, value, tz)


def answer_one(kind: str, value: Any, tz: tzinfo) -> Any:
    if value is None:
        return None
    if kind == "datetime" and isinstance(value, datetime):
        return value.astimezone(tz).replace(microsecond=0).isoformat()
    if kind == "date" and isinstance(value, date):
        return value.isoformat()
    return value
