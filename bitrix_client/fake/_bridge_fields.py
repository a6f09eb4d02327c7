"""``b2bsync.hlblock.field.*``: user fields of HL-blocks (``CUserTypeEntity`` on a real site)."""

from __future__ import annotations

from typing import Any

from ._api import CallContext, MethodRegistry
from ._bridge_params import (
    ERROR_ARGUMENT,
    ERROR_FIELD_EXISTS,
    ERROR_FIELD_IMMUTABLE,
    ERROR_FIELD_TYPE,
    ERROR_NOT_FOUND,
    SCOPE,
    Params,
    as_list,
    as_object,
    fail,
    flag,
    lang_map,
    resolve_block_id,
    upper_keys,
    usable,
    yn,
)
from ._bridge_query import parse_query, run_query
from ._bridge_rules import check_field_name
from ._bridge_settings import prepare_settings
from ._bridge_state import BridgeState, EnumItem, UserField
from ._bridge_values import FIELD_TYPES, BadValue, to_int

FIELD_METHODS = MethodRegistry()
FIELD_COLUMNS = {
    "ID": "integer",
    "FIELD_NAME": "string",
    "USER_TYPE_ID": "string",
    "SORT": "integer",
    "XML_ID": "string",
}
LABELS = (
    "EDIT_FORM_LABEL",
    "LIST_COLUMN_LABEL",
    "LIST_FILTER_LABEL",
    "ERROR_MESSAGE",
    "HELP_MESSAGE",
)
FLAGS = ("MANDATORY", "SHOW_IN_LIST", "EDIT_IN_LIST", "IS_SEARCHABLE")
#: Decimal places of a double added without SETTINGS.PRECISION (Bitrix itself would round to 0).
DEFAULT_PRECISION = 2
IMMUTABLE = ("FIELD_NAME", "USER_TYPE_ID", "MULTIPLE")
_IGNORED = frozenset({"ID", "ENTITY_ID"})
_KNOWN = frozenset(
    {*LABELS, *FLAGS, *IMMUTABLE, "SORT", "XML_ID", "SHOW_FILTER", "SETTINGS", "LIST"}
)


def field_answer(field: UserField) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ID": field.id,
        "ENTITY_ID": f"HLBLOCK_{field.hlblock_id}",
        "FIELD_NAME": field.name,
        "USER_TYPE_ID": field.type,
        "XML_ID": field.xml_id,
        "SORT": field.sort,
        "MULTIPLE": yn(field.multiple),
        "MANDATORY": yn(field.mandatory),
        "SHOW_FILTER": field.show_filter,
        "SHOW_IN_LIST": yn(field.show_in_list),
        "EDIT_IN_LIST": yn(field.edit_in_list),
        "IS_SEARCHABLE": yn(field.searchable),
        "SETTINGS": dict(field.settings),
    }
    for label in LABELS:
        out[label] = dict(field.labels.get(label, {}))
    if field.type == "enumeration":
        out["LIST"] = [
            {"ID": i.id, "VALUE": i.value, "XML_ID": i.xml_id, "SORT": i.sort, "DEF": yn(i.default)}
            for i in sorted(field.items, key=lambda i: (i.sort, i.id))
        ]
    return out


def _field(state: BridgeState, params: Params) -> UserField:
    found = state.fields.get(params.id())
    if found is None:
        raise fail(ERROR_NOT_FOUND, "user field not found")
    usable(state, state.blocks[found.hlblock_id])
    return found


@FIELD_METHODS.add("b2bsync.hlblock.field.list", SCOPE)
def field_list(ctx: CallContext) -> list[Any]:
    params = Params(ctx.params)
    state = ctx.site.bridge
    block = resolve_block_id(state, params)
    order = (("SORT", False), ("ID", False))
    query = parse_query(params.raw, FIELD_COLUMNS, ctx.site.tz, default_order=order)
    return list(run_query([field_answer(f) for f in state.fields_of(block.id)], query))


@FIELD_METHODS.add("b2bsync.hlblock.field.get", SCOPE)
def field_get(ctx: CallContext) -> dict[str, Any]:
    return field_answer(_field(ctx.site.bridge, Params(ctx.params)))


@FIELD_METHODS.add("b2bsync.hlblock.field.add", SCOPE)
def field_add(ctx: CallContext) -> int:
    params = Params(ctx.params)
    state = ctx.site.bridge
    block = resolve_block_id(state, params)
    spec = _spec(params)
    name, kind = spec.get("FIELD_NAME"), spec.get("USER_TYPE_ID")
    if not isinstance(name, str) or not isinstance(kind, str):
        raise fail(ERROR_ARGUMENT, "FIELD needs FIELD_NAME and USER_TYPE_ID")
    check_field_name(name)
    if kind not in FIELD_TYPES:
        raise fail(ERROR_FIELD_TYPE, f"{kind} is not a user field type of the site")
    if state.field_named(block.id, name) is not None:
        raise fail(ERROR_FIELD_EXISTS, f"{block.name} already has {name}")
    multiple = flag(spec["MULTIPLE"], "MULTIPLE") if "MULTIPLE" in spec else False
    field = UserField(state.next_id("field"), block.id, name, kind, multiple=multiple)
    field.settings = prepare_settings(
        kind, {"PRECISION": DEFAULT_PRECISION} if kind == "double" else {}
    )
    _apply(state, field, spec)
    state.fields[field.id] = field
    for row in block.rows.values():
        row[name] = [] if multiple else None
    return field.id


@FIELD_METHODS.add("b2bsync.hlblock.field.update", SCOPE)
def field_update(ctx: CallContext) -> bool:
    params = Params(ctx.params)
    state = ctx.site.bridge
    field = _field(state, params)
    spec = _spec(params)
    current = {"FIELD_NAME": field.name, "USER_TYPE_ID": field.type, "MULTIPLE": field.multiple}
    for key in IMMUTABLE:
        if key not in spec:
            continue
        value = flag(spec[key], key) if key == "MULTIPLE" else spec[key]
        if value != current[key]:
            raise fail(ERROR_FIELD_IMMUTABLE, f"{key} of a field never changes")
    _apply(state, field, spec)
    return True


def _spec(params: Params) -> dict[str, Any]:
    spec = upper_keys(params.object("FIELD"))
    for key in spec:
        if key not in _KNOWN and key not in _IGNORED:
            raise fail(ERROR_ARGUMENT, f"FIELD: unknown key {key}")
    return spec


def _apply(state: BridgeState, field: UserField, spec: dict[str, Any]) -> None:
    """Everything but the immutable keys; checked completely before anything changes."""
    flags = {key: flag(spec[key], key) for key in FLAGS if key in spec}
    sort = _int(spec["SORT"], "SORT") if "SORT" in spec else field.sort
    xml_id = spec.get("XML_ID", field.xml_id)
    if xml_id is not None and not isinstance(xml_id, str):
        raise fail(ERROR_ARGUMENT, "XML_ID must be a string")
    show_filter = spec.get("SHOW_FILTER", field.show_filter)
    if show_filter not in {"N", "I", "E", "S"}:
        raise fail(ERROR_ARGUMENT, "SHOW_FILTER must be N, I, E or S")
    if "SETTINGS" in spec:
        settings = dict(as_object(spec["SETTINGS"], "SETTINGS"))
        if field.type == "double" and "PRECISION" not in settings:
            # a double keeps a precision: without one the site rounds to whole numbers
            settings["PRECISION"] = field.settings.get("PRECISION", DEFAULT_PRECISION)
        settings = prepare_settings(field.type, settings)
    else:
        settings = field.settings
    labels = {key: lang_map(spec[key], key) for key in LABELS if key in spec}
    items = _items(state, field, spec["LIST"]) if "LIST" in spec else field.items
    field.mandatory = flags.get("MANDATORY", field.mandatory)
    field.show_in_list = flags.get("SHOW_IN_LIST", field.show_in_list)
    field.edit_in_list = flags.get("EDIT_IN_LIST", field.edit_in_list)
    field.searchable = flags.get("IS_SEARCHABLE", field.searchable)
    field.sort, field.xml_id, field.show_filter, field.settings = (
        sort,
        xml_id,
        show_filter,
        settings,
    )
    for key, texts in labels.items():
        field.labels.setdefault(key, {}).update(texts)
    field.items = items


def _int(value: object, what: str) -> int:
    try:
        return to_int(value)
    except BadValue:
        raise fail(ERROR_ARGUMENT, f"{what} must be an integer") from None


def _items(state: BridgeState, field: UserField, raw: object) -> list[EnumItem]:
    """The field's enumeration items after merging ``LIST`` in by ``XML_ID``."""
    if field.type != "enumeration":
        raise fail(ERROR_ARGUMENT, "LIST is only for enumeration fields")
    merged = {item.xml_id: EnumItem(**vars(item)) for item in field.items}
    seen: set[str] = set()
    for entry in as_list(raw, "LIST"):
        spec = upper_keys(as_object(entry, "LIST item"))
        xml_id = spec.get("XML_ID")
        if not isinstance(xml_id, str) or not xml_id or xml_id in seen:
            raise fail(ERROR_ARGUMENT, "each LIST item needs its own XML_ID")
        seen.add(xml_id)
        value = spec.get("VALUE")
        if "VALUE" in spec and (not isinstance(value, str) or not value):
            raise fail(ERROR_ARGUMENT, "LIST item VALUE must be a non-empty string")
        item = merged.get(xml_id)
        if item is None:
            if not isinstance(value, str):
                raise fail(ERROR_ARGUMENT, "a new LIST item needs a VALUE")
            item = merged[xml_id] = EnumItem(0, value, xml_id)
        elif isinstance(value, str):
            item.value = value
        if "SORT" in spec:
            item.sort = _int(spec["SORT"], "LIST SORT")
        if "DEF" in spec:
            item.default = flag(spec["DEF"], "LIST DEF")
    for item in merged.values():
        if item.id == 0:
            item.id = state.next_id("enum")
    return list(merged.values())
