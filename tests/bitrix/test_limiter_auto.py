"""The ``auto`` rate profile: a boxed site (no ``time.operating``) gets no bucket and a small
cap on requests at once that shrinks while ``time.processing`` grows; a site whose answers carry
``time.operating`` (or that answers 503) gets the cloud's bucket."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import httpx
import pytest

from bitrix_client import PROFILES, BitrixClient, Gate, ProcessingWatch, RateLimiter, RetryPolicy
from bitrix_client.fake import FakeSite, Limits, ManualClock, RowCost, create_app

SECRET = "4ut0pr0f1l3s3cr3"
URL = f"http://shop.example.ru/rest/1/{SECRET}/"


@pytest.mark.parametrize(
    ("processing", "limit"),
    [
        # (seconds per unit, limit after): the first answer sets the pace (0.1 s a unit)
        ([0.1], 2),
        ([0.1, 0.25], 1),  # 2.5 × slower: one slot less
        ([0.1, 0.25, 0.3], 1),  # never below one
        ([0.1, 0.25, 0.1, 0.12], 1),  # two easy answers are not enough yet
        ([0.1, 0.25, 0.1, 0.12, 0.11], 2),  # the third gives the slot back
        ([0.1, 0.19, 0.19, 0.19], 2),  # under twice as slow: no change
        ([0.1, 0.01], 2),  # under min_seconds: says nothing
    ],
)
def test_the_processing_watch(processing: list[float], limit: int) -> None:
    watch = ProcessingWatch(2)
    for seconds in processing:
        result = watch.observe("b2bsync.item.upsert", seconds)
    assert result == limit


def test_work_is_compared_per_unit() -> None:
    watch = ProcessingWatch(2)
    watch.observe("b2bsync.item.upsert", 1.4, units=500)  # 2.8 ms a row
    assert watch.observe("b2bsync.item.upsert", 0.14, units=50) == 2  # a small last chunk
    assert watch.observe("b2bsync.item.upsert", 4.2, units=500) == 1  # 8.4 ms a row


async def test_a_gate_can_shrink_and_grow_while_tasks_wait() -> None:
    gate = Gate(2)
    entered: list[int] = []

    async def hold(i: int, release: asyncio.Event) -> None:
        async with gate:
            entered.append(i)
            await release.wait()

    release = asyncio.Event()
    tasks = [asyncio.create_task(hold(i, release)) for i in range(4)]
    for _ in range(5):
        await asyncio.sleep(0)
    assert (entered, gate.active) == ([0, 1], 2)
    gate.resize(3)
    await asyncio.sleep(0)
    assert entered == [0, 1, 2]
    gate.resize(1)
    release.set()
    await asyncio.gather(*tasks)
    assert (entered, gate.peak, gate.active) == ([0, 1, 2, 3], 3, 0)


def test_auto_learns_from_the_time_block() -> None:
    limiter = RateLimiter.auto(max_concurrency=4)
    assert (limiter.mode, limiter.limit, limiter.in_flight.limit) == ("auto", None, 2)
    limiter.observe("server.time", {"start": 1.0, "processing": 0.001})
    assert (limiter.mode, limiter.limit, limiter.in_flight.limit) == ("boxed", None, 2)
    limiter.observe("server.time", {"processing": 0.001, "operating": 0.0})
    assert (limiter.mode, limiter.limit, limiter.in_flight.limit) == (
        "cloud",
        PROFILES["standard"],
        4,
    )


def test_a_503_means_a_bucket() -> None:
    limiter = RateLimiter.auto()
    limiter.observe("server.time", {"processing": 0.001})
    limiter.full()
    assert (limiter.mode, limiter.limit) == ("cloud", PROFILES["standard"])


def test_a_fixed_profile_learns_nothing() -> None:
    limiter = RateLimiter(PROFILES["standard"])
    limiter.observe("server.time", {"processing": 9.0})
    assert (limiter.mode, limiter.in_flight.limit) == ("fixed", 4)


def _client(site: FakeSite, limits: Limits, sleep: Any) -> tuple[BitrixClient, Any]:
    site.add_webhook(1, SECRET, {"sale", "b2bsync"})
    app = create_app(site, limits=limits, sleep=sleep)
    client = BitrixClient.from_webhook(
        URL,
        transport=httpx.ASGITransport(app=app),
        retry=RetryPolicy(attempts=2, initial_wait=0.0, max_wait=0.0),
    )
    return client, app


async def test_the_profile_is_auto_and_reads_the_site() -> None:
    async def no_wait(seconds: float) -> None:
        await asyncio.sleep(0)

    boxed, _ = _client(FakeSite(clock=ManualClock()), Limits(), no_wait)
    cloud, _ = _client(FakeSite(clock=ManualClock()), Limits.standard(), no_wait)
    async with boxed, cloud:
        await boxed.call("server.time")
        await cloud.call("server.time")
    assert boxed.limiter.mode == "boxed"
    assert "no bucket, up to 2 requests at once" in boxed.limiter.describe()
    assert cloud.limiter.mode == "cloud"
    assert "bucket 50, 2/s" in cloud.limiter.describe()


async def test_a_busy_site_gets_fewer_requests_at_once() -> None:
    """Chunks of upserts against a boxed fake whose storefront gets busy: the per-row time
    triples, the client drops to one request at a time, and takes the second slot back once
    the site is fast again."""

    async def yielding(seconds: float) -> None:
        for _ in range(5):
            await asyncio.sleep(0)

    site = FakeSite(clock=ManualClock())
    client, app = _client(site, Limits.boxed(workers=8), yielding)
    async with client:
        bridge = client.bridge
        block = await bridge.hlblock_add("B2bX", "b2b_x", {})
        await bridge.field_add(block, {"FIELD_NAME": "UF_XML_ID", "USER_TYPE_ID": "string"})

        async def chunk(n: int, rows: int = 100) -> None:
            data = [{"UF_XML_ID": f"{n}-{i}"} for i in range(rows)]
            await bridge.upsert_many(block, ["UF_XML_ID"], data)

        await asyncio.gather(*(chunk(n) for n in range(4)))
        assert (client.limiter.mode, app.stats.max_in_flight) == ("boxed", 2)
        app.limiter.limits = replace(app.limits, row_cost=RowCost(0.0084, 0.0084, 0.0051))
        await chunk(10)
        assert client.limiter.in_flight.limit == 1
        app.stats.reset()
        await asyncio.gather(*(chunk(n) for n in range(20, 24)))
        assert app.stats.max_in_flight == 1
        app.limiter.limits = replace(app.limits, row_cost=RowCost())
        for n in range(30, 33):
            await chunk(n)
        assert client.limiter.in_flight.limit == 2


def test_spare_is_what_the_bucket_lets_go_now() -> None:
    now = [100.0]
    limiter = RateLimiter(PROFILES["standard"], clock=lambda: now[0], wall_clock=lambda: now[0])
    assert limiter.spare() == 49, "burst 50 less the one slot kept as a margin"
    for _ in range(9):
        limiter._reserve()
    assert limiter.spare() == 40
    limiter.full()
    assert limiter.spare() == 0
    now[0] += 1.0
    assert limiter.spare() == 2, "the bucket drains 2 a second"
    assert RateLimiter(None).spare() == float("inf")
