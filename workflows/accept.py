"""Accepting an invite: the user (new, or the one logged in on the store), the membership row,
the invite ``accepted`` — exactly once, even when two tabs submit at the same moment.

In order, for one request (its own random ``holder``):

1. the link's row (by the token's hash) may still be accepted (:func:`workflows.invites.
   acceptance`: not unknown, revoked, accepted or expired);
2. **the claim** in the state store (``INSERT … ON CONFLICT DO NOTHING``): one request wins; the
   other learns the invite is accepted (:class:`~workflows.AlreadyUsed`) or being accepted right
   now (:class:`Busy`). A claim left by a request that died is taken over after
   ``claim_stale``;
3. the user: a new e-mail gets a site user through ``b2bsync.user.add`` (name, the password
   the site's policy checks, the configured groups) — refused by the site, the claim is
   released and the form shows the site's reason; an existing user must be the one logged in on
   the store, whose e-mail is the invite's;
4. the membership row (upsert on company + user; an existing row gets the invite's role and is
   active again — unless that would leave the company without an active owner), then the
   invite ``accepted`` with ``UF_ACCEPTED_USER_ID``;
5. the claim completed.

Every write from 3 on is idempotent, and the claim remembers the user once made, so a request
killed anywhere in 3–5 is completed by the next submit after ``claim_stale`` (the new user is
not made twice). A user made by a request killed before the claim remembered it cannot be told
from someone else's account: the next submit asks that address to log in instead.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import structlog

from bitrix_client import BitrixClient, BitrixError, RejectedError

from ._directory import Directory
from ._errors import AlreadyUsed, NotAllowed, Refused, Unavailable
from ._invite_rows import InviteRows
from ._member_rows import MemberRows
from ._people_ports import InviteStore
from .invites import Invite, Status, acceptance
from .members import Write
from .roles import ensure_owner_remains, role_of

log = structlog.get_logger("workflows")

CLAIM_STALE = timedelta(minutes=2)


class Busy(AlreadyUsed):
    """Another request is accepting this invite right now."""


class UserExists(Refused):
    """The new-user form names an address that has a site account: log in instead."""


class PasswordRefused(Refused):
    """The site refused the new user (its password policy, its login rules): the reason is
    the site's own text."""


@dataclass(frozen=True)
class NewUser:
    name: str
    last_name: str
    password: str


@dataclass(frozen=True)
class Accepted:
    invite: Invite
    user_id: int
    created: bool  # a new site user was made


@dataclass
class Acceptance:
    bitrix: BitrixClient
    store: InviteStore
    user_groups: tuple[int, ...] = ()
    claim_stale: timedelta = CLAIM_STALE
    #: enumeration item IDs → codes shared between requests (they never change)
    enums: dict[tuple[str, str], dict[int, str]] | None = None
    #: the site's languages, shared between requests likewise (filled on first use)
    languages: set[str] = field(default_factory=set)
    directory: Directory = field(init=False)

    def __post_init__(self) -> None:
        self.directory = Directory(self.bitrix, enums=self.enums, languages=self.languages)

    async def open(self, token: str, now: datetime) -> Invite:
        """The invite ``token`` may accept now, or why not (see :func:`acceptance`)."""
        try:
            found = await InviteRows(self.bitrix, self.directory).by_token(token)
        except BitrixError as exc:
            raise Unavailable(f"the store does not answer: {exc}") from exc
        invite = acceptance(found, now)
        claim = self.store.invite_claim(invite.id)
        if claim is not None and claim.completed:
            raise AlreadyUsed(f"invite {invite.id} was accepted already")
        return invite

    async def account(self, email: str) -> int | None:
        """The site user with this e-mail, if any."""
        try:
            user = await self.bitrix.bridge.user_find(email)
        except BitrixError as exc:
            raise Unavailable(f"the store does not answer: {exc}") from exc
        return int(user["ID"]) if user else None

    async def accept_new(self, token: str, person: NewUser, now: datetime) -> Accepted:
        return await self._accept(token, now, person=person)

    async def accept_existing(self, token: str, user_id: int, now: datetime) -> Accepted:
        return await self._accept(token, now, user_id=user_id)

    async def _accept(
        self,
        token: str,
        now: datetime,
        *,
        person: NewUser | None = None,
        user_id: int | None = None,
    ) -> Accepted:
        invite = await self.open(token, now)
        holder = secrets.token_hex(8)
        claimed = self.store.claim_invite(
            invite.id, invite.token_hash, holder, now, self.claim_stale
        )
        if not claimed.won:
            if claimed.claim.completed:
                raise AlreadyUsed(f"invite {invite.id} was accepted already")
            raise Busy(f"invite {invite.id} is being accepted")
        if claimed.taken_over:
            log.warning("invite.claim_taken_over", invite=invite.id)
        try:
            user, created = await self._user(invite, claimed.claim.user_id, person, user_id)
            if not self.store.set_claim_user(invite.id, holder, user):
                raise Busy(f"invite {invite.id} is being accepted")
            await self._membership(invite, user, now)
            await InviteRows(self.bitrix, self.directory).update(
                invite.id, status=Status.accepted, accepted_user_id=user
            )
        except Refused:
            # the account exists, the site refused the password, the wrong account, the last
            # owner: nothing was accepted, the form may be sent again
            self.store.release_claim(invite.id, holder)
            raise
        except BitrixError as exc:
            # the claim stays: the next submit after claim_stale completes what is missing
            raise Unavailable(f"the store does not answer: {exc}") from exc
        self.store.complete_claim(invite.id, holder, user, now)
        log.info("invite.accepted", invite=invite.id, company=invite.company_id, user=user)
        return Accepted(invite, user, created)

    async def _user(
        self,
        invite: Invite,
        remembered: int | None,
        person: NewUser | None,
        user_id: int | None,
    ) -> tuple[int, bool]:
        if remembered is not None:
            if user_id is not None and user_id != remembered:
                raise NotAllowed("the account logged in on the store is not the invited one")
            return remembered, person is not None
        if user_id is not None:
            people = await self.directory.recipients([user_id])
            found = people.get(user_id)
            if found is None or found.email.strip().lower() != invite.email:
                raise NotAllowed("the account logged in on the store is not the invited one")
            return user_id, False
        assert person is not None
        if await self.account(invite.email) is not None:
            raise UserExists(f"{invite.email} has an account on the store: log in there")
        try:
            number = await self.bitrix.bridge.user_add(
                invite.email,
                name=person.name,
                last_name=person.last_name,
                password=person.password,
                group_ids=list(self.user_groups),
            )
        except RejectedError as exc:
            if exc.code == "ERROR_USER_EXISTS":
                raise UserExists(
                    f"{invite.email} has an account on the store: log in there"
                ) from exc
            raise PasswordRefused(_site_reason(exc)) from exc
        return number, True

    async def _membership(self, invite: Invite, user: int, now: datetime) -> None:
        rows = MemberRows(self.bitrix, self.directory)
        members = await rows.of_company(invite.company_id)
        role = role_of(invite.role)
        mine = next((m for m in members if m.user_id == user), None)
        if mine is not None and mine.active and mine.role == role:
            return
        ensure_owner_remains([m.as_member() for m in members], user, role=role, active=True)
        await rows.write(
            Write(
                mine.row_id if mine else 0,
                invite.company_id,
                user,
                {"role": role.value, "active": True},
            ),
            now,
        )


def _site_reason(exc: BitrixError) -> str:
    text = str(getattr(exc, "description", "") or exc)
    return " ".join(text.split()) or "the store refused the new account"


__all__ = [
    "CLAIM_STALE",
    "Acceptance",
    "Accepted",
    "Busy",
    "NewUser",
    "PasswordRefused",
    "UserExists",
]
