"""The shapes of the desired state: HL-blocks and fields, statuses, the order property, mail.

Everything here is immutable data. Field types are Bitrix ``USER_TYPE_ID`` values; ``settings``
hold only the keys b2bsync cares about (the rest keep Bitrix's defaults, see
``<Type>Type::prepareSettings`` in ``main/lib/userfield/types``), and only those keys are
compared with the live site.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

FieldType = Literal[
    "string", "integer", "double", "boolean", "datetime", "date", "enumeration", "file"
]
FIELD_TYPES: tuple[FieldType, ...] = (
    "string",
    "integer",
    "double",
    "boolean",
    "datetime",
    "date",
    "enumeration",
    "file",
)

#: Languages every declaration carries text for.
LANGUAGES: tuple[str, ...] = ("ru", "en")


def frozen_map(values: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(values or {}))


@dataclass(frozen=True)
class Text:
    """One text in Russian and English."""

    ru: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang``; languages other than ru get the English text."""
        return self.ru if lang == "ru" else self.en

    def as_dict(self) -> dict[str, str]:
        return {"ru": self.ru, "en": self.en}


@dataclass(frozen=True)
class EnumValue:
    """One value of an ``enumeration`` field. Rows store the value's ID; code uses ``xml_id``."""

    xml_id: str
    value: Text
    sort: int
    default: bool = False


@dataclass(frozen=True)
class Field:
    """A user field of an HL-block.

    ``label`` is the edit-form label; ``column`` (default: ``label``) is used for the list column
    and the filter. ``help`` becomes ``HELP_MESSAGE``, shown beside the field in the admin form.
    """

    name: str
    type: FieldType
    label: Text
    mandatory: bool = False
    multiple: bool = False
    settings: Mapping[str, Any] = field(default_factory=frozen_map)
    enum: tuple[EnumValue, ...] = ()
    help: Text | None = None
    column: Text | None = None
    sort: int = 100

    def labels(self) -> dict[str, Text]:
        """The label texts by Bitrix key."""
        short = self.column or self.label
        out = {
            "EDIT_FORM_LABEL": self.label,
            "LIST_COLUMN_LABEL": short,
            "LIST_FILTER_LABEL": short,
        }
        if self.help is not None:
            out["HELP_MESSAGE"] = self.help
        return out


@dataclass(frozen=True)
class Index:
    """A database index over one or more non-multiple fields, in column order."""

    name: str
    fields: tuple[str, ...]
    unique: bool = False


@dataclass(frozen=True)
class Block:
    """An HL-block: ``name`` is the ORM entity name, ``table`` the database table."""

    name: str
    table: str
    title: Text
    fields: tuple[Field, ...]
    indexes: tuple[Index, ...] = ()

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name}")


@dataclass(frozen=True)
class Status:
    """An order status b2bsync owns. ``key`` is the role in the workflow; ``code`` the
    configurable 1–2 character ID; ``xml_id`` the symbolic name that never changes."""

    key: str
    code: str
    xml_id: str
    name: Text
    description: Text
    color: str
    sort: int
    notify: bool = False
    type: str = "O"


@dataclass(frozen=True)
class OrderProperty:
    """The order property (one per payer type) and the group created for it where none exists."""

    code: str
    name: Text
    description: Text
    group_name: Text
    type: str = "STRING"
    sort: int = 500
    group_sort: int = 900


@dataclass(frozen=True)
class MailField:
    """A ``#FIELD#`` a mail event carries, documented for template editors."""

    name: str
    description: Text


@dataclass(frozen=True)
class MailTemplate:
    """The template text of one language (``#FIELD#`` placeholders, plain text body)."""

    subject: str
    body: str


@dataclass(frozen=True)
class MailEvent:
    """A mail event type (one ``CEventType`` row per language) and its ru/en templates."""

    name: str
    title: Text
    purpose: Text
    fields: tuple[MailField, ...]
    templates: Mapping[str, MailTemplate]
    email_to: str = "#EMAIL_TO#"
    sort: int = 100

    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def description(self, lang: str) -> str:
        """The event type's DESCRIPTION: what it is for, then one line per ``#FIELD#``."""
        lines = [self.purpose.get(lang), ""]
        lines += [f"#{f.name}# - {f.description.get(lang)}" for f in self.fields]
        return "\n".join(lines)
