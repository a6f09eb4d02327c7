"""Fencing: a run's checkpoints commit only while it still holds its leases, checked in the same
transaction; lease times on PostgreSQL come from the database's clock."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from b2bsync.store import Fence, LeaseLost, Store
from b2bsync.store._models import job_leases
from jobs import CreditSeen, IndexedOrder, Known

from .conftest import FakeClock, empty

TTL = timedelta(minutes=5)
WHEN = datetime(2025, 3, 1, tzinfo=UTC)


def take(store: Store, holder: str, *jobs: str) -> Fence:
    leases = store.acquire_leases(list(jobs or ["documents"]), holder, TTL)
    assert leases is not None
    return Fence.of(leases)


def test_the_generation_goes_up_whenever_the_lease_changes_hands(store: Store, clock: FakeClock):
    assert take(store, "a").generations == {"documents": 1}
    assert take(store, "a").generations == {"documents": 1}  # the same run extending it
    store.release_lease("documents", "a")
    assert take(store, "b").generations == {"documents": 2}  # a released row keeps counting
    clock.advance(minutes=6)
    assert take(store, "c").generations == {"documents": 3}  # takeover after expiry
    clock.advance(minutes=6)
    assert take(store, "c").generations == {"documents": 4}  # even the same name, once expired
    assert store.leases() == store.leases(alive_only=False)
    store.release_leases(["documents"], "c")
    assert store.leases(alive_only=False) == []


WRITES: dict[str, Callable[[Store], None]] = {
    "set_cursor": lambda s: s.set_cursor("documents", "g1", WHEN),
    "remember": lambda s: s.remember("documents", [Known("d1", "h-stale", 7, "g1")]),
    "quarantine": lambda s: s.quarantine("documents", "d2", "bad", {"x": 1}, "g1"),
    "clear_quarantine": lambda s: s.clear_quarantine("documents", ["d9"]),
    "note_credit": lambda s: s.note_credit(CreditSeen("g1", WHEN, WHEN)),
    "index_orders": lambda s: s.index_orders(
        [IndexedOrder(1, "1", None, "N", WHEN, WHEN, Decimal("1.00"), "RUB")]
    ),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_run_that_was_taken_over_checkpoints_nothing(store: Store, clock: FakeClock, write: str):
    """The paused-run reproduction at the store: run A holds documents, is paused past its TTL,
    run B takes the job over; whatever A then tries to write is refused and nothing lands."""
    store.quarantine("documents", "d9", "old", None, "g1")
    run_a = store.fenced(take(store, "run-a"))
    WRITES[write](run_a)  # while A holds the lease, its writes go through
    empty(store, but=job_leases)
    store.quarantine("documents", "d9", "old", None, "g1")
    clock.advance(minutes=5, seconds=1)
    take(store, "run-b")
    with pytest.raises(LeaseLost, match=r"documents: taken over by run-b"):
        WRITES[write](run_a)
    assert store.cursors() == {}
    assert store.known("documents", ["d1"]) == {}
    assert [e.key for e in store.quarantined("documents")] == ["d9"]
    assert store.credit_seen() == []
    assert store.indexed_orders() == 0


def test_an_expired_lease_fences_even_when_nobody_took_it(store: Store, clock: FakeClock):
    run = store.fenced(take(store, "run-a"))
    clock.advance(minutes=5)
    with pytest.raises(LeaseLost, match=r"documents: expired at 09:05:00 without renewal"):
        run.set_cursor("documents", "g1", WHEN)
    with pytest.raises(LeaseLost):
        run.check_fence()
    assert store.cursors() == {}


def test_a_released_lease_fences(store: Store):
    fence = take(store, "run-a", "documents", "credit")
    run = store.fenced(fence)
    run.check_fence()
    store.release_leases(["credit"], "run-a")
    with pytest.raises(LeaseLost, match=r"credit: the lease was released"):
        run.check_fence()


def test_renewing_needs_the_same_generation(store: Store, clock: FakeClock):
    old = take(store, "daemon")
    clock.advance(minutes=6)
    new = take(store, "daemon")  # the same holder name, a new run
    assert store.renew_fence(old, TTL) is None
    renewed = store.renew_fence(new, TTL)
    assert renewed is not None
    assert [lease.generation for lease in renewed] == [2]


def test_a_partial_renewal_extends_nothing(store: Store, clock: FakeClock):
    fence = take(store, "run-a", "documents", "credit")
    clock.advance(minutes=5, seconds=1)
    take(store, "cron", "credit")
    before = {lease.job: lease.expires_at for lease in store.leases(alive_only=False)}
    assert store.renew_fence(fence, TTL) is None
    after = {lease.job: lease.expires_at for lease in store.leases(alive_only=False)}
    assert after == before


def test_unfenced_stores_and_reads_are_not_checked(store: Store, clock: FakeClock):
    run = store.fenced(take(store, "run-a"))
    clock.advance(minutes=10)
    assert run.cursors() == {}  # reads never need the lease
    store.set_cursor("documents", "g1", WHEN)  # the plain store (operator commands) writes
    run.close()  # a view does not close the shared engine
    assert store.cursor("documents", "g1") == WHEN


def test_a_takeover_never_lets_a_checkpoint_in_after_it(store_url: str, store: Store):
    """A writer checkpoints as fast as it can while another store takes its job over (on the
    real clock); once the takeover has committed, no checkpoint of the old run may land."""
    start = datetime.now(UTC)
    writer_store = Store.open(store_url, clock=lambda: datetime.now(UTC))
    taker_store = Store.open(store_url, clock=lambda: datetime.now(UTC) + timedelta(hours=1))
    try:
        leases = writer_store.acquire_leases(["documents"], "old-run", TTL)
        assert leases is not None
        writer = writer_store.fenced(Fence.of(leases))
        warmed_up = threading.Event()
        stamps: list[datetime] = []
        refused: list[LeaseLost] = []

        def write() -> None:
            for n in range(100_000):
                try:
                    writer.set_cursor("orders", "", start + timedelta(seconds=n))
                except LeaseLost as exc:
                    refused.append(exc)
                    return
                stamps.append(start + timedelta(seconds=n))
                if n == 20:
                    warmed_up.set()

        thread = threading.Thread(target=write)
        thread.start()
        warmed_up.wait(timeout=60)
        assert taker_store.acquire_lease("documents", "new-run", TTL) is not None
        at_takeover = taker_store.cursor("orders")
        thread.join(timeout=60)
        assert refused, "the old run kept writing"
        assert taker_store.cursor("orders") == at_takeover == stamps[-1]
    finally:
        writer_store.close()
        taker_store.close()


@pytest.mark.postgres
def test_postgres_lease_times_come_from_the_database(pg_url: str, clock: FakeClock) -> None:
    """Host A's clock is 10 minutes slow. On its own clock its 5-minute lease would be over for
    everyone else the moment it took it; on the database's clock host B cannot take the job."""
    host_a = Store.open(
        pg_url, clock=lambda: datetime.now(UTC) - timedelta(minutes=10), database_clock=True
    )
    host_b = Store.open(pg_url)
    try:
        empty(host_b)
        assert host_b.uses_database_clock  # the default on PostgreSQL
        tests_clock = Store.open(pg_url, clock=clock)
        assert not tests_clock.uses_database_clock  # an injected clock rules (tests)
        tests_clock.close()
        lease = host_a.acquire_lease("credit", "host-a", TTL)
        assert lease is not None
        assert lease.expires_at > datetime.now(UTC) + timedelta(minutes=4)
        assert host_b.acquire_lease("credit", "host-b", TTL) is None
        host_a.fenced(Fence.of([lease])).set_cursor("credit", "", WHEN)
        assert host_b.cursor("credit") == WHEN
    finally:
        empty(host_b)
        host_a.close()
        host_b.close()
