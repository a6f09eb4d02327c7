"""What a command prints: sentences and tables for a person at a terminal, JSON lines otherwise.

When stdout is not a terminal (cron, systemd, ``| jq``) every line a command prints is one JSON
object — records, check results, tables as objects, and the summaries too — so a pipe never has
to skip a line. The global ``--format text|json`` overrides the guess (``auto``). Errors stay one
line of text on stderr (exit 2 or 1), and logs go to stderr as well.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import typer

from ._context import app_context


class Format(StrEnum):
    auto = "auto"
    text = "text"
    json = "json"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def json_mode(ctx: typer.Context, flag: bool = False) -> bool:
    """JSON lines when asked (``--json``, ``--format json``) or when stdout is no terminal."""
    if flag:
        return True
    chosen = app_context(ctx).output
    if chosen == Format.auto:
        return not sys.stdout.isatty()
    return chosen == Format.json


def emit(payload: Any) -> None:
    """One JSON object on one line of stdout."""
    typer.echo(json.dumps(payload, ensure_ascii=False, default=_plain))


__all__ = ["Format", "emit", "json_mode"]
