"""The cabinet in Chromium: the real components and templates rendered by PHP's built-in server
over the Bitrix test double (``bridge/tests/site``), driven as the three people of the issue:
a buyer finds a three-month-old order by article, an accountant downloads a document and does
not see orders, a viewer cannot approve (not even by forging the form) while the owner can.

Every page visited is saved as a screenshot — into ``tmp_path``, or into the directory named by
``B2BSYNC_SCREENSHOTS`` (``B2BSYNC_SCREENSHOTS=docs/screenshots pytest -m browser`` refreshes the
README's pictures). Assertions are on what the page shows and on the double's final state.
"""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from selenium.common.exceptions import JavascriptException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import CabinetSite

pytestmark = pytest.mark.browser

BUYER, OWNER, ACCOUNTANT, VIEWER = 3, 2, 4, 5
WAIT = 10


def _screens(tmp_path: Path) -> Path:
    target = Path(os.environ.get("B2BSYNC_SCREENSHOTS") or tmp_path / "screenshots")
    target.mkdir(parents=True, exist_ok=True)
    return target


def _shoot(driver: Any, folder: Path, name: str) -> None:
    path = folder / f"{name}.png"
    assert driver.save_screenshot(str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _login(driver: Any, site: CabinetSite, user: int, lang: str = "ru") -> None:
    driver.delete_all_cookies()
    driver.get(f"{site.url}/login?user={user}&lang={lang}")
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".b2b-head"))


def _state(site: CabinetSite) -> dict[str, Any]:
    with urllib.request.urlopen(f"{site.url}/__test/state", timeout=WAIT) as answer:
        return dict(json.load(answer))


def _text(driver: Any) -> str:
    """The page's visible text, read in one script call (no element to go stale mid-navigation)."""
    return str(driver.execute_script("return document.body ? document.body.innerText : '';"))


def _wait(driver: Any, condition: Callable[[Any], Any]) -> None:
    """Until ``condition`` holds; a page replaced while it is checked is simply checked again."""
    WebDriverWait(
        driver, WAIT, ignored_exceptions=(StaleElementReferenceException, JavascriptException)
    ).until(condition)


def test_a_buyer_finds_a_three_month_old_order_by_article(
    cabinet_site: CabinetSite, browser: Any, tmp_path: Path
) -> None:
    shots = _screens(tmp_path)
    _login(browser, cabinet_site, BUYER)
    assert browser.title == "Заказы компании"
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.b2b-order")) == 20
    assert "Новые заказы компании заблокированы" in _text(browser)
    _shoot(browser, shots, "orders")

    field = browser.find_element(By.NAME, "article")
    field.send_keys("art-7731")
    field.submit()
    _wait(browser, lambda d: "article=art-7731" in d.current_url)
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.b2b-order")
    assert [r.get_attribute("data-order-id") for r in rows] == ["1001"]
    assert "24.08.2026" in rows[0].text
    _shoot(browser, shots, "orders-search")

    rows[0].find_element(By.LINK_TEXT, "RM-1001").click()
    _wait(browser, lambda d: d.title == "Заказ RM-1001")
    cells = browser.find_elements(By.CSS_SELECTOR, ".b2b-basket td.b2b-article")
    articles = [td.text for td in cells]
    assert "ART-7731" in articles
    assert not browser.find_elements(By.NAME, "approve")


def test_an_accountant_downloads_a_document_and_sees_no_orders(
    cabinet_site: CabinetSite, browser: Any, tmp_path: Path
) -> None:
    shots = _screens(tmp_path)
    _login(browser, cabinet_site, ACCOUNTANT)
    assert browser.title == "Документы"
    menu = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".b2b-menu a")]
    assert menu == ["Документы", "Финансы", "Уведомления"]
    assert "RM-10" not in _text(browser)
    _shoot(browser, shots, "documents")

    row = browser.find_element(By.CSS_SELECTOR, 'tr.b2b-document[data-document-id="1"]')
    row.find_element(By.LINK_TEXT, "Скачать").click()
    downloads = tmp_path / "downloads"
    _wait(browser, lambda d: [p for p in downloads.iterdir() if p.suffix == ".pdf"])
    (pdf,) = [p for p in downloads.iterdir() if p.suffix == ".pdf"]
    assert pdf.name == "invoice-СЧ-00412.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-1.4")
    assert _state(cabinet_site)["downloads"] == [["stored", 1, "invoice-СЧ-00412.pdf"]]

    browser.get(f"{cabinet_site.url}/cabinet/orders/")
    assert "Ваша роль в компании не даёт доступа" in _text(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, "tr.b2b-order")
    browser.get(f"{cabinet_site.url}/cabinet/orders/1024/")
    assert "RM-1024" not in _text(browser)

    browser.get(f"{cabinet_site.url}/cabinet/finance/")
    assert (
        browser.find_element(By.CSS_SELECTOR, "progress.b2b-credit__bar").get_attribute("value")
        == "76"
    )
    _shoot(browser, shots, "finance")


def test_a_viewer_cannot_approve_but_the_owner_can(
    cabinet_site: CabinetSite, browser: Any, tmp_path: Path
) -> None:
    shots = _screens(tmp_path)
    _login(browser, cabinet_site, VIEWER)
    browser.get(f"{cabinet_site.url}/cabinet/orders/1024/")
    assert "Ожидает согласования" in _text(browser)
    assert not browser.find_elements(By.NAME, "approve")
    assert not browser.find_elements(By.NAME, "reject")
    # forge the owner's form with the viewer's own session token
    browser.execute_script(
        """
        const form = document.createElement('form');
        form.method = 'post';
        form.action = '/cabinet/orders/1024/';
        const fields = {b2b_action: 'order.approve',
                        sessid: document.querySelector('[data-b2b-bell]').dataset.sessid};
        for (const [name, value] of Object.entries(fields)) {
            const input = document.createElement('input');
            input.type = 'hidden'; input.name = name; input.value = value;
            form.appendChild(input);
        }
        document.body.appendChild(form);
        form.submit();
        """
    )
    _wait(browser, lambda d: "Ваша роль" in _text(d))
    assert _state(cabinet_site)["statuses"]["1024"] == "PA"

    _login(browser, cabinet_site, OWNER)
    browser.get(f"{cabinet_site.url}/cabinet/orders/1024/")
    _shoot(browser, shots, "order")
    browser.find_element(By.NAME, "approve").click()
    _wait(browser, lambda d: "Заказ согласован." in _text(d))
    assert "done=approved" in browser.current_url
    assert not browser.find_elements(By.NAME, "approve")
    assert _state(cabinet_site)["statuses"]["1024"] == "AP"


def test_notifications_bell_and_company_page(
    cabinet_site: CabinetSite, browser: Any, tmp_path: Path
) -> None:
    shots = _screens(tmp_path)
    _login(browser, cabinet_site, OWNER, "en")
    browser.get(f"{cabinet_site.url}/cabinet/notifications/")
    counter = browser.find_element(By.CSS_SELECTOR, "[data-b2b-unread]")
    assert counter.text == "2"
    _shoot(browser, shots, "notifications")

    browser.find_elements(By.CSS_SELECTOR, ".b2b-note--unread button")[0].click()
    _wait(browser, lambda d: "Marked as read." in _text(d))
    assert browser.find_element(By.CSS_SELECTOR, "[data-b2b-unread]").text == "1"

    # b2bsync writes a new notification; the bell's controller call brings the count
    request = urllib.request.Request(
        f"{cabinet_site.url}/__test/notify?user={OWNER}", method="POST"
    )
    urllib.request.urlopen(request, timeout=WAIT).close()
    browser.execute_script("return window.B2bsyncBell.refresh();")
    _wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "[data-b2b-unread]").text == "2")

    browser.get(f"{cabinet_site.url}/cabinet/company/")
    assert browser.title == "Employees: ООО «Ромашка»"
    invites_before = _state(cabinet_site)["invites"]
    browser.find_element(By.NAME, "email").send_keys("new.colleague@romashka.example")
    browser.find_element(By.CSS_SELECTOR, ".b2b-invite-form button").click()
    _wait(browser, lambda d: "Invitation created" in _text(d))
    assert _state(cabinet_site)["invites"] == invites_before + 1
    _shoot(browser, shots, "company")
