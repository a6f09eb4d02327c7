"""State behind the ``b2bsync.*`` scope: what the ``b2bsync.bridge`` module keeps on a real site.

HL-blocks with their user fields, indexes and rows; uploaded files; mail event types and
templates, the fingerprints the bridge records for its own templates, queued mail events with
their dedup keys. Users live in ``site.users``, not here.

Row values are held in their internal form (``str``, ``int``, ``float``, ``date``, aware
``datetime``, ``None``; a list for a multiple field); :mod:`._bridge_values` converts at the edges.
Tests may inspect and seed everything here directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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
    rows: dict[int, Row] = field(default_factory=dict)
    next_row_id: int = 1


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
    id: int
    event_name: str
    lid: str
    fields: dict[str, str]
    dedup_key: str | None
    created_at: datetime


@dataclass
class RenderedMail:
    """A queued event put through one active template: what the mail agent would send."""

    template_id: int
    email_to: str
    subject: str
    message: str


@dataclass
class BridgeState:
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
        """``mail`` through every active template of its event and site, ``#MACROS#`` filled."""
        out: list[RenderedMail] = []
        for template in sorted(self.mail_templates.values(), key=lambda t: t.id):
            if (
                template.active
                and template.event_name == mail.event_name
                and mail.lid in template.sites
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
