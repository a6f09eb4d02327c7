"""The members watcher's state (:class:`workflows.MemberStore`): the snapshot of
``b2b_company_users``, its cursor and the watchers' reports.

``save_members`` is the watcher's one transaction: snapshot rows upserted on (company, user) —
for a full scan the rows it did not see deleted first — the cursor row, and the reports inserted
with ``ON CONFLICT DO NOTHING`` on (kind, subject), so a report is kept once however often the
same revert is seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from workflows import MemberCursor, Membership, Report

from ._models import member_snapshot, member_watch, workflow_reports

if TYPE_CHECKING:
    from ._store import Store

WATCHER = "company_users"
_CHUNK = 500


def _row(row: Any) -> Membership:
    return Membership(
        row_id=row.row_id,
        company_id=row.company_id,
        user_id=row.user_id,
        role=row.role,
        active=bool(row.active),
        order_limit=None if row.order_limit is None else Decimal(row.order_limit),
        updated_at=row.updated_at,
    )


def _values(row: Membership) -> dict[str, Any]:
    return {
        "company_id": row.company_id,
        "user_id": row.user_id,
        "row_id": row.row_id,
        "role": row.role,
        "active": row.active,
        "order_limit": None if row.order_limit is None else str(row.order_limit),
        "updated_at": row.updated_at,
    }


class MemberTables:
    """The company users' half of :class:`~b2bsync.store.SqlWorkflowStore`."""

    store: Store

    def member_snapshot(
        self, company_ids: Sequence[int] | None = None
    ) -> dict[int, list[Membership]]:
        c = member_snapshot.c
        out: dict[int, list[Membership]] = {}
        with self.store.transaction(write=False) as conn:
            if company_ids is None:
                parts: list[Sequence[int] | None] = [None]
            else:
                ids = sorted(set(company_ids))
                parts = [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]
            for part in parts:
                query = select(member_snapshot).order_by(c.company_id, c.user_id)
                if part is not None:
                    query = query.where(c.company_id.in_(list(part)))
                for row in conn.execute(query):
                    out.setdefault(row.company_id, []).append(_row(row))
        return out

    def member_cursor(self) -> MemberCursor:
        c = member_watch.c
        with self.store.transaction(write=False) as conn:
            row = conn.execute(select(member_watch).where(c.name == WATCHER)).one_or_none()
        if row is None:
            return MemberCursor()
        return MemberCursor(row.since, row.full_at, row.polled_at)

    def save_members(
        self,
        rows: Sequence[Membership],
        cursor: MemberCursor,
        reports: Sequence[Report],
        *,
        full: bool,
    ) -> int:
        polled = cursor.polled_at or self.store.now()
        with self.store.transaction() as conn:
            if full:
                conn.execute(delete(member_snapshot))
            values = [_values(row) for row in rows]
            for start in range(0, len(values), _CHUNK):
                self.store._upsert(
                    conn, member_snapshot, values[start : start + _CHUNK], ("company_id", "user_id")
                )
            self.store._upsert(
                conn,
                member_watch,
                [
                    {
                        "name": WATCHER,
                        "since": cursor.since,
                        "full_at": cursor.full_at,
                        "polled_at": polled,
                    }
                ],
                ("name",),
            )
            return self._insert_reports(conn, reports)

    def _insert_reports(self, conn: Connection, reports: Sequence[Report]) -> int:
        new = 0
        for report in reports:
            stmt = (
                self.store._insert(workflow_reports)
                .values(
                    kind=report.kind,
                    subject=report.subject,
                    message=report.message,
                    data=dict(report.data),
                    created_at=report.created_at,
                )
                .on_conflict_do_nothing(index_elements=["kind", "subject"])
            )
            new += int(conn.execute(stmt).rowcount or 0)
        return new

    def add_reports(self, reports: Sequence[Report]) -> int:
        with self.store.transaction() as conn:
            return self._insert_reports(conn, reports)

    def reports(self, since: datetime | None = None, limit: int = 50) -> list[Report]:
        c = workflow_reports.c
        query = select(workflow_reports).order_by(c.created_at.desc(), c.id.desc()).limit(limit)
        if since is not None:
            query = query.where(c.created_at >= since)
        with self.store.transaction(write=False) as conn:
            return [
                Report(r.kind, r.subject, r.message, r.created_at, dict(r.data or {}))
                for r in conn.execute(query)
            ]


__all__ = ["MemberTables"]
