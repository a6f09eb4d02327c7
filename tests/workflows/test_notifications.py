"""Notification types as data: every type's bell text and link use fields its mail event
declares, keys come from the business fact, and a notification renders in its recipient's
language."""

from __future__ import annotations

import string
from datetime import UTC, datetime

import pytest

from hl_schemas import MAIL_EVENTS
from workflows import TYPES, Channel, Notification, Recipient, dedup_key

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
RU = Recipient(7, "buyer@romashka.ru", "Иван Петров", "ru")
EN = Recipient(8, "owner@romashka.ru", "Anna Smith", "en")


def test_every_mail_event_is_a_type_and_back():
    assert set(TYPES) == {event.name for event in MAIL_EVENTS}


@pytest.mark.parametrize("name", sorted(TYPES))
def test_texts_and_links_use_declared_fields(name: str):
    kind = TYPES[name]
    fields = set(kind.fields())
    for text in (kind.text.ru, kind.text.en):
        used = {f for _, f, _, _ in string.Formatter().parse(text) if f}
        assert used <= fields, (name, used - fields)
    assert kind.link_field in fields
    assert "EMAIL_TO" in fields


@pytest.mark.parametrize(
    ("name", "channels"),
    [
        ("B2B_COMPANY_INVITE", (Channel.mail,)),
        ("B2B_DOCUMENT_READY", (Channel.cabinet, Channel.mail)),
        ("B2B_CREDIT_BLOCKED", (Channel.cabinet, Channel.mail)),
        ("B2B_ORDER_STATUS_CHANGED", (Channel.cabinet, Channel.mail)),
    ],
)
def test_channels_per_type(name: str, channels: tuple[Channel, ...]):
    assert TYPES[name].channels == channels


def test_the_key_is_the_fact_and_the_recipient():
    assert dedup_key("B2B_DOCUMENT_READY", "doc:abc", 7) == "B2B_DOCUMENT_READY:doc:abc:7"
    with pytest.raises(ValueError, match="dedup key"):
        dedup_key("B2B_DOCUMENT_READY", "doc abc", 7)
    with pytest.raises(ValueError, match="dedup key"):
        dedup_key("B2B_DOCUMENT_READY", "x" * 300, 7)
    with pytest.raises(ValueError, match="unknown notification type"):
        dedup_key("B2B_NOPE", "doc:abc", 7)


def _document(recipient: Recipient) -> Notification:
    return Notification(
        key=dedup_key("B2B_DOCUMENT_READY", "doc:abc", recipient.user_id),
        type="B2B_DOCUMENT_READY",
        recipient=recipient,
        fields={
            "COMPANY_NAME": "ООО «Ромашка»",
            "DOC_TYPE_NAME": "Счёт" if recipient.language == "ru" else "Invoice",
            "DOC_NUMBER": "0000-000123",
            "DOC_DATE": "05.03.2025",
            "DOC_URL": "https://shop.example.ru/personal/b2b/documents/",
        },
        created_at=NOW,
    )


def test_the_bell_text_is_in_the_recipients_language():
    assert _document(RU).text() == "Счёт №0000-000123 от 05.03.2025"
    assert _document(EN).text() == "Invoice 0000-000123 of 05.03.2025"
    assert _document(RU).link() == "https://shop.example.ru/personal/b2b/documents/"


def test_mail_fields_are_exactly_the_events_with_the_recipient():
    fields = _document(RU).mail_fields()
    assert list(fields) == list(TYPES["B2B_DOCUMENT_READY"].fields())
    assert fields["EMAIL_TO"] == "buyer@romashka.ru"
    assert fields["USER_NAME"] == "Иван Петров"
    assert fields["DOC_AMOUNT"] == ""  # not given: empty, never a missing macro


def test_no_mail_channel_without_an_address():
    silent = _document(Recipient(9, "", "Без почты", "ru"))
    assert silent.channels() == (Channel.cabinet,)


def test_unknown_fields_are_refused():
    with pytest.raises(ValueError, match="no fields"):
        Notification(key="k", type="B2B_DOCUMENT_READY", recipient=RU, fields={"ORDER_ID": "1"})
