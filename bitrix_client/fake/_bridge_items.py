"""``b2bsync.item.*``: rows of HL-blocks (list, get, add, update, delete, upsert)."""

from __future__ import annotations

from typing import Any

from ._api import CallContext, ListResult, MethodRegistry
from ._bridge_params import (
    ERROR_NOT_FOUND,
    SCOPE,
    Params,
    fail,
    resolve_block,
)
from ._bridge_query import MULTIPLE, Columns, list_rows, parse_query
from ._bridge_rows import answer_row, commit, delete_row, fields_by_name, prepare
from ._bridge_state import BridgeState, HlBlock, Row
from ._bridge_upsert import upsert

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
    row_id = commit(state, block, values, row_id=None)
    ctx.charge("added")
    return row_id


@ITEM_METHODS.add("b2bsync.item.update", SCOPE)
def item_update(ctx: CallContext) -> bool:
    params = Params(ctx.params)
    state = ctx.site.bridge
    block = resolve_block(state, params)
    row = _row(block, params.id())
    values = prepare(state, block, params.object("FIELDS"), ctx.site.tz, current=row)
    commit(state, block, values, row_id=row["ID"])
    ctx.charge("updated")
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
    """Find by KEY, then add, update or leave alone; ``ROWS`` for a chunk (``_bridge_upsert``)."""
    return upsert(ctx)
