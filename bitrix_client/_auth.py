"""Credentials: an incoming webhook (the secret is in the URL path) or an OAuth application."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from ._errors import AuthenticationError, ProtocolError, TransportError


@dataclass(frozen=True)
class OAuthTokens:
    access_token: str
    refresh_token: str
    expires_in: int | None = None


TokenSaver = Callable[[OAuthTokens], Awaitable[None] | None]


class SharedTokens(Protocol):
    """Where an application's rotating token pair is kept for every process that uses it.

    Bitrix rotates the refresh token on each renewal and a used one is refused
    (``invalid_grant``), so processes sharing one application must renew one at a time and pick
    up each other's result: :meth:`hold` takes a lock that every such process takes (a file
    lock, say) and yields the pair stored at that moment; :meth:`save` stores a new pair
    durably before the lock is let go.
    """

    def hold(self) -> AbstractAsyncContextManager[OAuthTokens | None]: ...

    async def save(self, tokens: OAuthTokens) -> None: ...


class Auth(Protocol):
    @property
    def base_url(self) -> str: ...

    def url_for(self, method: str) -> str: ...

    def headers(self) -> dict[str, str]: ...

    def secrets(self) -> list[str]:
        """Strings that must never appear in logs."""
        ...

    @property
    def generation(self) -> int:
        """Bumped on every credential change, so concurrent callers refresh only once."""
        ...

    async def refresh(self, http: httpx.AsyncClient, seen_generation: int) -> bool:
        """Renew the credential; False when this kind cannot be renewed."""
        ...


class WebhookAuth:
    """``https://site/rest/<user_id>/<secret>/``: nothing to refresh, the path is the secret."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        segments = [s for s in parts.path.split("/") if s]
        try:
            rest = segments.index("rest")
            user_id, secret = segments[rest + 1], segments[rest + 2]
        except (ValueError, IndexError):
            raise ValueError(
                "webhook URL must look like https://site/rest/<user_id>/<secret>/"
            ) from None
        if not user_id.isdigit() or not secret:
            raise ValueError("webhook URL must look like https://site/rest/<user_id>/<secret>/")
        prefix = "/".join(segments[: rest + 3])
        self._base = f"{parts.scheme}://{parts.netloc}/{prefix}/"
        self.user_id = int(user_id)
        self._secret = secret

    @property
    def base_url(self) -> str:
        return self._base

    def url_for(self, method: str) -> str:
        return f"{self._base}{method}.json"

    def headers(self) -> dict[str, str]:
        return {}

    def secrets(self) -> list[str]:
        return [self._secret]

    @property
    def generation(self) -> int:
        return 0

    async def refresh(self, http: httpx.AsyncClient, seen_generation: int) -> bool:
        return False


class OAuthAuth:
    """An OAuth application's access token, renewed with the refresh token when it expires.

    Bitrix rotates the refresh token on every renewal, so the new pair is handed to ``on_rotate``
    (which must persist it) before any call uses it. Within a process one task renews and the
    others wait for it; across processes, ``shared`` (:class:`SharedTokens`) serialises the
    renewals and lets a process that waited use the pair another one just stored.
    """

    def __init__(
        self,
        portal_url: str,
        *,
        client_id: str,
        client_secret: str,
        access_token: str,
        refresh_token: str,
        oauth_server: str = "https://oauth.bitrix.info",
        on_rotate: TokenSaver | None = None,
        shared: SharedTokens | None = None,
    ) -> None:
        self._portal = portal_url.rstrip("/")
        self._client_id = client_id
        self._client_secret = client_secret
        self._access = access_token
        self._refresh = refresh_token
        self._oauth_server = oauth_server.rstrip("/")
        self._on_rotate = on_rotate
        self._shared = shared
        self._generation = 0
        self._lock = asyncio.Lock()

    @property
    def base_url(self) -> str:
        return f"{self._portal}/rest/"

    def url_for(self, method: str) -> str:
        return f"{self._portal}/rest/{method}.json"

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._access}"}

    def secrets(self) -> list[str]:
        return [self._access, self._refresh, self._client_secret]

    @property
    def generation(self) -> int:
        return self._generation

    async def refresh(self, http: httpx.AsyncClient, seen_generation: int) -> bool:
        async with self._lock:
            if self._generation != seen_generation:
                return True  # another task already renewed it
            if self._shared is None:
                await self._use(await self._grant(http))
                return True
            async with self._shared.hold() as stored:
                if stored is not None and stored.refresh_token != self._refresh:
                    # another process renewed while this one waited: its pair is the live one
                    self._adopt(stored)
                    return True
                tokens = await self._grant(http)
                await self._shared.save(tokens)
                await self._use(tokens)
            return True

    async def _grant(self, http: httpx.AsyncClient) -> OAuthTokens:
        params = {
            "grant_type": "refresh_token",
            "client_id": self._client_id,
            "client_secret": self._client_secret,
            "refresh_token": self._refresh,
        }
        try:
            answer = await http.get(f"{self._oauth_server}/oauth/token/", params=params)
        except httpx.HTTPError as exc:
            raise TransportError(f"oauth refresh failed: {exc}", sent=None) from exc
        try:
            body = answer.json()
        except ValueError as exc:
            raise ProtocolError(f"oauth refresh: HTTP {answer.status_code}, not JSON") from exc
        if not isinstance(body, dict) or "access_token" not in body:
            error = body.get("error") if isinstance(body, dict) else None
            raise AuthenticationError(
                f"oauth refresh rejected: {error or answer.status_code}",
                code=error if isinstance(error, str) else None,
                status=answer.status_code,
            )
        return OAuthTokens(
            access_token=str(body["access_token"]),
            refresh_token=str(body.get("refresh_token") or self._refresh),
            expires_in=int(body["expires_in"]) if body.get("expires_in") else None,
        )

    async def _use(self, tokens: OAuthTokens) -> None:
        if self._on_rotate is not None:
            saved = self._on_rotate(tokens)
            if saved is not None:
                await saved
        self._adopt(tokens)

    def _adopt(self, tokens: OAuthTokens) -> None:
        self._access, self._refresh = tokens.access_token, tokens.refresh_token
        self._generation += 1
