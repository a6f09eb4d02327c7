"""Writing HL rows: conversion, mandatory fields, files, unique indexes — shared by the ``item.*``
methods, the upsert and the order-event handler.

A write is prepared first (:func:`prepare`: every value converted and checked against the current
row, nothing stored yet) and then committed (:func:`commit`: unique indexes checked, files
created and removed, the row stored), so a refused write leaves no trace — as the bridge's
transaction guarantees on a real site.

Rows hold what a real site stores (:func:`~._bridge_values.to_store`): an add gives the fields it
does not name their defaults (:func:`~._bridge_settings.default_value`), an emptied enumeration
or file is 0, a boolean 0/1; unique indexes compare those stored values, so ``""`` collides.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import Any

from ._bridge_params import (
    ERROR_ARGUMENT,
    ERROR_DUPLICATE,
    ERROR_VALIDATION,
    as_object,
    fail,
    upper_keys,
)
from ._bridge_pings import queue_ping
from ._bridge_settings import default_value
from ._bridge_state import BridgeState, HlBlock, Row, UserField, unique_key
from ._bridge_values import (
    BadValue,
    FileRemove,
    FileUpload,
    answer,
    convert,
    from_store,
    is_empty,
    to_store,
)


def fields_by_name(state: BridgeState, block: HlBlock) -> dict[str, UserField]:
    return {f.name: f for f in state.fields_of(block.id)}


def prepare(
    state: BridgeState,
    block: HlBlock,
    raw_fields: object,
    tz: tzinfo,
    *,
    current: Row | None,
) -> dict[str, Any]:
    """``FIELDS`` converted for ``block``; ``current`` is the row being updated (``None``: add)."""
    given = upper_keys(as_object(raw_fields, "FIELDS"))
    known = fields_by_name(state, block)
    out: dict[str, Any] = {}
    for name, raw in given.items():
        field = known.get(name)
        if field is None:
            raise fail(ERROR_ARGUMENT, f"FIELDS: unknown field {name}")
        try:
            value = convert(field, raw, tz)
            if field.type == "file":
                stored = from_store(field, current.get(name)) if current else None
                value = _resolve_files(field, value, stored)
        except BadValue as exc:
            raise fail(ERROR_VALIDATION, f"{name}: {exc}") from None
        if field.mandatory and is_empty(value):
            raise fail(ERROR_VALIDATION, f"{name}: a value is required")
        out[name] = value
    if current is None:
        for name, field in known.items():
            if field.mandatory and name not in out:
                raise fail(ERROR_VALIDATION, f"{name}: a value is required")
    return out


def _resolve_files(field: UserField, value: Any, stored: Any) -> Any:
    """Check IDs and removals against the stored file(s); uploads stay pending."""
    if field.multiple:
        kept = set(stored or [])
        out: list[Any] = []
        for item in value:
            if isinstance(item, FileRemove):
                if item.file_id not in kept:
                    raise BadValue(f"file {item.file_id} is not attached to this row")
                continue
            if isinstance(item, int) and item not in kept:
                raise BadValue(f"file {item} is not attached to this row")
            out.append(item)
        return out
    if isinstance(value, FileRemove):
        if value.file_id != stored:
            raise BadValue(f"file {value.file_id} is not attached to this row")
        return None
    if isinstance(value, int) and value != stored:
        raise BadValue(f"file {value} is not attached to this row")
    return value


def same_values(state: BridgeState, field: UserField, wanted: Any, stored: Any) -> bool:
    """Would writing ``wanted`` leave ``stored`` (as the site stores it) as it is? A pending
    upload equals the stored file with the same name and bytes."""
    stored = from_store(field, stored)
    if field.multiple:
        wanted_list, stored_list = list(wanted or []), list(stored or [])
        return len(wanted_list) == len(stored_list) and all(
            _same_one(state, field, w, s) for w, s in zip(wanted_list, stored_list, strict=True)
        )
    return _same_one(state, field, wanted, stored)


def _same_one(state: BridgeState, field: UserField, wanted: Any, stored: Any) -> bool:
    if isinstance(wanted, FileUpload):
        file = state.files.get(stored) if isinstance(stored, int) else None
        return file is not None and file.name == wanted.name and file.content == wanted.content
    return bool(wanted == stored)


def commit(
    state: BridgeState, block: HlBlock, values: Mapping[str, Any], *, row_id: int | None
) -> int:
    """Store a prepared write (a new row when ``row_id`` is ``None``); the row's ID."""
    known = fields_by_name(state, block)
    current = block.rows.get(row_id) if row_id is not None else None
    if current is not None:
        merged = dict(current)
    else:
        merged = {"ID": 0, **{name: default_value(field) for name, field in known.items()}}
    merged.update({name: to_store(known[name], value) for name, value in values.items()})
    _check_unique(block, merged, row_id)
    for name in values:
        field = known[name]
        if field.type == "file":
            before = current.get(name) if current else None
            merged[name] = _store_files(state, field, merged[name], before)
    added = row_id is None
    if row_id is None:
        row_id = block.next_row_id
        block.next_row_id += 1
    merged["ID"] = row_id
    for name, field in known.items():
        if name not in merged:
            merged[name] = [] if field.multiple else None
        elif field.multiple and merged[name] is None:
            merged[name] = []
    block.rows[row_id] = merged
    if added:
        queue_ping(state, block.table_name, row_id)
    return row_id


def _store_files(state: BridgeState, field: UserField, value: Any, stored: Any) -> Any:
    def store(item: Any) -> Any:
        if isinstance(item, FileUpload):
            return state.add_file(item.name, item.content).id
        return item

    new = [store(item) for item in value] if field.multiple else store(value)
    before = set(stored or []) if field.multiple else {stored} - {None, 0}
    after = set(new) if field.multiple else {new} - {None, 0}
    for file_id in before - after:
        state.files.pop(file_id, None)
    return new


def _check_unique(block: HlBlock, row: Row, row_id: int | None) -> None:
    for index in block.indexes.values():
        if not index.unique:
            continue
        key = unique_key(row, index.fields)
        if key is None:
            continue
        if any(other != row_id for other in block.rows.lookup(index.fields, key)):
            raise fail(ERROR_DUPLICATE, f"the row breaks the unique index {index.name}")


def answer_row(
    state: BridgeState,
    block: HlBlock,
    row: Mapping[str, Any],
    names: list[str],
    tz: tzinfo,
    known: Mapping[str, UserField] | None = None,
) -> dict[str, Any]:
    """``row`` on the wire; ``known`` (:func:`fields_by_name`) saves looking the fields up
    again for every row of a page."""
    if known is None:
        known = fields_by_name(state, block)
    out: dict[str, Any] = {"ID": row["ID"]}
    for name in names:
        if name != "ID":
            out[name] = answer(known[name], row.get(name), tz)
    return out


def delete_row(state: BridgeState, block: HlBlock, row_id: int) -> None:
    row = block.rows.pop(row_id)
    for field in state.fields_of(block.id):
        if field.type == "file":
            value = row.get(field.name)
            for file_id in value if isinstance(value, list) else [value]:
                if file_id:
                    state.files.pop(file_id, None)
