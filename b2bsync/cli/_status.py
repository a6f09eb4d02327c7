"""`b2bsync status [--json]`: per job the last run, lag and quarantine; companies with stale
credit; the approval workflow (status changes reverted, moves waiting or failed); what the
workflows enforced lately (a membership change reverted to keep a company's owner).

Exit 0 when every job's newest run is ok, stopped, running or absent; 1 when the newest run of
any job failed or was interrupted (killed before it finished), so a monitor can alert on it.
Stale credit, quarantined records and reverted status changes are reported but do not change
the exit code.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Annotated

import typer

from ..store import JobStatus, StatusReport, status_report
from ._app import app
from ._context import app_context
from ._output import emit, json_mode
from ._present import counts_text, existing_store, show_table, site_zone, span, when


@app.command()
def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Last run of each job, its lag, errors, quarantine; companies with stale credit.

    Exits 1 when the newest run of any job failed or was interrupted.
    """
    settings = app_context(ctx).settings
    zone = site_zone(settings)
    with existing_store(settings) as store:
        report = status_report(store, settings.state.stale_credit_after)
    if json_mode(ctx, as_json):
        emit(report.to_json())
    else:
        print_report(report, zone)
    raise typer.Exit(1 if report.failing else 0)


def _state(job: JobStatus) -> str:
    return "never run" if job.last_run is None else job.last_run.status


def _duration(job: JobStatus, report: StatusReport) -> str:
    run = job.last_run
    if run is None:
        return "—"
    if run.status == "interrupted":
        return "—"
    if run.ended_at is None:
        return f"{span(report.now - run.started_at)} so far"
    return span(run.duration)


def print_report(report: StatusReport, zone: tzinfo) -> None:
    rows = [
        [
            job.job,
            when(job.last_run.started_at if job.last_run else None, zone),
            _state(job),
            _duration(job, report),
            span(job.lag),
            str(job.quarantined),
            counts_text(job.last_run.counts) if job.last_run else "—",
        ]
        for job in report.jobs
    ]
    headers = ["job", f"last run ({zone})", "status", "duration", "lag", "quarantined", "counts"]
    show_table(headers, rows, title=f"state store: {report.store}")
    for job in report.jobs:
        run = job.last_run
        if run is not None and run.errors:
            typer.echo(f"{job.job}: run {run.id} had {len(run.errors)} error(s):")
            for error in run.errors:
                typer.echo(f"  - {error}")
        if run is not None and run.status == "interrupted":
            typer.echo(
                f"{job.job}: run {run.id} by {run.holder} never finished (its lease expired)"
            )
    total = sum(report.quarantine.values())
    if total:
        typer.echo(f"quarantine: {total} record(s); see `b2bsync quarantine list`")
    stale = report.stale_credit
    limit = span(report.stale_after)
    if stale:
        typer.echo(
            f"credit: {len(stale)} of {report.credit_companies} companies stale "
            f"(computed by 1C more than {limit} ago):"
        )
        for seen in stale:
            blocked = ", orders blocked" if seen.blocked else ""
            typer.echo(
                f"  {seen.key}  computed {when(seen.source_at, zone)}, "
                f"written {when(seen.synced_at, zone)}{blocked}"
            )
    else:
        typer.echo(f"credit: {report.credit_companies} companies, none older than {limit}")
    typer.echo(f"orders indexed: {report.orders_indexed}")
    print_approval(report, zone)


def print_approval(report: StatusReport, zone: tzinfo) -> None:
    stats = report.approval
    typer.echo(
        f"approval: {stats.pending_orders} order(s) pending, {stats.reverted} unauthorised "
        f"change(s) reverted, {stats.pending_moves} move(s) waiting, "
        f"{len(stats.failed_moves)} failed"
    )
    for move in stats.recent_reverts:
        who = f"user {move.actor}" if move.actor else "no user (agent / 1C exchange)"
        typer.echo(
            f"  reverted: order {move.order_id} {move.to_status}→{move.from_status} "
            f"by {who} (log row {move.cause_event}, {when(move.created_at, zone)}): {move.state}"
        )
    for move in stats.failed_moves:
        typer.echo(
            f"  failed: {move.kind} of order {move.order_id} → {move.to_status}: {move.last_error}"
        )
    if report.reports:
        typer.echo(f"workflows: {len(report.reports)} report(s) in the last 7 days:")
        for item in report.reports:
            typer.echo(f"  {when(item.created_at, zone)}  {item.kind}: {item.message}")
