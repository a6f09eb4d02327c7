"""What the app holds while it runs (made in the lifespan, reached through ``request.state``):
the open clients, the replay cache of pings, and the process's counters for ``/metrics``."""

from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from bitrix_client import BitrixClient
from onec_client import OneCSource

from ._config import WebConfig, WebDeps
from ._ratelimit import Buckets


class ReplayCache:
    """Signatures of pings accepted within the window; one seen again is a replay. Bounded:
    entries leave when their window is over, or the oldest when ``limit`` is reached."""

    def __init__(self, window: int, limit: int = 10_000) -> None:
        self.window = window
        self.limit = limit
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, signature: str, timestamp: int, now: float) -> bool:
        """Remember ``signature``; False when it was seen and its window is not over."""
        while self._seen and next(iter(self._seen.values())) < now:
            self._seen.popitem(last=False)
        if signature in self._seen:
            return False
        if len(self._seen) >= self.limit:
            self._seen.popitem(last=False)
        self._seen[signature] = timestamp + self.window
        return True


@dataclass
class Counters:
    """What this process counted (``/metrics``)."""

    responses: Counter[int] = field(default_factory=Counter)
    downloads: Counter[str] = field(default_factory=Counter)
    download_bytes: int = 0
    pings: Counter[str] = field(default_factory=Counter)
    invites: Counter[str] = field(default_factory=Counter)


@dataclass
class AppState:
    config: WebConfig
    deps: WebDeps
    bitrix: BitrixClient
    onec: OneCSource | None
    replays: ReplayCache
    counters: Counters = field(default_factory=Counters)
    health: dict[str, Any] = field(default_factory=dict)
    #: enumeration item IDs → XML_IDs, shared by every request's directory (they never change)
    enums: dict[tuple[str, str], dict[int, str]] = field(default_factory=dict)
    #: the site's active languages, read once (``b2bsync.info``) for every request's directory
    languages: set[str] = field(default_factory=set)
    #: the invite pages' request budgets (per address, per invite link)
    buckets: Buckets = field(default_factory=Buckets)


def app_state(request: Request) -> AppState:
    state = request.state.b2bsync
    assert isinstance(state, AppState)
    return state


__all__ = ["AppState", "Counters", "ReplayCache", "app_state"]
