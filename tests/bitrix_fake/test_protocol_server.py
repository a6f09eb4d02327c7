"""The fake on loopback: real sockets, real dropped and stalled connections."""

from __future__ import annotations

import httpx
import pytest

from bitrix_client.fake import FakeSite, Fault, serve, serve_sync

from ._demo import demo_app, rows
from .conftest import SECRET


def test_sync_server_answers_and_stops(fake_site: FakeSite) -> None:
    app = demo_app(fake_site)
    with serve_sync(app) as url:
        assert url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=f"{url}/rest/1/{SECRET}/") as client:
            answer = client.post("demo.item.get.json", json={"id": 5})
            assert answer.json()["result"]["item"]["id"] == 5
            xml = client.get("server.time.xml")
            assert xml.text.startswith("<response><result>2026-11-24T04:17:58+03:00</result>")
    with pytest.raises(httpx.ConnectError), httpx.Client() as client:
        client.get(f"{url}/rest/1/{SECRET}/server.time")


@pytest.mark.parametrize(
    ("fault", "applied"), [(Fault.DROP_BEFORE, False), (Fault.DROP_AFTER, True)]
)
def test_dropped_connection_on_loopback(fake_site: FakeSite, fault: Fault, applied: bool) -> None:
    app = demo_app(fake_site)
    before = len(rows(fake_site))
    with serve_sync(app) as url, httpx.Client(base_url=f"{url}/rest/1/{SECRET}/") as client:
        app.faults.inject_next(fault)
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            client.post("demo.item.add.json", json={"name": "maybe"})
        assert client.post("server.time").status_code == 200
    assert len(rows(fake_site)) - before == (1 if applied else 0)
    assert app.stats.faults == {fault.value: 1}


@pytest.mark.parametrize(
    ("fault", "applied"), [(Fault.TIMEOUT_BEFORE, False), (Fault.TIMEOUT_AFTER, True)]
)
async def test_stalled_connection_on_loopback(
    fake_site: FakeSite, fault: Fault, applied: bool
) -> None:
    app = demo_app(fake_site)
    before = len(rows(fake_site))
    async with serve(app) as url:
        app.faults.inject_next(fault)
        async with httpx.AsyncClient(base_url=f"{url}/rest/1/{SECRET}/", timeout=0.3) as client:
            with pytest.raises(httpx.ReadTimeout):
                await client.post("demo.item.add.json", json={"name": "maybe"})
            assert (await client.post("server.time")).status_code == 200
    assert len(rows(fake_site)) - before == (1 if applied else 0)
