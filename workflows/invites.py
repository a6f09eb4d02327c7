"""Invites: the state machine of a ``b2b_invites`` row, as data, and the pure decisions on it.

A row's ``UF_STATUS`` moves only along :data:`TRANSITIONS` (state, event) → state:

- ``requested`` — written by the cabinet (or ``b2bsync invite create``) with a placeholder
  hash; ``issue`` gives it a token (32 random bytes; only its SHA-256 is stored), an expiry
  and the mail, and makes it ``pending``;
- ``pending`` — the link works until ``UF_EXPIRES_AT``; ``accept`` makes it ``accepted`` (once),
  ``expire`` (the sweep, after the expiry) ``expired``, ``extend`` moves the expiry, ``resend``
  kills the row's token (``revoked``) and requests a new row, ``revoke`` is final;
- ``expired`` — ``extend`` brings the same link back (``pending``), ``resend`` requests a new one;
- ``accepted`` and ``revoked`` are final.

A pair that is not in the table is refused with a reason (:func:`transition`). What an accept
link may do is :func:`acceptance`: a link whose row says ``pending`` but whose expiry has passed
is expired already, before the sweep gets to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from ._errors import AlreadyUsed, Expired, NotFound, Refused


class Status(StrEnum):
    requested = "requested"
    pending = "pending"
    accepted = "accepted"
    revoked = "revoked"
    expired = "expired"


class Event(StrEnum):
    issue = "issue"
    accept = "accept"
    expire = "expire"
    extend = "extend"
    resend = "resend"
    revoke = "revoke"


_S, _E = Status, Event
#: Every allowed move; anything else is refused.
TRANSITIONS: Mapping[tuple[Status, Event], Status] = MappingProxyType(
    {
        (_S.requested, _E.issue): _S.pending,
        (_S.requested, _E.revoke): _S.revoked,
        # a pending row b2bsync never mailed (killed after writing the hash, or made by hand)
        (_S.pending, _E.issue): _S.pending,
        (_S.pending, _E.accept): _S.accepted,
        (_S.pending, _E.expire): _S.expired,
        (_S.pending, _E.extend): _S.pending,
        (_S.pending, _E.resend): _S.revoked,
        (_S.pending, _E.revoke): _S.revoked,
        (_S.expired, _E.extend): _S.pending,
        (_S.expired, _E.resend): _S.revoked,
        (_S.expired, _E.revoke): _S.revoked,
    }
)

FINAL = frozenset({Status.accepted, Status.revoked})

_REASONS: Mapping[Status, str] = {
    Status.requested: "it has not been sent yet",
    Status.accepted: "it was accepted",
    Status.revoked: "it was revoked (revoking is final)",
    Status.expired: "it has expired",
    Status.pending: "it is pending",
}


def transition(invite_id: int, status: Status | str, event: Event) -> Status:
    """The status after ``event``; :class:`Refused` with the reason when the move is not
    allowed (an unknown status reads as refused too)."""
    try:
        current = Status(status)
    except ValueError:
        raise Refused(f"invite {invite_id} has an unknown status {status!r}") from None
    after = TRANSITIONS.get((current, event))
    if after is None:
        raise Refused(f"invite {invite_id} cannot be {_past(event)}: {_REASONS[current]}")
    return after


def _past(event: Event) -> str:
    return {
        Event.issue: "sent",
        Event.accept: "accepted",
        Event.expire: "expired",
        Event.extend: "extended",
        Event.resend: "sent again",
        Event.revoke: "revoked",
    }[event]


def token_hash(token: str) -> str:
    """What the row stores of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class Invite:
    """One row of ``b2b_invites`` (``role`` and ``status`` as codes)."""

    id: int
    company_id: int
    email: str
    role: str
    status: str
    token_hash: str = ""
    invited_by: int | None = None
    expires_at: datetime | None = None
    accepted_user_id: int | None = None
    created_at: datetime | None = None

    def expired_at(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def to_json(self) -> dict[str, Any]:
        def iso(moment: datetime | None) -> str | None:
            return None if moment is None else moment.isoformat()

        return {
            "id": self.id,
            "company_id": self.company_id,
            "email": self.email,
            "role": self.role,
            "status": self.status,
            "invited_by": self.invited_by,
            "expires_at": iso(self.expires_at),
            "accepted_user_id": self.accepted_user_id,
            "created_at": iso(self.created_at),
        }


class Revoked(Refused):
    """The link's invite was revoked: nothing can bring it back."""


def acceptance(invite: Invite | None, now: datetime) -> Invite:
    """The invite an accept link may still accept, or why not: :class:`NotFound` (no row has
    the token's hash, or it was never sent), :class:`Revoked`, :class:`AlreadyUsed`
    (accepted), :class:`Expired` (by status, or by time before the sweep saw it)."""
    if invite is None or invite.status == Status.requested:
        raise NotFound("no invite has this link")
    if invite.status == Status.revoked:
        raise Revoked(f"invite {invite.id} was revoked")
    if invite.status == Status.accepted:
        raise AlreadyUsed(f"invite {invite.id} was accepted already")
    if invite.status == Status.expired or invite.expired_at(now):
        raise Expired(f"invite {invite.id} has expired")
    if invite.status != Status.pending:
        raise NotFound(f"invite {invite.id} has an unknown status {invite.status!r}")
    return invite


__all__ = [
    "FINAL",
    "TRANSITIONS",
    "Event",
    "Invite",
    "Revoked",
    "Status",
    "acceptance",
    "token_hash",
    "transition",
]
