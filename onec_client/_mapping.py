"""Dotted paths into JSON answers, for the field mapping of differently shaped HTTP services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import _habits as h
from ._config import FieldPaths

_MISSING = object()


def resolve(document: Any, path: str) -> Any:
    """``a.b.0.c`` into nested objects and lists; ``""`` is the document itself; a missing step
    gives ``None``."""
    if not path:
        return document
    current = document
    for step in path.split("."):
        if isinstance(current, Mapping):
            current = current.get(step, _MISSING)
        elif isinstance(current, list) and step.lstrip("-").isdigit():
            index = int(step)
            current = current[index] if -len(current) <= index < len(current) else _MISSING
        else:
            current = _MISSING
        if current is _MISSING:
            return None
    return current


def extract(record: Any, paths: FieldPaths) -> dict[str, Any]:
    """Canonical field name → raw value. ``!path`` reads a boolean and negates it; a value that
    is not a boolean is passed on unchanged, so the normaliser reports it."""
    fields: dict[str, Any] = {}
    for name, path in paths.model_dump().items():
        if not path:
            continue
        negate = path.startswith("!")
        value = resolve(record, path[1:] if negate else path)
        if negate and value is not None:
            try:
                flag = h.parse_bool(value)
            except ValueError:
                flag = None
            if flag is not None:
                value = not flag
        fields[name] = value
    return fields
