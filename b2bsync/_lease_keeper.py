"""Keeping one run's leases: renewal that survives a store hiccup, and fencing of every write.

A run holds its jobs' leases for as long as it runs. :class:`LeaseKeeper` renews them every
third of the TTL; a renewal that fails (PostgreSQL restarting, SQLite busy) is retried quickly
for as long as the lease still has time, and only when no renewal could be confirmed before the
lease ran out — or the store says the lease has moved on — is the run declared lost: its stop
event is set, and from then on it writes nothing.

Writes are fenced twice. Every checkpoint goes through a fenced store view (the lease's
generation is checked in the checkpoint's own transaction), and :meth:`LeaseKeeper.check_write`
runs before every write to Bitrix (installed with :func:`bitrix_client.write_guard`). A run
that was paused past its lease (SIGSTOP, a long GC, a VM pause) and taken over therefore
neither writes stale rows over the newer run's nor records anything when it resumes.

The deadline is kept on the monotonic clock, from the moment *before* the store was asked, so it
is never later than the lease's expiry in the store.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import structlog

from .store import Fence, Lease, LeaseLost, Store, StoreError

log = structlog.get_logger("b2bsync")

MonotonicClock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class LeaseTiming:
    """The clock and sleep the keeper uses (tests inject manual ones)."""

    clock: MonotonicClock = time.monotonic
    sleep: Sleep = field(default=asyncio.sleep)


class LeaseKeeper:
    """One run's leases: :meth:`run` renews them, :meth:`check_write` guards each write, and
    ``store`` is the fenced view the run's jobs checkpoint through. ``lost`` says why the run
    may no longer write (and ``stop`` is set)."""

    def __init__(
        self,
        store: Store,
        leases: Sequence[Lease],
        ttl: timedelta,
        stop: asyncio.Event,
        *,
        asked_at: float,
        timing: LeaseTiming | None = None,
    ) -> None:
        self.fence = Fence.of(leases)
        self.store = store.fenced(self.fence)  # what the run's jobs checkpoint through
        self.lost: str | None = None
        self.renewals = 0
        self.failures = 0
        self._plain = store
        self._ttl = ttl
        self._stop = stop
        self._timing = timing or LeaseTiming()
        self._deadline = asked_at + ttl.total_seconds()
        seconds = ttl.total_seconds()
        self._every = seconds / 3
        self._retry_every = min(self._every, max(seconds / 30, 0.05))

    @property
    def seconds_left(self) -> float:
        return self._deadline - self._timing.clock()

    def _lose(self, reason: str) -> None:
        if self.lost is None:
            self.lost = reason
            log.error(
                "sync.lease_lost", jobs=self.fence.jobs, holder=self.fence.holder, reason=reason
            )
        self._stop.set()

    async def run(self) -> None:
        """Renew until cancelled or lost. Past the deadline with no confirmed renewal the run
        is lost, even if the store would still renew it: its checkpoints are refused by then."""
        clock, sleep = self._timing.clock, self._timing.sleep
        last_error = ""
        while self.lost is None:
            pause = self._every if not self.failures else self._retry_every
            await sleep(max(0.0, min(pause, self.seconds_left)))
            if self.seconds_left <= 0:
                detail = f" ({self.failures} failed attempts; last: {last_error})"
                self._lose(
                    "lease lost: not renewed before it expired"
                    + (detail if self.failures else "")
                    + "; this run writes nothing more"
                )
                return
            asked_at = clock()
            try:
                renewed = await asyncio.wait_for(
                    asyncio.to_thread(self._plain.renew_fence, self.fence, self._ttl),
                    timeout=self.seconds_left,
                )
            except Exception as exc:  # any unconfirmed renewal is retried while time is left
                last_error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                self.failures += 1
                log.warning(
                    "sync.lease_renew_failed",
                    jobs=self.fence.jobs,
                    error=last_error,
                    attempt=self.failures,
                    seconds_left=round(max(0.0, self.seconds_left), 1),
                )
                continue
            if renewed is None:
                self._lose(self._why_lost())
                return
            if self.failures:
                log.info("sync.lease_renewed", jobs=self.fence.jobs, after_failures=self.failures)
            self.failures = 0
            self.renewals += 1
            self._deadline = asked_at + self._ttl.total_seconds()

    def _why_lost(self) -> str:
        try:
            self._plain.check_fence(self.fence)
        except LeaseLost as exc:
            return str(exc)
        except StoreError:
            pass
        return "lease lost: another run holds the job now; this run writes nothing more"

    def check_write(self, what: str = "") -> None:
        """Before a write leaves (to Bitrix, or a file moved aside): raise :class:`LeaseLost`
        unless this run still holds every lease."""
        if self.lost is not None:
            raise LeaseLost(self.lost)
        if self.seconds_left <= 0:
            self._lose("lease lost: it was not renewed in time; this run writes nothing more")
            raise LeaseLost(self.lost or "lease lost")
        try:
            self._plain.check_fence(self.fence)
        except LeaseLost as exc:
            self._lose(str(exc))
            raise
        except StoreError as exc:
            # The store cannot answer right now; the lease was confirmed less than a TTL ago
            # and has time left, so no other run can hold it yet.
            log.warning("sync.lease_unchecked", before=what, error=str(exc))


__all__ = ["LeaseKeeper", "LeaseTiming"]
