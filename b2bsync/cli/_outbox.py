"""`b2bsync outbox list|retry|deliver`: notifications that could not be delivered, sending
them again, and delivering what is due now (the daemon does that by itself).

A delivery (one channel of one notification) is parked when the site refused it (a language it
does not have, a missing mail template…) or when it kept failing for ``outbox.max_attempts``
tries; it waits, with the reason, until `outbox retry` makes it due again. Output is a table on
a terminal and JSON lines otherwise (or with ``--json``).
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import timedelta
from typing import Annotated, Any

import typer

from workflows import Delivery, DeliveryReport, WorkflowService

from .._errors import B2BSyncError, UsageError
from .._wiring import bitrix_client, service_config
from ..runner import holder_id, open_store
from ..settings import Settings
from ..store import SqlWorkflowStore, Store
from ..watching import LEASE
from ._app import app
from ._context import app_context
from ._present import existing_store, show_table, site_zone, span, when
from ._sync import until_signalled

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
        later = now + timedelta(days=36_500)  # every waiting delivery, due or not yet
        entries = tables.due(later, 10_000) if pending else tables.parked()
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


@outbox_app.command("deliver")
def deliver_cmd(ctx: typer.Context) -> None:
    """Deliver what is due now, then exit: 0 done (or the daemon is delivering), 1 when the site
    refused b2bsync (credentials, scope, no bridge). The daemon does this by itself."""
    settings = app_context(ctx).settings
    store = open_store(settings)
    try:
        outcome = until_signalled(lambda stop: _deliver(settings, store))
    finally:
        store.close()
    if outcome is None:
        typer.echo("the workflows lease is held elsewhere: that process delivers", err=True)
        return
    summary = {
        "delivered": outcome.delivered,
        "retrying": outcome.retrying,
        "parked": outcome.parked,
        "requests": outcome.requests,
    }
    if sys.stdout.isatty():
        typer.echo(", ".join(f"{k} {v}" for k, v in summary.items()))
    else:
        typer.echo(json.dumps({"outbox.delivered": summary}))
    if outcome.stopped:
        raise B2BSyncError(f"delivery stopped: {outcome.stopped}")


async def _deliver(settings: Settings, store: Store) -> DeliveryReport | None:
    holder = holder_id()
    ttl = settings.state.lease_ttl
    if await asyncio.to_thread(store.acquire_lease, LEASE, holder, ttl) is None:
        return None
    try:
        async with bitrix_client(settings.bitrix) as bitrix:
            service = WorkflowService(
                bitrix, SqlWorkflowStore(store), store.now, service_config(settings)
            )
            return await service.deliver()
    finally:
        await asyncio.to_thread(store.release_lease, LEASE, holder)


__all__ = ["delivery_json"]
