"""The approval workflow's state in the state store (:class:`workflows.ApprovalStore`).

Three tables (migration 0005): ``approval_moves`` (the status changes b2bsync makes, unique on
the status-log row that called for each), ``approval_episodes`` (orders pending since when,
with their reminder and escalation marks) and ``approval_links`` (one-click link nonces used).
:func:`record_effects` runs inside the watcher's ``advance`` transaction, so moves, matches and
episodes are stored if and only if the cursor moved past their rows; a move recorded twice (a
replayed section) is ignored on its unique ``cause_event``. Claiming a link is an insert on its
primary key: of two concurrent claims exactly one commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from workflows import (
    ESCALATE,
    REMIND,
    ApprovalEffects,
    ApprovalStats,
    Episode,
    Move,
    MoveKind,
    MoveState,
    Notification,
)

from ._errors import StoreError
from ._models import approval_episodes, approval_links, approval_moves
from ._outbox import insert_notifications

if TYPE_CHECKING:
    from ._store import Store

_STATUS_MOVES = [MoveKind.move_on.value, MoveKind.revert.value]


def _move(row: Any) -> Move:
    return Move(
        order_id=row.order_id,
        kind=row.kind,
        from_status=row.from_status,
        to_status=row.to_status,
        cause_event=row.cause_event,
        actor=row.actor,
        reason=row.reason,
        id=row.id,
        state=row.state,
        attempts=row.attempts,
        last_error=row.last_error,
        created_at=row.created_at,
        done_at=row.done_at,
        seen_event=row.seen_event,
    )


def _episode(row: Any) -> Episode:
    return Episode(row.order_id, row.since, row.cause_event, row.reminded_at, row.escalated_at)


def record_effects(store: Store, conn: Connection, effects: ApprovalEffects, now: datetime) -> None:
    """Store a section's approval effects in an open transaction."""
    m, e = approval_moves.c, approval_episodes.c
    for move in effects.moves:
        conn.execute(
            store._insert(approval_moves)
            .values(
                order_id=move.order_id,
                kind=str(move.kind),
                from_status=move.from_status,
                to_status=move.to_status,
                cause_event=move.cause_event,
                actor=move.actor,
                reason=move.reason,
                state=MoveState.pending.value,
                attempts=0,
                last_error="",
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["cause_event"])
        )
    for move_id, event in effects.seen:
        conn.execute(
            update(approval_moves)
            .where(m.id == move_id, m.seen_event.is_(None))
            .values(seen_event=event)
        )
    for move_id, event in effects.overtaken:
        conn.execute(
            update(approval_moves)
            .where(m.id == move_id, m.state == MoveState.pending.value)
            .values(state=MoveState.skipped.value, done_at=now)
        )
        conn.execute(
            update(approval_moves)
            .where(m.id == move_id, m.seen_event.is_(None))
            .values(seen_event=event)
        )
    for order_id, episode in effects.episodes:
        conn.execute(delete(approval_episodes).where(e.order_id == order_id))
        if episode is not None:
            conn.execute(
                approval_episodes.insert().values(
                    order_id=order_id, since=episode.since, cause_event=episode.cause_event
                )
            )


class ApprovalTables:
    """The approval half of :class:`~b2bsync.store.SqlWorkflowStore`."""

    store: Store

    def open_moves(self, order_ids: Iterable[int]) -> list[Move]:
        ids = sorted(set(order_ids))
        if not ids:
            return []
        m = approval_moves.c
        out: list[Move] = []
        with self.store.transaction(write=False) as conn:
            for start in range(0, len(ids), 500):
                query = (
                    select(approval_moves)
                    .where(
                        m.order_id.in_(ids[start : start + 500]),
                        m.seen_event.is_(None),
                        (m.state == MoveState.pending.value)
                        | (m.kind.in_(_STATUS_MOVES) & (m.state == MoveState.done.value)),
                    )
                    .order_by(m.id)
                )
                out += [_move(row) for row in conn.execute(query)]
        return sorted(out, key=lambda move: move.id or 0)

    def due_moves(self, limit: int) -> list[Move]:
        m = approval_moves.c
        query = (
            select(approval_moves)
            .where(m.state == MoveState.pending.value)
            .order_by(m.id)
            .limit(limit)
        )
        with self.store.transaction(write=False) as conn:
            return [_move(row) for row in conn.execute(query)]

    def finish_move(self, move_id: int, state: str, now: datetime, error: str = "") -> None:
        m = approval_moves.c
        where = (m.id == move_id) & (m.state == MoveState.pending.value)
        values: dict[str, Any]
        if state == MoveState.pending:
            values = {"attempts": m.attempts + 1, "last_error": error}
        elif state == MoveState.failed:
            values = {"state": state, "attempts": m.attempts + 1, "last_error": error}
            values["done_at"] = now
        else:
            values = {"state": str(state), "done_at": now, "last_error": error}
        with self.store.transaction() as conn:
            conn.execute(update(approval_moves).where(where).values(**values))

    def episodes(self, order_ids: Iterable[int]) -> dict[int, Episode]:
        ids = sorted(set(order_ids))
        out: dict[int, Episode] = {}
        with self.store.transaction(write=False) as conn:
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                query = select(approval_episodes).where(approval_episodes.c.order_id.in_(part))
                out.update({row.order_id: _episode(row) for row in conn.execute(query)})
        return out

    def mark_episode(
        self, episode: Episode, kind: str, notifications: Sequence[Notification], now: datetime
    ) -> int:
        if kind not in (REMIND, ESCALATE):
            raise ValueError(f"unknown mark {kind!r}")
        e = approval_episodes.c
        column = e.reminded_at if kind == REMIND else e.escalated_at
        with self.store.transaction() as conn:
            conn.execute(
                self.store._insert(approval_episodes)
                .values(
                    order_id=episode.order_id, since=episode.since, cause_event=episode.cause_event
                )
                .on_conflict_do_nothing(index_elements=["order_id"])
            )
            marked = conn.execute(
                update(approval_episodes)
                .where(e.order_id == episode.order_id, column.is_(None))
                .values({column.name: now})
            ).rowcount
            if not marked:
                return 0
            return insert_notifications(self.store, conn, notifications)

    def keep_episodes(self, pending: Iterable[int]) -> int:
        keep = set(pending)
        e = approval_episodes.c
        with self.store.transaction() as conn:
            known = [number for (number,) in conn.execute(select(e.order_id))]
            gone = [number for number in known if number not in keep]
            for start in range(0, len(gone), 500):
                conn.execute(
                    delete(approval_episodes).where(e.order_id.in_(gone[start : start + 500]))
                )
        return len(gone)

    def claim_link(
        self, nonce: str, order_id: int, user_id: int, action: str, now: datetime
    ) -> bool:
        try:
            with self.store.transaction() as conn:
                inserted = conn.execute(
                    self.store._insert(approval_links)
                    .values(
                        nonce=nonce, order_id=order_id, user_id=user_id, action=action, used_at=now
                    )
                    .on_conflict_do_nothing(index_elements=["nonce"])
                    .returning(approval_links.c.nonce)
                ).scalar_one_or_none()
        except StoreError as exc:  # a concurrent claim that committed first
            if isinstance(exc.__cause__, IntegrityError):
                return False
            raise
        return inserted is not None

    def release_link(self, nonce: str) -> None:
        with self.store.transaction() as conn:
            conn.execute(delete(approval_links).where(approval_links.c.nonce == nonce))

    def link_used(self, nonce: str) -> bool:
        with self.store.transaction(write=False) as conn:
            found = conn.execute(
                select(approval_links.c.nonce).where(approval_links.c.nonce == nonce)
            ).first()
        return found is not None

    def approval_stats(self, recent: int = 10) -> ApprovalStats:
        m = approval_moves.c
        with self.store.transaction(write=False) as conn:
            reverted = conn.execute(
                select(func.count()).where(m.kind == MoveKind.revert.value)
            ).scalar_one()
            latest = conn.execute(
                select(approval_moves)
                .where(m.kind == MoveKind.revert.value)
                .order_by(m.id.desc())
                .limit(recent)
            )
            reverts = tuple(_move(row) for row in latest)
            pending = conn.execute(
                select(func.count()).where(m.state == MoveState.pending.value)
            ).scalar_one()
            failed = tuple(
                _move(row)
                for row in conn.execute(
                    select(approval_moves).where(m.state == MoveState.failed.value).order_by(m.id)
                )
            )
            episodes = conn.execute(
                select(func.count()).select_from(approval_episodes)
            ).scalar_one()
            links = conn.execute(select(func.count()).select_from(approval_links)).scalar_one()
        return ApprovalStats(
            reverted=int(reverted),
            recent_reverts=reverts,
            pending_moves=int(pending),
            failed_moves=failed,
            pending_orders=int(episodes),
            links_used=int(links),
        )


__all__ = ["ApprovalTables", "record_effects"]
