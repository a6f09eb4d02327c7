"""The 1C habits of DESIGN §6, each handled here and nowhere else.

Every function takes a raw value as one of the adapters found it (JSON value, zeep value, XML
text) and returns the normalised value or raises :class:`ValueError` with a one-line reason that
ends up in a quarantined record.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

UTF8_BOM = b"\xef\xbb\xbf"
ZERO_GUID = "00000000-0000-0000-0000-000000000000"
NUMBER_WIDTH = 11
"""1C pads document numbers with spaces to the width of the number field (11 by default)."""

_EMPTY_DATE_PREFIXES = ("0001-01-01", "01.01.0001", "0001.01.01")
_JS_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")
_ISO_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")
_GROUPING = str.maketrans("", "", " \u00a0\u202f\u2009'")
_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<title)", re.I)
_HTML_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)
_HTML_H1 = re.compile(rb"<h1[^>]*>(.*?)</h1>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")
_CANONICAL_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
_PLAIN_DECIMAL = re.compile(r"-?\d+(\.\d+)?\Z")
_INN = re.compile(r"^(\d{10}|\d{12})$")
_KPP = re.compile(r"^\d{4}[0-9A-Z]{2}\d{3}$")
_CURRENCY_ALIASES = {
    "руб": "RUB",
    "руб.": "RUB",
    "рубль": "RUB",
    "рубли": "RUB",
    "₽": "RUB",
    "643": "RUB",
    "rur": "RUB",
    "810": "RUB",
    "usd": "USD",
    "$": "USD",
    "840": "USD",
    "долл": "USD",
    "долл.": "USD",
    "eur": "EUR",
    "€": "EUR",
    "978": "EUR",
    "евро": "EUR",
    "cny": "CNY",
    "156": "CNY",
    "юань": "CNY",
    "kzt": "KZT",
    "398": "KZT",
    "тенге": "KZT",
    "byn": "BYN",
    "933": "BYN",
}
_TRUE = {"true", "1", "да", "истина", "yes", "y", "t"}
_FALSE = {"false", "0", "нет", "ложь", "no", "n", "f", ""}


# --- byte level -------------------------------------------------------------------------------


def strip_bom(data: bytes) -> bytes:
    """1C's ``ЗаписьJSON`` and ``ЗаписьТекста`` put a UTF-8 BOM before the body by default."""
    return data[3:] if data.startswith(UTF8_BOM) else data


def loads_json(data: bytes | str) -> Any:
    """Parse JSON from 1C: BOM tolerated, every non-integer number kept as an exact Decimal."""
    if isinstance(data, bytes):
        text = strip_bom(data).decode("utf-8")
    else:
        text = data.removeprefix("\ufeff")
    # NaN / Infinity literals as Decimal too, so the amount check names them for what they are
    return json.loads(text, parse_float=Decimal, parse_constant=Decimal)


def looks_like_html(body: bytes, content_type: str = "") -> bool:
    """True for the HTML error pages 1C's web server publishes with status 200."""
    if "html" in content_type.lower():
        return True
    return _HTML_START.match(strip_bom(body[:512])) is not None


def html_summary(body: bytes) -> str:
    """The title (or first heading) of an HTML page, as one short line."""
    for pattern in (_HTML_TITLE, _HTML_H1):
        found = pattern.search(body)
        if found:
            text = _TAG.sub(" ", found.group(1).decode("utf-8", "replace"))
            line = _SPACES.sub(" ", text).strip()
            if line:
                return line[:200]
    return first_line(_TAG.sub(" ", body[:2000].decode("utf-8", "replace")))


def first_line(text: str, limit: int = 200) -> str:
    """1C error texts span lines (``{Модуль(12)}: Ошибка…``); a log line wants the first one."""
    for raw_line in text.replace("\r", "\n").split("\n"):
        line = raw_line.strip()
        if line:
            return line[:limit]
    return ""


def text_of(body: bytes, charset: str | None = None) -> str:
    """Decode an error body: declared charset, else UTF-8 (BOM tolerated), else windows-1251."""
    body = strip_bom(body)
    for encoding in (charset, "utf-8"):
        if encoding:
            try:
                return body.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue
    return body.decode("cp1251", "replace")


# --- values -----------------------------------------------------------------------------------


def as_text(value: Any) -> str | None:
    """A raw scalar as text; ``None`` stays ``None``. Structures are a type error."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    raise ValueError(f"expected text, got {_kind(value)}")


def parse_guid(value: Any) -> str | None:
    """A 1C reference as a canonical lowercase GUID; the all-zero GUID means "no reference"."""
    text = as_text(value)
    if text is None:
        return None
    if _CANONICAL_GUID.match(text):
        return None if text == ZERO_GUID else text
    text = text.strip().strip("{}")
    if not text:
        return None
    try:
        parsed = uuid.UUID(text)
    except ValueError:
        raise ValueError(f"not a GUID: {text[:60]!r}") from None
    canonical = str(parsed)
    return None if canonical == ZERO_GUID else canonical


def require_guid(value: Any, what: str) -> str:
    guid = parse_guid(value)
    if guid is None:
        raise ValueError(f"{what} is missing (empty or all-zero GUID)")
    return guid


def is_empty_date(text: str) -> bool:
    return text.startswith(_EMPTY_DATE_PREFIXES)


def parse_datetime(value: Any, tz: tzinfo, formats: tuple[str, ...] = ()) -> datetime | None:
    """A 1C date-time as an aware datetime.

    1C writes naive local times (the infobase's time zone, given by configuration), uses
    ``0001-01-01T00:00:00`` for "no date", and with ``ФорматДатыJSON.JavaScript`` writes
    ``/Date(ms)/``. Values that carry an offset keep it.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.year == 1:
            return None
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return None if value.year == 1 else datetime.combine(value, time(), tzinfo=tz)
    text = as_text(value)
    assert text is not None
    text = text.strip()
    if not text or is_empty_date(text):
        return None
    if not formats and text[:1].isdigit() and text[4:5] == "-":
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            if parsed.year == 1:
                return None
            return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=tz)
    js = _JS_DATE.match(text.replace("\\/", "/"))
    if js:
        return datetime.fromtimestamp(int(js.group(1)) / 1000, tz=UTC)
    for fmt in formats:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=tz)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = _parse_russian(text)
    if parsed.year == 1:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=tz)


def _parse_russian(text: str) -> datetime:
    """``01.03.2024 9:05:00`` and ``01.03.2024``: what 1C's ``Строка(Дата)`` prints."""
    for fmt in ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"not a date: {text[:40]!r}")


def local_naive(moment: datetime, tz: tzinfo) -> datetime:
    """A cursor as 1C expects it: the wall-clock time in the infobase's zone, without offset."""
    local = moment.astimezone(tz) if moment.tzinfo is not None else moment
    return local.replace(tzinfo=None, microsecond=0)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a structure"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def parse_date(value: Any, tz: tzinfo, formats: tuple[str, ...] = ()) -> date | None:
    """A calendar date (overdue since…); a date-time is taken in the 1C time zone."""
    moment = parse_datetime(value, tz, formats)
    if moment is None:
        return None
    return moment.astimezone(tz).date()


def combine_date_time(day: Any, clock: Any, tz: tzinfo) -> datetime | None:
    """CommerceML splits ``Дата`` (2024-03-01) and ``Время`` (10:15:00)."""
    if isinstance(day, str) and isinstance(clock, str) and len(day) == 10 and day[4:5] == "-":
        try:
            joined = datetime.fromisoformat(f"{day}T{clock.strip()}")
        except ValueError:
            pass
        else:
            return None if joined.year == 1 else joined.replace(tzinfo=tz)
    moment = parse_datetime(day, tz)
    if moment is None or clock is None:
        return moment
    text = as_text(clock)
    if text is None or not text.strip():
        return moment
    try:
        at = time.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"not a time of day: {text[:20]!r}") from None
    return datetime.combine(moment.date(), at, tzinfo=moment.tzinfo)


#: Amounts must stay below this in absolute value. 1C keeps money in ``Число(15, 2)``
#: (at most 9 999 999 999 999,99), and Bitrix stores a money field as a double, which keeps the
#: kopecks of an amount exact only up to about 9·10¹³: anything at or above 10¹³ is a broken
#: export (``1e999999`` was written as ``inf``), never money.
MAX_AMOUNT = Decimal(10) ** 13


def parse_decimal(value: Any) -> Decimal | None:
    """An amount as an exact Decimal: ``12345.60``, ``"12 345,60"`` (1C's ``Формат``), never float.

    A float can only come from a reader that was not told ``parse_float=Decimal``; it is refused
    rather than rounded silently. NaN, infinities and amounts of :data:`MAX_AMOUNT` or more (in
    absolute value) are refused too.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("expected an amount, got a boolean")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        raise ValueError("amount arrived as a binary float; refusing to round it")
    elif isinstance(value, str):
        text = value
        if not _PLAIN_DECIMAL.match(text):
            text = value.translate(_GROUPING).replace(",", ".")
        if not text:
            return None
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"not an amount: {value[:40]!r}") from None
    else:
        raise ValueError(f"expected an amount, got {_kind(value)}")
    if not result.is_finite():
        raise ValueError(f"not a finite amount: {str(value)[:40]!r}")
    if abs(result) >= MAX_AMOUNT:
        limit = f"{MAX_AMOUNT:,f}".replace(",", " ")
        raise ValueError(
            f"amount {str(value)[:40]!r} is out of range "
            f"(1C amounts stay below {limit} in absolute value)"
        )
    return result


def parse_bool(value: Any) -> bool | None:
    """``true``/``false``, ``Да``/``Нет``, ``Истина``/``Ложь``, 1/0."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = as_text(value)
    assert text is not None
    folded = text.strip().casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError(f"not a boolean: {text[:20]!r}")


def split_number(value: Any) -> tuple[str, str]:
    """A document number as (display, normalised).

    1C pads numbers with spaces to the field width (``"А-123      "``); display keeps what 1C
    sent, the normalised form is stripped. A number that is blank after stripping is invalid.
    """
    text = as_text(value)
    if text is None:
        raise ValueError("document number is missing")
    normalised = text.strip(" \t\r\n\u00a0")
    if not normalised:
        raise ValueError("document number is blank")
    return text, normalised


def parse_currency(value: Any) -> str | None:
    """``руб.``, ``643``, ``RUB`` → ``RUB``; any other three-letter code is kept upper-cased."""
    text = as_text(value)
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    folded = text.casefold()
    if folded in _CURRENCY_ALIASES:
        return _CURRENCY_ALIASES[folded]
    if len(text) == 3 and text.isascii() and text.isalpha():
        return text.upper()
    raise ValueError(f"unknown currency: {text[:20]!r}")


def parse_inn(value: Any) -> str | None:
    text = as_text(value)
    if text is None or not text.strip():
        return None
    text = text.strip()
    if not _INN.match(text):
        raise ValueError(f"ИНН must be 10 or 12 digits: {text[:20]!r}")
    return text


def parse_kpp(value: Any) -> str | None:
    text = as_text(value)
    if text is None or not text.strip():
        return None
    text = text.strip().upper()
    if not _KPP.match(text):
        raise ValueError(f"КПП must be 9 characters (NNNNPPNNN): {text[:20]!r}")
    return text


def parse_name(value: Any, what: str) -> str:
    text = as_text(value)
    if text is None or not text.strip():
        raise ValueError(f"{what} is missing")
    return _SPACES.sub(" ", text).strip()


def parse_reference(value: Any) -> str | None:
    """A reference that may be a GUID (then canonical, the all-zero one meaning none) or text."""
    text = optional_text(value)
    if text is None:
        return None
    try:
        return parse_guid(text)
    except ValueError:
        return text


def optional_text(value: Any) -> str | None:
    text = as_text(value)
    if text is None:
        return None
    text = text.strip()
    return text or None
