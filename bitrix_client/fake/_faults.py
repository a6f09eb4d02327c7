"""Deterministic fault injection: what a flaky network and an overloaded site do to a client.

Each eligible HTTP request draws once from ``random.Random(seed)`` and gets at most one fault,
chosen by the configured rates; tests can also queue exact faults with
:meth:`FaultInjector.inject_next`. Timeouts and dropped connections come in two flavours: the
request was processed before the failure (a write is applied, its answer lost) or it was not.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass
from enum import StrEnum


class Fault(StrEnum):
    ERROR_500_HTML = "error_500_html"
    ERROR_500_EMPTY = "error_500_empty"
    QUERY_LIMIT = "query_limit"
    SLOW = "slow"
    EXPIRED_TOKEN = "expired_token"  # noqa: S105 - a fault name
    TIMEOUT_BEFORE = "timeout_before"
    TIMEOUT_AFTER = "timeout_after"
    DROP_BEFORE = "drop_before"
    DROP_AFTER = "drop_after"

    @property
    def after_processing(self) -> bool:
        return self in (Fault.TIMEOUT_AFTER, Fault.DROP_AFTER)


@dataclass(frozen=True)
class Faults:
    """Rates (0..1, summing to at most 1) of each fault per eligible request.

    ``methods`` limits faults to those method names (lower case; ``batch`` for whole batches);
    ``slow_seconds`` is how long a slow answer waits; ``stall_seconds`` bounds how long a
    loopback timeout keeps the connection silent.
    """

    seed: int = 0
    error_500_html: float = 0.0
    error_500_empty: float = 0.0
    query_limit: float = 0.0
    slow: float = 0.0
    expired_token: float = 0.0
    timeout_before: float = 0.0
    timeout_after: float = 0.0
    drop_before: float = 0.0
    drop_after: float = 0.0
    slow_seconds: float = 2.0
    stall_seconds: float = 60.0
    methods: frozenset[str] | None = None

    def rates(self) -> list[tuple[Fault, float]]:
        return [(fault, float(getattr(self, fault.value))) for fault in Fault]

    def __post_init__(self) -> None:
        total = sum(rate for _, rate in self.rates())
        if any(rate < 0 for _, rate in self.rates()) or total > 1.0 + 1e-9:
            raise ValueError(f"fault rates must be >= 0 and sum to <= 1 (got {total})")


class FaultInjector:
    def __init__(self, faults: Faults) -> None:
        self.config = faults
        self._rng = random.Random(faults.seed)  # noqa: S311 - reproducible, not secret
        self._queued: deque[tuple[Fault, str | None]] = deque()

    def inject_next(self, fault: Fault, *, method: str | None = None, count: int = 1) -> None:
        """Force ``fault`` on the next ``count`` requests (to ``method`` if given)."""
        for _ in range(count):
            self._queued.append((fault, method.lower() if method else None))

    def draw(self, method: str) -> Fault | None:
        name = method.lower()
        for index, (fault, only) in enumerate(self._queued):
            if only is None or only == name:
                del self._queued[index]
                return fault
        if self.config.methods is not None and name not in self.config.methods:
            return None
        rates = self.config.rates()
        if not any(rate for _, rate in rates):
            return None
        roll = self._rng.random()
        for fault, rate in rates:
            if roll < rate:
                return fault
            roll -= rate
        return None
