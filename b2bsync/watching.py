"""The workflows in the daemon: watchers, the outbox and pruning (:class:`workflows.
WorkflowService`) under a lease, so that one process of an installation runs them.

The lease is ``workflows`` in the state store's lease table, kept by the same
:class:`~b2bsync._lease_keeper.LeaseKeeper` as a sync run's: renewal survives a store hiccup, the
service's cursors and outbox rows are written through the fenced view, and its writes to Bitrix
pass the keeper's check. A second daemon, or one on another host sharing a PostgreSQL store,
waits and takes over within a lease period when the first stops. A lost lease stops the service
at once; the cursors and the outbox are in the store, so the next holder resumes where it
stopped.
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from bitrix_client import BitrixClient, write_guard
from workflows import Clock, Wakeups, WorkflowService

from ._lease_keeper import LeaseKeeper, LeaseTiming
from ._wiring import service_config
from .settings import Settings
from .store import SqlWorkflowStore, Store

log = structlog.get_logger("b2bsync")

LEASE = "workflows"


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def run_workflows(
    settings: Settings,
    store: Store,
    bitrix: BitrixClient,
    stop: asyncio.Event,
    *,
    holder: str,
    wakeups: Wakeups | None = None,
    clock: Clock | None = None,
    timing: LeaseTiming | None = None,
) -> None:
    """Run the workflows while this process holds their lease, until ``stop``."""
    timing = timing or LeaseTiming()
    ttl = settings.state.lease_ttl
    while not stop.is_set():
        asked_at = timing.clock()
        leases = await asyncio.to_thread(store.acquire_leases, [LEASE], holder, ttl)
        if leases is None:
            log.info("workflows.waiting", reason="another process holds the workflows lease")
            await _sleep_or_stop(stop, ttl.total_seconds() / 3)
            continue
        inner = asyncio.Event()
        keeper = LeaseKeeper(store, leases, ttl, inner, asked_at=asked_at, timing=timing)
        service = WorkflowService(
            bitrix,
            SqlWorkflowStore(keeper.store),
            clock or store.now,
            service_config(settings),
            wakeups=wakeups,
        )
        helpers = [
            asyncio.create_task(keeper.run(), name="lease-workflows"),
            asyncio.create_task(_relay(stop, inner)),
        ]
        try:
            with write_guard(keeper.check_write):
                await service.run(inner)
        finally:
            for helper in helpers:
                helper.cancel()
            await asyncio.gather(*helpers, return_exceptions=True)
            await asyncio.to_thread(store.release_leases, [LEASE], holder)
        if keeper.lost is not None:
            log.error("workflows.lease_lost", holder=holder, reason=keeper.lost)


async def _relay(stop: asyncio.Event, inner: asyncio.Event) -> None:
    await stop.wait()
    inner.set()


__all__ = ["LEASE", "run_workflows"]
