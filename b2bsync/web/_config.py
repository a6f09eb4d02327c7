"""What ``create_app`` is given: a small config value (built once from the settings in
``b2bsync._wiring``) and its dependencies (how to open the clients, the stores, who to wake).

Nothing here reads the environment; ``b2bsync serve`` and ``b2bsync run --serve`` build both
at the edge, tests build them by hand around the fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from bitrix_client import BitrixClient
from onec_client import OneCSource
from workflows import ApprovalConfig

from ..store import SqlWorkflowStore, Store
from ._signing import EVENT_WINDOW, MIN_SECRET


def _utc_now() -> datetime:
    return datetime.now(UTC)


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
    - ``secure_cookies``: set the form cookies ``Secure`` (the store reaches ``serve`` over
      HTTPS);
    - ``timezone``: dates shown on pages.
    """

    secret: str
    event_window: int = EVENT_WINDOW
    retry_after: int = 30
    health_cache: float = 10.0
    language: str = "ru"
    approval: ApprovalConfig | None = None
    secure_cookies: bool = False
    timezone: tzinfo = field(default_factory=lambda: ZoneInfo("Europe/Moscow"))

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


__all__ = ["OpenBitrix", "OpenOneC", "WebConfig", "WebDeps"]
