"""What the site holds now, as plain values, and the reader that fetches it in two requests.

The planner only ever sees these values, so tests build them by hand. The reader asks for
everything in one ``batch`` (bridge info, HL-blocks, statuses and their names, languages, payer
types, property groups, the ``B2B_COMPANY_ID`` properties, mail types and templates of b2bsync's
events), then the fields and indexes of b2bsync's existing blocks in a second one. A ``sale``
list longer than one page is read to its end with extra requests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog

from bitrix_client import (
    BatchItem,
    BitrixClient,
    Command,
    MethodNotFoundError,
    bridge_not_installed,
    check_bridge_info,
)

from ._desired import Desired
from ._errors import LiveStateError
from ._model import frozen_map

log = structlog.get_logger("hl_schemas")

PAGE = 50


def yes(value: Any) -> bool:
    """Bitrix flags: ``Y``/``N``, booleans, 1/0."""
    if isinstance(value, str):
        return value.strip().upper() in {"Y", "1", "TRUE"}
    return bool(value)


@dataclass(frozen=True)
class LiveEnumValue:
    id: int
    xml_id: str
    value: str
    sort: int = 100
    default: bool = False


@dataclass(frozen=True)
class LiveField:
    id: int
    name: str
    type: str
    mandatory: bool = False
    multiple: bool = False
    settings: Mapping[str, Any] = field(default_factory=frozen_map)
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=frozen_map)
    enum: tuple[LiveEnumValue, ...] = ()


@dataclass(frozen=True)
class LiveIndex:
    name: str
    fields: tuple[str, ...]
    unique: bool = False


@dataclass(frozen=True)
class LiveBlock:
    """An HL-block. ``fields``/``indexes`` are read only for b2bsync's own blocks."""

    id: int
    name: str
    table: str
    lang: Mapping[str, str] = field(default_factory=frozen_map)
    fields: tuple[LiveField, ...] = ()
    indexes: tuple[LiveIndex, ...] = ()


@dataclass(frozen=True)
class LiveLanguage:
    lid: str
    active: bool = True


@dataclass(frozen=True)
class LiveStatus:
    id: str
    type: str
    xml_id: str | None = None
    sort: int | None = None
    color: str | None = None
    notify: bool = False


@dataclass(frozen=True)
class LiveStatusLang:
    status_id: str
    lid: str
    name: str
    description: str | None = None


@dataclass(frozen=True)
class LivePersonType:
    id: int
    name: str
    code: str = ""
    xml_id: str = ""
    active: bool = True

    def as_row(self) -> dict[str, Any]:
        active = "Y" if self.active else "N"
        return {"name": self.name, "code": self.code, "xmlId": self.xml_id, "active": active}


@dataclass(frozen=True)
class LivePropertyGroup:
    id: int
    person_type_id: int
    name: str = ""
    sort: int = 100


@dataclass(frozen=True)
class LiveProperty:
    id: int
    person_type_id: int
    code: str
    type: str = "STRING"
    active: bool = True
    util: bool = True
    multiple: bool = False


@dataclass(frozen=True)
class LiveMailType:
    id: int
    event_name: str
    lid: str
    name: str
    description: str = ""
    sort: int = 100


@dataclass(frozen=True)
class LiveMailTemplate:
    id: int
    event_name: str
    sites: tuple[str, ...]
    language_id: str | None
    content: Mapping[str, str] = field(default_factory=frozen_map)
    managed: bool = False
    edited: bool = False


@dataclass(frozen=True)
class LiveState:
    site_id: str
    languages: tuple[LiveLanguage, ...]
    blocks: tuple[LiveBlock, ...] = ()
    statuses: tuple[LiveStatus, ...] = ()
    status_langs: tuple[LiveStatusLang, ...] = ()
    person_types: tuple[LivePersonType, ...] = ()
    property_groups: tuple[LivePropertyGroup, ...] = ()
    properties: tuple[LiveProperty, ...] = ()
    mail_types: tuple[LiveMailType, ...] = ()
    mail_templates: tuple[LiveMailTemplate, ...] = ()
    #: Module options b2bsync wrote (by name; a missing name was never written); ``None`` when
    #: the bridge cannot store options (an older module).
    module_options: Mapping[str, Any] | None = None
    #: Option names the installed bridge does not know (``option.get`` answered
    #: ``ERROR_ARGUMENT``): a module older than this b2bsync, to be upgraded.
    unknown_options: tuple[str, ...] = ()

    #: The HL-blocks the bridge lets b2bsync use (``b2bsync.info`` ``ACCESS.HLBLOCKS``: declared
    #: or allowed on the module settings page); ``None`` for a bridge without access control.
    usable_blocks: tuple[str, ...] | None = None

    def may_use(self, block_name: str) -> bool:
        return self.usable_blocks is None or block_name in self.usable_blocks

    @property
    def active_languages(self) -> tuple[str, ...]:
        return tuple(lang.lid for lang in self.languages if lang.active)

    @property
    def known_languages(self) -> tuple[str, ...]:
        return tuple(lang.lid for lang in self.languages)


# -- parsing answers -----------------------------------------------------------------------------

TEMPLATE_CONTENT = ("ACTIVE", "EMAIL_FROM", "EMAIL_TO", "BCC", "SUBJECT", "MESSAGE", "BODY_TYPE")
LABEL_KEYS = ("EDIT_FORM_LABEL", "LIST_COLUMN_LABEL", "LIST_FILTER_LABEL", "HELP_MESSAGE")


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _text_map(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}  # PHP sends [] for an empty array
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


def _list(value: Any) -> list[Any]:
    if isinstance(value, Mapping):
        return list(value.values())
    return list(value) if isinstance(value, list) else []


def parse_field(row: Mapping[str, Any]) -> LiveField:
    enum = tuple(
        LiveEnumValue(
            id=_int(item.get("ID")),
            xml_id=str(item.get("XML_ID") or ""),
            value=str(item.get("VALUE") or ""),
            sort=_int(item.get("SORT"), 100),
            default=yes(item.get("DEF")),
        )
        for item in _list(row.get("LIST"))
        if isinstance(item, Mapping)
    )
    settings = row.get("SETTINGS")
    return LiveField(
        id=_int(row.get("ID")),
        name=str(row.get("FIELD_NAME", "")),
        type=str(row.get("USER_TYPE_ID", "")),
        mandatory=yes(row.get("MANDATORY")),
        multiple=yes(row.get("MULTIPLE")),
        settings=frozen_map(settings if isinstance(settings, Mapping) else {}),
        labels=frozen_map({k: frozen_map(_text_map(row.get(k))) for k in LABEL_KEYS}),
        enum=enum,
    )


def parse_index(row: Mapping[str, Any]) -> LiveIndex:
    return LiveIndex(
        name=str(row.get("NAME", "")),
        fields=tuple(str(f) for f in _list(row.get("FIELDS"))),
        unique=yes(row.get("UNIQUE")),
    )


def parse_block(
    row: Mapping[str, Any],
    fields: Sequence[Mapping[str, Any]] = (),
    indexes: Sequence[Mapping[str, Any]] = (),
) -> LiveBlock:
    return LiveBlock(
        id=_int(row.get("ID")),
        name=str(row.get("NAME", "")),
        table=str(row.get("TABLE_NAME", "")),
        lang=frozen_map(_text_map(row.get("LANG"))),
        fields=tuple(parse_field(f) for f in fields),
        indexes=tuple(parse_index(i) for i in indexes),
    )


def parse_template(row: Mapping[str, Any]) -> LiveMailTemplate:
    sites = row.get("LID")
    site_list = [str(s) for s in _list(sites)] if not isinstance(sites, str) else [sites]
    language = row.get("LANGUAGE_ID")
    return LiveMailTemplate(
        id=_int(row.get("ID")),
        event_name=str(row.get("EVENT_NAME", "")),
        sites=tuple(site_list),
        language_id=str(language) if language else None,
        content=frozen_map({k: str(row.get(k) or "") for k in TEMPLATE_CONTENT}),
        managed=yes(row.get("MANAGED")),
        edited=yes(row.get("EDITED")),
    )


def _status(row: Mapping[str, Any]) -> LiveStatus:
    sort = row.get("sort")
    return LiveStatus(
        id=str(row.get("id", "")),
        type=str(row.get("type", "")),
        xml_id=row.get("xmlId") or None,
        sort=None if sort is None else _int(sort),
        color=row.get("color"),
        notify=yes(row.get("notify")),
    )


def _status_lang(row: Mapping[str, Any]) -> LiveStatusLang:
    return LiveStatusLang(
        status_id=str(row.get("statusId", "")),
        lid=str(row.get("lid", "")),
        name=str(row.get("name") or ""),
        description=row.get("description"),
    )


def _person_type(row: Mapping[str, Any]) -> LivePersonType:
    return LivePersonType(
        id=_int(row.get("id")),
        name=str(row.get("name") or ""),
        code=str(row.get("code") or ""),
        xml_id=str(row.get("xmlId") or ""),
        active=yes(row.get("active", "Y")),
    )


def _group(row: Mapping[str, Any]) -> LivePropertyGroup:
    return LivePropertyGroup(
        id=_int(row.get("id")),
        person_type_id=_int(row.get("personTypeId")),
        name=str(row.get("name") or ""),
        sort=_int(row.get("sort"), 100),
    )


def _property(row: Mapping[str, Any]) -> LiveProperty:
    return LiveProperty(
        id=_int(row.get("id")),
        person_type_id=_int(row.get("personTypeId")),
        code=str(row.get("code") or ""),
        type=str(row.get("type") or ""),
        active=yes(row.get("active")),
        util=yes(row.get("util")),
        multiple=yes(row.get("multiple")),
    )


def _mail_type(row: Mapping[str, Any]) -> LiveMailType:
    return LiveMailType(
        id=_int(row.get("ID")),
        event_name=str(row.get("EVENT_NAME", "")),
        lid=str(row.get("LID", "")),
        name=str(row.get("NAME") or ""),
        description=str(row.get("DESCRIPTION") or ""),
        sort=_int(row.get("SORT"), 100),
    )


# -- reading -------------------------------------------------------------------------------------

_SALE_LISTS: Mapping[str, tuple[str, str, Mapping[str, Any]]] = {
    # command name → (method, items key, params)
    "statuses": ("sale.status.list", "statuses", {}),
    "status_langs": ("sale.statusLang.list", "statusLangs", {}),
    "person_types": ("sale.persontype.list", "personTypes", {}),
    "groups": ("sale.propertygroup.list", "propertyGroups", {}),
}


def _rows(result: Any, key: str | None = None) -> list[dict[str, Any]]:
    if key is not None:
        result = result.get(key, []) if isinstance(result, Mapping) else []
    return [dict(r) for r in _list(result) if isinstance(r, Mapping)]


def _unwrap(item: BatchItem) -> Any:
    try:
        return item.unwrap()
    except MethodNotFoundError as exc:
        if item.command.method.startswith("b2bsync."):
            raise bridge_not_installed() from exc
        raise


async def _all_rows(
    client: BitrixClient, item: BatchItem, method: str, key: str, params: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The rows of a ``sale.*`` list answered inside the batch; when it was paged, the other
    pages (``start`` = ``next``, ``next`` + 50 … below ``total``) in one more batch."""
    rows = _rows(_unwrap(item), key)
    if item.next is None:
        return rows
    if item.total is None:
        return await client.list_all(method, dict(params), items_key=key, keyset=False)
    starts = range(item.next, item.total, PAGE)
    pages = await client.batch(
        Command(method, {**params, "start": start}, name=f"p{i}") for i, start in enumerate(starts)
    )
    for page in pages:
        rows += _rows(_unwrap(page), key)
    return rows


async def read_live(client: BitrixClient, desired: Desired) -> LiveState:
    """The site's current state, as far as ``desired`` is concerned."""
    events = [e.name for e in desired.mail_events]
    code = desired.order_property.code
    commands = [
        Command("b2bsync.info", {}, name="info"),
        Command("b2bsync.hlblock.list", {}, name="blocks"),
        Command("sale.statusLang.getListLangs", {}, name="langs"),
        *(Command(m, dict(p), name=n) for n, (m, _k, p) in _SALE_LISTS.items()),
        Command("sale.property.list", {"filter": {"code": code}}, name="properties"),
    ]
    for i, event in enumerate(events):
        commands.append(Command("b2bsync.mail.type.list", {"EVENT_NAME": event}, name=f"mt{i}"))
        commands.append(
            Command("b2bsync.mail.template.list", {"EVENT_NAME": event}, name=f"tpl{i}")
        )
    options = list(desired.module_options)
    for i, name in enumerate(options):
        commands.append(Command("b2bsync.option.get", {"NAME": name}, name=f"opt{i}"))
    items = {item.name: item for item in await client.batch(commands)}

    info = check_bridge_info(_unwrap(items["info"]))
    site_id = str(info.get("SITE_ID") or "")
    if not site_id:
        raise LiveStateError("b2bsync.info names no SITE_ID")
    languages = tuple(
        LiveLanguage(str(r.get("lid", "")), active=yes(r.get("active")))
        for r in _rows(_unwrap(items["langs"]), "langs")
    )
    sale: dict[str, list[dict[str, Any]]] = {}
    for name, (method, key, params) in _SALE_LISTS.items():
        sale[name] = await _all_rows(client, items[name], method, key, params)
    props_params = {"filter": {"code": code}}
    properties = await _all_rows(
        client, items["properties"], "sale.property.list", "properties", props_params
    )
    mail_types: list[LiveMailType] = []
    templates: list[LiveMailTemplate] = []
    for i in range(len(events)):
        mail_types += [_mail_type(r) for r in _rows(_unwrap(items[f"mt{i}"]))]
        templates += [parse_template(r) for r in _rows(_unwrap(items[f"tpl{i}"]))]

    option_items = [items[f"opt{i}"] for i in range(len(options))]
    usable = _usable_blocks(info)
    blocks = await _read_blocks(client, desired, _rows(_unwrap(items["blocks"])), usable)
    live = LiveState(
        site_id=site_id,
        languages=languages,
        blocks=blocks,
        statuses=tuple(_status(r) for r in sale["statuses"]),
        status_langs=tuple(_status_lang(r) for r in sale["status_langs"]),
        person_types=tuple(_person_type(r) for r in sale["person_types"]),
        property_groups=tuple(_group(r) for r in sale["groups"]),
        properties=tuple(_property(r) for r in properties),
        mail_types=tuple(mail_types),
        mail_templates=tuple(templates),
        module_options=_module_options(info, option_items),
        unknown_options=tuple(
            name for name, item in zip(options, option_items, strict=True) if _unknown(item)
        ),
        usable_blocks=usable,
    )
    log.debug(
        "schema.live.read",
        blocks=len(live.blocks),
        statuses=len(live.statuses),
        requests=client.stats.requests,
    )
    return live


def _module_options(info: Mapping[str, Any], items: list[BatchItem]) -> Mapping[str, Any] | None:
    """The stored options by name (``None`` values left out); ``None`` for a bridge without the
    ``options`` feature, whose answers are ``ERROR_METHOD_NOT_FOUND``."""
    if "options" not in _list(info.get("FEATURES")):
        return None
    out: dict[str, Any] = {}
    for item in items:
        if _unknown(item):
            continue
        value = _unwrap(item)
        if value is not None:
            out[str(item.command.params["NAME"])] = value
    return frozen_map(out)


def _unknown(item: BatchItem) -> bool:
    """``option.get`` refused the name: NAME is its only parameter, so ``ERROR_ARGUMENT`` means
    the installed bridge has no such option (it came with a later version)."""
    return item.error is not None and item.error.code == "ERROR_ARGUMENT"


def _usable_blocks(info: Mapping[str, Any]) -> tuple[str, ...] | None:
    access = info.get("ACCESS")
    if not isinstance(access, Mapping):
        return None  # a bridge before 1.1: every block is open
    return tuple(str(name) for name in _list(access.get("HLBLOCKS")))


async def _read_blocks(
    client: BitrixClient,
    desired: Desired,
    rows: list[dict[str, Any]],
    usable: tuple[str, ...] | None,
) -> tuple[LiveBlock, ...]:
    """Every block; fields and indexes of b2bsync's own that the bridge lets it read."""
    ours = {b.name for b in desired.blocks if usable is None or b.name in usable}
    wanted = [r for r in rows if str(r.get("NAME", "")) in ours]
    commands: list[Command] = []
    for i, row in enumerate(wanted):
        block_id = _int(row.get("ID"))
        commands.append(Command("b2bsync.hlblock.field.list", {"HLBLOCK_ID": block_id}, f"f{i}"))
        commands.append(Command("b2bsync.hlblock.index.list", {"HLBLOCK_ID": block_id}, f"x{i}"))
    items = {item.name: item for item in await client.batch(commands)} if commands else {}
    details: dict[int, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
    for i, row in enumerate(wanted):
        fields = _rows(_unwrap(items[f"f{i}"]))
        indexes = _rows(_unwrap(items[f"x{i}"]))
        details[_int(row.get("ID"))] = (fields, indexes)
    out = []
    for row in rows:
        fields, indexes = details.get(_int(row.get("ID")), ([], []))
        out.append(parse_block(row, fields, indexes))
    return tuple(out)
