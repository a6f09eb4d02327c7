"""The real client, over the in-process Bitrix fake, on a store seeded as before b2bsync."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from bitrix_client import BitrixClient, RateLimiter, RetryPolicy
from bitrix_client.fake import FakeBitrixApp, FakeSite, ManualClock, create_app
from bitrix_client.fake._seed import seed_store

SECRET = "sch3mat3stw3bh00k"
WEBHOOK = f"https://shop.example.ru/rest/1/{SECRET}/"
LEGAL_TYPE = (
    2  # seed_store: 1 Физическое лицо, 2 Юридическое лицо (no CODE, no XML_ID, as the wizard)
)


@dataclass
class Shop:
    site: FakeSite
    app: FakeBitrixApp
    client: BitrixClient


def make_shop(
    *, bridge: bool = True, body: str = "json", scopes: frozenset[str] | None = None
) -> Shop:
    clock = ManualClock()
    site = FakeSite(clock=clock, bridge_installed=bridge)
    site.add_webhook(1, SECRET, scopes or frozenset({"sale", "b2bsync"}))
    seed_store(site, orders=10, companies=3, seed=1)

    async def advance(seconds: float) -> None:
        clock.advance(seconds)

    app = create_app(site, sleep=advance)
    client = BitrixClient.from_webhook(
        WEBHOOK,
        transport=httpx.ASGITransport(app=app),
        limiter=RateLimiter(None, sleep=advance),
        retry=RetryPolicy.no_wait(),
        body=body,
    )
    return Shop(site, app, client)
