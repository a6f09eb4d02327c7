import pytest

from bitrix_client import PROFILES, RateLimit, RateLimiter

STANDARD = RateLimit(50, 2.0)


def make(clock, limit=STANDARD, safety=0):
    return RateLimiter(limit, clock=clock, wall_clock=clock, sleep=clock.sleep, safety=safety)


async def test_burst_then_drain_rate(clock):
    limiter = make(clock)
    start = clock.now
    for _ in range(50):
        await limiter.acquire("m")
    assert clock.now == start  # the whole bucket goes at once
    for _ in range(10):
        await limiter.acquire("m")
    assert clock.now - start == pytest.approx(5.0)  # then 2 a second


async def test_idle_time_refills_the_bucket(clock):
    limiter = make(clock)
    for _ in range(60):
        await limiter.acquire("m")
    clock.now += 100
    before = clock.now
    for _ in range(50):
        await limiter.acquire("m")
    assert clock.now == before


async def test_safety_margin_keeps_one_slot_free(clock):
    limiter = make(clock, safety=1)
    for _ in range(49):
        await limiter.acquire("m")
    assert clock.slept == []
    await limiter.acquire("m")
    assert clock.slept == [pytest.approx(0.5)]


async def test_full_after_a_503_waits_one_drain_interval(clock):
    limiter = make(clock)
    await limiter.acquire("m")
    limiter.full()
    before = clock.now
    await limiter.acquire("m")
    assert clock.now - before == pytest.approx(0.5)


async def test_operation_time_limit_holds_only_that_method(clock):
    limiter = make(clock, limit=None)
    limiter.hold_method("sale.order.list", clock.now + 30)
    await limiter.acquire("server.time")
    assert clock.slept == []
    await limiter.acquire("SALE.ORDER.LIST")
    assert clock.slept == [pytest.approx(30)]


async def test_profiles():
    assert PROFILES["off"] is None
    assert PROFILES["standard"] == RateLimit(50, 2.0)
    assert PROFILES["enterprise"] == RateLimit(250, 5.0)
    assert RateLimit(50, 2.0).minimum_seconds(150) == 50.0
    assert RateLimit(50, 2.0).minimum_seconds(10) == 0.0


async def test_off_never_waits(clock):
    limiter = make(clock, limit=None)
    for _ in range(1000):
        await limiter.acquire("m")
    assert clock.slept == []
