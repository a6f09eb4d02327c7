"""Fixtures for the Bitrix fake's tests (usable by every helper's tests in this directory).

* ``fake_clock`` — a :class:`ManualClock` (2026-11-24 04:17:58 MSK, the recordings' day);
* ``fake_site`` — an empty site with the recordings' webhooks: user 1, :data:`SECRET` granted
  ``sale, catalog, user, b2bsync`` and :data:`SECRET2` granted ``catalog`` only;
* ``fake_app`` — ``create_app(fake_site)`` (no limits, no faults);
* ``fake_client`` — an ``httpx.AsyncClient`` over ``ASGITransport`` whose base URL is the
  webhook's (``await fake_client.post("sale.status.list.json", json={})``);
* ``loopback_url`` — ``fake_app`` served on 127.0.0.1; the base URL (no trailing slash).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from bitrix_client.fake import FakeBitrixApp, FakeSite, ManualClock, create_app, serve_sync

SECRET = "k3y4recordings01"
SECRET2 = "c4talog0nly00002"
HOST = "http://shop.example.ru"
WEBHOOK_URL = f"{HOST}/rest/1/{SECRET}/"
RECORDED_SCOPES = frozenset({"sale", "catalog", "user", "b2bsync"})


def make_site(clock: ManualClock, *, bridge_installed: bool = True) -> FakeSite:
    site = FakeSite(clock=clock, bridge_installed=bridge_installed)
    site.add_webhook(1, SECRET, RECORDED_SCOPES)
    site.add_webhook(1, SECRET2, {"catalog"})
    return site


@pytest.fixture
def fake_clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def fake_site(fake_clock: ManualClock) -> FakeSite:
    return make_site(fake_clock)


@pytest.fixture
def fake_app(fake_site: FakeSite) -> FakeBitrixApp:
    return create_app(fake_site)


@pytest.fixture
async def fake_client(fake_app: FakeBitrixApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=fake_app)
    async with httpx.AsyncClient(transport=transport, base_url=WEBHOOK_URL) as client:
        yield client


@pytest.fixture
def loopback_url(fake_app: FakeBitrixApp) -> Iterator[str]:
    with serve_sync(fake_app) as url:
        yield url
