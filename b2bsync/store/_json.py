"""JSON for the store's JSON columns: raw 1C/Bitrix records, run counts and notes.

Raw records carry Decimals, datetimes, bytes and pydantic models; they are stored in their JSON
form (Decimal as text, so no amount is rounded) and come back as plain JSON values.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    if isinstance(value, PurePath):
        return str(value)
    return repr(value)


def dumps(value: Any) -> str:
    return json.dumps(value, default=_default, ensure_ascii=False)


def fingerprint(*values: Any) -> str:
    """A stable digest of JSON-able values (key order ignored)."""
    text = json.dumps(values, default=_default, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
