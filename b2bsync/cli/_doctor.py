"""`b2bsync doctor`: one line per check, ✓ or ✗ with the fix; exit 1 when any check fails."""

from __future__ import annotations

import asyncio

import typer

from ..doctor import run_doctor
from ._app import app
from ._context import app_context
from ._output import emit, json_mode


@app.command()
def doctor(ctx: typer.Context) -> None:
    """Check configuration, reachability, credentials, scopes, the bridge module and schema."""
    context = app_context(ctx)
    settings = context.settings
    results = asyncio.run(
        run_doctor(settings, config_file=context.config_file, env_file=context.env_file)
    )
    as_json = json_mode(ctx)
    for result in results:
        if as_json:
            emit(
                {
                    "check": result.name,
                    "ok": result.ok,
                    "warning": result.warning,
                    "detail": result.detail,
                    "fix": result.fix,
                }
            )
        else:
            typer.echo(result.line())
    if not all(r.ok for r in results):
        raise typer.Exit(1)
