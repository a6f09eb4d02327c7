"""Running sync jobs: leases, run records, the shared clients, graceful stop.

Every job run holds the job's lease in the state store for its whole duration (renewed in the
background by :class:`~b2bsync._lease_keeper.LeaseKeeper`), so two runs of one job — a timer's
one-shot and the daemon, or two hosts sharing a PostgreSQL store — never overlap; ``all`` takes
every lease it needs at once or none. Every checkpoint and every write to Bitrix is fenced by
the lease's generation: a run that lost its lease writes nothing more and ends ``failed``. A run
records its start, end, counts and errors. SIGTERM sets ``stop``: the running job finishes the
company it is on, checkpoints, and the run ends as ``stopped``.
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

from bitrix_client import BitrixClient, FatalError, write_guard
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
from ._lease_keeper import LeaseKeeper, LeaseTiming
from ._wiring import bitrix_client
from .settings import Settings
from .store import LeaseLost, Store

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
        extra_file_types=tuple(sync.extra_file_types),
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


async def _forward(outer: asyncio.Event, inner: asyncio.Event) -> None:
    await outer.wait()
    inner.set()


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
    timing: LeaseTiming | None = None,
) -> list[RunOutcome]:
    """Run ``names`` (``all`` allowed) in dependency order under their leases.

    A run whose lease is lost (taken over after a pause, or not renewable before it expired)
    writes nothing more and its job ends ``failed``; a run that finds its job busy is
    ``skipped``.
    """
    jobs = expand(names)
    stop = stop or asyncio.Event()
    clients = clients or Clients()
    holder = holder or holder_id()
    timing = timing or LeaseTiming()
    ttl = settings.state.lease_ttl
    config = sync_config(settings, full=full, company=company)
    if any(job in NEEDS_ONEC for job in jobs) and clients.onec is None:
        settings.onec.source_config()  # raises ConfigError naming what is missing
    asked_at = timing.clock()
    leases = await asyncio.to_thread(store.acquire_leases, jobs, holder, ttl)
    if leases is None:
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
    # This run's own stop: SIGTERM (the outer event) or its lease being lost. A lost lease
    # stops this run only, never the daemon around it.
    halt = asyncio.Event()
    keeper = LeaseKeeper(store, leases, ttl, halt, asked_at=asked_at, timing=timing)
    helpers = [
        asyncio.create_task(keeper.run(), name=f"lease-{'+'.join(jobs)}"),
        asyncio.create_task(_forward(stop, halt)),
    ]
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
            with write_guard(keeper.check_write):
                for job in jobs:
                    if halt.is_set():
                        why = keeper.lost or "stop requested"
                        outcomes.append(RunOutcome(job, "stopped", reason=why))
                        continue
                    outcomes.append(
                        await _run_one(job, bitrix, onec, store, keeper, config, progress, halt)
                    )
                    if outcomes[-1].status == "failed" and outcomes[-1].reason.startswith("fatal"):
                        stop.set()
                if onec is not None and _covers_1c(outcomes):
                    # An XML export holds counterparties, documents and credit together: it is
                    # moved aside only once every feed it carries was stored — by this run.
                    try:
                        keeper.check_write("1C export commit")
                    except LeaseLost as exc:
                        outcomes.append(RunOutcome("1C export", "failed", reason=str(exc)))
                    else:
                        await onec.commit()
    finally:
        for helper in helpers:
            helper.cancel()
        await asyncio.gather(*helpers, return_exceptions=True)
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
    keeper: LeaseKeeper,
    config: SyncConfig,
    progress: Callable[[str], Progress] | None,
    stop: asyncio.Event,
) -> RunOutcome:
    run_id = store.start_run(job, keeper.fence.holder)
    reporter = progress(job) if progress else None
    # the job checkpoints through the fenced view; the run record itself is the runner's
    ctx = JobContext(bitrix=bitrix, onec=onec, store=keeper.store, config=config, stop=stop)
    if reporter is not None:
        ctx.progress = reporter
    reason = ""
    try:
        result = await JOBS[job](ctx)
    except LeaseLost as exc:
        result = JobResult(job, errors=[str(exc)])
        reason = str(exc)
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
    if keeper.lost is not None and keeper.lost not in result.errors:
        # stopped (or even finished) without noticing: a run without its lease never succeeds
        result.errors.append(keeper.lost)
        reason = reason or keeper.lost
    if keeper.lost is not None:
        status = "failed"
    else:
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
    "LeaseTiming",
    "RunOutcome",
    "expand",
    "run_jobs",
    "sync_config",
]
