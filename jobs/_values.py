"""How values are written into Bitrix fields: text forms the bridge and the sale module accept.

Batch commands travel form-encoded, where ``None`` disappears (PHP never sees the key), so an
empty value is always sent as ``""`` — the bridge reads ``""`` as "clear the field".
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

EMPTY = ""


def decimal_text(value: Decimal | None) -> str:
    """A plain decimal string (never exponent notation, which the bridge refuses)."""
    return EMPTY if value is None else format(value, "f")


def datetime_text(value: datetime | None) -> str:
    if value is None:
        return EMPTY
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: Bitrix needs an explicit UTC offset")
    return value.replace(microsecond=0).isoformat()


def date_text(value: date | datetime | None, tz: tzinfo | None = None) -> str:
    """``YYYY-MM-DD``; an aware datetime is first moved into ``tz`` (the site's zone)."""
    if value is None:
        return EMPTY
    if isinstance(value, datetime):
        if tz is not None and value.tzinfo is not None:
            value = value.astimezone(tz)
        return value.date().isoformat()
    return value.isoformat()


def to_decimal(value: Any) -> Decimal | None:
    """A number Bitrix answered (int, float, numeric string) as ``Decimal``; None when empty."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def to_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    return None


def parse_datetime(value: Any) -> datetime | None:
    """An ISO 8601 date-time as ``sale.*`` answers it (``2026-11-24T04:17:58+03:00``)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def one_line(reason: object, limit: int = 300) -> str:
    """The first line of an error or reason, bounded, for quarantine entries and results."""
    text = str(reason).strip()
    first = text.splitlines()[0] if text else type(reason).__name__
    return first if len(first) <= limit else first[: limit - 1] + "…"


def money_ru(value: Decimal, currency: str | None) -> str:
    """``125 000,50 RUB``: how an amount reads in the Russian block reason."""
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",")
    return f"{text} {currency}" if currency else text
