"""Content hashes: what decides "this record is already in Bitrix as it should be".

A hash covers exactly the fields b2bsync sends for a record, rendered the way they are sent,
minus the volatile ones (``UF_SYNCED_AT``, ``UF_UPDATED_AT``: the moment of writing, not
content). Equal hash with what the store remembers → nothing is sent. Callers add the inputs
that decide content but are not themselves fields (a document's file plan, a 1C order
reference before it is resolved) under keys that cannot clash with ``UF_`` names.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

VOLATILE = frozenset({"UF_SYNCED_AT", "UF_UPDATED_AT"})


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def content_hash(fields: Mapping[str, Any], *, exclude: frozenset[str] = VOLATILE) -> str:
    """SHA-256 (hex) of the canonical JSON of ``fields`` without the ``exclude``d keys."""
    kept = {name: _plain(value) for name, value in fields.items() if name not in exclude}
    text = json.dumps(kept, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
