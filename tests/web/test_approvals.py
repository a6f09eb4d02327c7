"""``/approvals``: the one-click links of an approval mail, against the app with both fakes
behind it and the workflows running on the same SQL state store.

The links are the ones the watcher put into the owner's mail; GET only shows, POST decides
through the bridge in the owner's name; every refusal changes nothing."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from b2bsync.store import SqlWorkflowStore, Store
from b2bsync.web import WebConfig, create_app
from workflows import Wakeups

from ..workflows.conftest import LINK_BASE, Cabinet, approval_config, make_cabinet
from .conftest import SECRET, deps_for, running


@dataclass
class Site:
    cab: Cabinet
    client: httpx.AsyncClient
    wakeups: Wakeups
    owner: int
    buyer: int

    async def pending(self) -> tuple[int, str, str]:
        """A new pending order and the owner's (approve, reject) links from the mail."""
        order = self.cab.pending_order(0, self.buyer)
        await self.cab.service.poll("order_events")
        await self.cab.service.deliver()
        mail = next(
            m
            for m in reversed(self.cab.mails("B2B_ORDER_APPROVAL_REQUIRED"))
            if m.fields["ORDER_ID"] == str(order)
        )
        return order, _local(mail.fields["APPROVE_URL"]), _local(mail.fields["REJECT_URL"])

    async def settle(self) -> None:
        for _ in range(2):
            await self.cab.service.poll("order_events")
        await self.cab.service.deliver()


def _local(url: str) -> str:
    """The link as the app sees it behind the store's nginx (``/b2bsync`` stripped)."""
    assert url.startswith(LINK_BASE)
    parts = urlsplit(url)
    return parts.path.removeprefix(urlsplit(LINK_BASE).path) + "?" + parts.query


def _form(page: str) -> dict[str, str]:
    fields = dict(re.findall(r'<input type="hidden" name="([a-z]+)" value="([^"]*)">', page))
    return {k: html.unescape(v) for k, v in fields.items()}


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    store = Store.open(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    try:
        tables = SqlWorkflowStore(store)
        async for cab in make_cabinet(tables):
            store.clock = cab.world.now
            wakeups = Wakeups()
            deps = deps_for(cab, store, tables, bitrix=cab.world.service_bitrix, wake=wakeups.wake)
            app = create_app(WebConfig(secret=SECRET, approval=approval_config()), deps)
            async with running(app)() as asgi:
                transport = httpx.ASGITransport(app=asgi)
                async with httpx.AsyncClient(
                    transport=transport, base_url="http://b2b.test"
                ) as client:
                    owner, buyer = cab.user(0, "owner"), cab.user(0, "buyer")
                    await cab.service.poll("order_events")
                    yield Site(cab, client, wakeups, owner, buyer)
    finally:
        store.close()


async def test_get_only_shows_and_post_approves_once(site: Site):
    cab = site.cab
    order, approve, reject = await site.pending()
    info = cab.world.app.stats.calls
    before = info["b2bsync.info"]
    pages = [await site.client.get(approve) for _ in range(3)]  # a scanner, a preview, the owner
    assert [p.status_code for p in pages] == [200, 200, 200]
    assert info["b2bsync.info"] - before == 1, "the site's languages are read once per app"
    first, page = pages[0], pages[-1]
    assert "Согласовать заказ №" in page.text
    assert "Перфоратор SDS-plus 800 Вт" in page.text
    assert "18 450,00 RUB" in page.text
    assert cab.order(order)["statusId"] == "PA"
    assert len(cab.log(order)) == 1
    assert "b2bsync_csrf" in first.headers["set-cookie"]  # once: the browser keeps it
    assert "samesite=lax" in first.headers["set-cookie"].lower()
    assert page.headers["Cache-Control"] == "no-store"

    done = await site.client.post("/approvals", data=_form(page.text))
    assert done.status_code == 200, done.text
    assert f"Заказ №{order} согласован" in done.text
    assert cab.log(order)[-1] == ("PA", "AP", site.owner, None)
    assert site.wakeups.event("order_events").is_set()
    await site.settle()
    assert cab.order(order)["statusId"] == "N"
    assert [m.fields["EMAIL_TO"] for m in cab.mails("B2B_ORDER_APPROVED")] == [
        cab.world.site.users[site.buyer].email
    ]
    # used: the link, its twin, a replayed form — each a clear page, nothing changes
    assert (await site.client.get(approve)).status_code == 410
    assert (await site.client.get(reject)).status_code == 410
    again = await site.client.post("/approvals", data=_form(page.text))
    assert again.status_code == 410
    assert "Ссылка уже использована" in again.text
    assert len(cab.log(order)) == 3
    assert cab.store.approval_stats().links_used == 1


async def test_reject_asks_for_a_reason_and_cancels_with_it(site: Site):
    cab = site.cab
    order, _, reject = await site.pending()
    page = await site.client.get(reject, headers={"Accept-Language": "en"})
    assert "Reject order" in page.text
    assert "<textarea" in page.text
    fields = _form(page.text)
    empty = await site.client.post("/approvals", data={**fields, "reason": "   "})
    assert empty.status_code == 400
    assert "Укажите причину" in empty.text  # the form again (the POST asked for no language)
    assert cab.order(order)["statusId"] == "PA"
    assert cab.store.approval_stats().links_used == 0
    done = await site.client.post(
        "/approvals", data={**fields, "reason": "Дорого,\r\n закажем позже"}
    )
    assert done.status_code == 200
    assert cab.log(order)[-1] == ("PA", "RJ", site.owner, "Дорого, закажем позже")
    await site.settle()
    row = cab.order(order)
    assert (row["statusId"], row["canceled"], row["reasonCanceled"]) == (
        "RJ",
        "Y",
        "Дорого, закажем позже",
    )
    (mail,) = cab.mails("B2B_ORDER_REJECTED")
    assert mail.fields["REASON"] == "Дорого, закажем позже"


async def test_tampered_expired_and_foreign_links_change_nothing(site: Site):
    cab = site.cab
    order, approve, _ = await site.pending()
    tampered = approve.replace(f"o={order}", f"o={order - 1}")
    assert (await site.client.get(tampered)).status_code == 403
    assert (await site.client.get(approve.replace("sig=", "sig=A"))).status_code == 403
    page = await site.client.get(approve)
    fields = _form(page.text)
    forged = await site.client.post("/approvals", data={**fields, "u": str(site.buyer)})
    assert forged.status_code == 403
    cab.world.advance(73 * 3600)
    expired = await site.client.get(approve)
    assert expired.status_code == 403
    assert "Срок действия ссылки истёк" in expired.text
    late = await site.client.post("/approvals", data=fields)
    assert late.status_code == 403
    assert cab.order(order)["statusId"] == "PA"
    assert len(cab.log(order)) == 1


async def test_an_order_no_longer_pending_or_an_owner_no_longer_allowed(site: Site):
    cab = site.cab
    order, approve, _ = await site.pending()
    page = await site.client.get(approve)
    cab.site_status(order, "RJ", site.owner, reason="решили в кабинете")
    late = await site.client.post("/approvals", data=_form(page.text))
    assert late.status_code == 409
    assert "уже не ждёт согласования" in late.text
    assert len(cab.log(order)) == 2
    # another order; the owner is deactivated before using the link
    second, approve2, _ = await site.pending()
    from workflows.testing import add_members

    await add_members(cab.bitrix, [(cab.company_id(0), site.owner, "owner")], active=False)
    refused = await site.client.get(approve2)
    assert refused.status_code == 403
    assert cab.order(second)["statusId"] == "PA"


async def test_the_form_needs_its_cookie_and_its_token(site: Site):
    """A page of another site can make the browser post the form, but it can neither read the
    cookie nor forge the token that must match it."""
    cab = site.cab
    order, approve, _ = await site.pending()
    page = await site.client.get(approve)
    fields = _form(page.text)
    cookies = dict(site.client.cookies)
    site.client.cookies.clear()
    assert (await site.client.post("/approvals", data=fields)).status_code == 403  # no cookie
    site.client.cookies.update(cookies)
    forged = {**fields, "csrftoken": "x" + fields["csrftoken"]}
    assert (await site.client.post("/approvals", data=forged)).status_code == 403
    missing = {k: v for k, v in fields.items() if k != "csrftoken"}
    assert (await site.client.post("/approvals", data=missing)).status_code == 403
    assert cab.order(order)["statusId"] == "PA"
    assert cab.store.approval_stats().links_used == 0


async def test_two_tabs_submit_at_once_and_one_wins(site: Site):
    cab = site.cab
    order, approve, _ = await site.pending()
    fields = _form((await site.client.get(approve)).text)
    answers = await asyncio.gather(*(site.client.post("/approvals", data=fields) for _ in range(2)))
    assert sorted(a.status_code for a in answers) == [200, 410]
    assert [r[1] for r in cab.log(order)] == ["PA", "AP"]


async def test_a_failure_of_the_store_site_does_not_burn_the_link(site: Site):
    cab = site.cab
    order, approve, _ = await site.pending()
    fields = _form((await site.client.get(approve)).text)
    options = cab.world.site.bridge.options
    saved = options.pop("approval_statuses")  # the bridge now refuses every status
    failed = await site.client.post("/approvals", data=fields)
    assert failed.status_code == 503
    assert failed.headers["Retry-After"] == "30"
    assert cab.order(order)["statusId"] == "PA"
    options["approval_statuses"] = saved
    done = await site.client.post("/approvals", data=fields)
    assert done.status_code == 200
    assert cab.order(order)["statusId"] == "AP"


async def test_without_the_approval_config_the_page_says_so(state_store: Store, synced: Any):
    deps = deps_for(synced, state_store, SqlWorkflowStore(state_store))
    app = create_app(WebConfig(secret=SECRET), deps)
    async with running(app)() as asgi:
        transport = httpx.ASGITransport(app=asgi)
        async with httpx.AsyncClient(transport=transport, base_url="http://b2b.test") as client:
            answer = await client.get("/approvals?o=1")
    assert answer.status_code == 404


async def test_an_oversized_form_is_refused(site: Site):
    order, approve, _ = await site.pending()
    fields = _form((await site.client.get(approve)).text)
    answer = await site.client.post("/approvals", data={**fields, "reason": "я" * 20_000})
    assert answer.status_code == 413
    assert site.cab.order(order)["statusId"] == "PA"
