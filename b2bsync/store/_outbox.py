"""The notification outbox in the state store (:class:`workflows.WorkflowStore`'s outbox half).

Two tables: ``outbox`` (one row per notification, unique on its dedup key) and
``outbox_deliveries`` (one row per channel: ``pending`` until the site confirmed it, then
``done``; ``parked`` with the reason when it kept failing or was refused). Enqueueing inserts
with ``ON CONFLICT DO NOTHING`` on the key, so producing a notification twice stores it once;
recording an outcome touches only a delivery still ``pending``, so a late or repeated outcome
cannot undo a confirmed one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.engine import Connection, Row

from workflows import Channel, Delivery, Notification, OutboxStats, Outcome, Recipient

from ._models import outbox, outbox_deliveries

if TYPE_CHECKING:
    from ._store import Store

PENDING, DONE, PARKED = "pending", "done", "parked"


def insert_notifications(store: Store, conn: Connection, notes: Sequence[Notification]) -> int:
    """Store ``notes`` in an open transaction (known keys ignored); how many were new."""
    new = 0
    for note in notes:
        if note.created_at is None:
            raise ValueError(f"notification {note.key} has no created_at")
        stmt = (
            store._insert(outbox)
            .values(
                dedup_key=note.key,
                type=note.type,
                user_id=note.recipient.user_id,
                email=note.recipient.email,
                name=note.recipient.name,
                language=note.recipient.language,
                fields=dict(note.fields),
                created_at=note.created_at,
            )
            .on_conflict_do_nothing(index_elements=["dedup_key"])
            .returning(outbox.c.id)
        )
        number = conn.execute(stmt).scalar_one_or_none()
        if number is None:
            continue
        new += 1
        rows = [
            {
                "notification_id": number,
                "channel": channel.value,
                "state": PENDING,
                "attempts": 0,
                "due_at": note.created_at,
                "last_error": "",
            }
            for channel in note.channels()
        ]
        if rows:
            conn.execute(outbox_deliveries.insert(), rows)
    return new


def _notification(row: Row[Any]) -> Notification:
    return Notification(
        key=row.dedup_key,
        type=row.type,
        recipient=Recipient(row.user_id, row.email, row.name, row.language),
        fields=dict(row.fields or {}),
        created_at=row.created_at,
        id=row.id,
    )


def _delivery(row: Row[Any]) -> Delivery:
    return Delivery(
        notification=_notification(row),
        channel=Channel(row.channel),
        attempts=row.attempts,
        due_at=row.due_at,
        last_error=row.last_error,
        parked_at=row.parked_at,
        delivered_at=row.delivered_at,
    )


def _joined() -> Any:
    d = outbox_deliveries.c
    return select(
        outbox,
        d.channel,
        d.attempts,
        d.due_at,
        d.last_error,
        d.parked_at,
        d.delivered_at,
    ).join(outbox_deliveries, d.notification_id == outbox.c.id)


class OutboxTables:
    """The outbox half of :class:`~b2bsync.store.SqlWorkflowStore`."""

    store: Store

    def enqueue(self, notifications: Sequence[Notification]) -> int:
        with self.store.transaction() as conn:
            return insert_notifications(self.store, conn, notifications)

    def due(self, now: datetime, limit: int) -> list[Delivery]:
        d = outbox_deliveries.c
        query = (
            _joined()
            .where(d.state == PENDING, d.due_at <= now)
            .order_by(d.due_at, d.notification_id, d.channel)
            .limit(limit)
        )
        with self.store.transaction(write=False) as conn:
            return [_delivery(row) for row in conn.execute(query)]

    def next_due(self) -> datetime | None:
        d = outbox_deliveries.c
        with self.store.transaction(write=False) as conn:
            value: datetime | None = conn.execute(
                select(func.min(d.due_at)).where(d.state == PENDING)
            ).scalar_one_or_none()
        return value

    def record(self, outcomes: Sequence[Outcome], now: datetime) -> None:
        d = outbox_deliveries.c
        with self.store.transaction() as conn:
            for outcome in outcomes:
                where = and_(
                    d.notification_id == outcome.notification_id,
                    d.channel == outcome.channel.value,
                    d.state == PENDING,
                )
                values: dict[str, Any]
                if outcome.delivered:
                    values = {"state": DONE, "delivered_at": now, "last_error": ""}
                elif outcome.retry_at is not None:
                    values = {
                        "attempts": d.attempts + 1,
                        "due_at": outcome.retry_at,
                        "last_error": outcome.error,
                    }
                else:
                    values = {
                        "state": PARKED,
                        "attempts": d.attempts + 1,
                        "parked_at": now,
                        "last_error": outcome.error,
                    }
                conn.execute(update(outbox_deliveries).where(where).values(**values))

    def parked(self) -> list[Delivery]:
        d = outbox_deliveries.c
        query = _joined().where(d.state == PARKED).order_by(d.parked_at, d.notification_id)
        with self.store.transaction(write=False) as conn:
            return [_delivery(row) for row in conn.execute(query)]

    def unpark(self, keys: Sequence[str] | None, now: datetime) -> int:
        d = outbox_deliveries.c
        stmt = (
            update(outbox_deliveries)
            .where(d.state == PARKED)
            .values(state=PENDING, attempts=0, due_at=now, parked_at=None)
        )
        if keys is not None:
            ids = select(outbox.c.id).where(outbox.c.dedup_key.in_(list(keys)))
            stmt = stmt.where(d.notification_id.in_(ids))
        with self.store.transaction() as conn:
            return int(conn.execute(stmt).rowcount)

    def outbox_stats(self) -> OutboxStats:
        d = outbox_deliveries.c
        with self.store.transaction(write=False) as conn:
            counts: dict[str, int] = {
                state: count
                for state, count in conn.execute(select(d.state, func.count()).group_by(d.state))
            }
            oldest = conn.execute(
                select(func.min(outbox.c.created_at))
                .select_from(outbox.join(outbox_deliveries, d.notification_id == outbox.c.id))
                .where(d.state == PENDING)
            ).scalar_one_or_none()
        return OutboxStats(
            pending=counts.get(PENDING, 0),
            parked=counts.get(PARKED, 0),
            delivered=counts.get(DONE, 0),
            oldest_pending=oldest,
        )

    def prune_outbox(self, before: datetime) -> int:
        d = outbox_deliveries.c
        unfinished = select(d.notification_id).where((d.state != DONE) | (d.delivered_at >= before))
        gone = select(outbox.c.id).where(
            outbox.c.created_at < before, outbox.c.id.not_in(unfinished)
        )
        with self.store.transaction() as conn:
            ids = [number for (number,) in conn.execute(gone)]
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                conn.execute(delete(outbox_deliveries).where(d.notification_id.in_(part)))
                conn.execute(delete(outbox).where(outbox.c.id.in_(part)))
        return len(ids)

    def outbox_entries(self, key: str) -> list[Delivery]:
        """Every delivery of one notification (for ``b2bsync outbox list --key``)."""
        query = _joined().where(outbox.c.dedup_key == key).order_by(outbox_deliveries.c.channel)
        with self.store.transaction(write=False) as conn:
            return [_delivery(row) for row in conn.execute(query)]


__all__ = ["DONE", "PARKED", "PENDING", "OutboxTables", "insert_notifications"]
