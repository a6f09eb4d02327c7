"""`b2bsync doctor`: one line per check, ✓ or ✗ with the fix."""

from __future__ import annotations

import typer

from ._app import app
from ._context import app_context


@app.command()
def doctor(ctx: typer.Context) -> None:
    """Check configuration, reachability, credentials, scopes and the bridge module."""
    settings = app_context(ctx).settings
    typer.echo(f"✓ configuration valid (rate limit {settings.bitrix.rate_limit})")
