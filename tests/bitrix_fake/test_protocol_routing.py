"""Routing and authentication of ``/rest/…`` requests, as recorded on the real site."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bitrix_client.fake import FakeBitrixApp, FakeSite, create_app

from ._demo import demo_app
from .conftest import HOST, SECRET, SECRET2, WEBHOOK_URL


@pytest.fixture
async def client(fake_site: FakeSite) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=demo_app(fake_site))
    async with httpx.AsyncClient(transport=transport, base_url=HOST) as c:
        yield c


@pytest.mark.parametrize(
    "path",
    [
        f"/rest/1/{SECRET}/demo.item.get.json",
        f"/rest/1/{SECRET}/DEMO.ITEM.GET.json",
        f"/rest/1/{SECRET}/demo.item.get",
        f"/rest/1/{SECRET}/demo.item.get/",
        f"/rest/1/{SECRET}/Demo.Item.Get.JSON",
    ],
)
async def test_method_name_spellings(client: httpx.AsyncClient, path: str) -> None:
    answer = await client.post(path, json={"id": 3})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json; charset=utf-8"
    assert answer.json()["result"] == {"item": {"id": 3, "name": "item 3"}}


@pytest.mark.parametrize(
    ("path", "status", "error"),
    [
        (f"/rest/1/{SECRET}/no.such.method.json", 404, "ERROR_METHOD_NOT_FOUND"),
        ("/rest/1/wrongsecret00000/demo.item.get.json", 401, "INVALID_CREDENTIALS"),
        (f"/rest/2/{SECRET}/demo.item.get.json", 401, "INVALID_CREDENTIALS"),
        ("/rest/demo.item.get.json", 401, "NO_AUTH_FOUND"),
        (f"/rest/1/{SECRET2}/demo.item.get.json", 401, "insufficient_scope"),
        (f"/rest/1/{SECRET}/entity.get.json", 401, "insufficient_scope"),
        (f"/rest/1/{SECRET}/event.bind.json", 403, "WRONG_AUTH_TYPE"),
        (f"/rest/1/{SECRET}/event.get.json", 403, "WRONG_AUTH_TYPE"),
        (f"/rest/1/{SECRET}/event.offline.get.json", 403, "WRONG_AUTH_TYPE"),
        (f"/rest/1/{SECRET}/events.json", 403, "WRONG_AUTH_TYPE"),
        (f"/rest/1/{SECRET}/user.current.json", 404, "ERROR_METHOD_NOT_FOUND"),
        (f"/rest/1/{SECRET}/user.get.json", 404, "ERROR_METHOD_NOT_FOUND"),
        (f"/rest/1/{SECRET}", 404, "ERROR_METHOD_NOT_FOUND"),
    ],
)
async def test_protocol_errors(
    client: httpx.AsyncClient, path: str, status: int, error: str
) -> None:
    answer = await client.post(path, json={"id": 1})
    assert answer.status_code == status
    assert answer.json()["error"] == error
    assert "time" not in answer.json()


async def test_recorded_error_texts(client: httpx.AsyncClient) -> None:
    texts = {
        "/rest/1/wrongsecret00000/demo.item.get": "Invalid request credentials",
        "/rest/demo.item.get": "Wrong authorization data",
        f"/rest/1/{SECRET2}/demo.item.get": (
            "The request requires higher privileges than provided by the webhook token"
        ),
        f"/rest/1/{SECRET}/event.bind": "Current authorization type is denied for this method",
        f"/rest/1/{SECRET}/nope": "Method not found!",
    }
    for path, text in texts.items():
        assert (await client.post(path)).json()["error_description"] == text


async def test_sale_errors_keep_integer_codes_and_400(client: httpx.AsyncClient) -> None:
    answer = await client.post(f"/rest/1/{SECRET}/demo.item.get.json", json={"id": 999})
    assert answer.status_code == 400
    assert answer.json() == {"error": 201340400001, "error_description": "item is not exists"}


async def test_bridge_scope_granted_but_module_missing_answers_404(fake_site: FakeSite) -> None:
    fake_site.bridge_installed = False
    app = create_app(fake_site)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=WEBHOOK_URL
    ) as client:
        answer = await client.post("b2bsync.info.json", json={})
        scopes = (await client.post("scope.json", json={"full": True})).json()["result"]
    assert answer.status_code == 404
    assert answer.json()["error"] == "ERROR_METHOD_NOT_FOUND"
    assert "b2bsync" not in scopes


async def test_bridge_scope_not_granted_answers_insufficient_scope(fake_site: FakeSite) -> None:
    hook = fake_site.add_webhook(1, "salesonly0000003", {"sale"})
    app = create_app(fake_site)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=HOST) as client:
        answer = await client.post(f"/rest/1/{hook.secret}/b2bsync.info.json", json={})
        full = (await client.post(f"/rest/1/{hook.secret}/scope", json={"full": 1})).json()
    assert answer.status_code == 401
    assert answer.json()["error"] == "insufficient_scope"
    assert full["result"][-1] == "b2bsync"


async def test_get_with_query_params_and_unknown_paths(client: httpx.AsyncClient) -> None:
    answer = await client.get(f"/rest/1/{SECRET}/demo.item.get.json?id=7")
    assert answer.json()["result"]["item"]["id"] == 7
    other = await client.get("/index.php")
    assert other.status_code == 404


async def test_counts_requests_and_calls(fake_site: FakeSite) -> None:
    app: FakeBitrixApp = demo_app(fake_site)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=WEBHOOK_URL
    ) as client:
        await client.post("demo.item.get", json={"id": 1})
        await client.post("DEMO.ITEM.GET", json={"id": 2})
        await client.post("batch", json={"cmd": ["demo.item.get?id=1", "server.time"]})
        await client.post("nope")
    assert app.stats.http_requests == 4
    assert app.stats.calls == {"demo.item.get": 3, "batch": 1, "server.time": 1}
    assert app.stats.statuses == {200: 3, 404: 1}
