from __future__ import annotations

import pytest


class ManualClock:
    """Monotonic and wall clock in one; ``sleep`` advances time instead of waiting."""

    def __init__(self, start: float = 1_795_000_000.0) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += max(0.0, seconds)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()
