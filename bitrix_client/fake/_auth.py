"""Who is calling: incoming webhooks (secret in the path) and OAuth apps (access/refresh tokens).

Answers follow the real site: a wrong webhook secret is 401 ``INVALID_CREDENTIALS``, no
credentials at all 401 ``NO_AUTH_FOUND``, an unknown token 401 ``invalid_token``, an expired one
401 ``expired_token``. The token endpoint (``/oauth/token/``) behaves like ``oauth.bitrix.info``:
refresh tokens rotate, and a used, unknown or foreign refresh token gets 400 ``invalid_grant``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._api import FakeRestError

if TYPE_CHECKING:
    from ._site import FakeSite

WEBHOOK = "webhook"
OAUTH = "oauth"

ACCESS_TOKEN_TTL = 3600
REFRESH_TOKEN_TTL = 28 * 24 * 3600
AUTH_CODE_TTL = 30


@dataclass(frozen=True)
class Principal:
    """An authenticated caller. ``client_key`` names its leaky bucket (one per webhook/app)."""

    user_id: int
    scopes: frozenset[str]
    auth_type: str
    client_key: str
    client_id: str | None = None


@dataclass
class OAuthApp:
    client_id: str
    client_secret: str
    scopes: frozenset[str]


@dataclass
class OAuthToken:
    access_token: str
    refresh_token: str
    client_id: str
    user_id: int
    scopes: frozenset[str]
    expires_at: float
    refresh_expires_at: float


@dataclass
class _AuthCode:
    client_id: str
    user_id: int
    expires_at: float


class TokenError(Exception):
    """An answer of the token endpoint other than a token: ``{"error": code}`` with ``status``."""

    def __init__(self, code: str, status: int = 400, description: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.status = status
        self.description = description

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.code}
        if self.description is not None:
            out["error_description"] = self.description
        return out


@dataclass
class OAuthStore:
    """OAuth apps installed on the site and the tokens issued to them."""

    apps: dict[str, OAuthApp] = field(default_factory=dict)
    _by_access: dict[str, OAuthToken] = field(default_factory=dict)
    _by_refresh: dict[str, OAuthToken] = field(default_factory=dict)
    _codes: dict[str, _AuthCode] = field(default_factory=dict)

    def add_app(
        self, client_id: str, client_secret: str, scopes: set[str] | frozenset[str]
    ) -> OAuthApp:
        app = OAuthApp(client_id, client_secret, frozenset(scopes))
        self.apps[client_id] = app
        return app

    def issue(self, client_id: str, user_id: int, now: float) -> OAuthToken:
        app = self.apps[client_id]
        token = OAuthToken(
            access_token=secrets.token_hex(24),
            refresh_token=secrets.token_hex(24),
            client_id=client_id,
            user_id=user_id,
            scopes=app.scopes,
            expires_at=now + ACCESS_TOKEN_TTL,
            refresh_expires_at=now + REFRESH_TOKEN_TTL,
        )
        self._by_access[token.access_token] = token
        self._by_refresh[token.refresh_token] = token
        return token

    def issue_code(self, client_id: str, user_id: int, now: float) -> str:
        if client_id not in self.apps:
            raise KeyError(client_id)
        code = secrets.token_hex(16)
        self._codes[code] = _AuthCode(client_id, user_id, now + AUTH_CODE_TTL)
        return code

    def lookup(self, access_token: str) -> OAuthToken | None:
        return self._by_access.get(access_token)

    def expire(self, access_token: str) -> None:
        """Make an access token expired now (the refresh token stays usable)."""
        self._by_access[access_token].expires_at = float("-inf")

    def revoke(self, access_token: str) -> None:
        token = self._by_access.pop(access_token)
        self._by_refresh.pop(token.refresh_token, None)

    def _check_client(self, client_id: str, client_secret: str) -> OAuthApp:
        app = self.apps.get(client_id)
        if app is None or not hmac.compare_digest(app.client_secret, client_secret):
            raise TokenError("invalid_client", 401)
        return app

    def exchange(self, params: dict[str, Any], now: float) -> OAuthToken:
        """The token endpoint's grant handling (``refresh_token`` and ``authorization_code``)."""
        grant = _str(params.get("grant_type"))
        client_id = _str(params.get("client_id"))
        client_secret = _str(params.get("client_secret"))
        if grant not in ("refresh_token", "authorization_code") or not client_id:
            raise TokenError("invalid_request")
        self._check_client(client_id, client_secret)
        if grant == "authorization_code":
            code = self._codes.pop(_str(params.get("code")), None)
            if code is None or code.client_id != client_id or now >= code.expires_at:
                raise TokenError("invalid_grant")
            return self.issue(client_id, code.user_id, now)
        old = self._by_refresh.get(_str(params.get("refresh_token")))
        if old is None or old.client_id != client_id or now >= old.refresh_expires_at:
            raise TokenError("invalid_grant")
        del self._by_refresh[old.refresh_token]
        return self.issue(client_id, old.user_id, now)


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def token_answer(site: FakeSite, token: OAuthToken, client_endpoint: str) -> dict[str, Any]:
    """What ``oauth.bitrix.info/oauth/token/`` answers with a fresh token pair."""
    return {
        "access_token": token.access_token,
        "expires": int(token.expires_at),
        "expires_in": ACCESS_TOKEN_TTL,
        "scope": ",".join(sorted(token.scopes)),
        "domain": "oauth.bitrix.info",
        "server_endpoint": "https://oauth.bitrix.info/rest/",
        "status": "L",
        "client_endpoint": client_endpoint,
        "member_id": site.member_id,
        "user_id": token.user_id,
        "refresh_token": token.refresh_token,
    }


def authenticate(
    site: FakeSite, *, webhook: tuple[str, str] | None, token: str | None, now: float
) -> Principal:
    if webhook is not None:
        user_part, secret = webhook
        for hook in site.webhooks:
            if str(hook.user_id) == user_part and hmac.compare_digest(
                hook.secret.encode(), secret.encode()
            ):
                digest = hashlib.sha256(hook.secret.encode()).hexdigest()[:12]
                return Principal(
                    user_id=hook.user_id,
                    scopes=hook.scopes,
                    auth_type=WEBHOOK,
                    client_key=f"webhook:{hook.user_id}:{digest}",
                )
        raise FakeRestError("INVALID_CREDENTIALS", "Invalid request credentials", 401)
    if not token:
        raise FakeRestError("NO_AUTH_FOUND", "Wrong authorization data", 401)
    found = site.oauth.lookup(token)
    if found is None:
        raise FakeRestError("invalid_token", "The access token provided is invalid.", 401)
    if now >= found.expires_at:
        raise FakeRestError("expired_token", "The access token provided has expired.", 401)
    return Principal(
        user_id=found.user_id,
        scopes=found.scopes,
        auth_type=OAUTH,
        client_key=f"app:{found.client_id}",
        client_id=found.client_id,
    )
