"""Counts for ``GET /metrics``, read from the state store at scrape time: job runs by status,
remembered records and quarantined ones by feed (the outbox and the watchers have their own in
:class:`SqlWorkflowStore`)."""

from __future__ import annotations

from sqlalchemy import func, select

from ._models import job_runs, sync_records
from ._store import Store


def run_counts(store: Store) -> dict[tuple[str, str], int]:
    """(job, status) → how many runs the store holds."""
    c = job_runs.c
    with store.transaction(write=False) as conn:
        rows = conn.execute(select(c.job, c.status, func.count()).group_by(c.job, c.status))
        return {(job, status): count for job, status, count in rows}


def record_counts(store: Store) -> dict[str, int]:
    """feed → records written to Bitrix and remembered."""
    c = sync_records.c
    with store.transaction(write=False) as conn:
        rows = conn.execute(select(c.feed, func.count()).group_by(c.feed))
        return {feed: count for feed, count in rows}


__all__ = ["record_counts", "run_counts"]
