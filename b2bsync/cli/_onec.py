"""`b2bsync onec …`: check the configured 1C source, parse an export file, fetch records."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import anyio
import typer

from onec_client import (
    ExportFileError,
    OneCConfigError,
    OneCError,
    OneCSource,
    Quarantined,
    open_source,
    read_export,
    sniff_format,
)
from onec_client._habits import parse_guid

from .._errors import B2BSyncError, ConfigError, UsageError
from ._app import app
from ._context import app_context
from ._output import emit, json_mode

onec_app = typer.Typer(
    name="onec",
    help="Read from 1C: check the configured source, parse export files, fetch records.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(onec_app, name="onec")


class Feed(StrEnum):
    documents = "documents"
    credit = "credit"
    counterparties = "counterparties"


JsonFlag = Annotated[
    bool,
    typer.Option("--json", help="Print the summary as a JSON object too (records always are)."),
]


class _Tally:
    """Counts what was printed, for the summary line."""

    def __init__(self) -> None:
        self.kinds: Counter[str] = Counter()
        self.quarantined = 0

    def emit(self, item: Any) -> None:
        if isinstance(item, Quarantined):
            self.quarantined += 1
        else:
            self.kinds[item.kind] += 1
        typer.echo(json.dumps(item.as_json(), ensure_ascii=False))

    def summary(self, as_json: bool, **context: Any) -> None:
        records = sum(self.kinds.values())
        if as_json:
            payload = {
                **context,
                "records": records,
                "by_kind": dict(sorted(self.kinds.items())),
                "quarantined": self.quarantined,
            }
            typer.echo(json.dumps({"summary": payload}, ensure_ascii=False))
            return
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.kinds.items())) or "nothing"
        where = " ".join(f"{k}={v}" for k, v in context.items())
        typer.echo(
            f"summary: {where}: {records} record(s) ({kinds}), {self.quarantined} quarantined"
        )


def _app_error(kind: str, exc: OneCError) -> B2BSyncError:
    """A configuration mistake exits 2, anything else 1."""
    if isinstance(exc, OneCConfigError):
        return ConfigError(f"1C {kind} source: {exc}")
    return B2BSyncError(f"1C {kind} source: {exc}")


@onec_app.command("check")
def check(ctx: typer.Context) -> None:
    """Check that the configured 1C source is reachable and accepts the credentials."""
    config = app_context(ctx).settings.onec.source_config()

    async def run() -> list[str]:
        async with open_source(config) as source:
            report = await source.check()
        return report.lines

    as_json = json_mode(ctx)
    try:
        lines = anyio.run(run)
    except OneCError as exc:
        if as_json:
            emit({"check": f"1C {config.kind} source", "ok": False, "detail": str(exc)})
        else:
            typer.echo(f"✗ 1C {config.kind} source: {exc}")
        raise _app_error(config.kind, exc) from exc
    for line in lines:
        if as_json:
            emit({"check": line, "ok": True})
        else:
            typer.echo(f"✓ {line}")


@onec_app.command("parse")
def parse(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A CommerceML 2.x or plain-XML export file.")],
    as_json: JsonFlag = False,
) -> None:
    """Read an export file; print one JSON object per record and per quarantined record.

    Exit 0 even when records were quarantined; 1 when the file itself cannot be read.
    """
    tz = app_context(ctx).settings.onec.timezone
    as_json = json_mode(ctx, as_json)
    tally = _Tally()
    try:
        fmt = sniff_format(path)
        for item in read_export(path, ZoneInfo(tz)):
            tally.emit(item)
    except ExportFileError as exc:
        tally.summary(as_json, file=str(path), error=str(exc))
        raise B2BSyncError(f"cannot read {path}: {exc}") from exc
    tally.summary(as_json, file=str(path), format=fmt)


def _changed_since(text: str | None, tz: str) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--changed-since is not an ISO date-time: {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(tz))
    return moment


@onec_app.command("fetch")
def fetch(
    ctx: typer.Context,
    feed: Annotated[Feed, typer.Argument(help="documents, credit or counterparties")],
    counterparty: Annotated[
        str | None, typer.Option("--counterparty", help="Only this counterparty (1C GUID).")
    ] = None,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            help="ISO date-time; naive values are in the 1C time zone (documents, counterparties).",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Fetch records from the configured live 1C source and print them as JSON lines."""
    settings = app_context(ctx).settings.onec
    config = settings.source_config()
    owner: str | None = None
    if counterparty is not None:
        try:
            owner = parse_guid(counterparty)
        except ValueError:
            owner = None
        if owner is None:
            raise UsageError(f"--counterparty must be a 1C GUID, got {counterparty!r}")
    since = _changed_since(changed_since, settings.timezone)
    as_json = json_mode(ctx, as_json)
    tally = _Tally()

    def items(source: OneCSource) -> AsyncIterator[Any]:
        if feed is Feed.documents:
            return source.documents(owner, since)
        if feed is Feed.credit:
            return source.credit(owner)
        return source.counterparties(since)

    keep: Callable[[Any], bool] = (
        (lambda item: owner is None or item.key == owner)
        if feed is Feed.counterparties
        else (lambda item: True)
    )

    async def run() -> None:
        async with open_source(config) as source:
            async for item in items(source):
                if keep(item):
                    tally.emit(item)

    try:
        anyio.run(run)
    except OneCError as exc:
        tally.summary(as_json, source=config.kind, feed=feed.value, error=str(exc))
        raise _app_error(config.kind, exc) from exc
    tally.summary(as_json, source=config.kind, feed=feed.value)
