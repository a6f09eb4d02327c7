"""Reading the IDs the site's rows and facts carry."""

from __future__ import annotations

from typing import Any


def as_id(value: Any) -> int | None:
    """``value`` as an ID: a positive integer (``"42"``, ``42``), else ``None`` (empty, ``0`` —
    Bitrix's "no value" — or not a number)."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None
