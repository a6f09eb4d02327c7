"""`b2bsync roles export`: the role/capability table (DESIGN §5) as JSON for the PHP templates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..roles import export_table
from ._app import app
from ._output import emit, json_mode

roles_app = typer.Typer(
    name="roles",
    help="Company roles and what each may do.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(roles_app, name="roles")


@roles_app.command("export")
def export_cmd(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file instead of stdout.", dir_okay=False
        ),
    ] = None,
) -> None:
    """Print the role → capabilities table as JSON (codes, ru/en titles)."""
    if output is None and json_mode(ctx):
        emit(export_table())  # one line, like every command's output into a pipe
        return
    text = json.dumps(export_table(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
