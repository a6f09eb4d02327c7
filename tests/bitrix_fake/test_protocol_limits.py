"""The leaky bucket and the operating-time budget, driven by a manual clock (no sleeping)."""

from __future__ import annotations

import dataclasses

import httpx

from bitrix_client.fake import ENTERPRISE, STANDARD, FakeSite, Limits, ManualClock

from ._demo import demo_app
from .conftest import WEBHOOK_URL


def client_for(app: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=WEBHOOK_URL)  # type: ignore[arg-type]


async def test_standard_bucket_allows_50_then_drains_2_per_second(
    fake_site: FakeSite, fake_clock: ManualClock
) -> None:
    app = demo_app(fake_site, limits=dataclasses.replace(Limits.standard(), operating_budget=None))
    async with client_for(app) as client:
        burst = [(await client.post("server.time")).status_code for _ in range(51)]
        assert burst == [200] * 50 + [503]
        refused = await client.post("server.time")
        assert refused.json() == {
            "error": "QUERY_LIMIT_EXCEEDED",
            "error_description": "Too many requests",
        }
        fake_clock.advance(1)
        after_one_second = [(await client.post("server.time")).status_code for _ in range(3)]
        assert after_one_second == [200, 200, 503]
        fake_clock.advance(3600)
        assert (await client.post("server.time")).status_code == 200
    assert app.stats.query_limit_sent == 3
    assert (STANDARD.capacity, STANDARD.drain_per_second) == (50, 2.0)
    assert (ENTERPRISE.capacity, ENTERPRISE.drain_per_second) == (250, 5.0)


async def test_no_limits_by_default(fake_site: FakeSite) -> None:
    app = demo_app(fake_site)
    async with client_for(app) as client:
        statuses = {(await client.post("server.time")).status_code for _ in range(300)}
    assert statuses == {200}


async def test_operating_budget_blocks_the_method_only(
    fake_site: FakeSite, fake_clock: ManualClock
) -> None:
    limits = Limits(
        operating_budget=480.0, operating_window=600.0, method_cost={"demo.item.list": 100.0}
    )
    app = demo_app(fake_site, limits=limits)
    async with client_for(app) as client:
        first = (await client.post("demo.item.list")).json()
        assert first["time"]["operating"] == 100.0
        assert first["time"]["operating_reset_at"] == int(fake_clock().timestamp()) + 600
        for _ in range(4):
            fake_clock.advance(10)
            assert (await client.post("demo.item.list")).status_code == 200
        fake_clock.advance(10)
        blocked = await client.post("demo.item.list")
        assert blocked.status_code == 429
        body = blocked.json()
        assert body["error"] == "OPERATION_TIME_LIMIT"
        start = fake_clock().timestamp() - 50
        assert body["time"]["operating_reset_at"] == int(start) + 600
        assert (await client.post("demo.item.get", json={"id": 1})).status_code == 200
        inside = (await client.post("batch", json={"cmd": {"l": "demo.item.list"}})).json()
        assert inside["result"]["result_error"]["l"]["error"] == "OPERATION_TIME_LIMIT"
        fake_clock.advance(600 - 50)
        assert (await client.post("demo.item.list")).status_code == 200
    assert app.stats.operation_limit_sent == 2


async def test_no_operating_keys_when_the_budget_is_off(fake_site: FakeSite) -> None:
    async with client_for(demo_app(fake_site)) as client:
        time = (await client.post("server.time")).json()["time"]
    assert "operating" not in time
