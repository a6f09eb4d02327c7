"""OAuth apps: ``auth=`` / Bearer tokens on ``/rest/<method>``, expiry, the token endpoint."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bitrix_client.fake import FakeBitrixApp, FakeSite, ManualClock

from ._demo import demo_app
from .conftest import HOST

CLIENT_ID = "local.6b04e5c7a1b2c3.12345678"
CLIENT_SECRET = "app-secret-0123456789"


@pytest.fixture
def app(fake_site: FakeSite) -> FakeBitrixApp:
    fake_site.add_oauth_app(CLIENT_ID, CLIENT_SECRET, {"sale", "catalog"})
    return demo_app(fake_site)


@pytest.fixture
async def client(app: FakeBitrixApp) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=HOST) as c:
        yield c


async def test_token_as_param_or_bearer(app: FakeBitrixApp, client: httpx.AsyncClient) -> None:
    token = app.site.issue_token(CLIENT_ID)
    by_param = await client.post(
        "/rest/demo.item.get.json", json={"id": 1, "auth": token.access_token}
    )
    by_query = await client.get(f"/rest/demo.item.get?id=1&auth={token.access_token}")
    by_header = await client.post(
        "/rest/demo.item.get",
        json={"id": 1},
        headers={"Authorization": f"Bearer {token.access_token}"},
    )
    for answer in (by_param, by_query, by_header):
        assert answer.status_code == 200, answer.text
        assert answer.json()["result"]["item"]["id"] == 1
    scope = await client.post("/rest/scope", data={"auth": token.access_token})
    assert scope.json()["result"] == ["catalog", "sale"]


async def test_handlers_do_not_see_the_auth_param(
    app: FakeBitrixApp, client: httpx.AsyncClient
) -> None:
    token = app.site.issue_token(CLIENT_ID)
    echo = await client.post("/rest/test.echo", json={"auth": token.access_token, "a": 1})
    assert echo.json()["result"] == {"a": 1}


async def test_unknown_and_expired_tokens(
    app: FakeBitrixApp, client: httpx.AsyncClient, fake_clock: ManualClock
) -> None:
    unknown = await client.post("/rest/server.time", json={"auth": "nope"})
    assert (unknown.status_code, unknown.json()["error"]) == (401, "invalid_token")
    token = app.site.issue_token(CLIENT_ID)
    fake_clock.advance(3599)
    assert (
        await client.post("/rest/server.time", json={"auth": token.access_token})
    ).status_code == 200
    fake_clock.advance(1)
    expired = await client.post("/rest/server.time", json={"auth": token.access_token})
    assert expired.status_code == 401
    assert expired.json() == {
        "error": "expired_token",
        "error_description": "The access token provided has expired.",
    }


async def test_force_expire(app: FakeBitrixApp, client: httpx.AsyncClient) -> None:
    token = app.site.issue_token(CLIENT_ID)
    app.site.expire_token(token.access_token)
    answer = await client.post("/rest/server.time", json={"auth": token.access_token})
    assert answer.json()["error"] == "expired_token"


async def test_event_methods_are_not_refused_for_oauth(
    app: FakeBitrixApp, client: httpx.AsyncClient
) -> None:
    token = app.site.issue_token(CLIENT_ID)
    answer = await client.post("/rest/event.get", json={"auth": token.access_token})
    assert answer.json()["error"] != "WRONG_AUTH_TYPE"


async def test_refresh_rotates_tokens(app: FakeBitrixApp, client: httpx.AsyncClient) -> None:
    token = app.site.issue_token(CLIENT_ID)
    app.site.expire_token(token.access_token)
    params = {
        "grant_type": "refresh_token",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": token.refresh_token,
    }
    answer = await client.get("/oauth/token/", params=params)
    assert answer.status_code == 200
    fresh = answer.json()
    assert set(fresh) >= {
        "access_token", "expires_in", "refresh_token", "member_id", "domain",
        "client_endpoint", "server_endpoint", "scope", "status",
    }  # fmt: skip
    assert fresh["expires_in"] == 3600
    assert fresh["status"] == "L"
    assert fresh["client_endpoint"] == f"{HOST}/rest/"
    assert fresh["member_id"] == app.site.member_id
    assert fresh["refresh_token"] != token.refresh_token
    ok = await client.post("/rest/server.time", json={"auth": fresh["access_token"]})
    assert ok.status_code == 200
    again = await client.post("/oauth/token/", data=params)
    assert (again.status_code, again.json()) == (400, {"error": "invalid_grant"})
    newer = await client.post(
        "/oauth/token", data=params | {"refresh_token": fresh["refresh_token"]}
    )
    assert newer.status_code == 200
    assert app.stats.token_requests == 3


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"client_secret": "wrong"}, 401, "invalid_client"),
        ({"client_id": "local.unknown"}, 401, "invalid_client"),
        ({"refresh_token": "unknown"}, 400, "invalid_grant"),
        ({"grant_type": "password"}, 400, "invalid_request"),
    ],
)
async def test_token_endpoint_errors(
    app: FakeBitrixApp, client: httpx.AsyncClient, change: dict[str, str], status: int, error: str
) -> None:
    token = app.site.issue_token(CLIENT_ID)
    params = {
        "grant_type": "refresh_token",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": token.refresh_token,
    } | change
    answer = await client.post("/oauth/token/", data=params)
    assert (answer.status_code, answer.json()["error"]) == (status, error)


async def test_refresh_token_of_another_app_is_invalid_grant(
    app: FakeBitrixApp, client: httpx.AsyncClient
) -> None:
    app.site.add_oauth_app("local.other", "other-secret", {"sale"})
    token = app.site.issue_token("local.other")
    answer = await client.post(
        "/oauth/token/",
        data={
            "grant_type": "refresh_token",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "refresh_token": token.refresh_token,
        },
    )
    assert answer.json() == {"error": "invalid_grant"}


async def test_authorization_code_grant(app: FakeBitrixApp, client: httpx.AsyncClient) -> None:
    code = app.site.issue_auth_code(CLIENT_ID, user_id=1)
    params = {
        "grant_type": "authorization_code",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "code": code,
    }
    first = await client.get("/oauth/token/", params=params)
    assert first.status_code == 200
    assert first.json()["user_id"] == 1
    reused = await client.get("/oauth/token/", params=params)
    assert reused.json() == {"error": "invalid_grant"}


async def test_each_app_has_its_own_bucket(fake_site: FakeSite) -> None:
    from bitrix_client.fake import Limits

    from .conftest import SECRET

    fake_site.add_oauth_app(CLIENT_ID, CLIENT_SECRET, {"sale"})
    token = fake_site.issue_token(CLIENT_ID)
    app = demo_app(fake_site, limits=Limits.custom(capacity=1, drain_per_second=1))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=HOST) as client:
        hook = [await client.post(f"/rest/1/{SECRET}/server.time") for _ in range(2)]
        oauth = [
            await client.post("/rest/server.time", json={"auth": token.access_token})
            for _ in range(2)
        ]
    assert [a.status_code for a in hook] == [200, 503]
    assert [a.status_code for a in oauth] == [200, 503]
