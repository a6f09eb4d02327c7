"""Sending invites: the token, the expiry and the ``B2B_COMPANY_INVITE`` mail; and what an
operator does to an invite (create, revoke, resend, extend).

**Issuing** a ``requested`` row (:meth:`Invitations.issue`): a token of 32 random bytes
(``secrets``), its SHA-256 written to ``UF_TOKEN_HASH`` with ``UF_EXPIRES_AT`` (now + the
configured lifetime) and status ``pending``, then the mail with the accept link
``{accept_url}?token=…`` as an outbox notification — by e-mail (the invitee may not be a site
user yet), in the inviter's language or else the site's default. The link is the only place
the token exists: the site has its hash, the state store has the mail until it is delivered.

**Nothing twice, nothing lost.** The notification's key carries the invite and the first 16
hex digits of the hash it was issued with. The invites watcher (:data:`workflows.watchers.
INVITES`, new rows by ID) issues every ``requested`` row and every ``pending`` row whose
hash has no notification yet: that is a row b2bsync wrote the hash of and was killed before the
mail was stored (the token died with the process; a new one replaces it, and nobody ever held
the old one) or a row someone made by hand. A row whose mail is stored is left alone. The
cursor and the mail commit together (:func:`workflows.poll`). One process issues at a time:
the daemon under its ``workflows`` lease, or ``b2bsync invite create`` when it can take that
lease itself (else it leaves the row to the daemon and wakes it).

**The sweep** (:meth:`Invitations.expire`) marks pending rows past their expiry ``expired``;
the accept page treats them as expired from the moment the time passed, swept or not. The same
sweep blanks the link in the outbox once the site confirmed the mail.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog

from bitrix_client import BitrixClient, BitrixError

from ._context import PolicyContext
from ._cursor import Item
from ._errors import Refused, Unavailable
from ._invite_rows import InviteRows
from ._member_rows import MemberRows
from ._ports import WorkflowStore
from .invites import Event, Invite, Status, token_hash, transition
from .notifications import Notification, Recipient, dedup_key
from .roles import ROLE_TITLES, role_of

log = structlog.get_logger("workflows")

TYPE = "B2B_COMPANY_INVITE"
#: What ``secrets`` makes a token of (32 bytes: 43 URL-safe characters).
TOKEN_BYTES = 32
MAX_EMAIL = 254
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

TokenSource = Callable[[], str]
#: How far back (beyond the links' lifetime) the sweep looks for delivered invite mails.
LINK_MEMORY = timedelta(days=1)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def invite_key(invite_id: int, hash_: str) -> str:
    """The mail's dedup key: one per issued token of one invite."""
    return dedup_key(TYPE, f"invite:{invite_id}:{hash_[:16]}", 0)


def accept_link(accept_url: str, token: str) -> str:
    separator = "&" if "?" in accept_url else "?"
    return f"{accept_url}{separator}token={token}"


def clean_email(email: str) -> str:
    """The address as the rows keep it (trimmed, lower case); :class:`Refused` when it is not
    one."""
    value = email.strip().lower()
    if not value or len(value) > MAX_EMAIL or not _EMAIL.fullmatch(value):
        raise Refused(f"not an e-mail address: {email!r}")
    return value


@dataclass
class Invitations:
    """Issuing, expiring and the operator's actions on invites; ``store`` is the state store
    (the outbox and its keys: needed to issue, not to revoke or extend), ``tokens`` where tokens
    come from (``secrets`` by default)."""

    bitrix: BitrixClient
    store: WorkflowStore | None = None
    tokens: TokenSource = new_token

    def outbox(self) -> WorkflowStore:
        if self.store is None:
            raise TypeError("issuing an invite needs the state store")
        return self.store

    def rows(self, ctx: PolicyContext) -> InviteRows:
        return InviteRows(self.bitrix, ctx.directory)

    # issuing
    def mailed(self, invite: Invite) -> bool:
        return bool(invite.token_hash) and self.outbox().has_notification(
            invite_key(invite.id, invite.token_hash)
        )

    async def issue(self, invite: Invite, ctx: PolicyContext) -> Notification:
        """Give ``invite`` a new token and expiry on the site; the mail to store."""
        transition(invite.id, invite.status, Event.issue)
        accept_url = ctx.config.accept_url
        if not accept_url:
            raise Unavailable("web.public_url is not set: invites wait until it is")
        token = self.tokens()
        hashed = token_hash(token)
        expires = (ctx.now + ctx.config.invite_ttl).replace(microsecond=0)
        try:
            await self.rows(ctx).update(
                invite.id, status=Status.pending, token_hash=hashed, expires_at=expires
            )
        except BitrixError as exc:
            raise Unavailable(f"invite {invite.id}: {exc}") from exc
        issued = Invite(
            invite.id,
            invite.company_id,
            invite.email,
            invite.role,
            Status.pending,
            hashed,
            invite.invited_by,
            expires,
            None,
            invite.created_at,
        )
        log.info("invite.issued", invite=invite.id, company=invite.company_id, expires=expires)
        return await self.notification(issued, token, ctx)

    async def notification(self, invite: Invite, token: str, ctx: PolicyContext) -> Notification:
        directory = ctx.directory
        company = await directory.company(invite.company_id)
        inviter = await directory.recipient(invite.invited_by) if invite.invited_by else None
        language = inviter.language if inviter else ctx.config.default_language
        company_name = company.name if company else ""
        try:
            role_name = ROLE_TITLES[role_of(invite.role)].get(language)
        except Refused:
            role_name = invite.role
        expires = invite.expires_at
        local = expires.astimezone(ctx.config.site_timezone) if expires else None
        return Notification(
            key=invite_key(invite.id, invite.token_hash),
            type=TYPE,
            recipient=Recipient(0, invite.email, invite.email, language),
            fields={
                "COMPANY_NAME": company_name,
                "ROLE_NAME": role_name,
                "INVITED_BY_NAME": inviter.name if inviter else company_name,
                "INVITE_URL": accept_link(ctx.config.accept_url, token),
                "EXPIRES_AT": local.strftime("%d.%m.%Y %H:%M") if local else "",
            },
            created_at=ctx.now,
        )

    async def policy(self, items: Sequence[Item], ctx: PolicyContext) -> list[Notification]:
        """The invites watcher: issue new ``requested`` rows, and ``pending`` ones never mailed."""
        rows = self.rows(ctx)
        out: list[Notification] = []
        for item in items:
            invite = await rows.parse(item.data)
            if invite is None:
                continue
            if invite.status == Status.requested or (
                invite.status == Status.pending and not self.mailed(invite)
            ):
                out.append(await self.issue(invite, ctx))
        return out

    # the sweep
    async def expire(self, ctx: PolicyContext) -> int:
        """Mark pending rows past their expiry ``expired``; how many. Also blank the links of
        delivered invite mails in the outbox (the token need not stay in the state store)."""
        if self.store is not None:
            since = ctx.now - ctx.config.invite_ttl - LINK_MEMORY
            if forgotten := self.store.forget_links(TYPE, "INVITE_URL", since):
                log.info("invite.links_forgotten", count=forgotten)
        rows = self.rows(ctx)
        count = 0
        for invite in await rows.expired_pending(ctx.now):
            await rows.update(invite.id, status=transition(invite.id, invite.status, Event.expire))
            log.info("invite.expired", invite=invite.id, company=invite.company_id)
            count += 1
        return count

    # an operator's actions
    async def create(
        self,
        company_id: int,
        email: str,
        role: str,
        invited_by: int | None,
        ctx: PolicyContext,
    ) -> int:
        """A ``requested`` row (as the cabinet writes one); refused for an address with an open
        invite to the company or that is an active member already."""
        address = clean_email(email)
        code = role_of(role).value
        rows = self.rows(ctx)
        if await rows.listed(
            company_id=company_id, email=address, statuses=(Status.requested, Status.pending)
        ):
            raise Refused(f"{address} has an open invite to company {company_id}")
        user = await self.bitrix.bridge.user_find(address)
        if user is not None:
            members = await MemberRows(self.bitrix, ctx.directory).of_company(company_id)
            if any(m.user_id == int(user["ID"]) and m.active for m in members):
                raise Refused(f"{address} is an active member of company {company_id} already")
        number = await rows.add_requested(company_id, address, code, invited_by, ctx.now)
        log.info("invite.requested", invite=number, company=company_id)
        return number

    async def load(self, invite_id: int, ctx: PolicyContext) -> Invite:
        invite = await self.rows(ctx).get(invite_id)
        if invite is None:
            raise Refused(f"no invite {invite_id}")
        return invite

    async def revoke(self, invite_id: int, ctx: PolicyContext) -> Invite:
        invite = await self.load(invite_id, ctx)
        status = transition(invite.id, invite.status, Event.revoke)
        await self.rows(ctx).update(invite.id, status=status)
        log.info("invite.revoked", invite=invite.id)
        return invite

    async def resend(self, invite_id: int, ctx: PolicyContext) -> int:
        """The old row's token dies (``revoked``) and a new row is requested, as the cabinet
        does: the watcher following new rows by ID sends it."""
        invite = await self.load(invite_id, ctx)
        status = transition(invite.id, invite.status, Event.resend)
        rows = self.rows(ctx)
        await rows.update(invite.id, status=status)
        number = await rows.add_requested(
            invite.company_id, invite.email, invite.role, invite.invited_by, ctx.now
        )
        log.info("invite.resent", invite=invite.id, new=number)
        return number

    async def extend(self, invite_id: int, ttl: timedelta, ctx: PolicyContext) -> datetime:
        """Move the expiry to now + ``ttl``; an expired invite's link works again."""
        if ttl <= timedelta(0):
            raise Refused("the new lifetime must be positive")
        invite = await self.load(invite_id, ctx)
        status = transition(invite.id, invite.status, Event.extend)
        expires = (ctx.now + ttl).replace(microsecond=0)
        await self.rows(ctx).update(invite.id, status=status, expires_at=expires)
        log.info("invite.extended", invite=invite.id, expires=expires)
        return expires

    async def send_now(self, invite_id: int, ctx: PolicyContext) -> Notification | None:
        """Issue ``invite_id`` at once when it still needs it (the CLI holding the lease);
        the notification, already stored in the outbox, or ``None``."""
        invite = await self.load(invite_id, ctx)
        if invite.status == Status.requested or (
            invite.status == Status.pending and not self.mailed(invite)
        ):
            note = await self.issue(invite, ctx)
            self.outbox().enqueue([note])
            return note
        return None


__all__ = [
    "TOKEN_BYTES",
    "TYPE",
    "Invitations",
    "TokenSource",
    "accept_link",
    "clean_email",
    "invite_key",
    "new_token",
]
