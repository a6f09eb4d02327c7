"""Accepting an invite against the Bitrix fake, exactly once: the claim, the new user (made once,
even when the request dies halfway), the membership, the owner rule, the site's password
policy; both state stores."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from workflows import (
    INVITES,
    Acceptance,
    AlreadyUsed,
    Busy,
    Expired,
    Invitations,
    InviteRows,
    MemberRows,
    NewUser,
    NotAllowed,
    NotFound,
    PasswordRefused,
    Revoked,
    UserExists,
    token_hash,
)
from workflows.invites import Status
from workflows.roles import LastOwnerError

from .conftest import Cabinet

PERSON = NewUser("Нина", "Новикова", "secret-pass-1")


@pytest.fixture(params=["memory", "sql"])
def cab(request: pytest.FixtureRequest, cabinet: Cabinet, sql_cabinet: Cabinet) -> Cabinet:
    made = cabinet if request.param == "memory" else sql_cabinet
    config = made.service.config
    made.service.config = replace(
        config, watch=replace(config.watch, accept_url="https://b2b.test/invites/accept")
    )
    return made


async def _invite(cab: Cabinet, email: str, role: str = "buyer", index: int = 0) -> str:
    """An issued invite; its token (read from the mail, as the invitee would)."""
    await cab.service.poll(INVITES)
    await InviteRows(cab.bitrix).add_requested(
        cab.company_id(index), email, role, cab.user(index, "owner"), cab.world.now()
    )
    await cab.service.poll(INVITES)
    await cab.service.deliver()
    mail = cab.mails("B2B_COMPANY_INVITE")[-1]
    return mail.fields["INVITE_URL"].split("token=")[1]


def _acceptance(cab: Cabinet, **kw) -> Acceptance:
    return Acceptance(cab.bitrix, cab.store, user_groups=(6,), **kw)


async def test_a_new_user_joins_once(cab: Cabinet):
    token = await _invite(cab, "nina@example.ru")
    users = len(cab.world.site.users)
    done = await _acceptance(cab).accept_new(token, PERSON, cab.world.now())
    assert done.created
    user = cab.world.site.users[done.user_id]
    assert (user.email, user.name, user.last_name) == ("nina@example.ru", "Нина", "Новикова")
    assert 6 in user.group_ids
    assert 1 not in user.group_ids
    assert len(cab.world.site.users) == users + 1
    members = await MemberRows(cab.bitrix).of_company(cab.company_id(0))
    (mine,) = [m for m in members if m.user_id == done.user_id]
    assert (mine.role, mine.active) == ("buyer", True)
    invite = await InviteRows(cab.bitrix).get(done.invite.id)
    assert invite is not None
    assert (invite.status, invite.accepted_user_id) == (Status.accepted, done.user_id)
    claim = cab.store.invite_claim(done.invite.id)
    assert claim is not None
    assert claim.completed
    assert claim.user_id == done.user_id
    with pytest.raises(AlreadyUsed):
        await _acceptance(cab).accept_new(token, PERSON, cab.world.now())
    assert len(cab.world.site.users) == users + 1


async def test_a_second_request_while_the_first_runs_is_busy(cab: Cabinet):
    token = await _invite(cab, "nina@example.ru")
    invite = await InviteRows(cab.bitrix).by_token(token)
    assert invite is not None
    # another request holds the claim right now
    cab.store.claim_invite(
        invite.id, token_hash(token), "other", cab.world.now(), timedelta(minutes=2)
    )
    with pytest.raises(Busy):
        await _acceptance(cab).accept_new(token, PERSON, cab.world.now())
    assert (await InviteRows(cab.bitrix).get(invite.id)).status == Status.pending


async def test_a_request_that_died_after_making_the_user_is_completed_later(cab: Cabinet):
    token = await _invite(cab, "nina@example.ru")
    invite = await InviteRows(cab.bitrix).by_token(token)
    assert invite is not None
    # the dead request made the user and remembered it, then died before the membership
    made = await cab.bitrix.bridge.user_add(
        "nina@example.ru", name="Нина", last_name="", password="secret-pass-1", group_ids=[6]
    )
    cab.store.claim_invite(
        invite.id, token_hash(token), "dead", cab.world.now(), timedelta(minutes=2)
    )
    assert cab.store.set_claim_user(invite.id, "dead", made)
    users = len(cab.world.site.users)
    with pytest.raises(Busy):
        await _acceptance(cab).accept_new(token, PERSON, cab.world.now())
    cab.world.advance(121)
    done = await _acceptance(cab).accept_new(token, PERSON, cab.world.now())
    assert done.user_id == made
    assert len(cab.world.site.users) == users  # not made twice
    assert not cab.store.complete_claim(invite.id, "dead", made, cab.world.now())  # fenced off
    assert (await InviteRows(cab.bitrix).get(invite.id)).status == Status.accepted


async def test_the_sites_password_policy_refuses_and_the_form_can_be_sent_again(cab: Cabinet):
    token = await _invite(cab, "nina@example.ru")
    with pytest.raises(PasswordRefused, match="at least 6 characters"):
        await _acceptance(cab).accept_new(token, NewUser("Нина", "", "123"), cab.world.now())
    invite = await InviteRows(cab.bitrix).by_token(token)
    assert invite is not None
    assert invite.status == Status.pending
    assert cab.store.invite_claim(invite.id) is None  # released
    done = await _acceptance(cab).accept_new(token, PERSON, cab.world.now())
    assert done.created


async def test_an_address_with_an_account_must_log_in(cab: Cabinet):
    existing = cab.world.site.users[cab.user(1, "accountant")]
    token = await _invite(cab, existing.email.upper())
    with pytest.raises(UserExists):
        await _acceptance(cab).accept_new(token, PERSON, cab.world.now())
    other = cab.user(1, "owner")
    with pytest.raises(NotAllowed):
        await _acceptance(cab).accept_existing(token, other, cab.world.now())
    done = await _acceptance(cab).accept_existing(token, existing.id, cab.world.now())
    assert (done.user_id, done.created) == (existing.id, False)
    members = await MemberRows(cab.bitrix).of_company(cab.company_id(0))
    assert any(m.user_id == existing.id and m.active and m.role == "buyer" for m in members)
    # still a member of their own company: one user, several companies
    theirs = await MemberRows(cab.bitrix).of_user(existing.id)
    assert {m.company_id for m in theirs} == {cab.company_id(0), cab.company_id(1)}


async def test_a_deactivated_member_comes_back_with_the_invites_role(cab: Cabinet):
    member = cab.world.site.users[cab.user(0, "accountant")]
    rows = MemberRows(cab.bitrix)
    (row,) = [m for m in await rows.of_company(cab.company_id(0)) if m.user_id == member.id]
    await cab.bitrix.bridge.item_update("B2bCompanyUsers", row.row_id, {"UF_ACTIVE": 0})
    token = await _invite(cab, member.email, role="buyer")
    await _acceptance(cab).accept_existing(token, member.id, cab.world.now())
    (after,) = [m for m in await rows.of_company(cab.company_id(0)) if m.user_id == member.id]
    assert (after.row_id, after.role, after.active) == (row.row_id, "buyer", True)


async def test_the_last_owner_cannot_be_demoted_by_an_invite(cab: Cabinet):
    owner = cab.world.site.users[cab.user(0, "owner")]
    token = await _invite(cab, owner.email, role="viewer")
    with pytest.raises(LastOwnerError):
        await _acceptance(cab).accept_existing(token, owner.id, cab.world.now())
    invite = await InviteRows(cab.bitrix).by_token(token)
    assert invite is not None
    assert invite.status == Status.pending
    assert cab.store.invite_claim(invite.id) is None


async def test_links_that_accept_nothing_change_nothing(cab: Cabinet):
    token = await _invite(cab, "nina@example.ru")
    accept = _acceptance(cab)
    with pytest.raises(NotFound):
        await accept.open("A" * 43, cab.world.now())
    cab.world.advance(72 * 3600)
    with pytest.raises(Expired):
        await accept.accept_new(token, PERSON, cab.world.now())
    invite = await InviteRows(cab.bitrix).by_token(token)
    assert invite is not None
    ctx = cab.service.context()
    await Invitations(cab.bitrix).revoke(invite.id, ctx)
    users = len(cab.world.site.users)
    with pytest.raises(Revoked):
        await accept.accept_new(token, PERSON, cab.world.now())
    assert len(cab.world.site.users) == users
    assert cab.store.invite_claim(invite.id) is None
