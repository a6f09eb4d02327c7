"""The typer application: global options, and the registry of command groups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .. import __version__
from .._logging import configure_logging
from ._context import AppContext
from ._output import Format

app = typer.Typer(
    name="b2bsync",
    help="B2B cabinet companion service for 1C-Bitrix stores.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"b2bsync {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="TOML config file (default: $B2BSYNC_CONFIG).",
            dir_okay=False,
        ),
    ] = None,
    output: Annotated[
        Format,
        typer.Option(
            "--format",
            help="Output: text, json (one object per line) or auto (text on a terminal).",
        ),
    ] = Format.auto,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    configure_logging()
    ctx.obj = AppContext(config_path=config, output=output)
