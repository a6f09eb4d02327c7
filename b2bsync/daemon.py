"""``b2bsync run``: every sync job on its interval, in one process, until SIGTERM.

APScheduler (3.x, asyncio) fires each job on the intervals of ``[schedule]``; a job never runs
twice at once here (``max_instances=1``) nor beside a one-shot or another host (its lease). One
Bitrix client is shared by every job, so the process keeps to one rate-limit bucket. On stop the
scheduler fires nothing new and the running job finishes its current company and checkpoints.
Each run takes its leases under its own holder name (and fencing numbers), so two runs of this
process that share a job (``all`` and ``orders`` for an XML drop) exclude each other as two
hosts would, and a run that loses its lease stops alone.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from onec_client import open_source

from ._progress import JsonLinesProgress
from ._wiring import bitrix_client
from .runner import NEEDS_ONEC, Clients, RunOutcome, run_jobs
from .settings import Settings
from .store import Store

log = structlog.get_logger("b2bsync")


def intervals(settings: Settings) -> dict[str, int]:
    """Minutes per job; 0 switches a job off.

    An XML drop folder is consumed file by file, and a file carries every 1C feed at once, so
    with ``onec.kind = "xml"`` the three 1C jobs run together as ``all`` (at the shortest of
    their intervals) and the folder is committed after each complete run.
    """
    schedule = settings.schedule
    wanted = {
        "companies": schedule.companies,
        "orders": schedule.orders,
        "documents": schedule.documents,
        "credit": schedule.credit,
    }
    plan = {job: minutes for job, minutes in wanted.items() if minutes > 0}
    if settings.onec.kind == "xml":
        onec_minutes = [
            plan.pop(job) for job in ("companies", "documents", "credit") if job in plan
        ]
        if onec_minutes:
            plan.pop("orders", None)
            plan["all"] = min(onec_minutes)
            if schedule.orders > 0 and schedule.orders < plan["all"]:
                plan["orders"] = schedule.orders
    return plan


async def run_daemon(
    settings: Settings,
    store: Store,
    stop: asyncio.Event,
    *,
    clients: Clients | None = None,
    first_run_delay: float = 0.0,
) -> list[RunOutcome]:
    """Run until ``stop`` is set; returns every run's outcome (for tests and the exit code)."""
    plan = intervals(settings)
    outcomes: list[RunOutcome] = []
    running: set[asyncio.Task[None]] = set()
    async with AsyncExitStack() as stack:
        shared = clients or Clients()
        if shared.bitrix is None:
            shared.bitrix = await stack.enter_async_context(
                bitrix_client(settings.bitrix, transport=shared.bitrix_transport)
            )
        if shared.onec is None and (NEEDS_ONEC | {"all"}) & plan.keys():
            shared.onec = await stack.enter_async_context(
                open_source(settings.onec.source_config(), transport=shared.onec_transport)
            )

        async def body(job: str) -> None:
            outcomes.extend(
                await run_jobs(
                    settings,
                    [job],
                    store=store,
                    stop=stop,
                    clients=shared,
                    progress=JsonLinesProgress,
                )
            )

        async def fire(job: str) -> None:
            """The scheduler's job. The run itself is a task of its own: APScheduler cancels
            its running jobs on shutdown, and a run must finish its company and checkpoint."""
            if stop.is_set():
                return
            task = asyncio.create_task(body(job), name=f"sync-{job}")
            running.add(task)
            task.add_done_callback(running.discard)
            await asyncio.shield(task)

        scheduler = AsyncIOScheduler(timezone=UTC)
        start = datetime.now(UTC) + timedelta(seconds=first_run_delay)
        for offset, (job, minutes) in enumerate(plan.items()):
            scheduler.add_job(
                fire,
                IntervalTrigger(minutes=minutes, timezone=UTC),
                args=[job],
                id=job,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=max(60, minutes * 30),
                next_run_time=start + timedelta(seconds=offset),
            )
        scheduler.start()
        log.info("daemon.started", jobs=plan)
        try:
            await stop.wait()
        finally:
            scheduler.shutdown(wait=False)
            if running:
                log.info("daemon.stopping", running=len(running))
                await asyncio.gather(*list(running), return_exceptions=True)
    log.info("daemon.stopped", runs=len(outcomes))
    return outcomes
