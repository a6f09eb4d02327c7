import asyncio

import httpx
import pytest
import respx

from bitrix_client import AuthenticationError, BitrixClient, OAuthAuth, OAuthTokens, RetryPolicy

PORTAL = "https://shop.example.ru"
EXPIRED = httpx.Response(
    401,
    json={
        "error": "expired_token",
        "error_description": "The access token provided has expired.",
    },
)


def oauth(saved: list[OAuthTokens]) -> OAuthAuth:
    async def save(tokens: OAuthTokens) -> None:
        saved.append(tokens)

    return OAuthAuth(
        PORTAL,
        client_id="local.app",
        client_secret="app-secret-123",
        access_token="access-1",
        refresh_token="refresh-1",
        on_rotate=save,
    )


@respx.mock
async def test_expired_token_is_refreshed_once_and_the_call_replayed():
    seen_tokens = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen_tokens.append(request.headers["authorization"])
        if request.headers["authorization"] == "Bearer access-1":
            return EXPIRED
        return httpx.Response(200, json={"result": "2026-11-24T04:17:59+03:00"})

    respx.post(f"{PORTAL}/rest/server.time.json").mock(side_effect=answer)
    token_route = respx.get("https://oauth.bitrix.info/oauth/token/").mock(
        return_value=httpx.Response(
            200,
            json={"access_token": "access-2", "refresh_token": "refresh-2", "expires_in": 3600},
        )
    )
    saved: list[OAuthTokens] = []
    async with BitrixClient(oauth(saved), retry=RetryPolicy.no_wait()) as client:
        response = await client.call("server.time")
    assert response.result == "2026-11-24T04:17:59+03:00"
    assert seen_tokens == ["Bearer access-1", "Bearer access-2"]
    assert saved == [OAuthTokens("access-2", "refresh-2", 3600)]
    params = token_route.calls.last.request.url.params
    assert params["grant_type"] == "refresh_token"
    assert params["refresh_token"] == "refresh-1"
    assert client.stats.token_refreshes == 1


@respx.mock
async def test_concurrent_expiries_refresh_once():
    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers["authorization"] == "Bearer access-1":
            return EXPIRED
        return httpx.Response(200, json={"result": 1})

    respx.post(f"{PORTAL}/rest/server.time.json").mock(side_effect=answer)
    token_route = respx.get("https://oauth.bitrix.info/oauth/token/").mock(
        return_value=httpx.Response(200, json={"access_token": "access-2", "refresh_token": "r2"})
    )
    saved: list[OAuthTokens] = []
    async with BitrixClient(oauth(saved), retry=RetryPolicy.no_wait(), rate_limit="off") as c:
        results = await asyncio.gather(*(c.call("server.time") for _ in range(8)))
    assert [r.result for r in results] == [1] * 8
    assert token_route.call_count == 1
    assert len(saved) == 1


@respx.mock
async def test_rejected_refresh_is_an_authentication_error():
    respx.post(f"{PORTAL}/rest/server.time.json").mock(return_value=EXPIRED)
    respx.get("https://oauth.bitrix.info/oauth/token/").mock(
        return_value=httpx.Response(
            400, json={"error": "invalid_grant", "error_description": "Invalid refresh token"}
        )
    )
    async with BitrixClient(oauth([]), retry=RetryPolicy.no_wait()) as client:
        with pytest.raises(AuthenticationError, match="invalid_grant"):
            await client.call("server.time")
