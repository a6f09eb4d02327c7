"""The demo's invite: an owner made with the operator's command logic, an invite requested as the
cabinet requests one, issued and mailed by the workflows service, accepted through the real
accept page (in process) and the store's login hand-off (the emulator on loopback) — and the
spent link refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx

from workflows import (
    INVITES,
    Change,
    InviteRows,
    MemberRows,
    WorkflowService,
    decide,
)
from workflows.members import Action
from workflows.roles import Role

from ._demo_scene import browser, hidden
from ._wiring import bitrix_client, service_config
from .sandbox import Sandbox
from .settings import Settings
from .store import SqlWorkflowStore, Store

EMAIL = "nina.novikova@example.ru"
FORM = {"action": "create", "name": "Нина", "last_name": "Новикова", "password": "Demo-pass-1",
        "password2": "Demo-pass-1"}  # fmt: skip


async def invite_accepted(
    settings: Settings, box: Sandbox, store: Store, company_id: int
) -> tuple[list[str], tuple[int, int] | None]:
    """Step 5: its lines, and (the owner, the new buyer) when all went as it should."""
    lines: list[str] = []
    tables = SqlWorkflowStore(store)
    now = datetime.now(UTC)
    async with bitrix_client(settings.bitrix) as client:
        rows = MemberRows(client)
        seeded = next(c for c in box.world.shop.companies if c.user_ids)
        owner = seeded.user_ids[0]
        members = await rows.of_company(company_id)
        write = decide(members, Change(Action.add, company_id, owner, role="owner"))
        if write is not None:
            await rows.write(write, now)
        person = box.site.users[owner]
        lines.append(f"company users add {company_id} {person.email} --role owner: ok")
        service = WorkflowService(client, tables, store.now, service_config(settings))
        await service.poll(INVITES)
        await InviteRows(client).add_requested(company_id, EMAIL, "buyer", owner, now)
        await service.poll(INVITES)
        await service.deliver()
        (mail,) = box.site.bridge.mails("B2B_COMPANY_INVITE")
        link = mail.fields["INVITE_URL"]
        lines.append(f"the cabinet invited {EMAIL} as buyer; the mail carries {link[:60]}…")
    async with browser(settings, store) as web, httpx.AsyncClient() as shop:
        page = await web.get(link)
        fields = hidden(page.text)
        form = {**FORM, "csrftoken": fields.get("csrftoken", ""), "token": fields.get("token", "")}
        sent = await web.post("/invites/accept", data=form)
        lines.append(f"the accept page: {page.status_code}; the form sent: {sent.status_code}")
        if sent.status_code != 303:
            return lines, None
        handoff = await shop.get(sent.headers["location"])
        landed = await shop.get(
            httpx.URL(sent.headers["location"]).join(handoff.headers.get("location", "/")),
            headers={"Cookie": handoff.headers.get("set-cookie", "").split(";")[0]},
        )
        user = re.search(r"data-user='(\d+)'", landed.text)
        lines.append(
            f"the store's hand-off: {handoff.status_code} → {handoff.headers.get('location')}, "
            f"logged in as user #{user.group(1) if user else '?'}"
        )
        again = await web.get(link)
        lines.append(f"the link again: {again.status_code} (accepted already)")
    async with bitrix_client(settings.bitrix) as client:
        members = await MemberRows(client).of_company(company_id)
        people = {u.id: u for u in box.site.users.values()}
        shown = ", ".join(
            f"{m.role} {people[m.user_id].name} {people[m.user_id].last_name}".strip()
            for m in members
            if m.active
        )
        lines.append(f"company #{company_id} now: {shown}")
    buyer = next((m.user_id for m in members if m.active and m.role == Role.buyer), None)
    if not user or again.status_code != 410 or len(members) != 2 or buyer is None:
        return lines, None
    return lines, (owner, buyer)


__all__ = ["invite_accepted"]
