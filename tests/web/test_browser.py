"""A real browser downloads a document through a link made as the module's PHP helper makes it.

Debian's Chromium and chromedriver (``apt-get install chromium chromium-driver``; ``.ci/run``
installs them) run headless against the app served by uvicorn on 127.0.0.1, with both fakes
behind it. Without them the test is skipped — except under ``CI=true``, where that fails.
"""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from b2bsync.store import SqlWorkflowStore, Store
from b2bsync.web import WebConfig, bind, create_app, link_url, serve

from ..workflows.conftest import make_cabinet
from .conftest import SECRET, deps_for

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def _require_chromium() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if not missing:
        return
    reason = f"{', '.join(missing)} not installed (apt-get install chromium chromium-driver)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass
class Served:
    base: str
    link: str
    expired: str
    pdf: bytes


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The app and the fakes in a thread of their own (their clients belong to its loop)."""
    ready = threading.Event()
    found: dict[str, Any] = {}
    holder: dict[str, Any] = {}

    async def main() -> None:
        stop = asyncio.Event()
        holder["loop"], holder["stop"] = asyncio.get_running_loop(), stop
        store = Store.open(f"sqlite:///{tmp_path / 'state.sqlite3'}")
        try:
            async for cab in make_cabinet(file_size=200_000):
                await cab.sync("documents")
                store.clock = cab.world.now
                app = create_app(
                    WebConfig(secret=SECRET), deps_for(cab, store, SqlWorkflowStore(store))
                )
                sock = bind("127.0.0.1", 0)
                host, port = sock.getsockname()[:2]
                base = f"http://{host}:{port}"
                docs = cab.world.onec.data.documents
                row = next(
                    r for r in cab.world.rows("B2bDocuments") if docs[r["UF_XML_ID"]].has_file
                )
                owner = next(
                    users["owner"]
                    for company, users in cab.members.items()
                    if company == row["UF_COMPANY_ID"]
                )
                now = int(cab.world.now().timestamp())
                download = f"{base}/documents/download"
                found["served"] = Served(
                    base=base,
                    link=link_url(download, SECRET, str(row["ID"]), owner, now + 3600),
                    expired=link_url(download, SECRET, str(row["ID"]), owner, now - 1),
                    pdf=cab.world.onec.pdf(docs[row["UF_XML_ID"]]),
                )
                server = asyncio.create_task(serve(app, sock, stop))
                ready.set()
                await server
                sock.close()
        except BaseException as exc:
            found["error"] = exc
            ready.set()
            raise
        finally:
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


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    _require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "intl.accept_languages": "ru-RU,ru",  # a Russian shop's buyer
        },
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(tmp_path / "profile", ignore_errors=True)


FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(async (r) => {
  const bytes = new Uint8Array(await r.arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  }
  done({status: r.status, disposition: r.headers.get("content-disposition"),
        type: r.headers.get("content-type"), body: btoa(text)});
}).catch((e) => done({error: String(e)}));
"""


def test_a_browser_downloads_the_document(served: Served, browser: Any):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.set_script_timeout(60)
    browser.get(f"{served.base}/healthz?probe=live")
    answer = browser.execute_async_script(FETCH, served.link)
    assert answer.get("error") is None, answer
    assert answer["status"] == 200
    assert answer["type"] == "application/pdf"
    assert "filename*=UTF-8''" in answer["disposition"]
    assert base64.b64decode(answer["body"]) == served.pdf

    # following the link as a click would: the browser saves the file it is given
    browser.get(served.link)
    folder: Path = browser.downloads

    def saved(_: Any) -> Path | bool:
        files = [p for p in folder.iterdir() if p.suffix == ".pdf"]
        return files[0] if files and files[0].stat().st_size == len(served.pdf) else False

    path = WebDriverWait(browser, 30, poll_frequency=0.05).until(saved)
    assert path.read_bytes() == served.pdf
    assert not path.name.isascii()  # the UTF-8 filename* (RFC 5987) won over the fallback


def test_an_expired_link_shows_the_short_page(served: Served, browser: Any):
    browser.get(served.expired)
    assert browser.title == "Срок действия ссылки истёк"
    assert "403 · link_expired" in browser.page_source


@dataclass
class Approval:
    cab: Any
    order: int
    reject: str


@pytest.fixture
def approval_served(tmp_path: Path) -> Iterator[Approval]:
    """The app with the approval links on, the workflows on the same state store, a pending
    order and the reject link the owner's mail carries (rewritten to the loopback address)."""
    from workflows import ApprovalLinks

    from ..workflows.conftest import approval_config

    ready = threading.Event()
    found: dict[str, Any] = {}
    holder: dict[str, Any] = {}

    async def main() -> None:
        stop = asyncio.Event()
        holder["loop"], holder["stop"] = asyncio.get_running_loop(), stop
        store = Store.open(f"sqlite:///{tmp_path / 'state.sqlite3'}")
        try:
            tables = SqlWorkflowStore(store)
            async for cab in make_cabinet(tables):
                store.clock = cab.world.now
                sock = bind("127.0.0.1", 0)
                host, port = sock.getsockname()[:2]
                base = f"http://{host}:{port}"
                cab.reconfigure(links=ApprovalLinks(SECRET, base))
                await cab.service.poll("order_events")
                order = cab.pending_order(0, cab.user(0, "buyer"))
                await cab.service.poll("order_events")
                await cab.service.deliver()
                (mail,) = cab.mails("B2B_ORDER_APPROVAL_REQUIRED")
                config = WebConfig(secret=SECRET, approval=approval_config())
                deps = deps_for(cab, store, tables, bitrix=cab.world.service_bitrix)
                app = create_app(config, deps)
                found["served"] = Approval(cab, order, mail.fields["REJECT_URL"])
                server = asyncio.create_task(serve(app, sock, stop))
                ready.set()
                await server
                sock.close()
        except BaseException as exc:
            found["error"] = exc
            ready.set()
            raise
        finally:
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


def test_an_owner_rejects_from_the_mail_link(approval_served: Approval, browser: Any):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    served = approval_served
    browser.get(served.reject)
    assert browser.title.startswith("Отклонить заказ №")
    assert served.cab.order(served.order)["statusId"] == "PA"  # opening the link changed nothing
    browser.find_element(By.ID, "reason").send_keys("Дорого, закажем у другого поставщика")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 30, poll_frequency=0.05).until(
        lambda b: b.title.startswith(f"Заказ №{served.order} отклонён")
    )
    assert served.cab.log(served.order)[-1][1:] == (
        "RJ",
        served.cab.user(0, "owner"),
        "Дорого, закажем у другого поставщика",
    )
    assert served.cab.order(served.order)["statusId"] == "RJ"
    # the link is used now: a clear page, nothing changes
    browser.get(served.reject)
    assert browser.title == "Ссылка уже использована"
    assert "410" in browser.page_source
    assert len(served.cab.log(served.order)) == 2
