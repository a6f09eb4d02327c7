"""The real client bound to the in-process Bitrix fake, both on one manual clock."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from bitrix_client import BitrixClient, RateLimit, RateLimiter, RetryPolicy
from bitrix_client.fake import FakeBitrixApp, FakeSite, Faults, Limits, ManualClock, create_app

SECRET = "t3stw3bh00ks3cr3t"
WEBHOOK = f"http://shop.example.ru/rest/1/{SECRET}/"


@dataclass
class Harness:
    clock: ManualClock
    site: FakeSite
    app: FakeBitrixApp
    client: BitrixClient

    async def sleep(self, seconds: float) -> None:
        self.clock.advance(seconds)


def harness(
    *,
    limits: Limits | None = None,
    faults: Faults | None = None,
    client_limit: RateLimit | None = None,
    attempts: int = 6,
    bridge: bool = True,
    body: str = "json",
) -> Harness:
    clock = ManualClock()
    site = FakeSite(clock=clock, bridge_installed=bridge)
    site.add_webhook(1, SECRET, {"sale", "catalog", "user", "b2bsync"})

    async def advance(seconds: float) -> None:
        clock.advance(seconds)

    app = create_app(site, limits=limits, faults=faults, sleep=advance)

    def now() -> float:
        return clock().timestamp()

    limiter = RateLimiter(client_limit, clock=now, wall_clock=now, sleep=advance)
    client = BitrixClient.from_webhook(
        WEBHOOK,
        transport=httpx.ASGITransport(app=app),
        limiter=limiter,
        retry=RetryPolicy(attempts=attempts, initial_wait=0.0, max_wait=0.0, sleep=advance),
        body=body,  # type: ignore[arg-type]
    )
    return Harness(clock, site, app, client)
