"""Job leases: one holder at a time, across threads and processes, with expiry and takeover."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest

from b2bsync.store import Lease, Store
from b2bsync.store._records import new_holder

from ._contend import contend
from .conftest import BACKENDS, FakeClock, pg_schema

TTL = timedelta(minutes=5)
ALL = ["companies", "documents", "credit", "orders"]


def test_acquire_a_free_lease(store: Store, clock: FakeClock):
    lease = store.acquire_lease("documents", "host-a:1", TTL)
    assert lease == Lease("documents", "host-a:1", clock.now, clock.now + TTL, generation=1)
    assert store.leases() == [lease]


def test_a_live_lease_is_not_given_to_another_holder(store: Store, clock: FakeClock):
    assert store.acquire_lease("documents", "a", TTL) is not None
    clock.advance(minutes=4, seconds=59)
    assert store.acquire_lease("documents", "b", TTL) is None
    assert [lease.holder for lease in store.leases()] == ["a"]


def test_other_jobs_are_independent(store: Store):
    assert store.acquire_lease("documents", "a", TTL) is not None
    assert store.acquire_lease("credit", "b", TTL) is not None


def test_the_same_holder_acquiring_again_extends_its_lease(store: Store, clock: FakeClock):
    first = store.acquire_lease("documents", "a", TTL)
    assert first is not None
    clock.advance(minutes=3)
    again = store.acquire_lease("documents", "a", TTL)
    assert again == Lease("documents", "a", first.acquired_at, clock.now + TTL, generation=1)


def test_an_expired_lease_is_taken_over(store: Store, clock: FakeClock):
    assert store.acquire_lease("documents", "a", TTL) is not None
    clock.advance(minutes=5)
    taken = store.acquire_lease("documents", "b", 60)
    assert taken == Lease("documents", "b", clock.now, clock.now + timedelta(seconds=60), 2)
    # the old holder learns it lost the lease when it renews
    assert store.renew_lease("documents", "a", TTL) is None
    assert store.release_lease("documents", "a") is False
    assert [lease.holder for lease in store.leases()] == ["b"]


def test_renew_extends_from_now(store: Store, clock: FakeClock):
    lease = store.acquire_lease("documents", "a", TTL)
    assert lease is not None
    clock.advance(minutes=4)
    renewed = store.renew_lease("documents", "a", timedelta(minutes=10))
    assert renewed == Lease(
        "documents", "a", lease.acquired_at, clock.now + timedelta(minutes=10), generation=1
    )
    clock.advance(minutes=9)
    assert store.acquire_lease("documents", "b", TTL) is None


def test_renew_of_a_lease_nobody_holds_fails(store: Store):
    assert store.renew_lease("documents", "a", TTL) is None
    assert store.leases() == []


def test_release_frees_the_lease_at_once(store: Store):
    assert store.acquire_lease("documents", "a", TTL) is not None
    assert store.release_lease("documents", "b") is False
    assert store.release_lease("documents", "a") is True
    assert store.acquire_lease("documents", "b", TTL) is not None


def test_leases_lists_live_ones_unless_asked(store: Store, clock: FakeClock):
    store.acquire_lease("documents", "a", 60)
    store.acquire_lease("credit", "a", 600)
    clock.advance(seconds=61)
    assert [lease.job for lease in store.leases()] == ["credit"]
    assert [lease.job for lease in store.leases(alive_only=False)] == ["credit", "documents"]


def test_bad_ttl_is_refused(store: Store):
    with pytest.raises(ValueError, match="positive ttl"):
        store.acquire_lease("documents", "a", 0)
    with pytest.raises(ValueError, match="positive ttl"):
        store.renew_lease("documents", "a", timedelta(seconds=-1))


def test_all_takes_every_lease_or_none(store: Store, clock: FakeClock):
    assert store.acquire_lease("credit", "cron", TTL) is not None
    assert store.acquire_leases(ALL, "daemon", TTL) is None
    # nothing of the failed attempt stays behind
    assert [(lease.job, lease.holder) for lease in store.leases()] == [("credit", "cron")]
    store.release_lease("credit", "cron")
    taken = store.acquire_leases(ALL, "daemon", TTL)
    assert taken is not None
    assert sorted(lease.job for lease in taken) == sorted(ALL)
    # a one-shot `sync documents` cannot start while `all` runs
    assert store.acquire_lease("documents", "cron", TTL) is None
    assert store.release_leases(ALL, "daemon") == 4
    assert store.acquire_lease("documents", "cron", TTL) is not None


def test_holder_names_are_unique_per_call():
    first, second = new_holder(), new_holder()
    assert first != second
    assert first.split(":")[1] == second.split(":")[1]  # same process id


def _rounds_with_threads(stores: list[Store], job: str, rounds: int) -> list[list[Lease | None]]:
    barrier = threading.Barrier(len(stores))
    results: list[list[Lease | None]] = [[] for _ in stores]

    def worker(index: int) -> None:
        store = stores[index]
        for _ in range(rounds):
            barrier.wait()
            results[index].append(store.acquire_lease(job, f"thread-{index}", TTL))
            barrier.wait()
            store.release_lease(job, f"thread-{index}")

    with ThreadPoolExecutor(len(stores)) as pool:
        for future in [pool.submit(worker, i) for i in range(len(stores))]:
            future.result(timeout=60)
    return results


def test_threads_racing_for_a_free_lease_get_exactly_one(
    store_url: str, store: Store, clock: FakeClock
):
    others = [Store.open(store_url, clock=clock) for _ in range(2)]
    try:
        results = _rounds_with_threads([store, store, *others], "documents", rounds=25)
    finally:
        for other in others:
            other.close()
    for round_results in zip(*results, strict=True):
        assert sum(lease is not None for lease in round_results) == 1


def test_threads_racing_to_take_over_an_expired_lease_get_exactly_one(
    store_url: str, store: Store, clock: FakeClock
):
    others = [Store.open(store_url, clock=clock) for _ in range(2)]
    barrier = threading.Barrier(3)
    stores = [store, *others]
    winners: list[int] = []
    for _ in range(10):
        assert store.acquire_lease("credit", "dead", 60) is not None
        clock.advance(seconds=61)
        taken: list[Lease | None] = [None, None, None]

        def take(index: int, taken: list[Lease | None] = taken) -> None:
            barrier.wait()
            taken[index] = stores[index].acquire_lease("credit", f"t{index}", 60)

        threads = [threading.Thread(target=take, args=(i,)) for i in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        won = [i for i, lease in enumerate(taken) if lease is not None]
        assert len(won) == 1
        winners.append(won[0])
        assert store.release_lease("credit", f"t{won[0]}") is True
    for other in others:
        other.close()
    assert len(winners) == 10


@pytest.mark.parametrize("backend", BACKENDS)
def test_processes_never_hold_a_job_at_once_on_a_fresh_database(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
):
    """Two processes open a database nobody migrated yet (both migrate it), then contend:
    one runs `all` (every job's lease), the other `documents` alone; an O_EXCL marker file
    proves no moment had both inside."""
    marker = str(tmp_path / "inside")
    spawn = multiprocessing.get_context("spawn")

    def run(url: str) -> dict[str, dict[str, int]]:
        start = spawn.Barrier(2)
        results = spawn.Queue()
        processes = [
            spawn.Process(target=contend, args=(url, holder, jobs, 25, marker, start, results))
            for holder, jobs in (("proc-all", ALL), ("proc-documents", ["documents"]))
        ]
        for process in processes:
            process.start()
        outcome = dict(results.get(timeout=120) for _ in processes)
        for process in processes:
            process.join(timeout=60)
            assert process.exitcode == 0
        return outcome

    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh' / 'state.sqlite3'}"
        outcomes = run(url)
    else:
        with pg_schema(request.getfixturevalue("pg_user")) as url:
            outcomes = run(url)
            check = Store.open(url)
            runs = check.runs(limit=100)
            check.close()
    if backend == "sqlite":
        check = Store.open(url)
        runs = check.runs(limit=100)
        check.close()
    assert {h: o["wins"] for h, o in outcomes.items()} == {"proc-all": 25, "proc-documents": 25}
    assert {h: o["overlaps"] for h, o in outcomes.items()} == {"proc-all": 0, "proc-documents": 0}
    assert len(runs) == 50
    assert {r.status for r in runs} == {"ok"}


def test_renew_leases_extends_all_or_reports_a_loss(store: Store, clock: FakeClock):
    assert store.acquire_leases(ALL, "daemon", 60) is not None
    clock.advance(seconds=50)
    renewed = store.renew_leases(ALL, "daemon", 60)
    assert renewed is not None
    assert [lease.job for lease in renewed] == sorted(ALL)
    assert {lease.expires_at for lease in renewed} == {clock.now + timedelta(seconds=60)}
    clock.advance(seconds=61)
    assert store.acquire_lease("credit", "cron", 60) is not None
    assert store.renew_leases(ALL, "daemon", 60) is None
    assert store.release_leases(ALL, "daemon") == 3
