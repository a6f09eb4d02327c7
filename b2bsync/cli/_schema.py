"""`b2bsync schema plan|apply|check`: bring the site's HL-blocks, statuses, order property and
mail templates to what b2bsync needs.

Exit codes: ``plan`` 0; ``apply`` 0, or 1 when a step failed; ``check`` 0 when the site
matches, 1 with the differences listed (for monitoring); 2 for a configuration error (a status
code Bitrix cannot store…), reported before any request.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import httpx
import typer

from hl_schemas import Plan, SchemaRun

from .._errors import UsageError
from ..schema import run_schema
from ..settings import Settings
from ._app import app
from ._context import app_context
from ._output import emit, json_mode

schema_app = typer.Typer(
    name="schema",
    help="HL-blocks, statuses, the order property and mail templates on the site.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(schema_app, name="schema")

Transport = httpx.AsyncBaseTransport | None


def _echo_json(payload: object) -> None:
    emit(payload)


def _summary(plan: Plan) -> str:
    if plan.in_sync:
        return "✓ the site matches the schema"
    parts = []
    if plan.steps:
        parts.append(f"{len(plan.steps)} step(s) to apply")
    if plan.drift:
        parts.append(f"{len(plan.drift)} difference(s) apply never changes (lines with !)")
    return "; ".join(parts)


def plan_command(settings: Settings, *, as_json: bool, transport: Transport = None) -> int:
    run = asyncio.run(run_schema(settings, apply=False, transport=transport))
    if as_json:
        _echo_json({**run.plan.to_json(), "requests": run.requests})
        return 0
    for line in run.plan.lines():
        typer.echo(line)
    typer.echo(f"{_summary(run.plan)} ({run.requests} REST requests to read the site)")
    return 0


def apply_command(
    settings: Settings, *, yes: bool, as_json: bool = False, transport: Transport = None
) -> int:
    if not yes:
        run = asyncio.run(run_schema(settings, apply=False, transport=transport))
        if not run.plan.steps:
            return _report(run, as_json)
        if as_json:
            _echo_json({**run.plan.to_json(), "requests": run.requests})
        else:
            for line in run.plan.lines():
                typer.echo(line)
        if not sys.stdin.isatty():
            raise UsageError("schema apply: not a terminal; pass --yes to apply the steps above")
        if not typer.confirm(f"Apply {len(run.plan.steps)} step(s)?", default=False):
            typer.echo("nothing applied")
            return 0
    run = asyncio.run(run_schema(settings, apply=True, transport=transport))
    return _report(run, as_json)


def _report(run: SchemaRun, as_json: bool) -> int:
    report = run.report
    if as_json:
        payload = {"plan": run.plan.to_json(), "requests": run.requests}
        if report is not None:
            payload["apply"] = report.to_json()
        _echo_json(payload)
    else:
        for line in report.lines() if report is not None else []:
            typer.echo(line)
        for drift in run.plan.drift:
            typer.echo(drift.describe())
        done = len(report.of("done")) if report is not None else 0
        failed = len(report.of("failed")) if report is not None else 0
        skipped = len(report.of("skipped")) if report is not None else 0
        typer.echo(
            f"{done} step(s) done, {failed} failed, {skipped} skipped; "
            f"{run.requests} REST requests ({run.read_requests} to read the site)"
        )
        if run.plan.drift:
            typer.echo(f"{len(run.plan.drift)} difference(s) need a human (see above)")
    return 0 if report is None or report.ok else 1


def check_command(settings: Settings, *, as_json: bool = False, transport: Transport = None) -> int:
    run = asyncio.run(run_schema(settings, apply=False, transport=transport))
    if as_json:
        _echo_json({**run.plan.to_json(), "requests": run.requests})
    else:
        for line in run.plan.lines():
            typer.echo(line)
        typer.echo(_summary(run.plan))
    return 0 if run.plan.in_sync else 1


JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of lines.")]


@schema_app.command("plan")
def plan_cmd(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Print the steps apply would run (+ add, ~ update) and the drift it leaves (!)."""
    raise typer.Exit(plan_command(app_context(ctx).settings, as_json=json_mode(ctx, as_json)))


@schema_app.command("apply")
def apply_cmd(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Apply without asking.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Run the plan's steps; print what was done and how many REST requests it took."""
    settings = app_context(ctx).settings
    raise typer.Exit(apply_command(settings, yes=yes, as_json=json_mode(ctx, as_json)))


@schema_app.command("check")
def check_cmd(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Exit 0 when the site matches the schema, 1 listing the differences (for monitoring)."""
    raise typer.Exit(check_command(app_context(ctx).settings, as_json=json_mode(ctx, as_json)))
