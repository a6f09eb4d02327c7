"""Invites against the Bitrix fake: a ``requested`` row (as the cabinet writes it) gets a token
whose SHA-256 alone is stored, an expiry and one mail through the outbox; killed between the
site's write and the outbox, the next poll issues a fresh token and still one mail goes; expiry,
resend, revoke, extend."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from workflows import (
    INVITE_EXPIRY,
    INVITES,
    Invitations,
    InviteRows,
    Refused,
    Unavailable,
    invite_key,
)
from workflows.invites import Status

from .conftest import Cabinet

ACCEPT = "https://shop.example.ru/b2bsync/invites/accept"


@pytest.fixture(params=["memory", "sql"])
def cab(request: pytest.FixtureRequest, cabinet: Cabinet, sql_cabinet: Cabinet) -> Cabinet:
    made = cabinet if request.param == "memory" else sql_cabinet
    config = made.service.config
    made.service.config = replace(config, watch=replace(config.watch, accept_url=ACCEPT))
    return made


async def _started(cab: Cabinet) -> None:
    """The invites watcher has run once (it starts at the newest row, as on a live site)."""
    await cab.service.poll(INVITES)


async def _request(cab: Cabinet, email: str = "New.Buyer@Example.ru", index: int = 0) -> int:
    """A requested row as the cabinet's company page writes it."""
    return await InviteRows(cab.bitrix).add_requested(
        cab.company_id(index), email, "buyer", cab.user(index, "owner"), cab.world.now()
    )


def _stored_link(cab: Cabinet, key: str) -> str:
    """The link the state store holds for the mail ``key`` (either store)."""
    store: Any = cab.store
    if hasattr(store, "outbox_entries"):
        (delivery,) = store.outbox_entries(key)
        return str(delivery.notification.fields.get("INVITE_URL", ""))
    note = next(n for n in store.notifications.values() if n.key == key)
    return str(note.fields.get("INVITE_URL", ""))


def _token(mail) -> str:
    link = mail.fields["INVITE_URL"]
    assert link.startswith(ACCEPT + "?token=")
    (token,) = parse_qs(urlsplit(link).query)["token"]
    return token


async def test_a_requested_row_gets_a_token_an_expiry_and_one_mail(cab: Cabinet):
    await _started(cab)
    number = await _request(cab)
    (result,) = await cab.service.poll(INVITES)
    assert (result.read, result.new) == (1, 1)
    report = await cab.service.deliver()
    assert report.delivered == 1
    (mail,) = cab.mails("B2B_COMPANY_INVITE")
    token = _token(mail)
    assert len(token) == 43  # 32 random bytes, URL-safe
    row = cab.world.row("B2bInvites", ID=number)
    assert row is not None
    assert row["UF_TOKEN_HASH"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(row)
    invite = await InviteRows(cab.bitrix).get(number)
    assert invite is not None
    assert invite.status == Status.pending
    assert invite.expires_at == (cab.world.now() + timedelta(hours=72)).replace(microsecond=0)
    assert mail.fields["EMAIL_TO"] == "new.buyer@example.ru"
    assert mail.fields["ROLE_NAME"] == "Закупщик"
    assert (
        mail.fields["COMPANY_NAME"]
        == cab.world.row("B2bCompanies", ID=cab.company_id(0))["UF_NAME"]
    )
    assert mail.language_id == "ru"
    # the row is not read again, and the mail is not sent again
    await cab.service.poll(INVITES)
    await cab.service.deliver()
    assert len(cab.mails("B2B_COMPANY_INVITE")) == 1
    # once the site confirmed the mail, the sweep takes the link out of the state store
    key = invite_key(number, row["UF_TOKEN_HASH"])
    assert _stored_link(cab, key) == mail.fields["INVITE_URL"]
    await cab.service.sweep(INVITE_EXPIRY)
    assert _stored_link(cab, key) == ""


async def test_the_mail_speaks_the_inviters_language(cab: Cabinet):
    cab.world.site.users[cab.user(1, "owner")].language_id = "en"
    await _started(cab)
    await _request(cab, "someone@example.com", index=1)
    await cab.service.poll(INVITES)
    await cab.service.deliver()
    (mail,) = cab.mails("B2B_COMPANY_INVITE")
    assert (mail.language_id, mail.fields["ROLE_NAME"]) == ("en", "Buyer")


async def test_killed_after_the_sites_write_the_next_poll_issues_a_new_token(cab: Cabinet):
    await _started(cab)
    number = await _request(cab)
    # the watcher wrote the hash, then died before the outbox commit: its token is lost
    invitations = Invitations(cab.bitrix, cab.store)
    ctx = cab.service.context()
    lost = await invitations.issue(await InviteRows(cab.bitrix, ctx.directory).get(number), ctx)
    first_hash = cab.world.row("B2bInvites", ID=number)["UF_TOKEN_HASH"]
    assert not cab.store.has_notification(lost.key)
    (result,) = await cab.service.poll(INVITES)
    assert result.new == 1
    await cab.service.deliver()
    (mail,) = cab.mails("B2B_COMPANY_INVITE")
    stored = cab.world.row("B2bInvites", ID=number)["UF_TOKEN_HASH"]
    assert stored != first_hash
    assert stored == hashlib.sha256(_token(mail).encode()).hexdigest()


async def test_an_invite_sent_at_once_is_not_sent_again_by_the_watcher(cab: Cabinet):
    await _started(cab)
    invitations = Invitations(cab.bitrix, cab.store)
    ctx = cab.service.context()
    number = await invitations.create(cab.company_id(0), "x@example.ru", "viewer", None, ctx)
    note = await invitations.send_now(number, ctx)
    assert note is not None
    assert note.key == invite_key(number, note.key.split(":")[3])
    assert await invitations.send_now(number, cab.service.context()) is None
    (result,) = await cab.service.poll(INVITES)
    assert (result.read, result.new) == (1, 0)
    await cab.service.deliver()
    (mail,) = cab.mails("B2B_COMPANY_INVITE")
    # no inviter: the mail names the company
    assert mail.fields["INVITED_BY_NAME"] == mail.fields["COMPANY_NAME"]


async def test_without_an_accept_url_invites_wait(cab: Cabinet):
    config = cab.service.config
    cab.service.config = replace(config, watch=replace(config.watch, accept_url=""))
    await _started(cab)
    number = await _request(cab)
    with pytest.raises(Unavailable, match=r"web\.public_url"):
        await cab.service.poll(INVITES)
    assert cab.world.row("B2bInvites", ID=number)["UF_TOKEN_HASH"]  # the placeholder, untouched
    cab.service.config = config
    (result,) = await cab.service.poll(INVITES)
    assert result.new == 1


async def test_pending_invites_past_their_expiry_become_expired(cab: Cabinet):
    await _started(cab)
    number = await _request(cab)
    await cab.service.poll(INVITES)
    assert await cab.service.sweep(INVITE_EXPIRY) == 0
    cab.world.advance(72 * 3600)
    assert await cab.service.sweep(INVITE_EXPIRY) == 1  # the expiry is its last second
    invite = await InviteRows(cab.bitrix).get(number)
    assert invite is not None
    assert invite.status == Status.expired
    assert await cab.service.sweep(INVITE_EXPIRY) == 0


async def test_resend_revoke_extend(cab: Cabinet):
    await _started(cab)
    number = await _request(cab)
    await cab.service.poll(INVITES)
    invitations = Invitations(cab.bitrix, cab.store)
    ctx = cab.service.context()
    old_hash = cab.world.row("B2bInvites", ID=number)["UF_TOKEN_HASH"]
    new = await invitations.resend(number, ctx)
    assert new > number
    rows = InviteRows(cab.bitrix)
    assert (await rows.get(number)).status == Status.revoked
    assert (await rows.get(new)).status == Status.requested
    await cab.service.poll(INVITES)
    await cab.service.deliver()
    assert len(cab.mails("B2B_COMPANY_INVITE")) == 2
    assert cab.world.row("B2bInvites", ID=new)["UF_TOKEN_HASH"] != old_hash
    with pytest.raises(Refused, match="revoking is final"):
        await invitations.extend(number, timedelta(hours=1), ctx)
    cab.world.advance(80 * 3600)
    await cab.service.sweep(INVITE_EXPIRY)
    ctx = cab.service.context()
    expires = await invitations.extend(new, timedelta(hours=24), ctx)
    assert expires == (cab.world.now() + timedelta(hours=24)).replace(microsecond=0)
    invite = await rows.get(new)
    assert invite is not None
    assert invite.status == Status.pending
    assert invite.expires_at == expires
    await invitations.revoke(new, ctx)
    with pytest.raises(Refused, match="cannot be revoked: it was revoked"):
        await invitations.revoke(new, ctx)
    with pytest.raises(Refused, match="no invite 999"):
        await invitations.revoke(999, ctx)


async def test_create_refuses_an_open_invite_or_a_member(cab: Cabinet):
    invitations = Invitations(cab.bitrix, cab.store)
    ctx = cab.service.context()
    await invitations.create(cab.company_id(0), "dup@example.ru", "buyer", None, ctx)
    with pytest.raises(Refused, match="has an open invite"):
        await invitations.create(cab.company_id(0), " DUP@example.ru ", "viewer", None, ctx)
    member = cab.world.site.users[cab.user(0, "buyer")].email
    with pytest.raises(Refused, match="active member"):
        await invitations.create(cab.company_id(0), member, "viewer", None, ctx)
    with pytest.raises(Refused, match="not an e-mail address"):
        await invitations.create(cab.company_id(0), "nobody", "viewer", None, ctx)
    with pytest.raises(Refused, match="unknown role"):
        await invitations.create(cab.company_id(0), "a@example.ru", "boss", None, ctx)
