"""How the operator commands present data: tables (rich on a terminal, aligned plain text
otherwise), times in the site's zone, durations, and opening the store from the settings."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from .._errors import ConfigError
from ..settings import Settings
from ..store import Store, open_store


def show_table(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str = "") -> None:
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(*headers, title=title or None, title_justify="left")
        for row in rows:
            table.add_row(*row)
        Console().print(table)
        return
    if title:
        typer.echo(title)
    typer.echo("\n".join(plain_table(headers, rows)))


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Columns padded to their widest cell; the last column is left ragged."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = []
    for row in [headers, *rows]:
        cells = [str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    return lines


def when(moment: datetime | None, zone: tzinfo) -> str:
    return "—" if moment is None else moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def span(delta: timedelta | None) -> str:
    """A duration the way people say it: 850 ms, 12.3 s, 5 min, 2 h 5 min, 3 d 4 h."""
    if delta is None:
        return "—"
    seconds = delta.total_seconds()
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def counts_text(counts: dict[str, int]) -> str:
    return " ".join(f"{name}={value}" for name, value in sorted(counts.items())) or "—"


def site_zone(settings: Settings) -> ZoneInfo:
    name = settings.sync.site_timezone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"sync.site_timezone: unknown time zone {name!r}") from None


def existing_store(settings: Settings) -> Store:
    """The configured store; a missing SQLite file is an error (exit 2), not created."""
    return open_store(settings.state, create=False)
