"""The part of PHP's ``strtotime`` that Bitrix applies to date filter values.

Bitrix passes every ``sale.*`` date filter value through ``strtotime``; when that fails the filter
key is silently dropped (the recordings show an unparseable date returning every order). Values
without an offset are read in the site's time zone. Supported, as PHP reads them:

- ISO 8601 with ``T`` or a space, optional seconds and fraction, optional ``Z``/``UTC``/``GMT`` or
  offset (``+03:00``, ``+0300``, ``+03``): ``2026-11-01T10:05:00+03:00``;
- date only ``YYYY-MM-DD`` / ``YYYY/MM/DD`` (midnight);
- ``DD.MM.YYYY`` and ``DD-MM-YYYY`` (the Russian site culture), optionally with a time;
- ``MM/DD/YYYY`` (American order: ``01/11/2026`` is January 11), optionally with a time;
- ``@<unix seconds>``;
- ``now``, ``today``, ``midnight``, ``yesterday``, ``tomorrow``.

A bare run of digits (``"1793516700"``) is *not* a timestamp for PHP: the recorded answer drops
the filter, so it returns ``None`` here. A day past the month's end rolls over as in PHP
(``31.02.2026`` is 3 March).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

_TIME = r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<frac>\d+))?)?"
_ZONE = r"(?P<zone>[zZ]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)"
_TAIL = rf"(?:[Tt ]+{_TIME})?\s*{_ZONE}?"

_FORMATS = (
    re.compile(rf"^(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){_TAIL}$"),
    re.compile(rf"^(?P<y>\d{{4}})/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}}){_TAIL}$"),
    re.compile(rf"^(?P<d>\d{{1,2}})[.-](?P<m>\d{{1,2}})[.-](?P<y>\d{{4}}){_TAIL}$"),
    re.compile(rf"^(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})/(?P<y>\d{{4}}){_TAIL}$"),
)
_UNIX = re.compile(r"^@(?P<ts>[+-]?\d+)$")
_RELATIVE_DAYS = {"today": 0, "midnight": 0, "yesterday": -1, "tomorrow": 1}


def strtotime(text: str, tz: tzinfo, now: datetime | None = None) -> datetime | None:
    """Parse ``text`` like PHP's ``strtotime``; an aware datetime, or ``None`` when PHP fails."""
    value = text.strip()
    if not value:
        return None
    lowered = value.lower()
    if lowered == "now":
        return (now or datetime.now(tz)).astimezone(tz)
    if lowered in _RELATIVE_DAYS:
        today = (now or datetime.now(tz)).astimezone(tz).date()
        day = today + timedelta(days=_RELATIVE_DAYS[lowered])
        return datetime.combine(day, time(), tz)
    unix = _UNIX.match(value)
    if unix:
        return datetime.fromtimestamp(int(unix["ts"]), UTC).astimezone(tz)
    for pattern in _FORMATS:
        match = pattern.match(value)
        if match:
            return _build(match, tz)
    return None


def _build(match: re.Match[str], tz: tzinfo) -> datetime | None:
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    if not 1 <= month <= 12 or day > 31:
        return None
    hour = int(match["h"]) if match["h"] else 0
    minute = int(match["mi"]) if match["mi"] else 0
    second = int(match["s"]) if match["s"] else 0
    if hour > 24 or minute > 59 or second > 60:
        return None
    micro = int((match["frac"] or "0")[:6].ljust(6, "0"))
    base = date(year, month, 1) + timedelta(days=day - 1)
    naive = datetime.combine(base, time()) + timedelta(
        hours=hour, minutes=minute, seconds=second, microseconds=micro
    )
    zone = match["zone"]
    if zone is None:
        return naive.replace(tzinfo=tz)
    return naive.replace(tzinfo=_offset(zone)).astimezone(tz)


def _offset(zone: str) -> tzinfo:
    if zone.upper() in {"Z", "UTC", "GMT"}:
        return UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or "0")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
