"""``b2bsync.item.upsert``: one row (``FIELDS``) or a chunk (``ROWS``), as the module's
``ItemApi`` does it (contract README, "item.upsert").

A chunk is looked up with one query (here: the key's hash map) under one lock; each row is then
added, updated or left alone in order, each write on its own, and each row's outcome (or error)
comes back in its place. A key repeated within the chunk finds the row its earlier occurrence
wrote. The work is charged to the call (new rows and writes cost more than an unchanged row), so
a fake with a per-row cost answers at a real site's speed.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from ._api import CallContext, FakeRestError
from ._bridge_messages import describe
from ._bridge_params import (
    ERROR_ARGUMENT,
    ERROR_DUPLICATE,
    ERROR_UPSERT_AMBIGUOUS,
    ERROR_UPSERT_KEY,
    ERROR_VALIDATION,
    Params,
    as_object,
    fail,
    resolve_block,
    upper_keys,
)
from ._bridge_rows import commit, fields_by_name, prepare, same_values
from ._bridge_state import BridgeState, HlBlock, Row, UserField, unique_key
from ._bridge_values import BadValue, convert, is_empty

MAX_ROWS = 1000

Outcome = dict[str, Any]


def upsert(ctx: CallContext) -> Outcome | list[Outcome]:
    params = Params(ctx.params)
    state = ctx.site.bridge
    block = resolve_block(state, params)
    known = fields_by_name(state, block)
    if params.has("ROWS"):
        if params.has("FIELDS"):
            raise fail(ERROR_ARGUMENT, "send FIELDS (one row) or ROWS (a list), not both")
        rows = params.get("ROWS")
        if not isinstance(rows, list) or not 1 <= len(rows) <= MAX_ROWS:
            raise fail(ERROR_ARGUMENT, f"ROWS must hold 1-{MAX_ROWS} rows")
        key = key_names(params.get("KEY"), known)
        ctx.charge("upsert_rows", len(rows))
        outcomes = _chunk(ctx, state, block, known, key, rows, single=False)
        return [_described(outcome, ctx.site.language_id) for outcome in outcomes]
    given = upper_keys(params.object("FIELDS"))
    ctx.charge("upsert_rows")
    key = key_names(params.get("KEY"), known)
    _present(key, given)
    return _chunk(ctx, state, block, known, key, [given], single=True)[0]


def key_names(raw: object, known: dict[str, UserField]) -> list[str]:
    """KEY's field names, checked before any value is converted."""
    if not isinstance(raw, list) or not raw:
        raise fail(ERROR_UPSERT_KEY, "KEY must be a non-empty list of UF_ field names")
    names = [str(item).upper() for item in raw]
    if len(set(names)) != len(names):
        raise fail(ERROR_UPSERT_KEY, "KEY repeats a field")
    for name in names:
        field = known.get(name)
        if field is None or field.multiple or field.type == "file":
            raise fail(ERROR_UPSERT_KEY, f"KEY: {name} is not a single-valued field of the block")
    return names


def _present(key: list[str], given: dict[str, Any]) -> None:
    for name in key:
        if is_empty(given.get(name)):
            raise fail(ERROR_UPSERT_KEY, f"KEY: FIELDS has no value for {name}")


def _key_values(
    key: list[str], known: dict[str, UserField], given: dict[str, Any], tz: tzinfo
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in key:
        try:
            out[name] = convert(known[name], given[name], tz)
        except BadValue as exc:
            raise fail(ERROR_VALIDATION, f"{name}: {exc}") from None
    return out


def _chunk(
    ctx: CallContext,
    state: BridgeState,
    block: HlBlock,
    known: dict[str, UserField],
    key: list[str],
    rows: list[Any],
    *,
    single: bool,
) -> list[Outcome]:
    tz = ctx.site.tz
    out: dict[int, Outcome] = {}
    pending: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    for index, raw in enumerate(rows):
        try:
            given = upper_keys(as_object(raw, f"ROWS[{index}]"))
            _present(key, given)
            pending.append((index, given, _key_values(key, known, given, tz)))
        except FakeRestError as exc:
            if single:
                raise
            out[index] = _failure(exc)
    for index, given, key_values in pending:
        try:
            out[index] = _one(ctx, state, block, known, key, given, key_values)
        except FakeRestError as exc:
            if single:
                raise
            out[index] = _failure(exc)
    return [out[i] for i in sorted(out)]


def _one(
    ctx: CallContext,
    state: BridgeState,
    block: HlBlock,
    known: dict[str, UserField],
    key: list[str],
    given: dict[str, Any],
    key_values: dict[str, Any],
) -> Outcome:
    tz = ctx.site.tz
    matches = find(block, key, key_values)
    if not matches:
        added = prepare(state, block, given, tz, current=None)
        try:
            row_id = commit(state, block, added, row_id=None)
        except FakeRestError as exc:
            # another writer may have added the key meanwhile: look again, once
            matches = find(block, key, key_values) if exc.code == ERROR_DUPLICATE else []
            if not matches:
                raise
        else:
            ctx.charge("added")
            return {"ID": row_id, "ACTION": "added"}
    if len(matches) > 1:
        raise fail(ERROR_UPSERT_AMBIGUOUS, f"KEY matches {len(matches)} rows")
    row = matches[0]
    values = prepare(state, block, given, tz, current=row)
    if all(same_values(state, known[name], value, row.get(name)) for name, value in values.items()):
        ctx.charge("unchanged")
        return {"ID": row["ID"], "ACTION": "unchanged"}
    commit(state, block, values, row_id=row["ID"])
    ctx.charge("updated")
    return {"ID": row["ID"], "ACTION": "updated"}


def find(block: HlBlock, key: list[str], values: dict[str, Any]) -> list[Row]:
    """The rows whose KEY fields hold ``values`` (compared as the database does).

    When a unique index covers exactly the KEY's fields, its hash map answers; otherwise every
    row is compared.
    """
    fields = frozenset(key)
    index = next(
        (i for i in block.indexes.values() if i.unique and frozenset(i.fields) == fields), None
    )
    if index is not None:
        wanted = unique_key(values, index.fields)
        if wanted is not None:
            return [block.rows[row_id] for row_id in block.rows.lookup(index.fields, wanted)]
    wanted = unique_key(values, tuple(key))
    return [row for row in block.rows.values() if unique_key(row, tuple(key)) == wanted]


def _failure(exc: FakeRestError) -> Outcome:
    return {"ERROR": exc.code, "ERROR_DESCRIPTION": exc.description}


def _described(outcome: Outcome, language_id: str) -> Outcome:
    if "ERROR" in outcome and isinstance(outcome["ERROR"], str):
        return outcome | {
            "ERROR_DESCRIPTION": describe(
                outcome["ERROR"], outcome["ERROR_DESCRIPTION"], language_id
            )
        }
    return outcome
