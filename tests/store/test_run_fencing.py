"""A run paused past its lease (SIGSTOP, a long GC, a VM pause) and taken over writes nothing
when it resumes — neither to Bitrix nor to the store — and ends failed (exit 1).

Both fakes run in process; each run is the real runner (``run_jobs``) with its own store handle
on one manual store clock. Run A is paused inside a request (the transport waits on a gate),
the test moves time past A's lease, changes 1C, lets run B sync, then resumes A.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any, Literal

import httpx
import pytest

from b2bsync.cli._sync import _report
from b2bsync.runner import Clients, LeaseTiming, RunOutcome, run_jobs
from b2bsync.settings import Settings
from b2bsync.store import Store
from bitrix_client import BitrixClient
from jobs.testing import World
from onec_client import HttpServiceConfig, OneCSource, open_source
from onec_client import RetryPolicy as OneCRetry
from onec_client.fake import DEFAULT_PASSWORD, DEFAULT_USER, HTTP_PREFIX

from .conftest import FakeClock, empty

TTL = 300


class Pausing(httpx.AsyncBaseTransport):
    """Waits on ``gate`` once, after (or before) the first request ``when`` picks."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        when: Callable[[httpx.Request], bool],
        *,
        after_answer: bool,
    ) -> None:
        self.inner = inner
        self.when = when
        self.after_answer = after_answer
        self.gate = asyncio.Event()
        self.paused = asyncio.Event()
        self._done = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        hit = not self._done and self.when(request)
        if hit and not self.after_answer:
            await self._pause()
        response = await self.inner.handle_async_request(request)
        if hit and self.after_answer:
            await response.aread()
            await self._pause()
        return response

    async def _pause(self) -> None:
        self._done = True
        self.paused.set()
        await self.gate.wait()


class Monotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def clock(self) -> float:
        return self.now

    async def never(self, _seconds: float) -> None:
        await asyncio.Event().wait()  # the keeper renews nothing on its own here


def onec_source(world: World, transport: httpx.AsyncBaseTransport) -> OneCSource:
    config = HttpServiceConfig(
        url=f"http://onec.world.test{HTTP_PREFIX}",
        username=DEFAULT_USER,
        password=DEFAULT_PASSWORD,
        timezone="Europe/Moscow",
        retry=OneCRetry(attempts=2, initial_wait=0, max_wait=0),
    )
    return open_source(config, transport=transport)


@pytest.fixture
async def world(store_url: str, clock: FakeClock) -> World:
    built = await World.create(seed=11, companies=4, documents=3, orders=30)
    setup = Store.open(store_url, clock=clock)
    empty(setup)
    try:
        async with built.bitrix() as bitrix, built.onec_source() as onec:
            outcomes = await run_jobs(
                settings(store_url), ["companies"], store=setup, clients=Clients(bitrix, onec)
            )
        assert [o.status for o in outcomes] == ["ok"]
    finally:
        setup.close()
    return built


def settings(url: str) -> Settings:
    return Settings(state={"url": url, "lease_ttl": TTL})


def is_documents_read(request: httpx.Request) -> bool:
    return request.url.path.endswith("/documents")


def is_upsert(request: httpx.Request) -> bool:
    # alone (the method in the path), or in a batch (in the body)
    return "b2bsync.item.upsert" in request.url.path or b"b2bsync.item.upsert" in request.content


class PauseBeforeUpsert:
    """Wraps a client's ``call``: the first upsert (a bulk ``ROWS`` call, or a batch of
    single ones) waits on ``gate`` before it is sent (and so before the client's write check)."""

    def __init__(self, client: BitrixClient) -> None:
        self.real = client.call
        self.gate = asyncio.Event()
        self.paused = asyncio.Event()
        client.call = self  # type: ignore[method-assign]

    async def __call__(self, method: str, params: Any = None, **kwargs: Any) -> Any:
        commands = (params or {}).get("cmd", {}) if method == "batch" else {}
        upserts = method == "b2bsync.item.upsert" or any(
            str(c).startswith("b2bsync.item.upsert") for c in commands.values()
        )
        if not self.paused.is_set() and upserts:
            self.paused.set()
            await self.gate.wait()
        return await self.real(method, params, **kwargs)


Where = Literal["1c-answer", "before-upsert", "after-upsert"]


async def paused_run(
    world: World,
    store_url: str,
    clock: FakeClock,
    *,
    where: Where,
    monotonic_moves: bool,
) -> tuple[list[RunOutcome], list[RunOutcome], str]:
    """Run A pauses (in 1C's answer, just before its first upsert, or in Bitrix's answer to
    it); A's lease runs out; 1C changes one document; run B syncs documents; A resumes.
    Returns both outcomes and the changed document's GUID."""
    time = Monotonic()
    store_a = Store.open(store_url, clock=clock)
    store_b = Store.open(store_url, clock=clock)
    after_upsert = Pausing(httpx.ASGITransport(app=world.app), is_upsert, after_answer=True)
    in_1c = Pausing(httpx.ASGITransport(app=world.onec), is_documents_read, after_answer=True)
    bitrix_a = world.bitrix()
    bitrix_a._http._transport = after_upsert  # the same client, its requests through the gate
    before_upsert = PauseBeforeUpsert(bitrix_a)
    pauses = {"1c-answer": in_1c, "before-upsert": before_upsert, "after-upsert": after_upsert}
    pause = pauses[where]
    for other in (in_1c, after_upsert):
        other._done = other is not pause
    if pause is not before_upsert:
        before_upsert.paused.set()  # never pauses
    doc = world.documents_of(0)[0]
    try:
        async with bitrix_a, onec_source(world, in_1c) as onec_a:
            run_a = asyncio.create_task(
                run_jobs(
                    settings(store_url),
                    ["documents"],
                    store=store_a,
                    clients=Clients(bitrix_a, onec_a),
                    timing=LeaseTiming(clock=time.clock, sleep=time.never),
                )
            )
            await asyncio.wait(
                {run_a, asyncio.create_task(pause.paused.wait())},
                return_when=asyncio.FIRST_COMPLETED,
            )
            assert not run_a.done(), "run A finished without reaching its pause"
            # — A is frozen. Its lease runs out in the store; B takes the job over. —
            clock.advance(seconds=TTL + 1)
            if monotonic_moves:
                time.now += TTL + 1
            newer = replace(doc, amount=Decimal("777.77"), changed_at=world.onec_now())
            world.onec.data.documents[doc.guid] = newer
            async with world.bitrix() as bitrix_b, world.onec_source() as onec_b:
                b = await run_jobs(
                    settings(store_url),
                    ["documents"],
                    store=store_b,
                    clients=Clients(bitrix_b, onec_b),
                )
            upserts_after_b = world.app.stats.calls["b2bsync.item.upsert"]
            remembered_by_b = store_b.known("documents", list(world.onec.data.documents))
            cursors_by_b = store_b.cursors("documents")
            # — A resumes with what it read before the pause. —
            pause.gate.set()
            a = await asyncio.wait_for(run_a, 60)
        assert world.app.stats.calls["b2bsync.item.upsert"] == upserts_after_b
        assert store_b.known("documents", list(world.onec.data.documents)) == remembered_by_b
        assert store_b.cursors("documents") == cursors_by_b
    finally:
        store_a.close()
        store_b.close()
    return a, b, doc.guid


@pytest.mark.parametrize("where", ["1c-answer", "before-upsert"])
@pytest.mark.parametrize("monotonic_moves", [True, False], ids=["sigstop", "vm-pause"])
async def test_a_paused_run_does_not_write_stale_rows_over_newer_ones(
    world: World, store_url: str, clock: FakeClock, where: Where, monotonic_moves: bool, capsys
):
    """A read the document before its pause; B wrote 1C's newer amount; A must not write the
    old one back. With SIGSTOP the run's own clock shows the lease ran out; in a VM pause it
    does not, and the store's generation check stops the write."""
    a, b, guid = await paused_run(
        world, store_url, clock, where=where, monotonic_moves=monotonic_moves
    )
    assert [o.status for o in b] == ["ok"]
    assert [o.status for o in a] == ["failed"]
    assert a[0].reason.startswith("lease lost")
    if not monotonic_moves:
        assert "taken over by" in a[0].reason
    row = world.row("B2bDocuments", UF_XML_ID=guid)
    assert row is not None
    assert str(row["UF_AMOUNT"]) == "777.77"
    assert _report(a) == 1  # `b2bsync sync documents` exits 1
    assert "documents: failed" in capsys.readouterr().err


async def test_a_run_paused_between_its_write_and_its_checkpoint_records_nothing(
    world: World, store_url: str, clock: FakeClock
):
    """A's upsert reached Bitrix, then A froze before remembering it: B (which found nothing
    remembered) rewrote the rows and checkpointed; A's checkpoint is refused."""
    a, b, guid = await paused_run(
        world, store_url, clock, where="after-upsert", monotonic_moves=False
    )
    assert [o.status for o in b] == ["ok"]
    assert [o.status for o in a] == ["failed"]
    assert "taken over by" in a[0].reason
    row = world.row("B2bDocuments", UF_XML_ID=guid)
    assert row is not None
    assert str(row["UF_AMOUNT"]) == "777.77"


async def test_a_job_busy_elsewhere_is_skipped_and_exits_0(
    world: World, store_url: str, clock: FakeClock
):
    store = Store.open(store_url, clock=clock)
    try:
        assert store.acquire_lease("documents", "other-host:1:abc", TTL) is not None
        async with world.bitrix() as bitrix, world.onec_source() as onec:
            outcomes = await run_jobs(
                settings(store_url), ["documents"], store=store, clients=Clients(bitrix, onec)
            )
        assert [o.status for o in outcomes] == ["skipped"]
        assert _report(outcomes) == 0
    finally:
        store.close()
