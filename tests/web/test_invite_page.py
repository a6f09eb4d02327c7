"""The invite accept page over ASGI, with the Bitrix fake behind it and the store's own pages
(the module's hand-off and who-am-I, the cabinet) served by the same fake: a new user, an
existing user through the log-in hand-back, two submits at once, dead links, CSRF, rate limits.
Every case asserts the site's final state (users, membership rows, the invite's status)."""

from __future__ import annotations

import asyncio
import io
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from b2bsync._logging import REDACTOR, configure_logging
from b2bsync.store import SqlWorkflowStore, Store
from b2bsync.web import InvitePages, Rate, WebConfig, create_app
from b2bsync.web._csrf import COOKIE as CSRF_COOKIE
from b2bsync.web._csrf import sign_value
from workflows import INVITES, Invitations, InviteRows, MemberRows
from workflows.invites import Status

from ..workflows.conftest import Cabinet, make_cabinet
from .conftest import SECRET, deps_for, running

PUBLIC = "http://b2b.test"
STORE = "http://shop.test"
ACCEPT = f"{PUBLIC}/invites/accept"


@dataclass
class Site:
    cab: Cabinet
    store: Store
    tables: SqlWorkflowStore
    serve: httpx.AsyncClient
    shop: httpx.AsyncClient

    async def invite(self, email: str, role: str = "buyer", index: int = 0) -> str:
        """An invite sent as the daemon sends it; the token from its mail."""
        service = self.cab.service
        await service.poll(INVITES)
        await InviteRows(self.cab.bitrix).add_requested(
            self.cab.company_id(index),
            email,
            role,
            self.cab.user(index, "owner"),
            self.cab.world.now(),
        )
        await service.poll(INVITES)
        await service.deliver()
        link = self.cab.mails("B2B_COMPANY_INVITE")[-1].fields["INVITE_URL"]
        assert link.startswith(ACCEPT + "?token=")
        return link.split("token=")[1]

    async def row(self, token: str) -> Any:
        return await InviteRows(self.cab.bitrix).by_token(token)

    def users(self) -> int:
        return len(self.cab.world.site.users)


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def _form(page: httpx.Response, **fields: str) -> dict[str, str]:
    token = re.search(r'name="token" value="([^"]+)"', page.text)
    assert token
    return {"csrftoken": _csrf(page), "token": token.group(1), **fields}


NEW = {"action": "create", "name": "Нина", "last_name": "Новикова", "password": "secret-pass-1",
       "password2": "secret-pass-1"}  # fmt: skip


async def _site(tmp_path: Path, **pages: Any) -> AsyncIterator[Site]:
    store = Store.open(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    tables = SqlWorkflowStore(store)
    try:
        async for cab in make_cabinet(tables, companies=3):
            store.clock = cab.world.now
            cab.world.site.bridge.options["link_secret"] = SECRET
            config = cab.service.config
            cab.service.config = replace(config, watch=replace(config.watch, accept_url=ACCEPT))
            invites = InvitePages(public_url=PUBLIC, store_url=STORE, user_groups=(6,), **pages)
            app = create_app(
                WebConfig(secret=SECRET, invites=invites), deps_for(cab, store, tables)
            )
            async with running(app)() as asgi:
                serve = httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi), base_url=PUBLIC)
                shop = httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=cab.world.app),  # type: ignore[arg-type]
                    base_url=STORE,
                )
                async with serve, shop:
                    yield Site(cab, store, tables, serve, shop)
    finally:
        store.close()


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    async for made in _site(tmp_path):
        yield made


async def test_a_new_user_accepts_and_lands_in_the_cabinet_logged_in(site: Site):
    token = await site.invite("Nina@Example.ru")
    page = await site.serve.get(f"/invites/accept?token={token}")
    assert page.status_code == 200
    assert "Приглашение в компанию" in page.text
    assert "Закупщик" in page.text
    assert 'name="password2"' in page.text
    assert CSRF_COOKIE in page.headers["set-cookie"]
    assert "HttpOnly" in page.headers["set-cookie"]
    users = site.users()
    done = await site.serve.post("/invites/accept", data=_form(page, **NEW))
    assert done.status_code == 303
    handoff = done.headers["location"]
    assert handoff.startswith(f"{STORE}/bitrix/tools/b2bsync/handoff.php?")
    user = max(site.cab.world.site.users)
    assert site.users() == users + 1
    made = site.cab.world.site.users[user]
    assert (made.email, made.name, made.last_name) == ("nina@example.ru", "Нина", "Новикова")
    assert 6 in made.group_ids
    members = await MemberRows(site.cab.bitrix).of_company(site.cab.company_id(0))
    assert [(m.role, m.active) for m in members if m.user_id == user] == [("buyer", True)]
    invite = await site.row(token)
    assert (invite.status, invite.accepted_user_id) == (Status.accepted, user)
    # the store verifies the hand-off, logs the user in and shows the cabinet
    landed = await site.shop.get(handoff)
    assert landed.status_code == 302
    assert landed.headers["location"] == "/personal/b2b/"
    cabinet = await site.shop.get("/personal/b2b/")
    assert f"data-user='{user}'" in cabinet.text
    assert site.cab.world.site.bridge.pages.logins == [(user, "handoff")]
    # the hand-off works once
    assert (await site.shop.get(handoff)).status_code == 403
    assert site.cab.world.site.bridge.pages.refused == ["used"]
    # and the invite link is spent
    again = await site.serve.get(f"/invites/accept?token={token}")
    assert again.status_code == 410
    assert "Приглашение уже принято" in again.text
    metrics = (await site.serve.get("/metrics")).text
    for line in (
        'b2bsync_invite_pages_total{outcome="form_new"} 1.0',
        'b2bsync_invite_pages_total{outcome="accepted"} 1.0',
        'b2bsync_invite_pages_total{outcome="invite_used"} 1.0',
    ):
        assert line in metrics


async def test_the_page_speaks_english_when_the_browser_asks(site: Site):
    token = await site.invite("nina@example.ru", role="accountant")
    page = await site.serve.get(
        f"/invites/accept?token={token}", headers={"Accept-Language": "en-GB,en;q=0.9,ru;q=0.5"}
    )
    assert '<html lang="en">' in page.text
    assert "Invitation to" in page.text
    assert "Accountant" in page.text


async def test_form_mistakes_and_the_sites_password_policy_keep_the_invite_open(site: Site):
    token = await site.invite("nina@example.ru")
    page = await site.serve.get(f"/invites/accept?token={token}")
    users = site.users()
    bad = await site.serve.post(
        "/invites/accept", data=_form(page, **{**NEW, "password2": "other", "name": " "})
    )
    assert bad.status_code == 422
    assert "Укажите имя." in bad.text
    assert "Пароли не совпадают." in bad.text
    short = await site.serve.post(
        "/invites/accept", data=_form(page, **{**NEW, "password": "123", "password2": "123"})
    )
    assert short.status_code == 422
    assert "Сайт магазина не принял учётную запись" in short.text
    assert "at least 6 characters" in short.text
    assert 'value="Нина"' in short.text  # what was typed stays
    assert site.users() == users
    assert (await site.row(token)).status == Status.pending
    ok = await site.serve.post("/invites/accept", data=_form(short, **NEW))
    assert ok.status_code == 303
    assert site.users() == users + 1


async def test_an_existing_user_logs_in_on_the_store_and_joins(site: Site):
    cab = site.cab
    person = cab.world.site.users[cab.user(1, "accountant")]
    token = await site.invite(person.email.upper(), role="viewer")
    page = await site.serve.get(f"/invites/accept?token={token}")
    assert page.status_code == 200
    assert 'id="login"' in page.text
    assert 'name="password"' not in page.text
    away = await site.serve.get(f"/invites/login?token={token}")
    assert away.status_code == 303
    whoami = away.headers["location"]
    assert whoami.startswith(f"{STORE}/bitrix/tools/b2bsync/whoami.php?return=")
    assert token not in whoami  # the token never reaches the store
    # not logged in on the store: its login form first
    form = await site.shop.get(whoami)
    assert form.status_code == 200
    assert "USER_LOGIN" in form.text
    # logged in (the store's session cookie): the store answers who it is
    session = cab.world.site.bridge.pages.login(person.id)
    back = await site.shop.get(whoami, headers={"Cookie": f"PHPSESSID={session}"})
    assert back.status_code == 302
    hello = back.headers["location"]
    assert hello.startswith(f"{PUBLIC}/invites/hello?user={person.id}&")
    joined = await site.serve.get(hello)
    assert joined.status_code == 303
    assert joined.headers["location"] == f"accept?token={token}"
    confirm = await site.serve.get(f"/invites/accept?token={token}")
    assert confirm.status_code == 200
    assert 'value="join"' in confirm.text
    assert person.email in confirm.text
    users = site.users()
    done = await site.serve.post("/invites/accept", data=_form(confirm, action="join"))
    assert done.status_code == 303
    assert site.users() == users
    theirs = await MemberRows(cab.bitrix).of_user(person.id)
    assert {(m.company_id, m.role, m.active) for m in theirs} == {
        (cab.company_id(1), "accountant", True),
        (cab.company_id(0), "viewer", True),
    }
    assert (await site.row(token)).accepted_user_id == person.id
    assert (await site.shop.get(done.headers["location"])).status_code == 302


async def test_logged_in_as_someone_else_joins_nothing(site: Site):
    cab = site.cab
    invited = cab.world.site.users[cab.user(1, "accountant")]
    token = await site.invite(invited.email)
    whoami = (await site.serve.get(f"/invites/login?token={token}")).headers["location"]
    session = cab.world.site.bridge.pages.login(cab.user(2, "owner"))
    hello = (await site.shop.get(whoami, headers={"Cookie": f"PHPSESSID={session}"})).headers[
        "location"
    ]
    await site.serve.get(hello)
    confirm = await site.serve.get(f"/invites/accept?token={token}")
    refused = await site.serve.post("/invites/accept", data=_form(confirm, action="join"))
    assert refused.status_code == 403
    assert "другой учётной записью" in refused.text
    assert (await site.row(token)).status == Status.pending


async def test_an_answer_for_another_browser_is_refused(site: Site):
    cab = site.cab
    invited = cab.world.site.users[cab.user(1, "accountant")]
    token = await site.invite(invited.email)
    whoami = (await site.serve.get(f"/invites/login?token={token}")).headers["location"]
    session = cab.world.site.bridge.pages.login(invited.id)
    hello = (await site.shop.get(whoami, headers={"Cookie": f"PHPSESSID={session}"})).headers[
        "location"
    ]
    # another browser (no state cookie), or a forged answer, gets nothing
    stranger = httpx.AsyncClient(transport=site.serve._transport, base_url=PUBLIC)
    async with stranger:
        assert (await stranger.get(hello)).status_code == 403
    forged = hello.replace(f"user={invited.id}", f"user={cab.user(2, 'owner')}")
    assert (await site.serve.get(forged)).status_code == 403
    # a join without the hand-back is refused
    confirm = await site.serve.get(f"/invites/accept?token={token}")
    assert 'id="login"' in confirm.text
    csrf = site.serve.cookies.get(CSRF_COOKIE)
    data = {"csrftoken": csrf, "token": token, "action": "join"}
    assert (await site.serve.post("/invites/accept", data=data)).status_code == 403
    assert (await site.row(token)).status == Status.pending


async def test_two_submits_at_once_accept_once(site: Site):
    token = await site.invite("nina@example.ru")
    page = await site.serve.get(f"/invites/accept?token={token}")
    users = site.users()
    answers = await asyncio.gather(
        site.serve.post("/invites/accept", data=_form(page, **NEW)),
        site.serve.post("/invites/accept", data=_form(page, **NEW)),
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses[0] == 303
    assert statuses[1] in (409, 410)
    assert site.users() == users + 1
    invite = await site.row(token)
    members = await MemberRows(site.cab.bitrix).of_user(invite.accepted_user_id)
    assert len(members) == 1
    claim = site.tables.invite_claim(invite.id)
    assert claim is not None
    assert claim.completed


async def test_dead_links_get_their_page_and_change_nothing(site: Site):
    cab = site.cab
    unknown = await site.serve.get("/invites/accept?token=" + "A" * 43)
    assert unknown.status_code == 404
    assert "Приглашение не найдено" in unknown.text
    assert (await site.serve.get("/invites/accept?token=short")).status_code == 404
    assert (await site.serve.get("/invites/accept")).status_code == 404
    revoked = await site.invite("r@example.ru")
    await Invitations(cab.bitrix).revoke((await site.row(revoked)).id, cab.service.context())
    expired = await site.invite("e@example.ru")
    live = await site.invite("live@example.ru")
    await site.serve.get(f"/invites/accept?token={live}")  # a form page: the CSRF cookie
    rows_before = [dict(r) for r in cab.world.rows("B2bInvites")]
    members_before = [dict(r) for r in cab.world.rows("B2bCompanyUsers")]
    users = site.users()
    page = await site.serve.get(f"/invites/accept?token={revoked}")
    assert page.status_code == 410
    assert "Приглашение отозвано" in page.text
    cab.world.advance(72 * 3600 + 1)
    page = await site.serve.get(f"/invites/accept?token={expired}")
    assert page.status_code == 410
    assert "Срок приглашения истёк" in page.text
    for token, code in ((revoked, 410), (expired, 410), ("B" * 43, 404)):
        csrf = site.serve.cookies.get(CSRF_COOKIE)
        post = await site.serve.post(
            "/invites/accept", data={"csrftoken": csrf, "token": token, **NEW}
        )
        assert post.status_code == code
        assert (await site.serve.get(f"/invites/login?token={token}")).status_code == code
    assert [dict(r) for r in cab.world.rows("B2bInvites")] == rows_before
    assert [dict(r) for r in cab.world.rows("B2bCompanyUsers")] == members_before
    assert site.users() == users


async def test_a_post_without_the_csrf_token_is_refused(site: Site):
    token = await site.invite("nina@example.ru")
    page = await site.serve.get(f"/invites/accept?token={token}")
    form = _form(page, **NEW)
    users = site.users()
    missing = {k: v for k, v in form.items() if k != "csrftoken"}
    refused = await site.serve.post("/invites/accept", data=missing)
    assert refused.status_code == 403
    assert "Форма устарела" in refused.text
    wrong = await site.serve.post(
        "/invites/accept", data={**form, "csrftoken": "x" + form["csrftoken"]}
    )
    assert wrong.status_code == 403
    # a cookie signed with another secret (planted by someone who has not got ours)
    planted = sign_value("another-secret-0123456789abcdefghij", CSRF_COOKIE, "abc")
    fresh = httpx.AsyncClient(transport=site.serve._transport, base_url=PUBLIC)
    async with fresh:
        fresh.cookies.set(CSRF_COOKIE, planted)
        forged = await fresh.post("/invites/accept", data={**form, "csrftoken": planted})
        assert forged.status_code == 403
        # another browser with the form's token but not its cookie
        stolen = await fresh.post("/invites/accept", data=form)
        assert stolen.status_code == 403
    as_json = await site.serve.post("/invites/accept", json=form)
    assert as_json.status_code == 403
    assert site.users() == users
    assert (await site.row(token)).status == Status.pending


async def test_rate_limits_per_link_and_per_address(tmp_path: Path):
    async for site in _site(tmp_path, per_token=Rate(3, 1.0), per_ip=Rate(6, 1.0)):
        token = await site.invite("nina@example.ru")
        for _ in range(3):
            assert (await site.serve.get(f"/invites/accept?token={token}")).status_code == 200
        limited = await site.serve.get(f"/invites/accept?token={token}")
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) == 60
        assert "Слишком много попыток" in limited.text
        # other links from the same address until the address's own budget is spent
        for _ in range(2):
            assert (await site.serve.get("/invites/accept?token=" + "C" * 43)).status_code == 404
        assert (await site.serve.get("/invites/accept?token=" + "D" * 43)).status_code == 429
        site.cab.world.advance(60)  # a request back per minute
        assert (await site.serve.get(f"/invites/accept?token={token}")).status_code == 200
        assert (await site.row(token)).status == Status.pending


async def test_nothing_secret_is_logged(site: Site):
    """The invite token, the password, the hand-off's signature and the shared secret never
    reach the log, whatever the page does with them."""
    out = io.StringIO()
    REDACTOR.add(SECRET)
    configure_logging("debug", "json", stream=out)
    token = await site.invite("nina@example.ru")
    page = await site.serve.get(f"/invites/accept?token={token}")
    done = await site.serve.post("/invites/accept", data=_form(page, **NEW))
    handoff = done.headers["location"]
    await site.shop.get(handoff)
    await site.serve.get(f"/invites/accept?token={token}")
    text = out.getvalue()
    signature = parse_qs(urlsplit(handoff).query)["sig"][0]
    for secret in (token, NEW["password"], signature, SECRET):
        assert secret not in text
    events = {json.loads(line)["event"] for line in text.splitlines()}
    assert {"invite.issued", "invite.accepted", "http.invite.accepted", "http.request"} <= events
