"""Building the outside-world clients from settings: the one place that knows both sides."""

from __future__ import annotations

import asyncio
import weakref
from pathlib import Path
from typing import Any

import httpx

from bitrix_client import (
    PROFILES,
    BitrixClient,
    OAuthAuth,
    RateLimit,
    RateLimiter,
    RetryPolicy,
    WebhookAuth,
)

from ._errors import ConfigError
from ._logging import REDACTOR
from ._tokens import TokenFile
from .settings import BitrixSettings, RateLimitProfile


def rate_limit_of(settings: BitrixSettings) -> RateLimit | None:
    if settings.rate_limit is RateLimitProfile.custom:
        return RateLimit(settings.rate_limit_burst, settings.rate_limit_per_second)
    return PROFILES[settings.rate_limit.value]


_LIMITERS: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[tuple[str, RateLimit | None, int], RateLimiter]
] = weakref.WeakKeyDictionary()


def shared_limiter(site: str, limit: RateLimit | None, max_concurrency: int) -> RateLimiter:
    """One bucket per site for every client of this process (and event loop): the site counts
    requests per application, not per client object."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return RateLimiter(limit, max_concurrency=max_concurrency)
    per_loop = _LIMITERS.setdefault(loop, {})
    key = (site, limit, max_concurrency)
    if key not in per_loop:
        per_loop[key] = RateLimiter(limit, max_concurrency=max_concurrency)
    return per_loop[key]


def bitrix_client(
    settings: BitrixSettings, *, transport: httpx.AsyncBaseTransport | None = None
) -> BitrixClient:
    """The process's one Bitrix client (its rate limiter is shared by every task using it)."""
    common: dict[str, Any] = {
        "transport": transport,
        "rate_limit": rate_limit_of(settings),
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
        # The token file, once written, holds the live pair: the configured tokens were
        # rotated away by the first renewal.
        shared = TokenFile(Path(settings.token_file)) if settings.token_file else None
        stored = shared.read() if shared else None
        auth = OAuthAuth(
            settings.portal_url,
            client_id=settings.client_id,
            client_secret=settings.client_secret.get_secret_value(),
            access_token=stored.access_token
            if stored
            else settings.access_token.get_secret_value(),
            refresh_token=stored.refresh_token
            if stored
            else settings.refresh_token.get_secret_value(),
            oauth_server=settings.oauth_server,
            shared=shared,
        )
    else:
        raise ConfigError(
            "Bitrix is not configured: set B2BSYNC_BITRIX__WEBHOOK_URL "
            "(or portal_url, client_id, client_secret, access_token, refresh_token for OAuth)"
        )
    REDACTOR.add(*auth.secrets())
    if transport is None:
        common["limiter"] = shared_limiter(
            auth.base_url, common["rate_limit"], settings.max_concurrency
        )
    return BitrixClient(auth, **common)
