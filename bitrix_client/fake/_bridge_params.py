"""Reading ``b2bsync.*`` parameters the way the bridge does: case-insensitive names, strict shapes.

Every problem is a :class:`FakeRestError` with one of the contract's codes
(``bridge/contract/README.md``); :func:`fail` builds them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ._api import FakeRestError
from ._bridge_state import BridgeState, HlBlock

SCOPE = "b2bsync"

ERROR_ARGUMENT = "ERROR_ARGUMENT"
ERROR_NOT_FOUND = "ERROR_NOT_FOUND"
ERROR_HLBLOCK_NAME = "ERROR_HLBLOCK_NAME"
ERROR_HLBLOCK_TABLE_NAME = "ERROR_HLBLOCK_TABLE_NAME"
ERROR_HLBLOCK_EXISTS = "ERROR_HLBLOCK_EXISTS"
ERROR_FIELD_NAME = "ERROR_FIELD_NAME"
ERROR_FIELD_EXISTS = "ERROR_FIELD_EXISTS"
ERROR_FIELD_TYPE = "ERROR_FIELD_TYPE"
ERROR_FIELD_IMMUTABLE = "ERROR_FIELD_IMMUTABLE"
ERROR_INDEX_NAME = "ERROR_INDEX_NAME"
ERROR_INDEX_CONFLICT = "ERROR_INDEX_CONFLICT"
ERROR_INDEX_DUPLICATE_ROWS = "ERROR_INDEX_DUPLICATE_ROWS"
ERROR_VALIDATION = "ERROR_VALIDATION"
ERROR_DUPLICATE = "ERROR_DUPLICATE"
ERROR_UPSERT_KEY = "ERROR_UPSERT_KEY"
ERROR_UPSERT_AMBIGUOUS = "ERROR_UPSERT_AMBIGUOUS"
ERROR_USER_EXISTS = "ERROR_USER_EXISTS"
ERROR_USER_ADD = "ERROR_USER_ADD"
ERROR_BUSY = "ERROR_BUSY"
ERROR_ACCESS_DENIED = "ERROR_ACCESS_DENIED"
ERROR_TEMPLATE_UNSAFE = "ERROR_TEMPLATE_UNSAFE"

_STATUS = {ERROR_NOT_FOUND: 404, ERROR_ACCESS_DENIED: 403, ERROR_BUSY: 503}
_DIGITS = re.compile(r"[0-9]+")
_LANGUAGE_ID = re.compile(r"[a-z]{2}")


def fail(code: str, description: str) -> FakeRestError:
    return FakeRestError(code, description, _STATUS.get(code, 400))


def upper_keys(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {str(key).upper(): value for key, value in raw.items()}


def as_object(value: object, what: str) -> dict[str, Any]:
    """A JSON object parameter. An empty list counts: PHP cannot tell ``{}`` from ``[]``."""
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    if isinstance(value, list) and not value:
        return {}
    raise fail(ERROR_ARGUMENT, f"{what} must be an object")


def as_list(value: object, what: str) -> list[Any]:
    if isinstance(value, list):
        return value
    raise fail(ERROR_ARGUMENT, f"{what} must be a list")


def parse_positive_int(value: object) -> int | None:
    """An ID: a positive integer or its decimal digits; ``None`` for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
        return number if number > 0 else None
    return None


class Params:
    """The call's parameters with upper-cased names."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = upper_keys(raw)

    def has(self, name: str) -> bool:
        return name in self.raw

    def get(self, name: str) -> Any:
        return self.raw.get(name)

    def id(self, name: str = "ID") -> int:
        if name not in self.raw:
            raise fail(ERROR_ARGUMENT, f"{name} is required")
        value = parse_positive_int(self.raw[name])
        if value is None:
            raise fail(ERROR_ARGUMENT, f"{name} must be a positive integer")
        return value

    def string(self, name: str, *, required: bool = True, default: str = "") -> str:
        if name not in self.raw or self.raw[name] is None:
            if required:
                raise fail(ERROR_ARGUMENT, f"{name} is required")
            return default
        value = self.raw[name]
        if not isinstance(value, str):
            raise fail(ERROR_ARGUMENT, f"{name} must be a string")
        return value

    def object(self, name: str, *, required: bool = True) -> dict[str, Any]:
        if name not in self.raw:
            if required:
                raise fail(ERROR_ARGUMENT, f"{name} is required")
            return {}
        return as_object(self.raw[name], name)


def flag(value: object, what: str) -> bool:
    """A Y/N flag: ``Y``/``N`` (any case) or a boolean."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.upper() in {"Y", "N"}:
        return value.upper() == "Y"
    raise fail(ERROR_ARGUMENT, f"{what} must be Y or N")


def yn(value: bool) -> str:
    return "Y" if value else "N"


def lang_map(value: object, what: str) -> dict[str, str]:
    """``{language id: text}`` as HL-block names and field labels are given."""
    out: dict[str, str] = {}
    for lid, text in as_object(value, what).items():
        if not _LANGUAGE_ID.fullmatch(lid):
            raise fail(ERROR_ARGUMENT, f"{what}: {lid!r} is not a language id")
        if not isinstance(text, str):
            raise fail(ERROR_ARGUMENT, f"{what}.{lid} must be a string")
        out[lid] = text
    return out


def resolve_block(state: BridgeState, params: Params) -> HlBlock:
    """``HLBLOCK`` (ID or NAME) or ``HLBLOCK_ID`` (ID only) → the block, or the contract's error."""
    if params.has("HLBLOCK"):
        raw = params.get("HLBLOCK")
        if isinstance(raw, str) and raw and not _DIGITS.fullmatch(raw):
            found = state.block_by_name(raw)
            if found is None:
                raise fail(ERROR_NOT_FOUND, f"HL-block {raw!r} not found")
            return usable(state, found)
        block_id = parse_positive_int(raw)
        if block_id is None:
            raise fail(ERROR_ARGUMENT, "HLBLOCK must be a block ID or NAME")
    elif params.has("HLBLOCK_ID"):
        block_id = params.id("HLBLOCK_ID")
    else:
        raise fail(ERROR_ARGUMENT, "HLBLOCK is required")
    block = state.blocks.get(block_id)
    if block is None:
        raise fail(ERROR_NOT_FOUND, f"HL-block {block_id} not found")
    return usable(state, block)


def resolve_block_id(state: BridgeState, params: Params) -> HlBlock:
    """``HLBLOCK_ID`` only (the metadata methods), with ``HLBLOCK`` accepted as a synonym."""
    if params.has("HLBLOCK_ID"):
        block_id = params.id("HLBLOCK_ID")
        block = state.blocks.get(block_id)
        if block is None:
            raise fail(ERROR_NOT_FOUND, f"HL-block {block_id} not found")
        return usable(state, block)
    return resolve_block(state, params)


def usable(state: BridgeState, block: HlBlock) -> HlBlock:
    """``block`` when b2bsync may use it: declared by b2bsync or allowed by an administrator."""
    if block.name not in state.access.block_names():
        raise fail(
            ERROR_ACCESS_DENIED,
            f"HL-block {block.name} is not b2bsync's: run `b2bsync schema apply` for its own "
            "blocks, or allow this one on the module settings page",
        )
    return block
