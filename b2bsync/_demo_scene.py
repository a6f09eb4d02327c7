"""What the demo's workflow steps share: the company and its people, the workflows service on the
sandbox's store emulator (as the service user, as ``b2bsync run`` talks to the site), the store's
administrator (what people do on the site: the cabinet's own rows, the admin panel), the HTTP app
in process as a browser reaches it, and the mails the site sent."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
from pydantic import SecretStr
from starlette.applications import Starlette

from bitrix_client import BitrixClient
from bitrix_client.fake._bridge_pings import Pinger
from bitrix_client.fake._bridge_state import SentMail
from workflows import ORDER_COMMENTS, ORDER_EVENTS, WorkflowService

from ._wiring import bitrix_client, service_config, web_config, web_deps
from .sandbox import Sandbox
from .settings import Settings
from .store import SqlWorkflowStore, Store
from .web import create_app


def _no_sidecar(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("the demo polls by itself: no b2bsync serve listens", request=request)


def keep_pings_inside(box: Sandbox) -> None:
    """The demo makes the daemon's moves itself (:meth:`Scene.settle`), so the module's wake-up
    pings find nobody — as when the sidecar is down — without leaving the process (a real
    ``b2bsync serve`` on the sandbox's serve URL would otherwise get them)."""
    box.app.pinger = Pinger(transport=httpx.MockTransport(_no_sidecar))


def money(value: Any) -> str:
    amount = Decimal(str(value or 0)).quantize(Decimal("1"))
    return f"{amount:,}".replace(",", " ") + " ₽"


@asynccontextmanager
async def running(app: Starlette) -> AsyncIterator[Any]:
    """The app with its lifespan entered, as uvicorn runs it."""
    async with app.router.lifespan_context(app) as state:

        async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
            await app({**scope, "state": dict(state or {})}, receive, send)

        yield asgi


@asynccontextmanager
async def browser(settings: Settings, store: Store) -> AsyncIterator[httpx.AsyncClient]:
    """A browser (keeping cookies) on ``b2bsync serve`` — the real app, in process."""
    app = create_app(web_config(settings), web_deps(settings, store))
    public = settings.web.public_url or "http://127.0.0.1:8480"
    async with (
        running(app) as asgi,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi), base_url=public) as client,
    ):
        yield client


def hidden(page: str) -> dict[str, str]:
    """A page's hidden form fields (the CSRF token among them), as a browser sends them back."""
    found = re.findall(r'<input type="hidden" name="([a-z0-9]+)" value="([^"]*)">', page)
    return {name: html.unescape(value) for name, value in found}


def title(page: httpx.Response) -> str:
    found = re.search(r"<h1>(.*?)</h1>", page.text, re.S)
    return html.unescape(found.group(1)).strip() if found else ""


@dataclass
class Scene:
    settings: Settings
    box: Sandbox
    store: Store
    company_id: int
    owner: int
    buyer: int
    bitrix: BitrixClient  # the module's service user: b2bsync
    admin: BitrixClient  # the store's administrator: what people do on the site
    service: WorkflowService
    mails_seen: int = 0
    orders: list[int] = field(default_factory=list)

    def name(self, user: int | None) -> str:
        if user is not None and user == self.box.service_user:
            return "b2bsync"
        person = self.box.site.users.get(user or 0)
        return f"{person.name} {person.last_name}".strip() if person else "an agent"

    def email(self, user: int) -> str:
        return self.box.site.users[user].email

    async def settle(self, watcher: str, *, polls: int = 1) -> None:
        """What the daemon does when pinged: poll (making the moves the status log calls for;
        ``polls=2`` reads b2bsync's own change back, as the ping of its move wakes it again),
        then deliver the outbox."""
        for _ in range(polls):
            await self.service.poll(watcher)
        await self.service.deliver()

    def new_mails(self) -> list[SentMail]:
        """The mails the site sent since the last call."""
        sent = self.box.site.bridge.mails()
        fresh, self.mails_seen = sent[self.mails_seen :], len(sent)
        return fresh

    @staticmethod
    def mail_lines(mails: list[SentMail]) -> list[str]:
        if not mails:
            return ["mails: none"]
        return [
            f"mail {m.event_name} → {m.fields.get('EMAIL_TO', '?')}"
            + (f", reason «{m.fields['REASON']}»" if m.fields.get("REASON") else "")
            for m in mails
        ]

    def order(self, order_id: int) -> dict[str, Any]:
        return self.box.site.sale.orders[order_id]

    def status_log(self, order_id: int) -> str:
        rows = [r for r in self.box.site.hl_rows("B2bOrderEvents") if r["UF_ORDER_ID"] == order_id]
        return ", ".join(
            f"{r['UF_OLD_STATUS'] or '—'} → {r['UF_NEW_STATUS']} ({self.name(r['UF_USER_ID'])})"
            for r in rows
        )


@asynccontextmanager
async def scene(
    settings: Settings, box: Sandbox, store: Store, company_id: int, owner: int, buyer: int
) -> AsyncIterator[Scene]:
    admin = settings.bitrix.model_copy(update={"webhook_url": SecretStr(box.admin_url)})
    async with bitrix_client(settings.bitrix) as client, bitrix_client(admin) as staff:
        service = WorkflowService(
            client, SqlWorkflowStore(store), store.now, service_config(settings)
        )
        made = Scene(settings, box, store, company_id, owner, buyer, client, staff, service)
        for watcher in (ORDER_EVENTS, ORDER_COMMENTS):  # the daemon watches from now on
            await service.poll(watcher)
        made.new_mails()  # what came before is the earlier steps' story
        yield made


__all__ = ["Scene", "browser", "hidden", "keep_pings_inside", "money", "running", "scene", "title"]
