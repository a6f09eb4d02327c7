"""What ``create_app`` is given: a small config value (built once from the settings in
``b2bsync._wiring``) and its dependencies (how to open the clients, the stores, who to wake).

Nothing here reads the environment; ``b2bsync serve`` and ``b2bsync run --serve`` build both
at the edge, tests build them by hand around the fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bitrix_client import BitrixClient
from onec_client import OneCSource
from workflows import ApprovalConfig

from ..store import SqlWorkflowStore, Store
from ._ratelimit import Rate
from ._signing import EVENT_WINDOW, MIN_SECRET


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class InvitePages:
    """The accept page's settings (``[invites]`` and ``[web]``, mapped in ``_wiring``):

    - ``public_url``: serve as browsers reach it (``https://shop/b2bsync``; ``""``: the request's
      own base URL) — the who-am-I answer comes back to it, cookies are scoped to its path;
    - ``store_url``: the store as browsers reach it; ``handoff_path`` / ``whoami_path``: the
      module's pages there (``""`` store URL: no hand-off, the page says to log in);
    - ``cabinet_path``: where the hand-off lands (a path on the store);
    - ``user_groups``: site groups of a user made by the page; ``claim_stale``: after how long
      an acceptance left unfinished may be completed by another submit;
    - ``per_ip`` / ``per_token``: the request budgets (token buckets).
    """

    public_url: str = ""
    store_url: str = ""
    handoff_path: str = "/bitrix/tools/b2bsync/handoff.php"
    whoami_path: str = "/bitrix/tools/b2bsync/whoami.php"
    cabinet_path: str = "/personal/b2b/"
    user_groups: tuple[int, ...] = ()
    claim_stale: timedelta = timedelta(minutes=2)
    per_ip: Rate = field(default_factory=lambda: Rate(30, 30.0))
    per_token: Rate = field(default_factory=lambda: Rate(10, 6.0))

    @property
    def secure(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def cookie_path(self) -> str:
        """Where the invite pages' cookies apply: ``/invites`` under serve's public path."""
        return f"{self.root_path.rstrip('/')}/invites"

    @property
    def root_path(self) -> str:
        """Serve's public path (``/b2bsync/``; ``/`` without a public URL): the CSRF cookie's
        scope, which covers every form of the app (invites, one-click approvals)."""
        base = urlsplit(self.public_url).path.rstrip("/") if self.public_url else ""
        return f"{base}/"


@dataclass(frozen=True)
class WebConfig:
    """- ``secret``: shared with the bridge module (links and pings), ``MIN_SECRET`` characters
      at least;
    - ``event_window``: seconds a ping's timestamp may lie from now;
    - ``retry_after``: what a 503 tells the browser (seconds);
    - ``health_cache``: seconds a readiness answer is reused (each costs a Bitrix request);
    - ``language``: of the pages when the browser states no preference;
    - ``approval``: the approval workflow's statuses and rules, for the one-click links
      (``None``: ``/approvals`` answers that approval by link is not enabled);
    - ``timezone``: dates shown on pages.
    - ``invites``: the invite accept page (:class:`InvitePages`).
    """

    secret: str
    event_window: int = EVENT_WINDOW
    retry_after: int = 30
    health_cache: float = 10.0
    language: str = "ru"
    approval: ApprovalConfig | None = None
    timezone: tzinfo = field(default_factory=lambda: ZoneInfo("Europe/Moscow"))
    invites: InvitePages = field(default_factory=InvitePages)

    def __post_init__(self) -> None:
        if len(self.secret) < MIN_SECRET:
            raise ValueError(f"the shared secret must be at least {MIN_SECRET} characters long")


OpenBitrix = Callable[[], AbstractAsyncContextManager[BitrixClient]]
OpenOneC = Callable[[], AbstractAsyncContextManager[OneCSource]]


@dataclass
class WebDeps:
    """- ``bitrix`` / ``onec``: open the clients for the app's lifetime (the lifespan holds
      them); ``onec`` is ``None`` without a 1C source (downloads then answer 503);
    - ``store``: the state store (readiness, metrics); ``workflows``: its workflow tables
      (wake requests, outbox figures);
    - ``wake``: wakes a watcher in this process (``run --serve``); without it a ping is left
      in the store for the daemon;
    - ``clock``: now, aware.
    """

    bitrix: OpenBitrix
    onec: OpenOneC | None = None
    store: Store | None = None
    workflows: SqlWorkflowStore | None = None
    wake: Callable[[str], bool] | None = None
    clock: Callable[[], datetime] = field(default=_utc_now)


__all__ = ["InvitePages", "OpenBitrix", "OpenOneC", "WebConfig", "WebDeps"]
