"""`b2bsync quarantine list|retry`: records a sync could not process, and asking for a retry.

``retry`` marks entries; the next run of their feed re-reads each marked entry's scope from the
moment 1C says the record changed, and clears the entry once the record goes through (or
quarantines it again with the new reason).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from jobs import FEEDS, QuarantineEntry

from .._errors import B2BSyncError, UsageError
from ._app import app
from ._context import app_context
from ._output import emit, json_mode
from ._present import existing_store, show_table, site_zone, when

quarantine_app = typer.Typer(
    name="quarantine",
    help="Records a sync could not process: list them, ask for a retry.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(quarantine_app, name="quarantine")

FeedOption = Annotated[
    str | None, typer.Option("--feed", help=f"Only this feed: {', '.join(FEEDS)}.")
]


def _feed(value: str | None) -> str | None:
    if value is not None and value not in FEEDS:
        raise UsageError(f"--feed must be one of {', '.join(FEEDS)}, got {value!r}")
    return value


def entry_json(entry: QuarantineEntry) -> dict[str, Any]:
    def iso(moment: Any) -> Any:
        return None if moment is None else moment.isoformat()

    return {
        "feed": entry.feed,
        "key": entry.key,
        "scope": entry.scope,
        "reason": entry.reason,
        "attempts": entry.attempts,
        "changed_at": iso(entry.changed_at),
        "first_seen": iso(entry.first_seen),
        "last_seen": iso(entry.last_seen),
        "retry": entry.retry,
        "raw": entry.raw,
    }


@quarantine_app.command("list")
def list_cmd(
    ctx: typer.Context,
    feed: FeedOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (with raw records).")] = False,
) -> None:
    """Quarantined records, oldest first: key, scope, attempts, when seen, reason."""
    settings = app_context(ctx).settings
    wanted = _feed(feed)
    zone = site_zone(settings)
    with existing_store(settings) as store:
        entries = store.quarantine_entries(wanted)
    if json_mode(ctx, as_json):
        emit({"count": len(entries), "entries": [entry_json(e) for e in entries]})
        return
    if not entries:
        typer.echo("nothing quarantined" + (f" in {wanted}" if wanted else ""))
        return
    rows = [
        [
            e.feed,
            e.key if e.key is not None else "(no key)",
            e.scope or "—",
            str(e.attempts),
            when(e.last_seen, zone),
            "yes" if e.retry else "",
            e.reason,
        ]
        for e in entries
    ]
    headers = ["feed", "key", "scope", "attempts", f"last seen ({zone})", "retry", "reason"]
    show_table(headers, rows)
    typer.echo(f"{len(entries)} quarantined record(s)")


@quarantine_app.command("retry")
def retry_cmd(
    ctx: typer.Context,
    feed: FeedOption = None,
    key: Annotated[str | None, typer.Option("--key", help="Only the entry with this key.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every entry (of --feed, if given).")] = False,
) -> None:
    """Mark entries for retry by the next run of their feed; prints how many were marked.

    Exits 1 when --key names no quarantined record.
    """
    if (key is None) == (not all_):
        raise UsageError("quarantine retry needs exactly one of --key K or --all")
    settings = app_context(ctx).settings
    wanted = _feed(feed)
    with existing_store(settings) as store:
        marked = store.request_retry(wanted, key)
    where = f" in {wanted}" if wanted else ""
    if key is not None and marked == 0:
        raise B2BSyncError(f"no quarantined record with key {key!r}{where}")
    if json_mode(ctx):
        emit({"marked": marked, "feed": wanted, "key": key})
        return
    typer.echo(
        f"marked {marked} record(s){where} for retry; "
        "the next run of each feed re-reads their scopes"
    )
