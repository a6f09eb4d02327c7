"""Token buckets per key, in this process: the accept page's limits per address and per invite.

A bucket holds up to ``burst`` requests and refills at ``per_minute``; a request takes one or is
refused with the seconds until one is back (``Retry-After``). Time comes from the injected
clock, so tests advance it instead of sleeping. The table is bounded: the least recently used
keys leave first when ``limit`` is reached (a flood of addresses cannot grow it without end).

One process, one table: several ``serve`` processes behind a balancer each allow the full rate
(the limits are a brake on guessing and hammering, not an exact quota).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    burst: int
    per_minute: float

    @property
    def per_second(self) -> float:
        return self.per_minute / 60.0


class Buckets:
    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit
        self._buckets: OrderedDict[Hashable, tuple[float, float]] = OrderedDict()

    def take(self, key: Hashable, rate: Rate, now: float) -> float | None:
        """Take one request from ``key``'s bucket: ``None`` when allowed, else the seconds
        until the next request would be."""
        tokens, then = self._buckets.pop(key, (float(rate.burst), now))
        tokens = min(float(rate.burst), tokens + max(0.0, now - then) * rate.per_second)
        if tokens >= 1.0:
            self._store(key, tokens - 1.0, now)
            return None
        self._store(key, tokens, now)
        return (1.0 - tokens) / rate.per_second

    def _store(self, key: Hashable, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.limit:
            self._buckets.popitem(last=False)

    def __len__(self) -> int:
        return len(self._buckets)


__all__ = ["Buckets", "Rate"]
