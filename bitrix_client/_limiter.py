"""Client-side mirror of Bitrix's request limits, shared by every task using one client.

The cloud (Bitrix24, or a boxed site whose administrator configured limits) counts requests in a
leaky bucket (50 deep, draining 2/s; Enterprise 250 and 5/s) and answers 503
QUERY_LIMIT_EXCEEDED past the brim. Sending at exactly the drain rate after the initial burst is
the fastest anything can go, so the limiter schedules requests with GCRA (the virtual-scheduling
form of the same bucket) instead of provoking 503s. A method whose execution-time budget is spent
(429 OPERATION_TIME_LIMIT) is held until ``operating_reset_at``.

A boxed "Site Management" site has no REST limit at all — its answers' ``time`` carries no
``operating`` — and what bounds writes there is its PHP, the same workers that serve the
storefront. The ``auto`` profile (:meth:`RateLimiter.auto`) starts as such a site would want:
no bucket, at most ``boxed_concurrency`` requests at once; the first answer that carries
``time.operating`` (or a 503) switches it to the cloud's bucket. On a boxed site it watches
``time.processing`` per unit of work (rows of an upsert chunk, commands of a batch): when it
grows to twice the fastest seen, the storefront is busy and the client sends one request less at
once; after a few answers at the usual speed it takes the slot back.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
Mode = Literal["fixed", "auto", "boxed", "cloud"]


@dataclass(frozen=True)
class RateLimit:
    burst: int
    per_second: float

    def minimum_seconds(self, requests: int) -> float:
        """The least time ``requests`` requests can take: a burst, then the drain rate."""
        return max(0, requests - self.burst) / self.per_second


#: Pause after a 503 when no profile is configured (the site's own limits are unknown).
UNKNOWN_BUCKET_BACKOFF = 1.0
#: Requests at once on a boxed site: the storefront's PHP workers serve the REST calls too.
BOXED_CONCURRENCY = 2

PROFILES: dict[str, RateLimit | None] = {
    "off": None,
    "standard": RateLimit(burst=50, per_second=2.0),
    "enterprise": RateLimit(burst=250, per_second=5.0),
}
#: The bucket ``auto`` assumes once the site shows it has one (the cloud's smallest).
CLOUD = PROFILES["standard"]


class Gate:
    """A semaphore whose size can change while tasks wait on it; ``peak`` is the most holders
    there ever were at once."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.active = 0
        self.peak = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def __aenter__(self) -> None:
        while self.active >= self.limit:
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except BaseException:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
                self._wake()
                raise
        self.active += 1
        self.peak = max(self.peak, self.active)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.active -= 1
        self._wake()

    def resize(self, limit: int) -> None:
        self.limit = max(1, limit)
        self._wake()

    def _wake(self) -> None:
        free = self.limit - self.active
        while free > 0 and self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                free -= 1


class ProcessingWatch:
    """Fewer requests at once when the site's ``time.processing`` per unit of work grows.

    Per method, the fastest time per unit seen is the site at ease (it creeps up by ``aging`` an
    answer, so a site that became slower for good is re-learnt). An answer ``slow_factor`` times
    slower takes a slot away; ``recover_after`` answers in a row at no more than
    ``easy_factor`` times it give one back, up to ``cap``. Requests that took under
    ``min_seconds`` say nothing.
    """

    def __init__(
        self,
        cap: int,
        *,
        slow_factor: float = 2.0,
        easy_factor: float = 1.3,
        recover_after: int = 3,
        aging: float = 0.02,
        min_seconds: float = 0.05,
    ) -> None:
        self.cap = cap
        self.limit = cap
        self.slow_factor = slow_factor
        self.easy_factor = easy_factor
        self.recover_after = recover_after
        self.aging = aging
        self.min_seconds = min_seconds
        self._fastest: dict[str, float] = {}
        self._easy = 0

    def observe(self, method: str, processing: float, units: int = 1) -> int:
        """Record one answer; the number of requests to allow at once from now on."""
        if processing < self.min_seconds:
            return self.limit
        per_unit = processing / max(1, units)
        key = method.lower()
        fastest = self._fastest.get(key)
        if fastest is None:
            self._fastest[key] = per_unit
            return self.limit
        self._fastest[key] = min(per_unit, fastest * (1 + self.aging))
        if per_unit > self.slow_factor * fastest:
            self.limit = max(1, self.limit - 1)
            self._easy = 0
        elif per_unit <= self.easy_factor * fastest:
            self._easy += 1
            if self._easy >= self.recover_after and self.limit < self.cap:
                self.limit += 1
                self._easy = 0
        return self.limit


class RateLimiter:
    """Leaky bucket + per-method holds + a cap on requests in flight (see the module's doc)."""

    def __init__(
        self,
        limit: RateLimit | None,
        *,
        max_concurrency: int = 4,
        safety: int = 1,
        clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
        sleep: Sleep = asyncio.sleep,
        auto: bool = False,
        boxed_concurrency: int = BOXED_CONCURRENCY,
    ) -> None:
        self.limit = limit
        self._clock = clock
        self._wall = wall_clock
        self._sleep = sleep
        self._tat: float | None = None
        self._safety = safety
        self._holds: dict[str, float] = {}
        self._global_hold = 0.0
        self.max_concurrency = max_concurrency
        self.mode: Mode = "auto" if auto else "fixed"
        self.watch = ProcessingWatch(boxed_concurrency)
        self._gate = Gate(boxed_concurrency if auto else max_concurrency)
        self.waited = 0.0

    @classmethod
    def auto(
        cls, *, max_concurrency: int = 4, boxed_concurrency: int = BOXED_CONCURRENCY, **kw: Any
    ) -> RateLimiter:
        """The ``auto`` profile: what the site's answers show decides (module's doc)."""
        return cls(
            None,
            max_concurrency=max_concurrency,
            auto=True,
            boxed_concurrency=boxed_concurrency,
            **kw,
        )

    @property
    def in_flight(self) -> Gate:
        return self._gate

    def describe(self) -> str:
        """One line: what the limiter does now (for ``doctor`` and logs)."""
        bucket = f"bucket {self.limit.burst}, {self.limit.per_second:g}/s" if self.limit else ""
        if self.mode == "cloud":
            return (
                f"auto: the site's answers carry time.operating (a cloud REST limit): {bucket}, "
                f"up to {self.max_concurrency} requests at once"
            )
        if self.mode == "boxed":
            return (
                "auto: the site's answers carry no time.operating (a boxed site, no REST limit): "
                f"no bucket, up to {self.watch.cap} requests at once, fewer while "
                "time.processing grows"
            )
        if self.mode == "auto":
            return "auto: not decided yet (no answer seen)"
        return (bucket or "no bucket") + f", up to {self.max_concurrency} requests at once"

    def observe(self, method: str, timing: Mapping[str, Any] | None, units: int = 1) -> None:
        """Learn from an answer's ``time`` block (``auto`` only)."""
        if self.mode == "fixed" or not isinstance(timing, Mapping):
            return
        if "operating" in timing or "operating_reset_at" in timing:
            self._to_cloud()
            return
        if self.mode == "auto":
            self.mode = "boxed"
        if self.mode == "boxed":
            processing = timing.get("processing")
            if isinstance(processing, int | float) and not isinstance(processing, bool):
                self._gate.resize(self.watch.observe(method, float(processing), units))

    def _to_cloud(self) -> None:
        if self.mode == "cloud":
            return
        self.mode = "cloud"
        self.limit = CLOUD
        self._gate.resize(self.max_concurrency)

    def spare(self) -> float:
        """Requests the bucket lets go now without waiting (``inf`` without a bucket)."""
        if self.limit is None:
            return math.inf
        now = self._clock()
        interval = 1.0 / self.limit.per_second
        tolerance = max(0, self.limit.burst - self._safety - 1) * interval
        tat = now if self._tat is None else max(self._tat, now)
        return float(max(0, math.floor((now + tolerance - tat) / interval + 1e-9) + 1))

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
        if self.mode in ("auto", "boxed"):
            self._to_cloud()  # a site that answers 503 has a bucket
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
