"""Client-side mirror of Bitrix's request limits, shared by every task using one client.

The site counts requests in a leaky bucket (cloud: 50 deep, draining 2/s; Enterprise 250 and 5/s)
and answers 503 QUERY_LIMIT_EXCEEDED past the brim. Sending at exactly the drain rate after the
initial burst is the fastest anything can go, so the limiter schedules requests with GCRA
(the virtual-scheduling form of the same bucket) instead of provoking 503s. A method whose
execution-time budget is spent (429 OPERATION_TIME_LIMIT) is held until ``operating_reset_at``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class RateLimit:
    burst: int
    per_second: float

    def minimum_seconds(self, requests: int) -> float:
        """The least time ``requests`` requests can take: a burst, then the drain rate."""
        return max(0, requests - self.burst) / self.per_second


#: Pause after a 503 when no profile is configured (the site's own limits are unknown).
UNKNOWN_BUCKET_BACKOFF = 1.0

PROFILES: dict[str, RateLimit | None] = {
    "off": None,
    "standard": RateLimit(burst=50, per_second=2.0),
    "enterprise": RateLimit(burst=250, per_second=5.0),
}


class RateLimiter:
    """Leaky bucket + per-method holds + a cap on requests in flight."""

    def __init__(
        self,
        limit: RateLimit | None,
        *,
        max_concurrency: int = 4,
        safety: int = 1,
        clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.limit = limit
        self._clock = clock
        self._wall = wall_clock
        self._sleep = sleep
        self._tat: float | None = None
        self._safety = safety
        self._holds: dict[str, float] = {}
        self._global_hold = 0.0
        self._semaphore = asyncio.Semaphore(max_concurrency)
        self.waited = 0.0

    @property
    def in_flight(self) -> asyncio.Semaphore:
        return self._semaphore

    def _reserve(self) -> float:
        """Book the next slot and return how long to wait for it."""
        if self.limit is None:
            return 0.0
        now = self._clock()
        interval = 1.0 / self.limit.per_second
        tolerance = max(0, self.limit.burst - self._safety - 1) * interval
        tat = now if self._tat is None else max(self._tat, now)
        allowed_at = tat - tolerance
        self._tat = tat + interval
        return max(0.0, allowed_at - now)

    async def acquire(self, method: str) -> None:
        hold = max(self._holds.get(method.lower(), 0.0), self._global_hold) - self._wall()
        if hold > 0:
            self.waited += hold
            await self._sleep(hold)
        wait = self._reserve()
        if wait > 0:
            self.waited += wait
            await self._sleep(wait)

    def full(self) -> None:
        """The server said the bucket is full (503): behave as if we had just filled it."""
        if self.limit is None:
            self.hold_all(UNKNOWN_BUCKET_BACKOFF)
            return
        now = self._clock()
        interval = 1.0 / self.limit.per_second
        tolerance = max(0, self.limit.burst - self._safety - 1) * interval
        self._tat = max(self._tat or now, now + tolerance + interval)

    def hold_method(self, method: str, until_wall: float) -> None:
        key = method.lower()
        self._holds[key] = max(self._holds.get(key, 0.0), until_wall)

    def hold_all(self, seconds: float) -> None:
        self._global_hold = max(self._global_hold, self._wall() + seconds)
