"""Request limits of a (cloud-like) Bitrix: the leaky bucket and the per-method operating budget.

* Leaky bucket, one per webhook/app: each HTTP request (a ``batch`` counts once) adds 1, the level
  drains at ``drain_per_second``; a request that would lift it above ``capacity`` is refused with
  503 ``QUERY_LIMIT_EXCEEDED`` and adds nothing.
* Operating time, per method across all callers (as the helpdesk describes): the simulated
  processing time of every call accumulates in a sliding ``window``; once it reaches ``budget``
  the method answers 429 ``OPERATION_TIME_LIMIT`` until enough of it has left the window. While
  the budget is on, every ``time`` block carries ``operating`` and ``operating_reset_at``.

Both run on the site clock, so a test with a manual clock drains the bucket by advancing time.
The recorded on-premise site has neither (``Limits()`` is the default: everything off).

What bounds a boxed site instead is its PHP: :class:`RowCost` gives every HL row a call writes a
processing time (defaults measured on a real Business 25.550 site, one PHP worker, opcache on,
50-row batches: ~2.8 ms per new row, ~1.7 ms per unchanged upsert), reported in ``time.processing``
and, with ``row_cost`` set, waited out before the answer — by at most ``workers`` requests at once
(the site's PHP workers; ``None``: as many as come). :meth:`Limits.boxed` is such a site.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BucketProfile:
    capacity: float
    drain_per_second: float


@dataclass(frozen=True)
class RowCost:
    """Seconds of a site's PHP per HL row written (an update is a write like an add)."""

    added: float = 0.0028
    updated: float = 0.0028
    unchanged: float = 0.0017

    def of(self, work: Mapping[str, int]) -> float:
        return (
            work.get("added", 0) * self.added
            + work.get("updated", 0) * self.updated
            + work.get("unchanged", 0) * self.unchanged
        )


STANDARD = BucketProfile(capacity=50, drain_per_second=2.0)
ENTERPRISE = BucketProfile(capacity=250, drain_per_second=5.0)

DEFAULT_COST = 0.001


@dataclass(frozen=True)
class Limits:
    """Limit configuration; ``bucket=None`` and ``operating_budget=None`` switch a limit off."""

    bucket: BucketProfile | None = None
    operating_budget: float | None = None
    operating_window: float = 600.0
    method_cost: Mapping[str, float] = field(default_factory=dict)
    default_cost: float = DEFAULT_COST
    row_cost: RowCost | None = None
    workers: int | None = None

    @classmethod
    def off(cls) -> Limits:
        return cls()

    @classmethod
    def standard(cls) -> Limits:
        """Cloud "others" tariff: 50 burst, 2/s drain, 480 s per 10 min per method."""
        return cls(bucket=STANDARD, operating_budget=480.0)

    @classmethod
    def enterprise(cls) -> Limits:
        """Cloud Enterprise: 250 burst, 5/s drain, 480 s per 10 min per method."""
        return cls(bucket=ENTERPRISE, operating_budget=480.0)

    @classmethod
    def boxed(cls, workers: int = 4, row_cost: RowCost | None = None) -> Limits:
        """A boxed "Site Management" site: no REST limit, ``workers`` PHP workers, rows at the
        measured cost."""
        return cls(row_cost=row_cost or RowCost(), workers=workers)

    @classmethod
    def custom(cls, capacity: float, drain_per_second: float) -> Limits:
        """A bucket of your own; add budgets/costs with ``dataclasses.replace``."""
        return cls(bucket=BucketProfile(capacity, drain_per_second))

    def cost(self, method: str) -> float:
        """Simulated processing seconds of one call of ``method``."""
        return self.method_cost.get(method.lower(), self.default_cost)


@dataclass
class _Bucket:
    level: float
    updated: float


class Limiter:
    """The mutable state behind :class:`Limits` (buckets and operating-time windows)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._buckets: dict[str, _Bucket] = {}
        self._usage: dict[str, deque[tuple[float, float]]] = {}
        self._used: dict[str, float] = {}

    def bucket_level(self, client_key: str, now: float) -> float:
        profile = self.limits.bucket
        bucket = self._buckets.get(client_key)
        if profile is None or bucket is None:
            return 0.0
        return max(0.0, bucket.level - (now - bucket.updated) * profile.drain_per_second)

    def admit(self, client_key: str, now: float) -> bool:
        """Count one request against the caller's bucket; False when it must be refused."""
        profile = self.limits.bucket
        if profile is None:
            return True
        level = self.bucket_level(client_key, now)
        if level + 1 > profile.capacity:
            self._buckets[client_key] = _Bucket(level, now)
            return False
        self._buckets[client_key] = _Bucket(level + 1, now)
        return True

    def _window(self, method: str, now: float) -> deque[tuple[float, float]]:
        key = method.lower()
        window = self._usage.setdefault(key, deque())
        horizon = now - self.limits.operating_window
        while window and window[0][0] <= horizon:
            self._used[key] -= window.popleft()[1]
        if not window:
            self._used[key] = 0.0  # no drift from float subtraction once the window empties
        return window

    def operating_blocked_until(self, method: str, now: float) -> int | None:
        """``operating_reset_at`` when ``method`` is over its budget now, else None."""
        budget = self.limits.operating_budget
        if budget is None:
            return None
        window = self._window(method, now)
        used = self._used.get(method.lower(), 0.0)
        if used < budget:
            return None
        for moment, cost in window:
            used -= cost
            if used < budget:
                return math.ceil(moment + self.limits.operating_window)
        return math.ceil(now)

    def record(self, method: str, cost: float, now: float) -> tuple[float, int] | None:
        """Book ``cost`` seconds to ``method``; gives ``(operating, operating_reset_at)``."""
        if self.limits.operating_budget is None:
            return None
        window = self._window(method, now)
        window.append((now, cost))
        key = method.lower()
        self._used[key] = self._used.get(key, 0.0) + cost
        return self._used[key], math.ceil(window[0][0] + self.limits.operating_window)
