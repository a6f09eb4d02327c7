"""What a real site stores as a user field's ``SETTINGS``: the type's ``prepareSettings`` (main
25.550, ``Bitrix\\Main\\UserField\\Types\\*Type``), every key, typed as PHP's ``serialize`` keeps
them; and the values it gives the fields an ``add`` does not name.

The PHP twin is ``bridge/tests/support/BitrixSettings.php`` (the MemorySite plays the core with
it); ``bridge/contract/14_field_settings.json`` lists every type's settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._bridge_state import UserField

_NO_DEFAULT = {"TYPE": "NONE", "VALUE": ""}


def _int(given: Mapping[str, Any], key: str, default: int = 0) -> int:
    value = given.get(key, default)
    try:
        return int(float(value)) if not isinstance(value, bool) else int(value)
    except (TypeError, ValueError):
        return 0


def _float(given: Mapping[str, Any], key: str) -> float:
    try:
        return float(given.get(key, 0) or 0)
    except (TypeError, ValueError):
        return 0.0


def _size(given: Mapping[str, Any]) -> int:
    size = _int(given, "SIZE")
    return 20 if size <= 1 else 225 if size > 255 else size  # Bitrix's own clamp: 225


def _rows(given: Mapping[str, Any]) -> int:
    rows = _int(given, "ROWS")
    return 1 if rows <= 1 else min(rows, 50)


def _numeric(value: object) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    try:
        float(str(value))
    except ValueError:
        return False
    return True


def prepare_settings(kind: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """``SETTINGS`` as ``CUserTypeEntity::Add``/``Update`` store them for a field of ``kind``."""
    if kind == "string":
        return {
            "SIZE": _size(given),
            "ROWS": _rows(given),
            "REGEXP": str(given.get("REGEXP") or ""),
            "MIN_LENGTH": _int(given, "MIN_LENGTH"),
            "MAX_LENGTH": _int(given, "MAX_LENGTH"),
            "DEFAULT_VALUE": given.get("DEFAULT_VALUE", ""),
        }
    if kind == "string_formatted":
        return {
            "SIZE": _size(given),
            "ROWS": _rows(given),
            "REGEXP": given.get("REGEXP"),
            "MIN_LENGTH": _int(given, "MIN_LENGTH"),
            "MAX_LENGTH": _int(given, "MAX_LENGTH"),
            "DEFAULT_VALUE": given.get("DEFAULT_VALUE"),
            "PATTERN": given.get("PATTERN"),
        }
    if kind == "url":
        return {
            "POPUP": "N" if given.get("POPUP") == "N" else "Y",
            "SIZE": _size(given),
            "MIN_LENGTH": _int(given, "MIN_LENGTH"),
            "MAX_LENGTH": _int(given, "MAX_LENGTH"),
            "DEFAULT_VALUE": given.get("DEFAULT_VALUE", ""),
            "ROWS": _int(given, "ROWS", 1),
        }
    if kind == "integer":
        default = given.get("DEFAULT_VALUE", "")
        return {
            "SIZE": _size(given),
            "MIN_VALUE": _int(given, "MIN_VALUE"),
            "MAX_VALUE": _int(given, "MAX_VALUE"),
            "DEFAULT_VALUE": None if default in ("", None) else _int(given, "DEFAULT_VALUE"),
        }
    if kind == "double":
        default = given.get("DEFAULT_VALUE")
        return {
            "PRECISION": max(0, min(12, _int(given, "PRECISION"))),
            "SIZE": _size(given),
            "MIN_VALUE": _float(given, "MIN_VALUE"),
            "MAX_VALUE": _float(given, "MAX_VALUE"),
            "DEFAULT_VALUE": float(str(default)) if _numeric(default) else None,
        }
    if kind == "boolean":
        display = given.get("DISPLAY")
        label = given.get("LABEL", ["", ""])
        return {
            "DEFAULT_VALUE": 1 if _int(given, "DEFAULT_VALUE") == 1 else 0,
            "DISPLAY": display if display in ("CHECKBOX", "RADIO", "DROPDOWN") else "CHECKBOX",
            "LABEL": list(label.values()) if isinstance(label, Mapping) else list(label),
            "LABEL_CHECKBOX": str(given.get("LABEL_CHECKBOX") or ""),
        }
    if kind == "datetime":
        default = given.get("DEFAULT_VALUE")
        return {
            "DEFAULT_VALUE": dict(default) if isinstance(default, Mapping) else dict(_NO_DEFAULT),
            "USE_SECOND": "N" if given.get("USE_SECOND") == "N" else "Y",
            "USE_TIMEZONE": "Y" if given.get("USE_TIMEZONE") == "Y" else "N",
        }
    if kind == "date":
        default = given.get("DEFAULT_VALUE")
        return {
            "DEFAULT_VALUE": dict(default) if isinstance(default, Mapping) else dict(_NO_DEFAULT)
        }
    if kind == "enumeration":
        display = given.get("DISPLAY")
        return {
            "DISPLAY": display if display in ("CHECKBOX", "UI", "DIALOG") else "LIST",
            "LIST_HEIGHT": max(1, _int(given, "LIST_HEIGHT")),
            "CAPTION_NO_VALUE": str(given.get("CAPTION_NO_VALUE") or "").strip(),
            "SHOW_NO_VALUE": "N" if given.get("SHOW_NO_VALUE") == "N" else "Y",
        }
    if kind == "file":
        return {
            "SIZE": _size(given),
            "LIST_WIDTH": _int(given, "LIST_WIDTH"),
            "LIST_HEIGHT": _int(given, "LIST_HEIGHT"),
            "MAX_SHOW_SIZE": _int(given, "MAX_SHOW_SIZE"),
            "MAX_ALLOWED_SIZE": _int(given, "MAX_ALLOWED_SIZE"),
            "EXTENSIONS": _extensions(given.get("EXTENSIONS", [])),
            "TARGET_BLANK": "N" if given.get("TARGET_BLANK") == "N" else "Y",
        }
    return dict(given)


def _extensions(raw: object) -> dict[str, bool]:
    """``{"pdf": true, …}``; an empty one is PHP's empty array, printed ``[]``."""
    if isinstance(raw, Mapping):
        items = [str(key) if value is True else str(value) for key, value in raw.items()]
    elif isinstance(raw, list):
        items = [str(item) for item in raw]
    else:
        items = str(raw).split(",")
    return {item.strip(): True for item in items if item.strip()}


def default_value(field: UserField) -> Any:
    """What the site stores in a field an ``add`` does not name: the enumeration's ``DEF`` item,
    the boolean's ``DEFAULT_VALUE`` (0 without one), a string's ``DEFAULT_VALUE`` or ``""``."""
    if field.multiple:
        return []
    settings = field.settings
    if field.type == "boolean":
        return 1 if settings.get("DEFAULT_VALUE") in (1, "1", True) else 0
    if field.type == "enumeration":
        return next((item.id for item in field.items if item.default), None)
    if field.type in ("string", "url", "string_formatted"):
        default = settings.get("DEFAULT_VALUE")
        return "" if default is None else str(default)
    if field.type in ("integer", "double"):
        return settings.get("DEFAULT_VALUE")
    return None
