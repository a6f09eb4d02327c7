"""``b2bsync.hlblock.*`` (blocks) and ``b2bsync.hlblock.index.*`` (their indexes)."""

from __future__ import annotations

from typing import Any

from ._api import CallContext, MethodRegistry
from ._bridge_access import check_new_block, declare
from ._bridge_params import (
    ERROR_ARGUMENT,
    ERROR_HLBLOCK_EXISTS,
    ERROR_INDEX_CONFLICT,
    ERROR_INDEX_DUPLICATE_ROWS,
    ERROR_NOT_FOUND,
    SCOPE,
    Params,
    as_list,
    fail,
    flag,
    lang_map,
    resolve_block_id,
    usable,
    yn,
)
from ._bridge_query import parse_query, run_query
from ._bridge_rows import fields_by_name
from ._bridge_rules import check_block_name, check_index_name, check_table_name
from ._bridge_state import BridgeState, HlBlock, HlIndex, unique_key

BLOCK_METHODS = MethodRegistry()
BLOCK_COLUMNS = {"ID": "integer", "NAME": "string", "TABLE_NAME": "string"}


def block_answer(block: HlBlock) -> dict[str, Any]:
    return {
        "ID": block.id,
        "NAME": block.name,
        "TABLE_NAME": block.table_name,
        "LANG": dict(block.lang),
    }


def _block(state: BridgeState, params: Params) -> HlBlock:
    if params.has("ID"):
        found = state.blocks.get(params.id())
    elif params.has("NAME"):
        found = state.block_by_name(params.string("NAME"))
    else:
        raise fail(ERROR_ARGUMENT, "ID or NAME is required")
    if found is None:
        raise fail(ERROR_NOT_FOUND, "HL-block not found")
    return usable(state, found)


@BLOCK_METHODS.add("b2bsync.hlblock.list", SCOPE)
def hlblock_list(ctx: CallContext) -> list[Any]:
    """Every matching block: metadata lists are short and not paged."""
    query = parse_query(Params(ctx.params).raw, BLOCK_COLUMNS, ctx.site.tz)
    return list(run_query([block_answer(b) for b in ctx.site.bridge.blocks.values()], query))


@BLOCK_METHODS.add("b2bsync.hlblock.get", SCOPE)
def hlblock_get(ctx: CallContext) -> dict[str, Any]:
    return block_answer(_block(ctx.site.bridge, Params(ctx.params)))


@BLOCK_METHODS.add("b2bsync.hlblock.add", SCOPE)
def hlblock_add(ctx: CallContext) -> int:
    params = Params(ctx.params)
    state = ctx.site.bridge
    name = params.string("NAME")
    table_name = params.string("TABLE_NAME")
    check_block_name(name)
    check_table_name(table_name)
    lang = lang_map(params.get("LANG"), "LANG") if params.has("LANG") else {}
    check_new_block(state, name)
    if state.block_by_name(name) is not None:
        raise fail(ERROR_HLBLOCK_EXISTS, f"an HL-block named {name} exists")
    if state.block_by_table(table_name) is not None or table_name in state.existing_tables:
        raise fail(ERROR_HLBLOCK_EXISTS, f"table {table_name} exists")
    block = HlBlock(state.next_id("hlblock"), name, table_name, lang)
    state.blocks[block.id] = block
    state.existing_tables.add(table_name)
    return block.id


@BLOCK_METHODS.add("b2bsync.hlblock.update", SCOPE)
def hlblock_update(ctx: CallContext) -> bool:
    params = Params(ctx.params)
    block = ctx.site.bridge.blocks.get(params.id())
    if block is None:
        raise fail(ERROR_NOT_FOUND, "HL-block not found")
    usable(ctx.site.bridge, block)
    for key, current in (("NAME", block.name), ("TABLE_NAME", block.table_name)):
        if params.has(key) and params.get(key) != current:
            raise fail(ERROR_ARGUMENT, f"{key} cannot be changed")
    if params.has("LANG"):
        block.lang.update(lang_map(params.get("LANG"), "LANG"))
    return True


@BLOCK_METHODS.add("b2bsync.hlblock.declare", SCOPE)
def hlblock_declare(ctx: CallContext) -> list[str]:
    """The blocks b2bsync will use (``schema apply`` declares its own before it adds them)."""
    raw = Params(ctx.params).get("NAMES")
    if not isinstance(raw, list) or not raw or not all(isinstance(n, str) for n in raw):
        raise fail(ERROR_ARGUMENT, "NAMES must list HL-block names")
    for name in raw:
        check_block_name(name)
    return declare(ctx.site.bridge, raw)


@BLOCK_METHODS.add("b2bsync.hlblock.index.list", SCOPE)
def index_list(ctx: CallContext) -> list[dict[str, Any]]:
    block = resolve_block_id(ctx.site.bridge, Params(ctx.params))
    return [_index_answer(block.indexes[name]) for name in sorted(block.indexes)]


def _index_answer(index: HlIndex) -> dict[str, Any]:
    return {"NAME": index.name, "FIELDS": list(index.fields), "UNIQUE": yn(index.unique)}


@BLOCK_METHODS.add("b2bsync.hlblock.index.ensure", SCOPE)
def index_ensure(ctx: CallContext) -> bool:
    params = Params(ctx.params)
    state = ctx.site.bridge
    block = resolve_block_id(state, params)
    name = params.string("NAME")
    check_index_name(name)
    wanted = HlIndex(name, _index_fields(state, block, params), _unique(params))
    existing = block.indexes.get(name)
    if existing is not None:
        if existing != wanted:
            raise fail(ERROR_INDEX_CONFLICT, f"index {name} exists with another definition")
        return True
    if wanted.unique:
        seen: set[tuple[Any, ...]] = set()
        for row in block.rows.values():
            key = unique_key(row, wanted.fields)
            if key is not None and key in seen:
                raise fail(ERROR_INDEX_DUPLICATE_ROWS, f"rows repeat the values of {name}")
            if key is not None:
                seen.add(key)
    block.indexes[name] = wanted
    return True


def _index_fields(state: BridgeState, block: HlBlock, params: Params) -> tuple[str, ...]:
    names = [str(item).upper() for item in as_list(params.get("FIELDS"), "FIELDS")]
    known = fields_by_name(state, block)
    if not names or len(set(names)) != len(names):
        raise fail(ERROR_ARGUMENT, "FIELDS must list distinct UF_ fields")
    for item in names:
        field = known.get(item)
        if field is None or field.multiple:
            raise fail(ERROR_ARGUMENT, f"FIELDS: {item} is not a single-valued field of the block")
    return tuple(names)


def _unique(params: Params) -> bool:
    return flag(params.get("UNIQUE"), "UNIQUE") if params.has("UNIQUE") else False
