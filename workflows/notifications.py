"""Notification types as data, and the notifications the outbox delivers.

Every type is one row of :data:`TYPES`: its channels, the one-line text the cabinet's bell shows
(ru/en, ``{FIELD}`` placeholders filled from the mail fields) and which field holds the link. The
mail side of a type is the mail event of the same name (:data:`hl_schemas.MAIL_EVENTS`), so a
notification carries exactly that event's fields and the mail templates installed by
``b2bsync schema apply`` render it.

**The dedup key comes from the business fact** (:func:`dedup_key`): document G ready for user 7
is ``B2B_DOCUMENT_READY:doc:G:7`` whoever produces it and however often, so producing it twice
is harmless — the outbox keeps the first, the bell's row is upserted on ``UF_DEDUP_KEY`` and the
bridge sends a mail once per ``DEDUP_KEY``.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from hl_schemas import Text, mail_event

MAX_KEY = 255
MAX_TEXT = 255


class Channel(StrEnum):
    cabinet = "cabinet"  # a b2b_notifications row, upserted on UF_DEDUP_KEY (the bell)
    mail = "mail"  # b2bsync.mail.send with DEDUP_KEY and the recipient's LANGUAGE_ID


BOTH = (Channel.cabinet, Channel.mail)


@dataclass(frozen=True)
class NotificationType:
    """One kind of notification: where it goes and what the bell says."""

    name: str
    channels: tuple[Channel, ...]
    text: Text
    link_field: str

    def fields(self) -> tuple[str, ...]:
        """The mail event's fields: exactly what a notification of this type carries."""
        return mail_event(self.name).field_names()


def _type(name: str, ru: str, en: str, link: str, channels: tuple[Channel, ...] = BOTH) -> Any:
    return NotificationType(name, channels, Text(ru, en), link)


#: Every type of DESIGN §8. The invite goes by mail only: the invitee has no account yet.
TYPES: Mapping[str, NotificationType] = MappingProxyType(
    {
        t.name: t
        for t in (
            _type(
                "B2B_COMPANY_INVITE",
                "Приглашение в компанию {COMPANY_NAME}",
                "Invitation to {COMPANY_NAME}",
                "INVITE_URL",
                (Channel.mail,),
            ),
            _type(
                "B2B_ORDER_CREATED",
                "Новый заказ №{ORDER_NUMBER}: {BUYER_NAME}",
                "New order {ORDER_NUMBER} by {BUYER_NAME}",
                "ORDER_URL",
            ),
            _type(
                "B2B_ORDER_APPROVAL_REQUIRED",
                "Заказ №{ORDER_NUMBER} ждёт согласования",
                "Order {ORDER_NUMBER} needs your approval",
                "ORDER_URL",
            ),
            _type(
                "B2B_ORDER_APPROVED",
                "Заказ №{ORDER_NUMBER} согласован",
                "Order {ORDER_NUMBER} approved",
                "ORDER_URL",
            ),
            _type(
                "B2B_ORDER_REJECTED",
                "Заказ №{ORDER_NUMBER} отклонён: {REASON}",
                "Order {ORDER_NUMBER} rejected: {REASON}",
                "ORDER_URL",
            ),
            _type(
                "B2B_ORDER_STATUS_CHANGED",
                "Заказ №{ORDER_NUMBER}: {STATUS_NAME}",
                "Order {ORDER_NUMBER}: {STATUS_NAME}",
                "ORDER_URL",
            ),
            _type(
                "B2B_ORDER_COMMENT",
                "Комментарий к заказу №{ORDER_NUMBER}: {AUTHOR_NAME}",
                "Comment on order {ORDER_NUMBER} by {AUTHOR_NAME}",
                "ORDER_URL",
            ),
            _type(
                "B2B_DOCUMENT_READY",
                "{DOC_TYPE_NAME} №{DOC_NUMBER} от {DOC_DATE}",
                "{DOC_TYPE_NAME} {DOC_NUMBER} of {DOC_DATE}",
                "DOC_URL",
            ),
            _type(
                "B2B_CREDIT_BLOCKED",
                "Заказы компании {COMPANY_NAME} заблокированы: {BLOCK_REASON}",
                "Ordering blocked for {COMPANY_NAME}: {BLOCK_REASON}",
                "FINANCE_URL",
            ),
        )
    }
)


def notification_type(name: str) -> NotificationType:
    try:
        return TYPES[name]
    except KeyError:
        raise ValueError(f"unknown notification type {name!r}") from None


def dedup_key(type_name: str, fact: str, user_id: int) -> str:
    """The key of ``fact`` (e.g. ``doc:<guid>``) for one recipient of one type."""
    notification_type(type_name)
    key = f"{type_name}:{fact}:{user_id}"
    if len(key) > MAX_KEY or not fact or any(c.isspace() for c in fact):
        raise ValueError(f"a dedup key is 1-{MAX_KEY} characters without spaces, got {key!r}")
    return key


@dataclass(frozen=True)
class Recipient:
    """Who gets it: the site user, the e-mail to write to and the language to write in."""

    user_id: int
    email: str
    name: str
    language: str


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Notification:
    """One notification for one recipient. ``fields`` are the mail event's fields other than
    the recipient's own (``EMAIL_TO``, ``USER_NAME``), which come from :attr:`recipient`."""

    key: str
    type: str
    recipient: Recipient
    fields: Mapping[str, str] = field(default_factory=dict)
    created_at: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        kind = notification_type(self.type)
        allowed = set(kind.fields())
        unknown = set(self.fields) - allowed
        if unknown:
            raise ValueError(f"{self.type} has no fields {sorted(unknown)}")
        if not 1 <= len(self.key) <= MAX_KEY:
            raise ValueError(f"dedup key of 1-{MAX_KEY} characters expected, got {self.key!r}")
        object.__setattr__(self, "fields", MappingProxyType(dict(self.fields)))

    @property
    def kind(self) -> NotificationType:
        return notification_type(self.type)

    def channels(self) -> tuple[Channel, ...]:
        """The type's channels; no mail for a recipient without an e-mail address."""
        return tuple(c for c in self.kind.channels if c != Channel.mail or self.recipient.email)

    def mail_fields(self) -> dict[str, str]:
        """Every field of the mail event, the recipient's included ("" where unknown)."""
        given = {**self.fields, "EMAIL_TO": self.recipient.email, "USER_NAME": self.recipient.name}
        return {name: str(given.get(name, "")) for name in self.kind.fields()}

    def text(self) -> str:
        """The bell's line in the recipient's language."""
        template = self.kind.text.get(self.recipient.language)
        filled = string.Formatter().vformat(template, (), _Blank(self.mail_fields()))
        return " ".join(filled.split())[:MAX_TEXT]

    def link(self) -> str:
        return self.mail_fields().get(self.kind.link_field, "")


def addressed(
    type_name: str,
    fact: str,
    recipients: Iterable[Recipient | None],
    fields: Callable[[Recipient], Mapping[str, str]],
    now: datetime | None,
) -> list[Notification]:
    """One notification of ``type_name`` about ``fact`` for each recipient, each user once
    (``None`` — a user the site does not know — is skipped); ``fields`` writes the mail fields
    for one recipient (in their language)."""
    out: list[Notification] = []
    seen: set[int] = set()
    for recipient in recipients:
        if recipient is None or recipient.user_id in seen:
            continue
        seen.add(recipient.user_id)
        out.append(
            Notification(
                key=dedup_key(type_name, fact, recipient.user_id),
                type=type_name,
                recipient=recipient,
                fields=fields(recipient),
                created_at=now,
            )
        )
    return out


__all__ = [
    "BOTH",
    "TYPES",
    "Channel",
    "Notification",
    "NotificationType",
    "Recipient",
    "addressed",
    "dedup_key",
    "notification_type",
]
