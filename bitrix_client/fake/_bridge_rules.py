"""Naming rules of HL-blocks, user fields, indexes, mail events and e-mail addresses.

The HL rules are the core's own validators (``HighloadBlockTable::validateName`` /
``validateTableName``, ``CUserTypeEntity::CheckFields``, the ``_REF`` reservation of
``HighloadBlockTable::OnBeforeUserTypeAdd``); the bridge checks them first to answer with its own
error codes. ``bridge/b2bsync.bridge/lib/core/namerules.php`` holds the same rules in PHP.
"""

from __future__ import annotations

import re

from ._bridge_params import (
    ERROR_ARGUMENT,
    ERROR_FIELD_NAME,
    ERROR_HLBLOCK_NAME,
    ERROR_HLBLOCK_TABLE_NAME,
    ERROR_INDEX_NAME,
    fail,
)

_BLOCK_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")
_TABLE_NAME = re.compile(r"[a-z0-9_]+")
_FIELD_NAME = re.compile(r"[0-9A-Z_]+")
_INDEX_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")
_EVENT_NAME = re.compile(r"[A-Z0-9_]{1,255}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def check_block_name(name: str) -> None:
    if not _BLOCK_NAME.fullmatch(name) or len(name) > 100:
        raise fail(ERROR_HLBLOCK_NAME, "NAME must match ^[A-Z][A-Za-z0-9]*$, 100 chars at most")
    if name.lower().endswith("table"):
        raise fail(ERROR_HLBLOCK_NAME, "NAME must not end in 'Table'")


def check_table_name(name: str) -> None:
    if not _TABLE_NAME.fullmatch(name) or len(name) > 64:
        raise fail(ERROR_HLBLOCK_TABLE_NAME, "TABLE_NAME must match ^[a-z0-9_]+$, 64 chars at most")


def check_field_name(name: str) -> None:
    if (
        not name.startswith("UF_")
        or not _FIELD_NAME.fullmatch(name)
        or not 4 <= len(name) <= 50
        or name.endswith("_REF")
    ):
        raise fail(
            ERROR_FIELD_NAME, "FIELD_NAME must be UF_ + [0-9A-Z_], 4-50 chars, not ending in _REF"
        )


def check_index_name(name: str) -> None:
    if not _INDEX_NAME.fullmatch(name) or name.upper() == "PRIMARY":
        raise fail(ERROR_INDEX_NAME, "index NAME must match ^[A-Za-z0-9_]{1,64}$, not PRIMARY")


def check_event_name(name: str) -> None:
    if not _EVENT_NAME.fullmatch(name):
        raise fail(ERROR_ARGUMENT, "EVENT_NAME must match ^[A-Z0-9_]+$")


def normalize_email(raw: str) -> str:
    email = raw.strip()
    if not _EMAIL.fullmatch(email):
        raise fail(ERROR_ARGUMENT, "EMAIL is not an e-mail address")
    return email
