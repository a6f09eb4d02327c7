"""What the workflows need from the outside: the state store, as a protocol, and a clock.

``b2bsync.store`` implements :class:`WorkflowStore` over SQLAlchemy (SQLite or PostgreSQL);
:mod:`workflows.testing` has an in-memory one. Rules every implementation keeps — they are what
makes "nothing lost, nothing twice" hold when the process is killed at any point:

- **Keys are unique.** ``enqueue`` keeps the first notification of a dedup key and ignores later
  ones (returning how many were new); a fact key is recorded once.
- **A watcher's effects and its cursor move together.** ``advance(watcher, cursor,
  notifications)`` is one transaction: the notifications are in the outbox if and only if the
  cursor moved past the rows that produced them. Killed before it commits, the rows are read
  again and produce the same keys.
- **A channel is done only when the site confirmed it.** ``record`` is called after Bitrix
  answered; killed between the site's write and ``record``, the delivery is due again and is
  sent again — harmless, because the bell's row is upserted on ``UF_DEDUP_KEY`` and the bridge
  sends a mail once per ``DEDUP_KEY``. So each channel of each notification has exactly one
  effect on the site.
- **A failed channel waits, then parks.** ``record`` with ``retry_at`` makes the delivery due
  again at that moment (other channels of the notification are unaffected); without
  ``retry_at`` it is parked with its reason until ``unpark``.
- Every method commits before it returns; datetimes are timezone-aware.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from ._approval_ports import ApprovalEffects, ApprovalStore
from ._people_ports import InviteStore, MemberStore
from .notifications import Channel, Notification

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Delivery:
    """One channel of one stored notification (``notification.id`` is set)."""

    notification: Notification
    channel: Channel
    attempts: int = 0
    due_at: datetime | None = None
    last_error: str = ""
    parked_at: datetime | None = None
    delivered_at: datetime | None = None


@dataclass(frozen=True)
class Outcome:
    """What became of one delivery: ``delivered``, or an error with ``retry_at`` (try again
    then) or without it (park)."""

    notification_id: int
    channel: Channel
    delivered: bool
    error: str = ""
    retry_at: datetime | None = None


@dataclass(frozen=True)
class OutboxStats:
    pending: int = 0
    parked: int = 0
    delivered: int = 0
    oldest_pending: datetime | None = None


@dataclass(frozen=True)
class Fact:
    """A business fact a sync job recorded (``document.ready``, ``credit.blocked``), as the
    facts watcher reads it back from the journal."""

    id: int
    kind: str
    key: str
    data: Mapping[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None


@dataclass(frozen=True)
class WatchState:
    """Where a watcher stands: its cursor, when it moved, and when the watcher last polled."""

    watcher: str
    cursor: int
    updated_at: datetime
    polled_at: datetime


class WorkflowStore(ApprovalStore, InviteStore, MemberStore, Protocol):
    """The outbox, the watchers' cursors and facts here; the approval moves, episodes and link
    nonces in :mod:`workflows._approval_ports`; the company users' snapshot and the invite claims
    in :mod:`workflows._people_ports` (rules in their docstrings)."""

    # outbox
    def enqueue(self, notifications: Sequence[Notification]) -> int:
        """Store new notifications (one delivery per channel, due now); known keys are
        ignored. Returns how many were new."""
        ...

    def due(self, now: datetime, limit: int) -> list[Delivery]:
        """Deliveries neither done nor parked whose time has come, oldest first."""
        ...

    def next_due(self) -> datetime | None:
        """When the earliest waiting delivery falls due (``None``: nothing waits)."""
        ...

    def record(self, outcomes: Sequence[Outcome], now: datetime) -> None: ...

    def parked(self) -> list[Delivery]: ...

    def unpark(self, keys: Sequence[str] | None, now: datetime) -> int:
        """Make parked deliveries due now (of these dedup keys, or all); attempts restart."""
        ...

    def outbox_stats(self) -> OutboxStats: ...

    def prune_outbox(self, before: datetime) -> int:
        """Forget notifications whose every channel was delivered before ``before``."""
        ...

    # watchers
    def watch_cursor(self, watcher: str) -> int | None: ...

    def advance(
        self,
        watcher: str,
        cursor: int,
        notifications: Sequence[Notification],
        now: datetime,
        *,
        approval: ApprovalEffects | None = None,
    ) -> int:
        """In one transaction: enqueue ``notifications``, record the ``approval`` effects
        (:class:`~workflows.ApprovalStore`) and set the watcher's cursor (it also notes the
        poll). Returns how many notifications were new."""
        ...

    def watch_states(self) -> list[WatchState]: ...

    def request_wake(self, watcher: str, now: datetime) -> None:
        """Ask the process running the watchers to poll ``watcher`` now (a ping arrived at
        another process)."""
        ...

    def take_wakes(self) -> set[str]:
        """The watchers asked for since the last call, forgetting the requests."""
        ...

    # the facts journal (written by the sync jobs through the application)
    def facts_after(self, after: int, limit: int) -> list[Fact]: ...

    def newest_fact(self) -> int:
        """The highest fact id (0 when the journal is empty)."""
        ...

    def prune_facts(self, before: datetime, up_to: int) -> int:
        """Forget facts older than ``before`` with id ≤ ``up_to`` (passed by the watcher)."""
        ...


__all__ = [
    "Clock",
    "Delivery",
    "Fact",
    "OutboxStats",
    "Outcome",
    "WatchState",
    "WorkflowStore",
]
