"""The workflows in the daemon: watchers, the outbox and pruning (:class:`workflows.
WorkflowService`) under a lease, so that one process of an installation runs them.

The lease is ``workflows`` in the state store's lease table (the same mechanism that keeps sync
jobs apart): a second daemon, or one on another host sharing a PostgreSQL store, waits and takes
over within a lease period when the first stops. A lost lease stops the service at once; the
cursors and the outbox are in the store, so the next holder resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import structlog

from bitrix_client import BitrixClient
from workflows import Clock, Wakeups, WorkflowService

from ._wiring import service_config
from .settings import Settings
from .store import SqlWorkflowStore, Store

log = structlog.get_logger("b2bsync")

LEASE = "workflows"


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def _keep(store: Store, holder: str, ttl: timedelta, lost: asyncio.Event) -> None:
    while not lost.is_set():
        await asyncio.sleep(ttl.total_seconds() / 3)
        if await asyncio.to_thread(store.renew_lease, LEASE, holder, ttl) is None:
            log.error("workflows.lease_lost", holder=holder)
            lost.set()


async def run_workflows(
    settings: Settings,
    store: Store,
    bitrix: BitrixClient,
    stop: asyncio.Event,
    *,
    holder: str,
    wakeups: Wakeups | None = None,
    clock: Clock | None = None,
) -> None:
    """Run the workflows while this process holds their lease, until ``stop``."""
    tables = SqlWorkflowStore(store)
    service = WorkflowService(
        bitrix,
        tables,
        clock or store.now,
        service_config(settings),
        wakeups=wakeups,
    )
    ttl = settings.state.lease_ttl
    while not stop.is_set():
        lease = await asyncio.to_thread(store.acquire_lease, LEASE, holder, ttl)
        if lease is None:
            log.info("workflows.waiting", reason="another process holds the workflows lease")
            await _sleep_or_stop(stop, ttl.total_seconds() / 3)
            continue
        inner = asyncio.Event()
        keeper = asyncio.create_task(_keep(store, holder, ttl, inner))
        relay = asyncio.create_task(_relay(stop, inner))
        try:
            await service.run(inner)
        finally:
            keeper.cancel()
            relay.cancel()
            await asyncio.to_thread(store.release_lease, LEASE, holder)


async def _relay(stop: asyncio.Event, inner: asyncio.Event) -> None:
    await stop.wait()
    inner.set()


__all__ = ["LEASE", "run_workflows"]
