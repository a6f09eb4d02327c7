"""Keyset paging over ``(changed_at, guid)``, as a 1C query with ``ДатаИзменения`` would do."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

T = TypeVar("T")


class BadRequest(ValueError):
    """A parameter the fake service rejects with HTTP 400 (or a SOAP Client fault)."""


def parse_since(text: str | None) -> datetime | None:
    if text is None or not text.strip():
        return None
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadRequest(f"Неверный формат даты: {text[:40]}") from None
    return parsed.replace(tzinfo=None)


def parse_limit(text: str | None, default: int = 500) -> int:
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise BadRequest(f"Неверное значение limit: {text[:20]}") from None
    if value < 1:
        raise BadRequest("limit должен быть больше нуля")
    return min(value, 1000)


def encode_cursor(changed_at: datetime, guid: str) -> str:
    raw = json.dumps([changed_at.isoformat(), guid]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[datetime, str]:
    try:
        padded = token + "=" * (-len(token) % 4)
        when, guid = json.loads(base64.urlsafe_b64decode(padded))
        return datetime.fromisoformat(when), str(guid)
    except (ValueError, TypeError) as exc:
        raise BadRequest("Неверное значение cursor") from exc


def page(
    rows: Sequence[T],
    key: Callable[[T], tuple[datetime, str]],
    since: datetime | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[T], str | None]:
    ordered = sorted(rows, key=key)
    if since is not None:
        ordered = [r for r in ordered if key(r)[0] >= since]
    if cursor:
        after = decode_cursor(cursor)
        ordered = [r for r in ordered if key(r) > after]
    chunk = ordered[:limit]
    if len(ordered) > limit:
        last = key(chunk[-1])
        return chunk, encode_cursor(*last)
    return chunk, None
