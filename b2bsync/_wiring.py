"""Building the outside-world clients from settings: the one place that knows both sides."""

from __future__ import annotations

import asyncio
import json
import os
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

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
from onec_client import HttpServiceConfig, OneCSource, SoapConfig, SourceConfig, open_source
from onec_client import RetryPolicy as OneCRetryPolicy
from workflows import DeliveryConfig, ServiceConfig, WatchConfig

from ._errors import ConfigError
from ._logging import REDACTOR
from .settings import BitrixSettings, RateLimitProfile, Settings
from .store import SqlWorkflowStore, Store
from .web import MIN_SECRET, WebConfig, WebDeps
from .web._config import OpenBitrix, OpenOneC


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
        common["limiter"] = shared_limiter(
            auth.base_url, common["rate_limit"], settings.max_concurrency
        )
    return BitrixClient(auth, **common)


def web_config(settings: Settings) -> WebConfig:
    """The HTTP app's config; :class:`ConfigError` without the shared secret."""
    secret = settings.web.secret
    if secret is None:
        raise ConfigError(
            "web.secret is not set: set B2BSYNC_WEB__SECRET to the bridge module's shared "
            f"signing secret (at least {MIN_SECRET} characters)"
        )
    REDACTOR.add(secret.get_secret_value())
    return WebConfig(
        secret=secret.get_secret_value(),
        event_window=settings.web.event_window,
        retry_after=settings.web.retry_after,
        language=settings.watch.default_language,
    )


def service_config(settings: Settings) -> ServiceConfig:
    """The workflows service (watchers, outbox) from ``[watch]``, ``[outbox]`` and the status
    codes of ``[bitrix]``."""
    watch, outbox = settings.watch, settings.outbox
    bitrix = settings.bitrix
    return ServiceConfig(
        poll_every=watch.interval,
        wake_check=watch.wake_check,
        prune_read_after=outbox.prune_read_after,
        keep_delivered=outbox.keep_delivered,
        delivery=DeliveryConfig(
            rows_per_request=outbox.rows_per_request,
            in_flight=outbox.in_flight,
            first_retry=outbox.first_retry,
            max_retry=outbox.max_retry,
            max_attempts=outbox.max_attempts,
        ),
        watch=WatchConfig(
            cabinet_url=watch.cabinet_url,
            default_language=watch.default_language,
            approval_statuses=frozenset(
                {bitrix.status_pending, bitrix.status_approved, bitrix.status_rejected}
            ),
            site_timezone=ZoneInfo(settings.sync.site_timezone),
        ),
    )


def onec_for_downloads(settings: Settings) -> SourceConfig:
    """The 1C source for downloads: a browser is waiting, so at most two attempts, quickly."""
    config = settings.onec.source_config()
    if isinstance(config, HttpServiceConfig | SoapConfig):
        retry = OneCRetryPolicy(attempts=min(2, config.retry.attempts), initial_wait=0.5)
        return config.model_copy(update={"retry": retry})
    return config


def web_deps(
    settings: Settings,
    store: Store,
    *,
    bitrix: OpenBitrix | None = None,
    bitrix_transport: httpx.AsyncBaseTransport | None = None,
    onec_transport: httpx.AsyncBaseTransport | None = None,
    wake: Callable[[str], bool] | None = None,
) -> WebDeps:
    """What the HTTP app needs: the Bitrix client (its own, or the daemon's shared one), a 1C
    source tuned for waiting browsers (none without ``[onec]``), the stores, who to wake."""

    def own_bitrix() -> BitrixClient:
        return bitrix_client(settings.bitrix, transport=bitrix_transport)

    onec: OpenOneC | None = None
    if settings.onec.configured:
        source = onec_for_downloads(settings)

        def onec_source() -> OneCSource:
            return open_source(source, transport=onec_transport)

        onec = onec_source
    return WebDeps(
        bitrix=bitrix or own_bitrix,
        onec=onec,
        store=store,
        workflows=SqlWorkflowStore(store),
        wake=wake,
        clock=store.now,
    )
