"""Building the outside-world clients from settings: the one place that knows both sides."""

from __future__ import annotations

import asyncio
import json
import os
import weakref
from pathlib import Path
from typing import Any

import httpx

from bitrix_client import (
    PROFILES,
    BitrixClient,
    OAuthAuth,
    OAuthTokens,
    RateLimit,
    RateLimiter,
    RetryPolicy,
    WebhookAuth,
)

from ._errors import ConfigError
from ._logging import REDACTOR
from .settings import BitrixSettings, RateLimitProfile


def rate_limit_of(settings: BitrixSettings) -> RateLimit | None:
    """The fixed bucket of a profile (``auto`` has none until the site shows one)."""
    if settings.rate_limit is RateLimitProfile.custom:
        return RateLimit(settings.rate_limit_burst, settings.rate_limit_per_second)
    if settings.rate_limit is RateLimitProfile.auto:
        return None
    return PROFILES[settings.rate_limit.value]


def limiter_of(settings: BitrixSettings) -> RateLimiter:
    if settings.rate_limit is RateLimitProfile.auto:
        return RateLimiter.auto(
            max_concurrency=settings.max_concurrency,
            boxed_concurrency=settings.boxed_concurrency,
        )
    return RateLimiter(rate_limit_of(settings), max_concurrency=settings.max_concurrency)


_LimiterKey = tuple[str, str, RateLimit | None, int, int]
_LIMITERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[_LimiterKey, RateLimiter]] = (
    weakref.WeakKeyDictionary()
)


def shared_limiter(site: str, settings: BitrixSettings) -> RateLimiter:
    """One bucket per site for every client of this process (and event loop): the site counts
    requests per application, not per client object."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return limiter_of(settings)
    per_loop = _LIMITERS.setdefault(loop, {})
    key = (
        site,
        settings.rate_limit.value,
        rate_limit_of(settings),
        settings.max_concurrency,
        settings.boxed_concurrency,
    )
    if key not in per_loop:
        per_loop[key] = limiter_of(settings)
    return per_loop[key]


def _token_saver(path: Path) -> Any:
    def save(tokens: OAuthTokens) -> None:
        REDACTOR.add(tokens.access_token, tokens.refresh_token)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps(
                {"access_token": tokens.access_token, "refresh_token": tokens.refresh_token}
            ),
            encoding="utf-8",
        )
        os.chmod(tmp, 0o600)
        tmp.replace(path)

    return save


def _stored_tokens(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ConfigError(f"token file {path} is not valid JSON") from exc
    return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


def bitrix_client(
    settings: BitrixSettings, *, transport: httpx.AsyncBaseTransport | None = None
) -> BitrixClient:
    """The process's one Bitrix client (its rate limiter is shared by every task using it)."""
    common: dict[str, Any] = {
        "transport": transport,
        "limiter": limiter_of(settings),
        "max_concurrency": settings.max_concurrency,
        "retry": RetryPolicy(attempts=settings.max_retries + 1),
        "timeout": settings.timeout,
        "verify": settings.verify_tls,
    }
    if settings.webhook_url is not None:
        try:
            auth: WebhookAuth | OAuthAuth = WebhookAuth(settings.webhook_url.get_secret_value())
        except ValueError as exc:
            raise ConfigError(f"bitrix.webhook_url: {exc}") from exc
    elif settings.portal_url and settings.access_token and settings.refresh_token:
        if not settings.client_id or settings.client_secret is None:
            raise ConfigError("bitrix OAuth needs client_id and client_secret")
        token_file = Path(settings.token_file) if settings.token_file else None
        stored = _stored_tokens(token_file) if token_file else {}
        auth = OAuthAuth(
            settings.portal_url,
            client_id=settings.client_id,
            client_secret=settings.client_secret.get_secret_value(),
            access_token=stored.get("access_token", settings.access_token.get_secret_value()),
            refresh_token=stored.get("refresh_token", settings.refresh_token.get_secret_value()),
            oauth_server=settings.oauth_server,
            on_rotate=_token_saver(token_file) if token_file else None,
        )
    else:
        raise ConfigError(
            "Bitrix is not configured: set B2BSYNC_BITRIX__WEBHOOK_URL "
            "(or portal_url, client_id, client_secret, access_token, refresh_token for OAuth)"
        )
    REDACTOR.add(*auth.secrets())
    if transport is None:
        common["limiter"] = shared_limiter(auth.base_url, settings)
    return BitrixClient(auth, **common)
