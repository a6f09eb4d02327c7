"""`b2bsync outbox list|retry`: notifications that could not be delivered, and sending them
again.

A delivery (one channel of one notification) is parked when the site refused it (a language it
does not have, a missing mail template…) or when it kept failing for ``outbox.max_attempts``
tries; it waits, with the reason, until `outbox retry` makes it due again. Output is a table on
a terminal and JSON lines otherwise (or with ``--json``).
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from workflows import Delivery

from .._errors import B2BSyncError, UsageError
from ..store import SqlWorkflowStore
from ._app import app
from ._context import app_context
from ._present import existing_store, show_table, site_zone, span, when

outbox_app = typer.Typer(
    name="outbox",
    help="Notifications the outbox could not deliver: list them, send them again.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(outbox_app, name="outbox")

JsonOption = Annotated[bool, typer.Option("--json", help="JSON lines (the default off a TTY).")]


def delivery_json(delivery: Delivery) -> dict[str, Any]:
    note = delivery.notification

    def iso(moment: Any) -> Any:
        return None if moment is None else moment.isoformat()

    return {
        "key": note.key,
        "type": note.type,
        "channel": delivery.channel.value,
        "user_id": note.recipient.user_id,
        "email": note.recipient.email,
        "language": note.recipient.language,
        "attempts": delivery.attempts,
        "created_at": iso(note.created_at),
        "parked_at": iso(delivery.parked_at),
        "due_at": iso(delivery.due_at),
        "reason": delivery.last_error,
    }


@outbox_app.command("list")
def list_cmd(
    ctx: typer.Context,
    pending: Annotated[
        bool, typer.Option("--pending", help="Deliveries still waiting, instead of parked ones.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Parked deliveries (or, with --pending, waiting ones), oldest first, with the reason."""
    settings = app_context(ctx).settings
    zone = site_zone(settings)
    with existing_store(settings) as store:
        tables = SqlWorkflowStore(store)
        now = store.now()
        stats = tables.outbox_stats()
        entries = tables.due(now.replace(year=9999), 10_000) if pending else tables.parked()
    summary = {
        "pending": stats.pending,
        "parked": stats.parked,
        "delivered": stats.delivered,
        "oldest_pending_seconds": None
        if stats.oldest_pending is None
        else round((now - stats.oldest_pending).total_seconds()),
    }
    if as_json or not sys.stdout.isatty():
        for entry in entries:
            typer.echo(json.dumps(delivery_json(entry), ensure_ascii=False))
        typer.echo(json.dumps({"summary": summary}))
        return
    oldest = None if stats.oldest_pending is None else now - stats.oldest_pending
    line = (
        f"{stats.pending} pending (oldest {span(oldest)}), {stats.parked} parked, "
        f"{stats.delivered} delivered"
    )
    if not entries:
        typer.echo(("nothing waiting" if pending else "nothing parked") + f" — {line}")
        return
    moment = "due" if pending else "parked"
    rows = [
        [
            e.notification.key,
            e.channel.value,
            str(e.notification.recipient.user_id),
            str(e.attempts),
            when(e.due_at if pending else e.parked_at, zone),
            e.last_error or "—",
        ]
        for e in entries
    ]
    show_table(["key", "channel", "user", "attempts", f"{moment} ({zone})", "reason"], rows)
    typer.echo(line)


@outbox_app.command("retry")
def retry_cmd(
    ctx: typer.Context,
    key: Annotated[str | None, typer.Option("--key", help="Only this notification.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every parked delivery.")] = False,
) -> None:
    """Make parked deliveries due now; the daemon sends them on its next round. Exits 1 when
    --key names nothing parked."""
    if (key is None) == (not all_):
        raise UsageError("outbox retry needs exactly one of --key K or --all")
    settings = app_context(ctx).settings
    with existing_store(settings) as store:
        tables = SqlWorkflowStore(store)
        count = tables.unpark([key] if key is not None else None, store.now())
    if key is not None and count == 0:
        raise B2BSyncError(f"no parked delivery of {key!r}")
    typer.echo(f"{count} deliver{'y' if count == 1 else 'ies'} due again; the daemon sends them")


__all__ = ["delivery_json"]
