"""`b2bsync invite create|list|revoke|resend|extend`: invites to a company's cabinet.

``create`` writes a ``requested`` row, as the cabinet does; ``resend`` kills the open invite's
token (the row becomes ``revoked``) and requests a new row, as the cabinet does. Then, when this
command can take the workflows lease (no daemon is running), it issues the token and sends the
mail itself; otherwise it wakes the daemon, which does (within a second, or at its next poll).
``revoke`` is final; ``extend`` moves the expiry (an expired invite's link works again). A move
the invite's state does not allow exits 1 with the reason; usage mistakes exit 2. Output is
text on a terminal and JSON lines otherwise (or with ``--json``).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer

from bitrix_client import BitrixClient
from workflows import INVITES, Invitations, InviteRows, WorkflowService
from workflows.invites import Status
from workflows.roles import Role

from .._errors import UsageError
from .._wiring import service_config
from ..runner import holder_id, open_store
from ..settings import Settings
from ..store import SqlWorkflowStore, Store
from ..watching import LEASE
from ._app import app
from ._context import app_context
from ._output import emit, json_mode
from ._people import company_of, context, on_site, user_of
from ._present import show_table

invite_app = typer.Typer(
    name="invite",
    help="Invites to a company's B2B cabinet.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(invite_app, name="invite")

JsonOption = Annotated[bool, typer.Option("--json", help="JSON lines (the default off a TTY).")]
IdArg = Annotated[int, typer.Argument(help="The invite's ID.", min=1, show_default=False)]


def _needs_public_url(settings: Settings) -> None:
    if not settings.web.public_url:
        raise UsageError(
            "web.public_url is not set: invite links point at serve's accept page "
            "({web.public_url}/invites/accept), set B2BSYNC_WEB__PUBLIC_URL first"
        )


async def _send(settings: Settings, store: Store, bitrix: BitrixClient, invite_id: int) -> str:
    """Issue and mail ``invite_id`` now if this process can take the workflows lease; else
    leave it to the daemon (woken). What happened, in a word."""
    holder = holder_id()
    tables = SqlWorkflowStore(store)
    if (
        await asyncio.to_thread(store.acquire_lease, LEASE, holder, settings.state.lease_ttl)
        is None
    ):
        tables.request_wake(INVITES, store.now())
        return "queued"
    try:
        service = WorkflowService(bitrix, tables, store.now, service_config(settings))
        await service.start()
        note = await Invitations(bitrix, tables).send_now(invite_id, service.context())
        report = await service.deliver()
        if note is None:
            return "unchanged"
        return "sent" if report.delivered else "queued"
    finally:
        await asyncio.to_thread(store.release_lease, LEASE, holder)


def _say(ctx: typer.Context, as_json: bool, payload: dict[str, Any], text: str) -> None:
    if json_mode(ctx, as_json):
        emit(payload)
    else:
        typer.echo(text)


_SENT = {
    "sent": "the mail is on its way",
    "queued": "the daemon sends the mail",
    "unchanged": "its mail was sent already",
}


@invite_app.command("create")
def create_cmd(
    ctx: typer.Context,
    company: Annotated[str, typer.Argument(help="Company ID or 1C GUID.", show_default=False)],
    email: Annotated[str, typer.Argument(help="Whom to invite.", show_default=False)],
    role: Annotated[str, typer.Option("--role", help="owner, buyer, accountant or viewer.")],
    invited_by: Annotated[
        str | None,
        typer.Option("--invited-by", help="The member the mail names as inviting (ID or e-mail)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Invite an e-mail address into a company with a role."""
    settings = app_context(ctx).settings
    _needs_public_url(settings)
    try:
        code = Role(role.strip().lower()).value
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise UsageError(f"unknown role {role!r} (roles: {known})") from None
    store = open_store(settings)

    async def work(bitrix: BitrixClient) -> dict[str, Any]:
        found = await company_of(bitrix, company)
        inviter = await user_of(bitrix, invited_by) if invited_by else None
        now = datetime.now(UTC)
        number = await Invitations(bitrix, SqlWorkflowStore(store)).create(
            found.id, email, code, inviter, context(settings, bitrix, now)
        )
        return {
            "id": number,
            "company_id": found.id,
            "mail": await _send(settings, store, bitrix, number),
        }

    try:
        made = on_site(settings, work)
    finally:
        store.close()
    _say(
        ctx,
        as_json,
        {"invite.created": made},
        f"invite {made['id']} to company {made['company_id']} requested; {_SENT[made['mail']]}",
    )


@invite_app.command("list")
def list_cmd(
    ctx: typer.Context,
    company: Annotated[
        str | None, typer.Option("--company", help="Only this company (ID or 1C GUID).")
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option("--status", help="Only these statuses (repeatable): requested, pending, …"),
    ] = None,
    email: Annotated[str | None, typer.Option("--email", help="Only this address.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Invites, newest first."""
    settings = app_context(ctx).settings
    statuses = [s.strip().lower() for s in status or []]
    unknown = [s for s in statuses if s not in {x.value for x in Status}]
    if unknown:
        known = ", ".join(x.value for x in Status)
        raise UsageError(f"unknown status {unknown[0]!r} (statuses: {known})")

    async def work(bitrix: BitrixClient) -> list[dict[str, Any]]:
        company_id = (await company_of(bitrix, company)).id if company else None
        found = await InviteRows(bitrix).listed(
            company_id=company_id, statuses=statuses, email=email
        )
        return [i.to_json() for i in sorted(found, key=lambda i: i.id, reverse=True)]

    listed = on_site(settings, work)
    if json_mode(ctx, as_json):
        for row in listed:
            emit(row)
        return
    if not listed:
        typer.echo("no invites")
        return
    show_table(
        ["id", "company", "e-mail", "role", "status", "expires", "accepted by"],
        [
            [
                str(i["id"]),
                str(i["company_id"]),
                i["email"],
                i["role"],
                i["status"],
                i["expires_at"] or "—",
                str(i["accepted_user_id"] or "—"),
            ]
            for i in listed
        ],
    )


@invite_app.command("revoke")
def revoke_cmd(ctx: typer.Context, invite: IdArg, as_json: JsonOption = False) -> None:
    """Revoke an invite: its link stops working, for good."""
    settings = app_context(ctx).settings

    async def work(bitrix: BitrixClient) -> dict[str, Any]:
        now = datetime.now(UTC)
        found = await Invitations(bitrix).revoke(invite, context(settings, bitrix, now))
        return {"id": found.id, "status": Status.revoked.value}

    done = on_site(settings, work)
    _say(ctx, as_json, {"invite.revoked": done}, f"invite {invite} revoked")


@invite_app.command("resend")
def resend_cmd(ctx: typer.Context, invite: IdArg, as_json: JsonOption = False) -> None:
    """Send an invite again with a new link; the old link dies at once."""
    settings = app_context(ctx).settings
    _needs_public_url(settings)
    store = open_store(settings)

    async def work(bitrix: BitrixClient) -> dict[str, Any]:
        now = datetime.now(UTC)
        number = await Invitations(bitrix, SqlWorkflowStore(store)).resend(
            invite, context(settings, bitrix, now)
        )
        return {
            "id": invite,
            "new_id": number,
            "mail": await _send(settings, store, bitrix, number),
        }

    try:
        done = on_site(settings, work)
    finally:
        store.close()
    _say(
        ctx,
        as_json,
        {"invite.resent": done},
        f"invite {invite} revoked, invite {done['new_id']} requested; {_SENT[done['mail']]}",
    )


@invite_app.command("extend")
def extend_cmd(
    ctx: typer.Context,
    invite: IdArg,
    hours: Annotated[
        float | None,
        typer.Option("--hours", help="New lifetime from now (default: invites.ttl).", min=0.01),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Move an invite's expiry (an expired invite's link works again)."""
    settings = app_context(ctx).settings
    ttl = timedelta(hours=hours) if hours is not None else settings.invites.ttl

    async def work(bitrix: BitrixClient) -> dict[str, Any]:
        now = datetime.now(UTC)
        expires = await Invitations(bitrix).extend(invite, ttl, context(settings, bitrix, now))
        return {"id": invite, "expires_at": expires.isoformat()}

    done = on_site(settings, work)
    _say(
        ctx, as_json, {"invite.extended": done}, f"invite {invite} valid until {done['expires_at']}"
    )


__all__ = ["invite_app"]
