"""A real browser accepts an invite: Debian's Chromium fills the accept form (Russian, by its
Accept-Language) in two tabs and submits both — the first lands in the store's cabinet logged in
through the module's hand-off, the second is refused; the invite is accepted once and the
membership row is there. The app runs under uvicorn on 127.0.0.1 and the Bitrix fake, which
also serves the module's hand-off page and the cabinet, on another loopback port. Skipped
without chromium and chromedriver, except under ``CI=true`` (see ``test_browser.py``). The
filled form and the refusal are saved as screenshots — into ``tmp_path``, or into
``B2BSYNC_SCREENSHOTS`` (``B2BSYNC_SCREENSHOTS=docs/screenshots pytest -m browser`` refreshes
the README's).
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from b2bsync.store import SqlWorkflowStore, Store
from b2bsync.web import InvitePages, WebConfig, bind, create_app, serve
from bitrix_client.fake import LoopbackServer
from workflows import INVITES, InviteRows, MemberRows
from workflows.invites import Status

from ..workflows.conftest import Cabinet, make_cabinet
from .conftest import SECRET, deps_for
from .test_browser import browser  # noqa: F401  (the Chromium fixture)

pytestmark = pytest.mark.browser


@dataclass
class Served:
    link: str
    cab: Cabinet
    loop: asyncio.AbstractEventLoop

    def call(self, work: Any) -> Any:
        """Run a coroutine on the app's loop (its clients belong to it)."""
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(30)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    ready = threading.Event()
    found: dict[str, Any] = {}
    holder: dict[str, Any] = {}

    async def main() -> None:
        stop = asyncio.Event()
        holder["loop"], holder["stop"] = asyncio.get_running_loop(), stop
        store = Store.open(f"sqlite:///{tmp_path / 'state.sqlite3'}")
        tables = SqlWorkflowStore(store)
        shop = None
        try:
            async for cab in make_cabinet(tables, companies=2):
                store.clock = cab.world.now
                cab.world.site.bridge.options["link_secret"] = SECRET
                shop = LoopbackServer(cab.world.app)
                store_url = shop.start()
                sock = bind("127.0.0.1", 0)
                host, port = sock.getsockname()[:2]
                public = f"http://{host}:{port}"
                accept = f"{public}/invites/accept"
                config = cab.service.config
                cab.service.config = replace(config, watch=replace(config.watch, accept_url=accept))
                await cab.service.poll(INVITES)
                await InviteRows(cab.bitrix).add_requested(
                    cab.company_id(0),
                    "nina@example.ru",
                    "buyer",
                    cab.user(0, "owner"),
                    cab.world.now(),
                )
                await cab.service.poll(INVITES)
                await cab.service.deliver()
                (mail,) = cab.mails("B2B_COMPANY_INVITE")
                pages = InvitePages(public_url=public, store_url=store_url, user_groups=(6,))
                app = create_app(
                    WebConfig(secret=SECRET, invites=pages), deps_for(cab, store, tables)
                )
                found["served"] = Served(mail.fields["INVITE_URL"], cab, holder["loop"])
                server = asyncio.create_task(serve(app, sock, stop))
                ready.set()
                await server
                sock.close()
        except BaseException as exc:
            found["error"] = exc
            ready.set()
            raise
        finally:
            if shop is not None:
                shop.stop()
            store.close()

    thread = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
    thread.start()
    assert ready.wait(60), "the app did not start"
    if "error" in found:
        raise found["error"]
    try:
        yield found["served"]
    finally:
        holder["loop"].call_soon_threadsafe(holder["stop"].set)
        thread.join(30)


TEXT = "return document.body ? document.body.innerText : ''"


def _shoot(driver: Any, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("B2BSYNC_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    driver.execute_script("window.scrollTo(0, 0); document.activeElement.blur()")
    path = folder / f"{name}.png"
    assert driver.save_screenshot(str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _fill(driver: Any) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.NAME, "name").send_keys("Нина")
    driver.find_element(By.NAME, "last_name").send_keys("Новикова")
    driver.find_element(By.NAME, "password").send_keys("secret-pass-1")
    driver.find_element(By.NAME, "password2").send_keys("secret-pass-1")


def test_the_form_accepts_once_and_the_browser_lands_logged_in(
    served: Served,
    browser: Any,  # noqa: F811
    tmp_path: Path,
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 30, poll_frequency=0.05)
    site = served.cab.world.site
    users = len(site.users)
    browser.set_window_size(900, 1000)
    browser.get(served.link)
    assert browser.title.startswith("Приглашение в компанию")
    _fill(browser)
    _shoot(browser, tmp_path, "invite")
    first = browser.current_window_handle
    browser.switch_to.new_window("tab")
    browser.get(served.link)
    _fill(browser)
    second = browser.current_window_handle

    browser.switch_to.window(first)
    browser.find_element(By.ID, "submit").click()
    wait.until(lambda d: "/personal/b2b/" in d.current_url and "data-user" in d.page_source)
    user = max(site.users)
    landed = browser.find_element(By.CSS_SELECTOR, "[data-user]")
    assert landed.get_attribute("data-user") == str(user)
    assert site.bridge.pages.logins == [(user, "handoff")]

    browser.switch_to.window(second)
    browser.find_element(By.ID, "submit").click()
    wait.until(lambda d: "Приглашение уже принято" in d.execute_script(TEXT))
    assert "/personal/b2b/" not in browser.current_url
    _shoot(browser, tmp_path, "invite-used")

    assert len(site.users) == users + 1
    assert site.users[user].email == "nina@example.ru"
    invite = served.call(InviteRows(served.cab.bitrix).by_token(served.link.split("token=")[1]))
    assert (invite.status, invite.accepted_user_id) == (Status.accepted, user)
    members = served.call(MemberRows(served.cab.bitrix).of_user(user))
    assert [(m.company_id, m.role, m.active) for m in members] == [
        (served.cab.company_id(0), "buyer", True)
    ]
    assert site.bridge.pages.logins == [(user, "handoff")]
