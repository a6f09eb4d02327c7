"""Job runs: started, finished with counts, and shown as interrupted once their holder is gone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from b2bsync.store import Store, StoreError
from jobs import JobResult

from .conftest import FakeClock

TTL = timedelta(minutes=5)


def test_a_run_is_running_while_its_holder_keeps_the_lease(store: Store, clock: FakeClock):
    store.acquire_lease("documents", "h1", TTL)
    run_id = store.start_run("documents", "h1")
    [run] = store.runs()
    assert (run.id, run.job, run.holder, run.status) == (run_id, "documents", "h1", "running")
    assert run.started_at == clock.now
    assert run.ended_at is None
    assert run.duration is None
    clock.advance(minutes=4)
    store.renew_lease("documents", "h1", TTL)
    clock.advance(minutes=4)
    assert store.runs()[0].status == "running"


def test_finish_records_counts_errors_notes_and_duration(store: Store, clock: FakeClock):
    store.acquire_lease("credit", "h1", TTL)
    run_id = store.start_run("credit", "h1")
    clock.advance(seconds=90)
    result = JobResult(
        "credit",
        counts={"written": 7, "unchanged": 40},
        errors=["1C answered 500 for company X"],
        notes={"overdue_total": Decimal("1500.25"), "as_of": datetime(2025, 3, 1, tzinfo=UTC)},
    )
    store.finish_run(run_id, result)
    [run] = store.runs()
    assert run.status == "failed"
    assert run.counts == {"written": 7, "unchanged": 40}
    assert run.errors == ["1C answered 500 for company X"]
    assert run.notes == {"overdue_total": "1500.25", "as_of": "2025-03-01T00:00:00+00:00"}
    assert run.duration == timedelta(seconds=90)
    assert run.to_json()["duration_s"] == 90.0


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (JobResult("orders", counts={"indexed": 3}), "ok"),
        (JobResult("orders", errors=["boom"]), "failed"),
        (JobResult("orders", stopped=True), "stopped"),
    ],
)
def test_status_follows_the_result_unless_given(store: Store, result: JobResult, expected: str):
    run_id = store.start_run("orders", "h")
    store.finish_run(run_id, result)
    assert store.runs()[0].status == expected
    other = store.start_run("orders", "h")
    store.finish_run(other, result, "failed")
    assert store.runs()[0].status == "failed"


def test_finish_refuses_an_unknown_status_or_run(store: Store):
    run_id = store.start_run("orders", "h")
    with pytest.raises(ValueError, match="ok, failed, stopped"):
        store.finish_run(run_id, JobResult("orders"), "running")
    with pytest.raises(StoreError, match="no job run with id 999999"):
        store.finish_run(999999, JobResult("orders"))


def test_a_run_whose_lease_expired_is_interrupted(store: Store, clock: FakeClock):
    store.acquire_lease("documents", "killed", TTL)
    store.start_run("documents", "killed")
    clock.advance(minutes=5, seconds=1)
    [run] = store.runs()
    assert run.status == "interrupted"
    # someone else taking the job over leaves the dead run interrupted
    store.acquire_lease("documents", "next", TTL)
    store.start_run("documents", "next")
    assert [r.status for r in store.runs()] == ["running", "interrupted"]


def test_a_run_without_any_lease_is_interrupted(store: Store):
    store.start_run("documents", "nobody-holds-this")
    assert store.runs()[0].status == "interrupted"


def test_a_composite_run_is_alive_while_its_holder_holds_any_lease(store: Store):
    store.acquire_leases(["companies", "documents"], "daemon", TTL)
    store.start_run("all", "daemon")
    assert store.runs()[0].status == "running"
    store.release_leases(["companies", "documents"], "daemon")
    assert store.runs()[0].status == "interrupted"


def test_runs_are_newest_first_and_limited(store: Store, clock: FakeClock):
    ids = []
    for job in ("companies", "documents", "companies", "credit"):
        ids.append(store.start_run(job, "h"))
        clock.advance(seconds=1)
    assert [r.id for r in store.runs()] == ids[::-1]
    assert [r.id for r in store.runs(limit=2)] == ids[:1:-1]
    assert [r.id for r in store.runs("companies")] == [ids[2], ids[0]]


def test_last_runs_and_last_ok(store: Store, clock: FakeClock):
    first = store.start_run("companies", "h")
    store.finish_run(first, JobResult("companies"))
    ok_at = clock.now
    clock.advance(hours=1)
    second = store.start_run("companies", "h")
    store.finish_run(second, JobResult("companies", errors=["x"]))
    third = store.start_run("orders", "h")
    store.finish_run(third, JobResult("orders", stopped=True))
    last = store.last_runs()
    assert {job: run.id for job, run in last.items()} == {"companies": second, "orders": third}
    assert store.last_ok_runs() == {"companies": ok_at}


def test_prune_runs_keeps_recent_ones_and_each_jobs_last(store: Store, clock: FakeClock):
    old = [store.start_run("orders", "h") for _ in range(3)]
    for run_id in old:
        store.finish_run(run_id, JobResult("orders"))
    lone = store.start_run("companies", "h")
    store.finish_run(lone, JobResult("companies"))
    unfinished = store.start_run("credit", "h")
    clock.advance(days=40)
    recent = store.start_run("orders", "h")
    store.finish_run(recent, JobResult("orders"))
    assert store.prune_runs(clock.now - timedelta(days=30)) == 3
    assert sorted(r.id for r in store.runs(limit=100)) == sorted([lone, unfinished, recent])
