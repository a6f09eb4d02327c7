"""The lease keeper: renewal survives transient store errors while the lease has time, and a run
whose renewal cannot be confirmed in time (or whose lease moved on) is stopped and fenced.

Time is manual: the keeper's monotonic clock and the store's clock move together, only when the
keeper sleeps.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from b2bsync._lease_keeper import LeaseKeeper, LeaseTiming
from b2bsync.store import LeaseLost, Store, StoreUnavailable

from .conftest import FakeClock

TTL = timedelta(seconds=60)


class ManualTime:
    """The keeper's clock; sleeping advances it and the store's clock alike. Past ``until`` a
    sleep never returns (the test then cancels the keeper)."""

    def __init__(self, store_clock: FakeClock, until: float) -> None:
        self.now = 1000.0
        self.store_clock = store_clock
        self.until = until
        self.reached = asyncio.Event()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        if self.now - 1000.0 >= self.until:
            self.reached.set()
            await asyncio.Event().wait()
        self.now += seconds
        self.store_clock.advance(seconds=seconds)
        await asyncio.sleep(0)


def flaky(store: Store, fails: Callable[[int], bool]) -> list[int]:
    """Make ``store.renew_fence`` raise StoreUnavailable on the attempts ``fails`` picks."""
    real = store.renew_fence
    attempts: list[int] = []

    def renew(*args: Any) -> Any:
        attempts.append(len(attempts) + 1)
        if fails(len(attempts)):
            raise StoreUnavailable("state store: database is locked")
        return real(*args)

    store.renew_fence = renew  # type: ignore[method-assign]
    return attempts


async def keep(store: Store, clock: FakeClock, until: float) -> tuple[LeaseKeeper, asyncio.Event]:
    time = ManualTime(clock, until)
    leases = store.acquire_leases(["documents", "credit"], "run-a", TTL)
    assert leases is not None
    halt = asyncio.Event()
    keeper = LeaseKeeper(
        store,
        leases,
        TTL,
        halt,
        asked_at=time.now,
        timing=LeaseTiming(clock=time.clock, sleep=time.sleep),
    )
    task = asyncio.create_task(keeper.run())
    done = asyncio.create_task(time.reached.wait())
    await asyncio.wait({task, done}, return_when=asyncio.FIRST_COMPLETED)
    task.cancel()
    done.cancel()
    await asyncio.gather(task, done, return_exceptions=True)
    return keeper, halt


async def test_a_transient_error_does_not_end_the_renewals(store: Store, clock: FakeClock):
    """One `database is locked` used to kill the renewer silently: the run kept writing and a
    second holder started once the lease ran out."""
    attempts = flaky(store, lambda n: n == 2)
    keeper, halt = await keep(store, clock, until=5 * TTL.total_seconds())
    assert keeper.lost is None
    assert not halt.is_set()
    assert keeper.failures == 0
    assert len(attempts) == keeper.renewals + 1 >= 14
    assert store.acquire_leases(["documents"], "run-b", TTL) is None  # still held, 5 TTLs on
    keeper.check_write("b2bsync.item.upsert")
    keeper.store.set_cursor("documents", "g1", clock.now)


async def test_errors_until_the_lease_runs_out_stop_the_run(store: Store, clock: FakeClock):
    attempts = flaky(store, lambda n: True)
    keeper, halt = await keep(store, clock, until=10 * TTL.total_seconds())
    # renewals at 20 s, then every 2 s while time is left: 20, 22, …, 58; lost at 60 s
    assert len(attempts) == keeper.failures == 20
    assert halt.is_set()
    assert keeper.lost is not None
    assert keeper.lost.startswith("lease lost: not renewed before it expired (20 failed attempts")
    assert "database is locked" in keeper.lost
    with pytest.raises(LeaseLost):
        keeper.check_write("b2bsync.item.upsert")
    with pytest.raises(LeaseLost):
        keeper.store.set_cursor("documents", "g1", clock.now)
    assert store.cursors() == {}


async def test_recovering_in_time_keeps_the_lease(store: Store, clock: FakeClock):
    attempts = flaky(store, lambda n: 1 <= n <= 19)  # the 20th attempt, at 58 s, gets through
    keeper, halt = await keep(store, clock, until=3 * TTL.total_seconds())
    assert keeper.lost is None
    assert not halt.is_set()
    assert attempts[:20] == list(range(1, 21))
    keeper.check_write("b2bsync.item.upsert")


async def test_a_lease_taken_over_stops_the_run_at_the_next_renewal(store: Store, clock: FakeClock):
    def taken_over(n: int) -> bool:
        if n == 3:
            clock.advance(seconds=TTL.total_seconds())  # the store saw no renewal for a TTL
            assert store.acquire_lease("credit", "run-b", TTL) is not None
        return False

    flaky(store, taken_over)
    keeper, halt = await keep(store, clock, until=10 * TTL.total_seconds())
    assert halt.is_set()
    assert keeper.lost == (
        "lease lost (credit: taken over by run-b; documents: expired at 09:01:40 without "
        "renewal); this run writes nothing more"
    )
    assert keeper.renewals == 2
    with pytest.raises(LeaseLost, match="taken over by run-b"):
        keeper.check_write("b2bsync.item.upsert")
