"""What the company-users and invite workflows keep in the state store, as protocols.

:class:`~workflows.WorkflowStore` includes both; ``b2bsync.store`` implements them over SQL,
:mod:`workflows.testing` in memory. The rules every implementation keeps:

- **The members snapshot moves with its cursor and its reports.** ``save_members`` is one
  transaction: the rows seen, the cursor (the newest ``UF_UPDATED_AT`` seen and when the last
  full scan ran) and the reports of what was reverted. Killed before it commits, the next poll
  reads the same rows again and compares them with the same snapshot; a revert already written
  on the site then matches the snapshot and is not made twice. A full scan (``full=True``)
  replaces the snapshot: rows it did not see are forgotten.
- **A report is kept once** per (kind, subject); adding it again changes nothing.
- **An invite is claimed once.** ``claim_invite`` inserts the claim or finds it (``INSERT … ON
  CONFLICT DO NOTHING``): exactly one of two concurrent callers wins. The loser learns whether
  the invite was accepted (``completed_at``) or is being accepted. A claim whose holder never
  completed it (killed, or Bitrix failing) may be taken over once it is older than
  ``stale_after``; later writes by the old holder are refused (every claim write names its
  holder). ``release_claim`` gives up a claim nobody completed (the site refused the new user's
  password), so the form can be sent again.
- **An invite's link leaves the state store once its mail is delivered** (``forget_links``):
  until then the outbox must hold it to send the mail.
- Every method commits before it returns; datetimes are timezone-aware.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from .members import Membership


@dataclass(frozen=True)
class MemberCursor:
    """Where the members watcher stands: the newest ``UF_UPDATED_AT`` it saw (``None``: none
    yet) and when its last full scan ran (``None``: never — the next poll is one)."""

    since: datetime | None = None
    full_at: datetime | None = None
    polled_at: datetime | None = None


@dataclass(frozen=True)
class Report:
    """Something a watcher enforced or found wrong, for ``b2bsync status`` and the log."""

    kind: str
    subject: str
    message: str
    created_at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "message": self.message,
            "at": self.created_at.isoformat(),
            "data": dict(self.data),
        }


@dataclass(frozen=True)
class Claim:
    """Who is accepting an invite: the holder (one request's random id) since ``claimed_at``;
    the user it creates or links once known; ``completed_at`` once the invite is accepted."""

    invite_id: int
    token_hash: str
    holder: str
    claimed_at: datetime
    user_id: int | None = None
    completed_at: datetime | None = None

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


@dataclass(frozen=True)
class Claimed:
    """The outcome of ``claim_invite``: the claim as it stands, and whether this caller holds it
    (``taken_over``: from a holder that went silent)."""

    claim: Claim
    won: bool
    taken_over: bool = False


class MemberStore(Protocol):
    def member_snapshot(
        self, company_ids: Sequence[int] | None = None
    ) -> dict[int, list[Membership]]:
        """The rows last seen, by company (these companies, or all)."""
        ...

    def member_cursor(self) -> MemberCursor: ...

    def save_members(
        self,
        rows: Sequence[Membership],
        cursor: MemberCursor,
        reports: Sequence[Report],
        *,
        full: bool,
    ) -> int:
        """In one transaction: the rows into the snapshot (``full``: the snapshot becomes
        exactly ``rows``), the cursor, the new reports. Returns how many reports were new."""
        ...

    def add_reports(self, reports: Sequence[Report]) -> int: ...

    def reports(self, since: datetime | None = None, limit: int = 50) -> list[Report]:
        """The newest reports first (those at or after ``since``)."""
        ...


class InviteStore(Protocol):
    def has_notification(self, key: str) -> bool:
        """Whether the outbox holds (or held, unpruned) a notification with this key."""
        ...

    def claim_invite(
        self, invite_id: int, token_hash: str, holder: str, now: datetime, stale_after: timedelta
    ) -> Claimed: ...

    def set_claim_user(self, invite_id: int, holder: str, user_id: int) -> bool:
        """Remember the user the claim created or links; False when ``holder`` lost it."""
        ...

    def complete_claim(self, invite_id: int, holder: str, user_id: int, now: datetime) -> bool: ...

    def release_claim(self, invite_id: int, holder: str) -> bool: ...

    def invite_claim(self, invite_id: int) -> Claim | None: ...

    def forget_links(self, type_name: str, field: str, since: datetime) -> int:
        """Blank ``field`` of the notifications of ``type_name`` made at or after ``since``
        whose every channel was delivered (the invite link: once the site confirmed the mail,
        the state store need not hold the token). Returns how many were blanked."""
        ...


__all__ = ["Claim", "Claimed", "InviteStore", "MemberCursor", "MemberStore", "Report"]
