"""Building the outside-world clients from settings: the one place that knows both sides."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

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
from onec_client import HttpServiceConfig, OneCSource, SoapConfig, SourceConfig, open_source
from onec_client import RetryPolicy as OneCRetryPolicy
from workflows import ApprovalConfig, ApprovalLinks, DeliveryConfig, ServiceConfig, WatchConfig

from ._errors import ConfigError
from ._logging import REDACTOR
from ._tokens import TokenFile
from .settings import BitrixSettings, RateLimitProfile, Settings
from .store import SqlWorkflowStore, Store
from .web import MIN_SECRET, InvitePages, Rate, WebConfig, WebDeps
from .web._config import OpenBitrix, OpenOneC


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
        common["limiter"] = shared_limiter(auth.base_url, settings)
    return BitrixClient(auth, **common)


def approval_config(settings: Settings) -> ApprovalConfig:
    """The approval workflow from ``[approval]`` and the status codes of ``[bitrix]``; the
    one-click links need ``web.secret`` (they are signed with it) and ``web.public_url`` (where
    the store reaches ``serve``) — without them the approval mails carry the cabinet's link
    only."""
    approval, bitrix, web = settings.approval, settings.bitrix, settings.web
    links = None
    if web.secret is not None and web.public_url:
        links = ApprovalLinks(web.secret.get_secret_value(), web.public_url)
    return ApprovalConfig(
        pending=bitrix.status_pending,
        approved=bitrix.status_approved,
        rejected=bitrix.status_rejected,
        next_status=approval.next_status,
        self_approval=approval.self_approval,
        override_groups=frozenset(approval.override_groups),
        remind_after=approval.remind_after,
        escalate_after=approval.escalate_after,
        link_ttl=approval.link_ttl,
        links=links,
    )


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
        approval=approval_config(settings),
        timezone=ZoneInfo(settings.sync.site_timezone),
        invites=invite_pages(settings),
    )


def store_url(settings: Settings) -> str:
    """The store as buyers reach it: ``[invites] store_url``, else the origin of the Bitrix
    webhook (or OAuth portal) URL; ``""`` when neither is set."""
    if settings.invites.store_url:
        return settings.invites.store_url
    bitrix = settings.bitrix
    url = bitrix.webhook_url.get_secret_value() if bitrix.webhook_url else bitrix.portal_url
    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def cabinet_path(settings: Settings) -> str:
    """Where the login hand-off lands: the path of ``watch.cabinet_url``."""
    parts = urlsplit(settings.watch.cabinet_url)
    path = parts.path or "/"
    if not path.startswith("/") or path.startswith("//"):
        path = "/" + path.lstrip("/")
    return path + (f"?{parts.query}" if parts.query else "")


def invite_pages(settings: Settings) -> InvitePages:
    invites = settings.invites
    return InvitePages(
        public_url=settings.web.public_url or "",
        store_url=store_url(settings),
        handoff_path=invites.handoff_path,
        whoami_path=invites.whoami_path,
        cabinet_path=cabinet_path(settings),
        user_groups=tuple(invites.user_groups),
        per_ip=Rate(invites.per_ip_burst, invites.per_ip_per_minute),
        per_token=Rate(invites.per_token_burst, invites.per_token_per_minute),
    )


def service_config(settings: Settings) -> ServiceConfig:
    """The workflows service (watchers, outbox, the approval workflow) from ``[watch]``,
    ``[outbox]``, ``[approval]`` and the status codes of ``[bitrix]``."""
    watch, outbox = settings.watch, settings.outbox
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
            approval=approval_config(settings),
            site_timezone=ZoneInfo(settings.sync.site_timezone),
            accept_url=f"{settings.web.public_url}/invites/accept"
            if settings.web.public_url
            else "",
            invite_ttl=settings.invites.ttl,
        ),
        invite_expiry_every=settings.invites.expire_every,
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
