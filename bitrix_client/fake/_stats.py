"""Counters for assertions: what reached the fake and what it answered."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class FakeStats:
    """``calls`` counts dispatched method calls by registered name, batch sub-calls included;
    ``work`` what the handlers booked (``added``/``updated``/``unchanged`` rows, and
    ``upsert_rows``: rows sent to ``b2bsync.item.upsert``, one per ``FIELDS``, all of ``ROWS``)."""

    http_requests: int = 0
    calls: Counter[str] = field(default_factory=Counter)
    work: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    query_limit_sent: int = 0
    operation_limit_sent: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    token_requests: int = 0
    #: REST requests being answered now, and the most there ever were at once.
    in_flight: int = 0
    max_in_flight: int = 0

    def enter(self) -> None:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self) -> None:
        self.in_flight -= 1

    @property
    def faults_injected(self) -> int:
        return sum(self.faults.values())

    def reset(self) -> None:
        self.http_requests = 0
        self.calls.clear()
        self.work.clear()
        self.statuses.clear()
        self.query_limit_sent = 0
        self.operation_limit_sent = 0
        self.faults.clear()
        self.token_requests = 0
        self.max_in_flight = self.in_flight
