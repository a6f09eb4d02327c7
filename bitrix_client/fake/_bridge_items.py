"""``b2bsync.item.*``: rows of HL-blocks (list, get, add, update, delete, upsert)."""

from __future__ import annotations

from typing import Any

from ._api import CallContext, FakeRestError, ListResult, MethodRegistry
from ._bridge_params import (
    ERROR_ARGUMENT,
    ERROR_DUPLICATE,
    ERROR_NOT_FOUND,
    ERROR_UPSERT_AMBIGUOUS,
    ERROR_UPSERT_KEY,
    ERROR_VALIDATION,
    SCOPE,
    Params,
    fail,
    resolve_block,
    upper_keys,
)
from ._bridge_query import MULTIPLE, Columns, list_rows, parse_query
from ._bridge_rows import (
    answer_row,
    commit,
    delete_row,
    fields_by_name,
    prepare,
    same_values,
)
from ._bridge_state import BridgeState, HlBlock, Row, unique_key
from ._bridge_values import BadValue, convert, is_empty

ITEM_METHODS = MethodRegistry()


def _columns(state: BridgeState, block: HlBlock) -> Columns:
    columns = {"ID": "integer"}
    for field in state.fields_of(block.id):
        columns[field.name] = MULTIPLE if field.multiple else field.type
    return columns


def _row(block: HlBlock, row_id: int) -> Row:
    row = block.rows.get(row_id)
    if row is None:
        raise fail(ERROR_NOT_FOUND, f"row {row_id} of {block.name} not found")
    return row


@ITEM_METHODS.add("b2bsync.item.list", SCOPE)
def item_list(ctx: CallContext) -> ListResult:
    params = Params(ctx.params)
    state = ctx.site.bridge
    block = resolve_block(state, params)
    query = parse_query(params.raw, _columns(state, block), ctx.site.tz)
    page = list_rows(block.rows, query, params.get("START"))
    tz = ctx.site.tz
    known = fields_by_name(state, block)
    page.result = [answer_row(state, block, r, query.select, tz, known) for r in page.result]
    return page


@ITEM_METHODS.add("b2bsync.item.get", SCOPE)
def item_get(ctx: CallContext) -> dict[str, Any]:
    params = Params(ctx.params)
    state = ctx.site.bridge
    block = resolve_block(state, params)
    row = _row(block, params.id())
    return answer_row(state, block, row, list(_columns(state, block)), ctx.site.tz)


@ITEM_METHODS.add("b2bsync.item.add", SCOPE)
def item_add(ctx: CallContext) -> int:
    params = Params(ctx.params)
    state = ctx.site.bridge
    block = resolve_block(state, params)
    values = prepare(state, block, params.object("FIELDS"), ctx.site.tz, current=None)
    return commit(state, block, values, row_id=None)


@ITEM_METHODS.add("b2bsync.item.update", SCOPE)
def item_update(ctx: CallContext) -> bool:
    params = Params(ctx.params)
    state = ctx.site.bridge
    block = resolve_block(state, params)
    row = _row(block, params.id())
    values = prepare(state, block, params.object("FIELDS"), ctx.site.tz, current=row)
    commit(state, block, values, row_id=row["ID"])
    return True


@ITEM_METHODS.add("b2bsync.item.delete", SCOPE)
def item_delete(ctx: CallContext) -> bool:
    params = Params(ctx.params)
    state = ctx.site.bridge
    block = resolve_block(state, params)
    delete_row(state, block, _row(block, params.id())["ID"])
    return True


#: Rows one ``item.upsert`` with ``ROWS`` may carry.
MAX_ROWS = 500


@ITEM_METHODS.add("b2bsync.item.upsert", SCOPE)
def item_upsert(ctx: CallContext) -> dict[str, Any] | list[dict[str, Any]]:
    """Find by KEY, then add, update or leave alone (see the contract README, "item.upsert").

    With ``ROWS`` instead of ``FIELDS`` every row is upserted on its own (its own lock and
    transaction on a real site) and the answer lists each row's outcome in order: ``{ID,
    ACTION}``, or ``{ERROR, ERROR_DESCRIPTION}`` for a row that failed — the others still go.
    """
    params = Params(ctx.params)
    state = ctx.site.bridge
    block = resolve_block(state, params)
    if not params.has("ROWS"):
        return _upsert_one(ctx, block, params.get("KEY"), upper_keys(params.object("FIELDS")))
    if params.has("FIELDS"):
        raise fail(ERROR_ARGUMENT, "give FIELDS or ROWS, not both")
    rows = params.get("ROWS")
    if not isinstance(rows, list) or not 1 <= len(rows) <= MAX_ROWS:
        raise fail(ERROR_ARGUMENT, f"ROWS must be a list of 1-{MAX_ROWS} objects")
    out: list[dict[str, Any]] = []
    for raw in rows:
        try:
            if not isinstance(raw, dict):
                raise fail(ERROR_ARGUMENT, "every item of ROWS must be an object")
            out.append(_upsert_one(ctx, block, params.get("KEY"), upper_keys(raw)))
        except FakeRestError as exc:
            out.append({"ERROR": exc.code, "ERROR_DESCRIPTION": exc.description})
    return out


def _upsert_one(
    ctx: CallContext, block: HlBlock, raw_key: object, raw_fields: dict[str, Any]
) -> dict[str, Any]:
    state = ctx.site.bridge
    tz = ctx.site.tz
    key = _key(state, block, raw_key, raw_fields)
    known = fields_by_name(state, block)
    key_values: dict[str, Any] = {}
    for name in key:
        try:
            key_values[name] = convert(known[name], raw_fields[name], tz)
        except BadValue as exc:
            raise fail(ERROR_VALIDATION, f"{name}: {exc}") from None
    matches = _find(block, key, key_values)
    if not matches:
        added = prepare(state, block, raw_fields, tz, current=None)
        try:
            return {"ID": commit(state, block, added, row_id=None), "ACTION": "added"}
        except FakeRestError as exc:
            matches = _find(block, key, key_values) if exc.code == ERROR_DUPLICATE else []
            if not matches:
                raise
    if len(matches) > 1:
        raise fail(ERROR_UPSERT_AMBIGUOUS, f"KEY matches {len(matches)} rows")
    row = matches[0]
    values = prepare(state, block, raw_fields, tz, current=row)
    if all(same_values(state, known[name], value, row.get(name)) for name, value in values.items()):
        return {"ID": row["ID"], "ACTION": "unchanged"}
    commit(state, block, values, row_id=row["ID"])
    return {"ID": row["ID"], "ACTION": "updated"}


def _key(state: BridgeState, block: HlBlock, raw: object, fields: dict[str, Any]) -> list[str]:
    """KEY's field names, checked before any value is converted."""
    if not isinstance(raw, list) or not raw:
        raise fail(ERROR_UPSERT_KEY, "KEY must be a non-empty list of UF_ field names")
    names = [str(item).upper() for item in raw]
    known = fields_by_name(state, block)
    if len(set(names)) != len(names):
        raise fail(ERROR_UPSERT_KEY, "KEY repeats a field")
    for name in names:
        field = known.get(name)
        if field is None or field.multiple or field.type == "file":
            raise fail(ERROR_UPSERT_KEY, f"KEY: {name} is not a single-valued field of the block")
        if is_empty(fields.get(name)):
            raise fail(ERROR_UPSERT_KEY, f"KEY: FIELDS has no value for {name}")
    return names


def _find(block: HlBlock, key: list[str], values: dict[str, Any]) -> list[Row]:
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
