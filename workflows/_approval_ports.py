"""What the approval workflow keeps in the state store: the status changes b2bsync itself makes
(*moves*), the pending episodes reminders count from, and the one-click links already used.

Rules every implementation keeps (beside :class:`~workflows.WorkflowStore`'s):

- **A move is recorded before it is made.** The status-log watcher stores the moves a section of
  rows calls for in the same transaction as its notifications and its cursor
  (``advance(..., approval=ApprovalEffects(...))``); one move per causing row (its
  ``cause_event`` is unique), so a replayed section records nothing twice. The mover then makes
  it on the site and records the outcome (``finish_move``). Killed in between, the move is
  still ``pending`` and is made again — after checking the order, so never twice.
- **b2bsync recognises its own changes.** A move b2bsync made appears in the status log as a
  change by the service user; the watcher matches it to the open move of the order with that
  target status (``open_moves``) and records the match (``seen``) with its cursor, so its own
  changes are never reverted nor announced.
- **A return to the pending status overtakes.** When someone other than b2bsync puts an order
  back into the pending status, the moves its earlier rows called for are moot (a revert or a
  cancellation made now would undo the decision taken afresh): the watcher records them
  ``overtaken`` with its cursor — a pending one becomes ``skipped`` and is never made, and none
  is matched to a row any more. A move whose row was seen is never made again either: it was.
- **An episode** is an order's stay in the pending status, from the change that put it there;
  a revert does not start a new one (the clock of reminders keeps running). A reminder and an
  escalation are marked on the episode in the same transaction as their notifications, so each
  happens once per episode, whatever the outbox forgets later.
- **A link's nonce is claimed once** (``claim_link`` is an insert on a unique key: of two
  concurrent submits exactly one wins); a claim is released when the action could not be made,
  so a failure never burns the link.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from .notifications import Notification


class MoveKind(StrEnum):
    move_on = "move_on"  # approved: AP → next_status
    revert = "revert"  # not allowed: back to the pending status
    cancel = "cancel"  # rejected: cancel the order with the reason (no status change)


class MoveState(StrEnum):
    pending = "pending"  # recorded, not (known to be) made
    done = "done"  # made, or found already made
    skipped = "skipped"  # the order moved elsewhere meanwhile: nothing to do any more
    failed = "failed"  # gave up after repeated failures (reported by `b2bsync status`)


#: Moves that change the status, so that their status-log row must be recognised.
STATUS_MOVES = (MoveKind.move_on, MoveKind.revert)


@dataclass(frozen=True)
class Move:
    """A change of an order b2bsync makes: ``from_status`` is where the causing row left the
    order, ``to_status`` where the move takes it (for a cancel: the rejected status it stays
    in)."""

    order_id: int
    kind: str
    from_status: str
    to_status: str
    cause_event: int
    actor: int | None = None
    reason: str = ""
    id: int | None = None
    state: str = MoveState.pending
    attempts: int = 0
    last_error: str = ""
    created_at: datetime | None = None
    done_at: datetime | None = None
    seen_event: int | None = None


@dataclass(frozen=True)
class Episode:
    """An order's stay in the pending status."""

    order_id: int
    since: datetime
    cause_event: int | None = None
    reminded_at: datetime | None = None
    escalated_at: datetime | None = None


REMIND, ESCALATE = "remind", "escalate"


@dataclass
class ApprovalEffects:
    """What a section of status-log rows did to the approval state (beside notifications)."""

    moves: list[Move] = field(default_factory=list)
    seen: list[tuple[int, int]] = field(default_factory=list)  # (move id, status-log row id)
    #: in row order: (order, its new episode) when it became pending — replacing any episode
    #: it had — or (order, None) when it was decided
    episodes: list[tuple[int, Episode | None]] = field(default_factory=list)
    #: (move id, status-log row id): open moves a return to the pending status made moot
    overtaken: list[tuple[int, int]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.moves or self.seen or self.episodes or self.overtaken)


@dataclass(frozen=True)
class ApprovalStats:
    reverted: int = 0
    recent_reverts: tuple[Move, ...] = ()
    pending_moves: int = 0
    failed_moves: tuple[Move, ...] = ()
    pending_orders: int = 0
    links_used: int = 0


class ApprovalStore(Protocol):
    def open_moves(self, order_ids: Iterable[int]) -> list[Move]:
        """The open moves of these orders, oldest first: status moves not yet matched to their
        status-log row (pending or done) and cancellations not made yet (pending)."""
        ...

    def due_moves(self, limit: int) -> list[Move]:
        """Pending moves, oldest first."""
        ...

    def finish_move(self, move_id: int, state: str, now: datetime, error: str = "") -> None:
        """Record a move's outcome; ``pending`` with an error counts a failed attempt."""
        ...

    def episodes(self, order_ids: Iterable[int]) -> dict[int, Episode]: ...

    def mark_episode(
        self, episode: Episode, kind: str, notifications: Sequence[Notification], now: datetime
    ) -> int:
        """In one transaction: mark the episode reminded (``REMIND``) or escalated
        (``ESCALATE``) — stored first if it was not — and enqueue ``notifications``; nothing when
        it was marked already. Returns how many notifications were new."""
        ...

    def keep_episodes(self, pending: Iterable[int]) -> int:
        """Forget the episodes of orders no longer pending (every pending order is listed)."""
        ...

    def claim_link(
        self, nonce: str, order_id: int, user_id: int, action: str, now: datetime
    ) -> bool:
        """Record the nonce as used; False when it was (exactly one concurrent claim wins)."""
        ...

    def release_link(self, nonce: str) -> None: ...

    def link_used(self, nonce: str) -> bool: ...

    def approval_stats(self, recent: int = 10) -> ApprovalStats: ...


__all__ = [
    "ESCALATE",
    "REMIND",
    "STATUS_MOVES",
    "ApprovalEffects",
    "ApprovalStats",
    "ApprovalStore",
    "Episode",
    "Move",
    "MoveKind",
    "MoveState",
]
