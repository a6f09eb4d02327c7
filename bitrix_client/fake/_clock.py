"""A manual clock for tests: time moves only when the test says so (no sleeping)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class ManualClock:
    """Callable returning an aware ``datetime``; pass it as ``FakeSite(clock=...)``."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 24, 1, 17, 58, tzinfo=UTC)
        if self._now.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")

    def __call__(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = moment
