"""State behind the ``b2bsync.*`` scope: what the ``b2bsync.bridge`` module keeps on a real site.

HL-blocks with their user fields, indexes and rows; uploaded files; mail event types and
templates, the fingerprints the bridge records for its own templates, queued mail events with
their dedup keys. Users live in ``site.users``, not here.

Row values are held in their internal form (``str``, ``int``, ``float``, ``date``, aware
``datetime``, ``None``; a list for a multiple field); :mod:`._bridge_values` converts at the edges.
Tests may inspect and seed everything here directly; a block's rows are a :class:`RowTable`,
written by storing whole rows (``rows[id] = row``), never by changing a stored row's values in
place, so that its id list and unique-value maps stay true.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ._bridge_pages import PageState
from ._paging import IdTable

#: Tables a fresh Bitrix database already has (``TABLE_NAME`` must not reuse one).
SYSTEM_TABLES = frozenset(
    {
        "b_user",
        "b_user_field",
        "b_option",
        "b_event",
        "b_event_type",
        "b_event_message",
        "b_file",
        "b_hlblock_entity",
        "b_sale_order",
        "b_sale_status",
        "b_module_to_module",
        "b2bsync_bridge_mail_dedup",
    }
)

Row = dict[str, Any]
UniqueKey = tuple[Any, ...]


def unique_key(row: Mapping[str, Any], names: tuple[str, ...]) -> UniqueKey | None:
    """The values of ``names`` as the database compares them (strings case-insensitively, as
    MariaDB's default collation); ``None`` when one is NULL (a unique index ignores the row)."""
    values = tuple(row.get(name) for name in names)
    if any(value is None for value in values):
        return None
    return tuple(v.casefold() if isinstance(v, str) else v for v in values)


class RowTable(IdTable[Row]):
    """A block's rows by ID, with hash maps *values of some fields → row IDs* kept up to date
    on every write, so a unique index is checked and an upsert KEY found without a scan.

    A map is built on the first :meth:`lookup` of its field tuple and maintained from then on;
    rows with a NULL in those fields are not in it (:func:`unique_key`).
    """

    __slots__ = ("_maps",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._maps: dict[tuple[str, ...], dict[UniqueKey, list[int]]] = {}
        super().__init__(*args, **kwargs)

    def lookup(self, names: tuple[str, ...], key: UniqueKey) -> list[int]:
        """IDs of the rows whose :func:`unique_key` over ``names`` is ``key``, ascending."""
        found = self._maps.get(names)
        if found is None:
            found = {}
            for row_id, row in self.items():
                _link(found, unique_key(row, names), row_id)
            self._maps[names] = found
        return sorted(found.get(key, ()))

    def __setitem__(self, key: int, value: Row) -> None:
        old = dict.get(self, key)
        super().__setitem__(key, value)
        for names, found in self._maps.items():
            if old is not None:
                _unlink(found, unique_key(old, names), key)
            _link(found, unique_key(value, names), key)

    def __delitem__(self, key: int) -> None:
        old = dict.__getitem__(self, key)
        super().__delitem__(key)
        for names, found in self._maps.items():
            _unlink(found, unique_key(old, names), key)


def _link(found: dict[UniqueKey, list[int]], key: UniqueKey | None, row_id: int) -> None:
    if key is not None:
        found.setdefault(key, []).append(row_id)


def _unlink(found: dict[UniqueKey, list[int]], key: UniqueKey | None, row_id: int) -> None:
    if key is None:
        return
    ids = found[key]
    ids.remove(row_id)
    if not ids:
        del found[key]


@dataclass
class EnumItem:
    id: int
    value: str
    xml_id: str
    sort: int = 500
    default: bool = False


@dataclass
class UserField:
    id: int
    hlblock_id: int
    name: str
    type: str
    multiple: bool = False
    mandatory: bool = False
    sort: int = 100
    xml_id: str | None = None
    show_filter: str = "N"
    show_in_list: bool = True
    edit_in_list: bool = True
    searchable: bool = False
    settings: dict[str, Any] = field(default_factory=dict)
    #: label kind (``EDIT_FORM_LABEL`` …) → language id → text
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    items: list[EnumItem] = field(default_factory=list)


@dataclass(frozen=True)
class HlIndex:
    name: str
    fields: tuple[str, ...]
    unique: bool


@dataclass
class HlBlock:
    id: int
    name: str
    table_name: str
    lang: dict[str, str] = field(default_factory=dict)
    indexes: dict[str, HlIndex] = field(default_factory=dict)
    rows: RowTable = field(default_factory=RowTable)
    next_row_id: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.rows, RowTable):
            self.rows = RowTable(self.rows)


@dataclass
class StoredFile:
    id: int
    name: str
    content: bytes


@dataclass
class MailType:
    id: int
    event_name: str
    lid: str
    name: str
    description: str = ""
    sort: int = 100


@dataclass
class MailTemplate:
    id: int
    event_name: str
    sites: list[str]
    language_id: str
    subject: str
    message: str
    email_to: str
    email_from: str = "#DEFAULT_EMAIL_FROM#"
    bcc: str = ""
    body_type: str = "text"
    active: bool = True


@dataclass
class ManagedTemplate:
    """What the bridge wrote last into one of its own templates (see the contract README)."""

    template_id: int
    fingerprint: str


@dataclass
class SentMail:
    """A queued mail event (``b_event``); ``language_id`` ``None`` means none was given."""

    id: int
    event_name: str
    lid: str
    fields: dict[str, str]
    dedup_key: str | None
    created_at: datetime
    language_id: str | None = None


@dataclass
class RenderedMail:
    """A queued event put through one active template: what the mail agent would send."""

    template_id: int
    email_to: str
    subject: str
    message: str


#: The module's options and their defaults (``default_option.php``): the signed links' base URL,
#: shared secret and lifetime, and where the wake-up pings go (empty: no pings).
DEFAULT_OPTIONS: dict[str, str] = {
    "link_base_url": "",
    "link_secret": "",
    "link_ttl": "86400",
    "sidecar_url": "",
}


@dataclass
class Ping:
    """A wake-up ping the module made after a row was added to a watched block; ``status`` is
    b2bsync's HTTP answer, ``error`` why none came (the module ignores both)."""

    block: str
    row_id: int
    url: str
    body: bytes
    headers: dict[str, str]
    status: int | None = None
    error: str = ""


#: The fresh site's service group (made by the module's installer) and the group the module's
#: settings allow ``user.add`` to use ("B2B buyers"); see ``bridge/contract/README.md``.
SERVICE_GROUP = 5
BUYERS_GROUP = 6


@dataclass
class BridgeAccess:
    """The module's access options: the service group, the HL-blocks b2bsync declared
    (``hl_declared``, written by ``b2bsync.hlblock.declare``) or an administrator allowed
    (``hl_allowed``), and the groups ``user.add`` may use (``user_groups``)."""

    service_group_id: int | None = SERVICE_GROUP
    declared: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)
    user_groups: list[int] = field(default_factory=lambda: [BUYERS_GROUP])

    def block_names(self) -> list[str]:
        return sorted({*self.declared, *self.allowed})


@dataclass
class BridgeState:
    access: BridgeAccess = field(default_factory=BridgeAccess)
    blocks: dict[int, HlBlock] = field(default_factory=dict)
    fields: dict[int, UserField] = field(default_factory=dict)
    files: dict[int, StoredFile] = field(default_factory=dict)
    mail_types: dict[int, MailType] = field(default_factory=dict)
    mail_templates: dict[int, MailTemplate] = field(default_factory=dict)
    managed_templates: dict[str, ManagedTemplate] = field(default_factory=dict)
    sent_mails: list[SentMail] = field(default_factory=list)
    dedup_keys: dict[str, int] = field(default_factory=dict)
    existing_tables: set[str] = field(default_factory=lambda: set(SYSTEM_TABLES))
    counters: dict[str, int] = field(default_factory=dict)
    #: The module's options: those the settings page sets (``DEFAULT_OPTIONS`` until then) and
    #: those b2bsync writes (``b2bsync.option.set``, JSON text), by name.
    options: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_OPTIONS))
    pending_pings: list[Ping] = field(default_factory=list)
    pings: list[Ping] = field(default_factory=list)
    #: The company each user picked last in the cabinet's switcher (a ``b2b_companies`` ID; the
    #: module keeps it as the user option ``b2bsync.bridge``/``company``): the order guard's
    #: current company while that membership is active.
    current_companies: dict[int, int] = field(default_factory=dict)
    #: Sessions, logins and hand-off nonces of the module's invite pages (``_bridge_pages``).
    pages: PageState = field(default_factory=PageState)

    def next_id(self, kind: str) -> int:
        value = self.counters.get(kind, 0) + 1
        self.counters[kind] = value
        return value

    # lookups ----------------------------------------------------------------------------------
    def block_by_name(self, name: str) -> HlBlock | None:
        return next((b for b in self.blocks.values() if b.name == name), None)

    def block_by_table(self, table_name: str) -> HlBlock | None:
        return next((b for b in self.blocks.values() if b.table_name == table_name), None)

    def fields_of(self, block_id: int) -> list[UserField]:
        """The block's fields in the site's order: ``SORT``, then ``ID``."""
        found = [f for f in self.fields.values() if f.hlblock_id == block_id]
        return sorted(found, key=lambda f: (f.sort, f.id))

    def field_named(self, block_id: int, name: str) -> UserField | None:
        return next(
            (f for f in self.fields.values() if f.hlblock_id == block_id and f.name == name), None
        )

    def add_file(self, name: str, content: bytes) -> StoredFile:
        stored = StoredFile(self.next_id("file"), name, content)
        self.files[stored.id] = stored
        return stored

    def mails(self, event_name: str | None = None) -> list[SentMail]:
        """Queued mail events (for test assertions), optionally of one event type."""
        return [m for m in self.sent_mails if event_name is None or m.event_name == event_name]

    def render(self, mail: SentMail) -> list[RenderedMail]:
        """``mail`` through the templates the mail agent picks, ``#MACROS#`` filled.

        As ``\\Bitrix\\Main\\Mail\\Event::handleEvent``: every active template of the event and
        site; when the event has a language, only those of that language or of none (an empty
        ``LANGUAGE_ID``, NULL in ``b_event_message``) — without one, templates of every language.
        """
        out: list[RenderedMail] = []
        for template in sorted(self.mail_templates.values(), key=lambda t: t.id):
            if (
                template.active
                and template.event_name == mail.event_name
                and mail.lid in template.sites
                and (mail.language_id is None or template.language_id in ("", mail.language_id))
            ):
                out.append(
                    RenderedMail(
                        template.id,
                        _fill(template.email_to, mail.fields),
                        _fill(template.subject, mail.fields),
                        _fill(template.message, mail.fields),
                    )
                )
        return out


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(f"#{key}#", value)
    return text
