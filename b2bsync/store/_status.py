"""What `b2bsync status` reports: per job its last run and lag, stale credit, quarantine sizes,
and the approval workflow (changes reverted, moves waiting or failed, orders pending), and what
the workflows' watchers enforced lately (a reverted membership change)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from jobs import FEEDS, CreditSeen
from workflows import ApprovalStats, Move, Report

from ._records import Lease, RunRecord
from ._store import Store
from ._workflow_store import SqlWorkflowStore

TROUBLE = ("failed", "interrupted")
#: How far back `status` lists the watchers' reports, and how many at most.
REPORTS_SINCE = timedelta(days=7)
REPORTS_SHOWN = 20


@dataclass(frozen=True)
class JobStatus:
    """One job: its newest run, when it last succeeded, and how far it lags.

    ``lag`` is the age of the last successful run (now minus when it ended; None until one
    succeeded). Not the age of the feed's newest cursor: a quiet feed — no order changed for
    days — is not behind, and a cursor is the newest change *read*, not when b2bsync looked.
    """

    job: str
    last_run: RunRecord | None
    last_ok_at: datetime | None
    newest_cursor: datetime | None
    lag: timedelta | None
    quarantined: int
    lease: Lease | None

    @property
    def failing(self) -> bool:
        return self.last_run is not None and self.last_run.status in TROUBLE

    def to_json(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "last_run": None if self.last_run is None else self.last_run.to_json(),
            "last_ok_at": _iso(self.last_ok_at),
            "newest_cursor": _iso(self.newest_cursor),
            "lag_s": None if self.lag is None else round(self.lag.total_seconds(), 3),
            "quarantined": self.quarantined,
            "lease": None
            if self.lease is None
            else {"holder": self.lease.holder, "expires_at": self.lease.expires_at.isoformat()},
        }


@dataclass(frozen=True)
class StatusReport:
    now: datetime
    jobs: list[JobStatus]
    quarantine: dict[str, int]
    stale_after: timedelta
    stale_credit: list[CreditSeen]
    credit_companies: int
    orders_indexed: int
    store: str = ""
    approval: ApprovalStats = field(default_factory=ApprovalStats)
    reports: list[Report] = field(default_factory=list)

    @property
    def failing(self) -> list[JobStatus]:
        """Jobs whose newest run failed or was interrupted (exit 1 of `b2bsync status`)."""
        return [job for job in self.jobs if job.failing]

    def to_json(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "store": self.store,
            "ok": not self.failing,
            "jobs": [job.to_json() for job in self.jobs],
            "quarantine": dict(self.quarantine),
            "credit": {
                "companies": self.credit_companies,
                "stale_after_s": self.stale_after.total_seconds(),
                "stale": [
                    {
                        "company": seen.key,
                        "source_at": seen.source_at.isoformat(),
                        "synced_at": seen.synced_at.isoformat(),
                        "age_s": round((self.now - seen.source_at).total_seconds(), 3),
                        "blocked": seen.blocked,
                    }
                    for seen in self.stale_credit
                ],
            },
            "orders_indexed": self.orders_indexed,
            "approval": {
                "reverted": self.approval.reverted,
                "recent_reverts": [_move(m) for m in self.approval.recent_reverts],
                "pending_moves": self.approval.pending_moves,
                "failed_moves": [_move(m) for m in self.approval.failed_moves],
                "pending_orders": self.approval.pending_orders,
                "links_used": self.approval.links_used,
            },
            "workflow_reports": [report.to_json() for report in self.reports],
        }


def _move(move: Move) -> dict[str, Any]:
    return {
        "order": move.order_id,
        "kind": move.kind,
        "from": move.from_status,
        "to": move.to_status,
        "user": move.actor,
        "row": move.cause_event,
        "state": move.state,
        "error": move.last_error,
        "at": _iso(move.created_at),
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def status_report(store: Store, stale_after: timedelta) -> StatusReport:
    """Every feed job, plus any other job that ever ran (e.g. ``all``), in a stable order.

    A company's credit is stale when 1C computed it (``source_at``) longer ago than
    ``stale_after``: the cabinet shows "data updating" for it.
    """
    now = store.now()
    last = store.last_runs()
    last_ok = store.last_ok_runs()
    cursors = store.newest_cursors()
    quarantine = store.quarantine_counts()
    leases = {lease.job: lease for lease in store.leases()}
    names = list(FEEDS) + sorted(set(last) - set(FEEDS))
    jobs = []
    for name in names:
        ok_at = last_ok.get(name)
        jobs.append(
            JobStatus(
                job=name,
                last_run=last.get(name),
                last_ok_at=ok_at,
                newest_cursor=cursors.get(name),
                lag=None if ok_at is None else max(now - ok_at, timedelta(0)),
                quarantined=quarantine.get(name, 0),
                lease=leases.get(name),
            )
        )
    credit = store.credit_seen()
    stale = sorted(
        (seen for seen in credit if now - seen.source_at > stale_after),
        key=lambda seen: (seen.source_at, seen.key),
    )
    return StatusReport(
        now=now,
        jobs=jobs,
        quarantine=quarantine,
        stale_after=stale_after,
        stale_credit=stale,
        credit_companies=len(credit),
        orders_indexed=store.indexed_orders(),
        store=store.url,
        approval=SqlWorkflowStore(store).approval_stats(),
        reports=SqlWorkflowStore(store).reports(now - REPORTS_SINCE, REPORTS_SHOWN),
    )
