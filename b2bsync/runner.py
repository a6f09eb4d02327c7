"""Running sync jobs: leases, run records, the shared clients, graceful stop.

Every job run holds the job's lease in the state store for its whole duration (renewed in the
background), so two runs of one job — a timer's one-shot and the daemon, or two hosts sharing a
PostgreSQL store — never overlap; ``all`` takes every lease it needs at once or none. A run
records its start, end, counts and errors; what a job learns for the workflows (a document
ready, a company blocked) goes to the facts journal in the same store. SIGTERM sets ``stop``:
the running job finishes the company it is on, checkpoints, and the run ends as ``stopped``.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import structlog

from bitrix_client import BitrixClient, FatalError
from jobs import (
    ALL_ORDER,
    JOBS,
    DocumentsRead,
    FileMode,
    JobContext,
    JobResult,
    Progress,
    SyncConfig,
)
from onec_client import OneCSource, open_source

from ._errors import B2BSyncError, UsageError
from ._wiring import bitrix_client
from .settings import Settings
from .store import SqlWorkflowStore, Store

log = structlog.get_logger("b2bsync")

JOB_CHOICES = (*ALL_ORDER, "all")
#: Jobs that read 1C (``orders`` only reads Bitrix).
NEEDS_ONEC = frozenset({"companies", "documents", "credit"})


@dataclass
class RunOutcome:
    job: str
    status: str  # ok | failed | stopped | skipped
    result: JobResult | None = None
    reason: str = ""


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def expand(names: Sequence[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        if name not in JOB_CHOICES:
            raise UsageError(f"unknown job {name!r}; choose from {', '.join(JOB_CHOICES)}")
        for job in ALL_ORDER if name == "all" else (name,):
            if job not in out:
                out.append(job)
    return [job for job in ALL_ORDER if job in out]


def sync_config(
    settings: Settings, *, full: bool = False, company: str | None = None
) -> SyncConfig:
    sync = settings.sync
    return SyncConfig(
        look_back=timedelta(minutes=sync.look_back_minutes),
        full=full,
        company=company,
        file_mode=FileMode(sync.file_mode),
        upload_dir=Path(sync.upload_dir) if sync.upload_dir else None,
        upload_url_prefix=sync.upload_url_prefix,
        download_base_url=sync.download_base_url,
        max_attach_bytes=sync.max_attach_mb * 1024 * 1024,
        overdue_limit=sync.overdue_limit,
        stale_after=settings.state.stale_credit_after,
        site_timezone=ZoneInfo(sync.site_timezone),
        link_orders_by_inn=sync.link_orders_by_inn,
        inn_property_codes=tuple(sync.inn_property_codes),
        article_property_codes=tuple(sync.article_property_codes),
        documents_read=DocumentsRead(sync.documents_read),
    )


def open_store(settings: Settings) -> Store:
    return Store.open(settings.state.url.get_secret_value())


@dataclass
class Clients:
    """Transports to replace the network (tests), or whole clients to share (the daemon)."""

    bitrix: BitrixClient | None = None
    onec: OneCSource | None = None
    bitrix_transport: httpx.AsyncBaseTransport | None = None
    onec_transport: httpx.AsyncBaseTransport | None = None


async def _renew(
    store: Store, names: list[str], holder: str, ttl: timedelta, stop: asyncio.Event
) -> None:
    """Keep the leases alive; a lease taken over means another run owns the job now: stop."""
    while True:
        await asyncio.sleep(ttl.total_seconds() / 3)
        if await asyncio.to_thread(store.renew_leases, names, holder, ttl) is None:
            log.error("sync.lease_lost", jobs=names, holder=holder)
            stop.set()
            return


async def run_jobs(
    settings: Settings,
    names: Sequence[str],
    *,
    store: Store,
    full: bool = False,
    company: str | None = None,
    progress: Callable[[str], Progress] | None = None,
    stop: asyncio.Event | None = None,
    clients: Clients | None = None,
    holder: str | None = None,
) -> list[RunOutcome]:
    """Run ``names`` (``all`` allowed) in dependency order under their leases."""
    jobs = expand(names)
    stop = stop or asyncio.Event()
    clients = clients or Clients()
    holder = holder or holder_id()
    ttl = settings.state.lease_ttl
    config = sync_config(settings, full=full, company=company)
    if any(job in NEEDS_ONEC for job in jobs) and clients.onec is None:
        settings.onec.source_config()  # raises ConfigError naming what is missing
    if await asyncio.to_thread(store.acquire_leases, jobs, holder, ttl) is None:
        busy = {lease.job: lease for lease in store.leases() if lease.job in jobs}
        reason = (
            "; ".join(
                f"{job} is running elsewhere ({lease.holder}, until {lease.expires_at:%H:%M:%S})"
                for job, lease in busy.items()
            )
            or "another run holds the lease"
        )
        log.warning("sync.skipped", jobs=jobs, reason=reason)
        return [RunOutcome(job, "skipped", reason=reason) for job in jobs]
    renewer = asyncio.create_task(_renew(store, jobs, holder, ttl, stop))
    outcomes: list[RunOutcome] = []
    try:
        async with AsyncExitStack() as stack:
            bitrix = clients.bitrix
            if bitrix is None:
                bitrix = await stack.enter_async_context(
                    bitrix_client(settings.bitrix, transport=clients.bitrix_transport)
                )
            onec = clients.onec
            if onec is None and any(job in NEEDS_ONEC for job in jobs):
                onec = await stack.enter_async_context(
                    open_source(settings.onec.source_config(), transport=clients.onec_transport)
                )
            for job in jobs:
                if stop.is_set():
                    outcomes.append(RunOutcome(job, "stopped", reason="stop requested"))
                    continue
                outcomes.append(
                    await _run_one(job, bitrix, onec, store, config, progress, stop, holder)
                )
                if outcomes[-1].status == "failed" and outcomes[-1].reason.startswith("fatal"):
                    stop.set()
            if onec is not None and _covers_1c(outcomes):
                # An XML export holds counterparties, documents and credit together: it is
                # moved aside only once every feed it carries was stored.
                await onec.commit()
    finally:
        renewer.cancel()
        await asyncio.to_thread(store.release_leases, jobs, holder)
    return outcomes


def _covers_1c(outcomes: list[RunOutcome]) -> bool:
    done = {o.job for o in outcomes if o.status == "ok"}
    return done >= NEEDS_ONEC


async def _run_one(
    job: str,
    bitrix: BitrixClient,
    onec: OneCSource | None,
    store: Store,
    config: SyncConfig,
    progress: Callable[[str], Progress] | None,
    stop: asyncio.Event,
    holder: str,
) -> RunOutcome:
    run_id = store.start_run(job, holder)
    reporter = progress(job) if progress else None
    ctx = JobContext(
        bitrix=bitrix,
        onec=onec,
        store=store,
        config=config,
        stop=stop,
        facts=SqlWorkflowStore(store),  # facts the workflows' watcher picks up
    )
    if reporter is not None:
        ctx.progress = reporter
    reason = ""
    try:
        result = await JOBS[job](ctx)
    except FatalError as exc:
        result = JobResult(job, errors=[str(exc)])
        reason = f"fatal: {exc}"
    except B2BSyncError as exc:
        result = JobResult(job, errors=[str(exc)])
        reason = str(exc)
    except Exception as exc:
        log.exception("sync.crashed", job=job)
        result = JobResult(job, errors=[f"{type(exc).__name__}: {exc}"])
        reason = f"{type(exc).__name__}: {exc}"
    finally:
        close = getattr(reporter, "close", None)
        if callable(close):
            close()
    status = "stopped" if result.stopped else ("ok" if result.ok else "failed")
    store.finish_run(run_id, result, status)
    if not reason and result.errors:
        reason = result.errors[0]
    log.info("sync.run", job=job, status=status, **result.counts)
    return RunOutcome(job, status, result, reason)


__all__ = [
    "JOB_CHOICES",
    "NEEDS_ONEC",
    "Clients",
    "RunOutcome",
    "expand",
    "run_jobs",
    "sync_config",
]
