"""The watchers' state in the state store: cursors moved with their outbox rows, the facts
journal the sync jobs write, and wake requests between processes.

- ``advance`` is the one transaction of the watcher loop: the notifications go into the outbox,
  the approval workflow's effects into its tables (:mod:`._approvals`) and the cursor moves in
  the same commit (:mod:`workflows._cursor`).
- ``record_facts`` is :class:`jobs.FactSink`: facts insert with ``ON CONFLICT DO NOTHING`` on
  their key. Fact ids must become visible in order, or a watcher reading ``> cursor`` could pass
  a lower id still being committed: SQLite has one writer at a time (``BEGIN IMMEDIATE``), and
  on PostgreSQL every fact-writing transaction takes one advisory lock first.
- ``request_wake`` / ``take_wakes``: a ``b2bsync serve`` running apart from the daemon leaves
  the watcher's name here; the daemon takes it within ``watch.wake_check``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, text

from jobs import Fact as JobFact
from workflows import ApprovalEffects, Fact, Notification, WatchState

from ._approvals import record_effects
from ._models import sync_facts, watch_cursors, watch_wakeups
from ._outbox import insert_notifications

if TYPE_CHECKING:
    from ._store import Store

_FACTS_LOCK = 0x6232_6266_6374  # "b2bfct": serialises fact writers on PostgreSQL


class WatchTables:
    """The watchers' half of :class:`~b2bsync.store.SqlWorkflowStore`."""

    store: Store

    def watch_cursor(self, watcher: str) -> int | None:
        c = watch_cursors.c
        with self.store.transaction(write=False) as conn:
            value: int | None = conn.execute(
                select(c.last_id).where(c.watcher == watcher)
            ).scalar_one_or_none()
        return value

    def advance(
        self,
        watcher: str,
        cursor: int,
        notifications: Sequence[Notification],
        now: datetime,
        *,
        approval: ApprovalEffects | None = None,
    ) -> int:
        c = watch_cursors.c
        with self.store.transaction() as conn:
            before = conn.execute(
                select(c.last_id, c.updated_at).where(c.watcher == watcher)
            ).one_or_none()
            if before is not None and cursor < before.last_id:
                raise ValueError(
                    f"cursor of {watcher} cannot go back ({before.last_id} → {cursor})"
                )
            new = insert_notifications(self.store, conn, notifications)
            if approval:
                record_effects(self.store, conn, approval, now)
            moved = before is None or cursor != before.last_id
            row = {
                "watcher": watcher,
                "last_id": cursor,
                "updated_at": now if moved or before is None else before.updated_at,
                "polled_at": now,
            }
            self.store._upsert(conn, watch_cursors, [row], ("watcher",))
        return new

    def watch_states(self) -> list[WatchState]:
        c = watch_cursors.c
        with self.store.transaction(write=False) as conn:
            rows = conn.execute(select(watch_cursors).order_by(c.watcher))
            return [WatchState(r.watcher, r.last_id, r.updated_at, r.polled_at) for r in rows]

    def request_wake(self, watcher: str, now: datetime) -> None:
        with self.store.transaction() as conn:
            self.store._upsert(
                conn, watch_wakeups, [{"watcher": watcher, "requested_at": now}], ("watcher",)
            )

    def take_wakes(self) -> set[str]:
        with self.store.transaction() as conn:
            names = {name for (name,) in conn.execute(select(watch_wakeups.c.watcher))}
            if names:
                conn.execute(delete(watch_wakeups).where(watch_wakeups.c.watcher.in_(names)))
        return names

    # the facts journal
    def record_facts(self, facts: Sequence[JobFact]) -> None:
        if not facts:
            return
        now = self.store.now()
        with self.store.transaction() as conn:
            if self.store.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _FACTS_LOCK})
            for fact in facts:
                conn.execute(
                    self.store._insert(sync_facts)
                    .values(kind=fact.kind, key=fact.key, data=dict(fact.data), created_at=now)
                    .on_conflict_do_nothing(index_elements=["key"])
                )

    def facts_after(self, after: int, limit: int) -> list[Fact]:
        c = sync_facts.c
        query = select(sync_facts).where(c.id > after).order_by(c.id).limit(limit)
        with self.store.transaction(write=False) as conn:
            return [_fact(row) for row in conn.execute(query)]

    def newest_fact(self) -> int:
        with self.store.transaction(write=False) as conn:
            value: int | None = conn.execute(select(func.max(sync_facts.c.id))).scalar_one()
        return value or 0

    def prune_facts(self, before: datetime, up_to: int) -> int:
        """Forget facts older than ``before`` that a watcher has passed (id ≤ ``up_to``)."""
        c = sync_facts.c
        stmt = delete(sync_facts).where(c.created_at < before, c.id <= up_to)
        with self.store.transaction() as conn:
            return int(conn.execute(stmt).rowcount)


def _fact(row: Any) -> Fact:
    return Fact(row.id, row.kind, row.key, dict(row.data or {}), row.created_at)


__all__ = ["WatchTables"]
