"""The status report: per job last run, lag, quarantine; stale credit; what makes it failing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from b2bsync.store import Store
from b2bsync.store._status import status_report
from jobs import FEEDS, CreditSeen, IndexedOrder, JobResult

from .conftest import FakeClock

SIX_HOURS = timedelta(hours=6)


def test_an_empty_store_lists_every_feed_job(store: Store, clock: FakeClock):
    report = status_report(store, SIX_HOURS)
    assert [job.job for job in report.jobs] == list(FEEDS)
    assert all(job.last_run is None and job.lag is None for job in report.jobs)
    assert report.failing == []
    assert report.stale_credit == []
    assert report.orders_indexed == 0
    assert report.now == clock.now
    assert report.to_json()["ok"] is True


def test_lag_is_the_age_of_the_last_successful_run(store: Store, clock: FakeClock):
    # a quiet feed: the newest order changed 11 days ago, the run that read it just ended
    store.set_cursor("orders", "", clock.now - timedelta(days=11))
    run = store.start_run("orders", "h")
    clock.advance(seconds=40)
    store.finish_run(run, JobResult("orders", counts={"indexed": 0}))
    clock.advance(seconds=5)
    store.set_cursor("documents", "c1", clock.now - timedelta(minutes=20))
    failed = store.start_run("documents", "h")
    store.finish_run(failed, JobResult("documents", errors=["1C down"]))

    jobs = {job.job: job for job in status_report(store, SIX_HOURS).jobs}

    assert jobs["orders"].lag == timedelta(seconds=5)
    assert jobs["orders"].newest_cursor == clock.now - timedelta(days=11, seconds=45)
    assert jobs["documents"].lag is None, "never succeeded"
    assert jobs["documents"].newest_cursor == clock.now - timedelta(minutes=20)
    assert jobs["companies"].lag is None


def test_last_run_last_ok_lease_and_quarantine_per_job(store: Store, clock: FakeClock):
    ok = store.start_run("credit", "h")
    store.finish_run(ok, JobResult("credit", counts={"written": 2}))
    ok_at = clock.now
    clock.advance(hours=1)
    store.acquire_lease("credit", "h2", 300)
    running = store.start_run("credit", "h2")
    store.quarantine("credit", "g1", "no limit", {})
    store.quarantine("credit", "g2", "no limit", {})
    store.quarantine("documents", "d1", "bad", {})
    report = status_report(store, SIX_HOURS)
    credit = next(job for job in report.jobs if job.job == "credit")
    assert credit.last_run is not None
    assert (credit.last_run.id, credit.last_run.status) == (running, "running")
    assert credit.last_ok_at == ok_at
    assert credit.lease is not None
    assert credit.lease.holder == "h2"
    assert credit.quarantined == 2
    assert report.quarantine == {"credit": 2, "documents": 1}
    assert report.failing == []


def test_failed_or_interrupted_last_runs_make_the_report_failing(store: Store, clock: FakeClock):
    failed = store.start_run("companies", "h")
    store.finish_run(failed, JobResult("companies", errors=["Bitrix 500"]))
    store.acquire_lease("orders", "killed", 60)
    store.start_run("orders", "killed")
    clock.advance(minutes=2)
    stopped = store.start_run("documents", "h")
    store.finish_run(stopped, JobResult("documents", stopped=True))
    report = status_report(store, SIX_HOURS)
    assert [job.job for job in report.failing] == ["companies", "orders"]
    assert report.to_json()["ok"] is False


def test_a_later_success_clears_the_failure(store: Store):
    failed = store.start_run("companies", "h")
    store.finish_run(failed, JobResult("companies", errors=["x"]))
    ok = store.start_run("companies", "h")
    store.finish_run(ok, JobResult("companies"))
    assert status_report(store, SIX_HOURS).failing == []


def test_other_jobs_that_ran_are_listed_after_the_feeds(store: Store):
    store.finish_run(store.start_run("all", "h"), JobResult("all"))
    assert [job.job for job in status_report(store, SIX_HOURS).jobs] == [*FEEDS, "all"]


def test_credit_computed_longer_ago_than_the_threshold_is_stale(store: Store, clock: FakeClock):
    now = clock.now
    store.note_credit(CreditSeen("fresh", now - timedelta(hours=1), now))
    store.note_credit(CreditSeen("edge", now - SIX_HOURS, now))
    store.note_credit(CreditSeen("old", now - timedelta(hours=7), now - timedelta(hours=7)))
    store.note_credit(CreditSeen("older", now - timedelta(days=2), now, blocked=True))
    report = status_report(store, SIX_HOURS)
    assert [seen.key for seen in report.stale_credit] == ["older", "old"]
    assert report.credit_companies == 4
    stale = report.to_json()["credit"]["stale"]
    assert stale[0] == {
        "company": "older",
        "source_at": (now - timedelta(days=2)).isoformat(),
        "synced_at": now.isoformat(),
        "age_s": 172800.0,
        "blocked": True,
    }
    assert [seen.key for seen in status_report(store, timedelta(hours=1)).stale_credit] == [
        "older",
        "old",
        "edge",
    ]


def test_orders_indexed_is_counted(store: Store, clock: FakeClock):
    store.index_orders(
        [
            IndexedOrder(n, str(n), 1, "N", clock.now, clock.now, Decimal(1), "RUB")
            for n in (1, 2, 3)
        ]
    )
    assert status_report(store, SIX_HOURS).orders_indexed == 3
