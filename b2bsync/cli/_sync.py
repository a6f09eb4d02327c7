"""`b2bsync sync JOB` (one-shot, for cron and systemd timers) and `b2bsync run` (the daemon)."""

from __future__ import annotations

import asyncio
import re
import signal
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer

from .._errors import UsageError
from .._progress import progress_for
from ..daemon import run_daemon
from ..runner import JOB_CHOICES, RunOutcome, open_store, run_jobs
from ._app import app
from ._context import app_context
from ._output import emit, json_mode

T = TypeVar("T")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _until_signalled(work: Callable[[asyncio.Event], Awaitable[T]]) -> T:
    """Run ``work`` with an event that SIGTERM and SIGINT set (a graceful stop)."""

    async def main() -> T:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        try:
            return await work(stop)
        finally:
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(sig)

    return asyncio.run(main())


def _report(outcomes: list[RunOutcome], *, as_json: bool = False) -> int:
    """One summary per job: a line of text (failed and skipped on stderr), or a
    ``sync.summary`` JSON object on stdout. Exit 1 when a job failed."""
    failed = False
    for outcome in outcomes:
        counts = outcome.result.counts if outcome.result else {}
        failed = failed or outcome.status == "failed"
        if as_json:
            emit(
                {
                    "event": "sync.summary",
                    "job": outcome.job,
                    "status": outcome.status,
                    "counts": dict(sorted(counts.items())),
                    "errors": list(outcome.result.errors) if outcome.result else [],
                    "reason": outcome.reason if outcome.status != "ok" else "",
                }
            )
            continue
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing to do"
        line = f"{outcome.job}: {outcome.status} — {summary}"
        if outcome.reason and outcome.status != "ok":
            line += f" ({outcome.reason})"
        typer.echo(line, err=outcome.status in ("failed", "skipped"))
    return 1 if failed else 0


@app.command()
def sync(
    ctx: typer.Context,
    job: Annotated[str, typer.Argument(help="companies, documents, credit, orders or all")],
    company: Annotated[str | None, typer.Option(help="Only this counterparty (1C GUID).")] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Ignore cursors and reconcile everything.")
    ] = False,
) -> None:
    """Run one sync job now (or all of them), then exit: 0 ok, 1 a job failed, 2 usage."""
    if job not in JOB_CHOICES:
        raise UsageError(f"unknown job {job!r}; choose from {', '.join(JOB_CHOICES)}")
    if company is not None and not _GUID.match(company.strip()):
        raise UsageError(f"--company must be a 1C GUID, got {company!r}")
    settings = app_context(ctx).settings
    store = open_store(settings)
    as_json = json_mode(ctx)
    try:
        outcomes = _until_signalled(
            lambda stop: run_jobs(
                settings,
                [job],
                store=store,
                full=full,
                company=company.strip().lower() if company else None,
                stop=stop,
                progress=lambda name: progress_for(name, tty=not as_json),
            )
        )
    finally:
        store.close()
    raise typer.Exit(_report(outcomes, as_json=as_json))


@app.command()
def run(ctx: typer.Context) -> None:
    """Run every sync job on the intervals of [schedule] until SIGTERM (the daemon)."""
    settings = app_context(ctx).settings
    store = open_store(settings)
    try:
        outcomes = _until_signalled(lambda stop: run_daemon(settings, store, stop))
    finally:
        store.close()
    failed = sum(1 for o in outcomes if o.status == "failed")
    if json_mode(ctx):
        emit({"event": "daemon.stopped", "runs": len(outcomes), "failed": failed})
    else:
        typer.echo(f"stopped after {len(outcomes)} run(s), {failed} failed", err=True)


__all__ = ["run", "sync"]
