"""`b2bsync sync` and `b2bsync run` against both fakes on loopback, state in a SQLite file."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from b2bsync.cli._main import main
from b2bsync.daemon import run_daemon
from b2bsync.runner import Clients
from b2bsync.settings import Settings
from b2bsync.store import Store
from jobs.testing import World


@pytest.fixture
def world() -> World:
    built = World.build(seed=3, companies=5, documents=4, orders=120)
    asyncio.run(built.apply_schema())
    return built


@pytest.fixture
def state_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'state.sqlite3'}"


@pytest.fixture
def served(world: World, state_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    with world.serve() as ends:
        env = {
            "B2BSYNC_BITRIX__WEBHOOK_URL": ends.webhook_url,
            "B2BSYNC_BITRIX__RATE_LIMIT": "off",
            "B2BSYNC_ONEC__KIND": "http",
            "B2BSYNC_ONEC__URL": ends.onec_url,
            "B2BSYNC_ONEC__USERNAME": ends.onec_user,
            "B2BSYNC_ONEC__PASSWORD": ends.onec_password,
            "B2BSYNC_STATE__URL": state_url,
            "B2BSYNC_LOG__LEVEL": "error",
        }
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        yield world


def upserts(world: World) -> int:
    return world.app.stats.calls["b2bsync.item.upsert"]


def json_lines(text: str) -> list[dict[str, Any]]:
    """Every line of a command's stdout into a pipe is one JSON object (`| jq` works)."""
    return [json.loads(line) for line in text.splitlines()]


def summaries(text: str) -> dict[str, dict[str, Any]]:
    return {e["job"]: e for e in json_lines(text) if e["event"] == "sync.summary"}


def test_sync_all_then_nothing_to_write(served: World, state_url: str, capsys):
    assert main(["sync", "all"]) == 0
    out = capsys.readouterr().out
    done = summaries(out)
    assert list(done) == ["companies", "orders", "documents", "credit"]
    assert {e["status"] for e in done.values()} == {"ok"}
    assert done["documents"]["counts"]["added"] == 20
    events = {e["event"] for e in json_lines(out)}
    assert {"sync.stage", "sync.progress", "sync.documents.company"} <= events
    assert len(served.rows("B2bCompanies")) == 5
    assert len(served.rows("B2bDocuments")) == 20
    assert len(served.rows("B2bCreditStatus")) == 5
    store = Store.open(state_url)
    try:
        assert store.indexed_orders() == 120
        assert {run.status for run in store.last_runs().values()} == {"ok"}
    finally:
        store.close()
    before = upserts(served)
    assert main(["sync", "all"]) == 0
    assert upserts(served) == before  # unchanged records cost no write
    assert main(["sync", "documents", "--full"]) == 0
    assert upserts(served) == before


def test_a_held_lease_skips_the_run(served: World, state_url: str, capsys):
    store = Store.open(state_url)
    try:
        assert store.acquire_lease("documents", "other-host:1:abc", 300) is not None
        capsys.readouterr()  # what the test's own store logged before the CLI set up logging
        assert main(["sync", "documents"]) == 0
        [skipped] = json_lines(capsys.readouterr().out)
        assert (skipped["job"], skipped["status"]) == ("documents", "skipped")
        assert "running elsewhere (other-host:1:abc" in skipped["reason"]
        assert served.rows("B2bDocuments") == []
        assert "documents" not in store.last_runs()
    finally:
        store.close()


def test_credit_before_any_company_exits_1_and_status_says_so(served: World, capsys):
    # a new host: the hourly credit timer fires before the daily companies timer
    assert main(["sync", "credit"]) == 1
    credit = summaries(capsys.readouterr().out)["credit"]
    assert credit["status"] == "failed"
    assert (
        "none of the 5 credit positions read from 1C belongs to an active company"
        in (credit["reason"])
    )
    assert served.rows("B2bCreditStatus") == []
    assert main(["status"]) == 1

    assert main(["sync", "companies"]) == 0
    assert main(["sync", "credit"]) == 0
    assert len(served.rows("B2bCreditStatus")) == 5
    assert main(["status"]) == 0


def test_one_company_only(served: World):
    guid = served.guids[0]
    assert main(["sync", "companies"]) == 0
    assert main(["sync", "documents", "--company", guid.upper()]) == 0
    company_id = served.row("B2bCompanies", UF_XML_ID=guid)["ID"]
    assert {r["UF_COMPANY_ID"] for r in served.rows("B2bDocuments")} == {company_id}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sync", "everything"], "unknown job 'everything'"),
        (["sync", "documents", "--company", "not-a-guid"], "--company must be a 1C GUID"),
    ],
)
def test_usage_errors_exit_2(args, message, capsys):
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_jobs_that_read_1c_need_it_configured(
    world: World, state_url: str, monkeypatch: pytest.MonkeyPatch, capsys
):
    with world.serve() as ends:
        monkeypatch.setenv("B2BSYNC_BITRIX__WEBHOOK_URL", ends.webhook_url)
        monkeypatch.setenv("B2BSYNC_STATE__URL", state_url)
        monkeypatch.delenv("B2BSYNC_ONEC__KIND", raising=False)
        assert main(["sync", "documents"]) == 2
        assert "no 1C source configured" in capsys.readouterr().err
        assert main(["sync", "orders"]) == 0  # the order index reads Bitrix only


async def test_daemon_runs_every_job_and_stops_gracefully(world: World, state_url: str):
    settings = Settings(
        schedule={"companies": 1, "orders": 1, "documents": 1, "credit": 1},
        state={"url": state_url},
    )
    store = Store.open(state_url)
    stop = asyncio.Event()

    async def stop_when_all_ran() -> None:
        def finished() -> int:
            return sum(1 for run in store.last_runs().values() if run.status != "running")

        while finished() < 4:  # noqa: ASYNC110 - polls the store, not a task
            await asyncio.sleep(0.05)
        stop.set()

    async with world.bitrix() as bitrix, world.onec_source() as onec:
        watcher = asyncio.create_task(stop_when_all_ran())
        outcomes = await asyncio.wait_for(
            run_daemon(settings, store, stop, clients=Clients(bitrix=bitrix, onec=onec)), 60
        )
        await watcher
    try:
        assert {o.job for o in outcomes} == {"companies", "orders", "documents", "credit"}
        assert all(o.status == "ok" for o in outcomes)
        assert store.leases() == []  # every lease released
    finally:
        store.close()
    assert len(world.rows("B2bDocuments")) == 20


async def test_daemon_stop_lets_the_running_job_checkpoint(world: World, state_url: str):
    """SIGTERM arrives while a job is writing: it finishes, records its run, frees its lease."""
    settings = Settings(
        schedule={"companies": 1, "orders": 0, "documents": 0, "credit": 0},
        state={"url": state_url},
    )
    store = Store.open(state_url)
    stop = asyncio.Event()
    async with world.bitrix() as bitrix, world.onec_source() as onec:
        real_call = bitrix.call

        async def call_then_stop(method, *args, **kwargs):
            if method == "b2bsync.item.upsert":
                stop.set()  # the stop request lands in the middle of the job's first write
            return await real_call(method, *args, **kwargs)

        bitrix.call = call_then_stop  # type: ignore[method-assign]
        outcomes = await asyncio.wait_for(
            run_daemon(settings, store, stop, clients=Clients(bitrix=bitrix, onec=onec)), 60
        )
    try:
        assert [o.job for o in outcomes] == ["companies"]
        assert outcomes[0].status in ("ok", "stopped")
        assert store.last_runs()["companies"].status == outcomes[0].status
        assert store.leases() == []
    finally:
        store.close()
    assert len(world.rows("B2bCompanies")) == 5  # the write under way was completed
