"""Fault injection in-process: what the client sees, and whether the write was applied."""

from __future__ import annotations

import httpx
import pytest

from bitrix_client.fake import FakeSite, Fault, Faults

from ._demo import demo_app, rows
from .conftest import HOST, WEBHOOK_URL


def client_for(app: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=WEBHOOK_URL)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fault", "exception", "applied"),
    [
        (Fault.TIMEOUT_BEFORE, httpx.ReadTimeout, False),
        (Fault.TIMEOUT_AFTER, httpx.ReadTimeout, True),
        (Fault.DROP_BEFORE, httpx.RemoteProtocolError, False),
        (Fault.DROP_AFTER, httpx.RemoteProtocolError, True),
    ],
)
async def test_network_faults(
    fake_site: FakeSite, fault: Fault, exception: type[Exception], applied: bool
) -> None:
    app = demo_app(fake_site)
    app.faults.inject_next(fault, method="demo.item.add")
    before = len(rows(fake_site))
    async with client_for(app) as client:
        assert (await client.post("server.time")).status_code == 200
        with pytest.raises(exception):
            await client.post("demo.item.add", json={"name": "lost answer"})
        assert (await client.post("demo.item.add", json={"name": "second"})).status_code == 200
    names = [row["name"] for row in rows(fake_site)[before:]]
    assert names == (["lost answer", "second"] if applied else ["second"])
    assert app.stats.faults == {fault.value: 1}


async def test_server_errors(fake_site: FakeSite) -> None:
    app = demo_app(fake_site)
    app.faults.inject_next(Fault.ERROR_500_HTML)
    app.faults.inject_next(Fault.ERROR_500_EMPTY)
    app.faults.inject_next(Fault.QUERY_LIMIT)
    async with client_for(app) as client:
        html = await client.post("demo.item.add", json={"name": "x"})
        empty = await client.post("demo.item.add", json={"name": "x"})
        limited = await client.post("demo.item.add", json={"name": "x"})
    assert (html.status_code, html.headers["content-type"]) == (500, "text/html; charset=utf-8")
    assert (empty.status_code, empty.content) == (500, b"")
    assert (limited.status_code, limited.json()["error"]) == (503, "QUERY_LIMIT_EXCEEDED")
    assert app.stats.faults_injected == 3
    assert app.stats.query_limit_sent == 1
    assert app.stats.calls["demo.item.add"] == 0


async def test_slow_answers_use_the_injected_sleep(fake_site: FakeSite) -> None:
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    from bitrix_client.fake import FakeBitrixApp

    from ._demo import DEMO

    app = FakeBitrixApp(
        fake_site, registries=[DEMO], faults=Faults(slow=1.0, slow_seconds=7), sleep=fake_sleep
    )
    async with client_for(app) as client:
        answer = await client.post("server.time")
    assert answer.status_code == 200
    assert slept == [7]


async def test_expired_token_fault_forces_a_refresh(fake_site: FakeSite) -> None:
    fake_site.add_oauth_app("local.app", "secret", {"sale"})
    token = fake_site.issue_token("local.app")
    app = demo_app(fake_site)
    app.faults.inject_next(Fault.EXPIRED_TOKEN)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=HOST) as client:
        first = await client.post("/rest/server.time", json={"auth": token.access_token})
        second = await client.post("/rest/server.time", json={"auth": token.access_token})
    assert first.json()["error"] == second.json()["error"] == "expired_token"


async def test_random_faults_are_reproducible(fake_site: FakeSite) -> None:
    async def run() -> list[str]:
        faults = Faults(seed=7, error_500_empty=0.2, query_limit=0.2, drop_before=0.1)
        app = demo_app(fake_site, faults=faults)
        seen: list[str] = []
        async with client_for(app) as client:
            for _ in range(60):
                try:
                    seen.append(str((await client.post("server.time")).status_code))
                except httpx.RemoteProtocolError:
                    seen.append("drop")
        assert app.stats.faults_injected == sum(1 for s in seen if s != "200")
        return seen

    first, second = await run(), await run()
    assert first == second
    assert {"200", "500", "503", "drop"} <= set(first)


async def test_faults_limited_to_methods(fake_site: FakeSite) -> None:
    app = demo_app(
        fake_site, faults=Faults(error_500_empty=1.0, methods=frozenset({"demo.item.add"}))
    )
    async with client_for(app) as client:
        assert (await client.post("server.time")).status_code == 200
        assert (await client.post("demo.item.add", json={"name": "x"})).status_code == 500


def test_rates_must_fit() -> None:
    with pytest.raises(ValueError, match="sum"):
        Faults(error_500_html=0.7, timeout_after=0.5)
