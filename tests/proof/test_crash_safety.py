"""Killing the sync during its writes and starting again converges: every row as in 1C, none
duplicated, none lost, the state store agreeing with Bitrix.

Both fakes run on loopback in this process; ``b2bsync sync all`` runs as a child process with
its state in SQLite or PostgreSQL. A seeded plan picks, for each of the four jobs, one or two of
its write requests; the Bitrix fake SIGKILLs the child at each, either just before the write is
applied or after it was applied and before the answer leaves (between the write and the store
commit that would record it). A killed run's lease is left alone: it expires by itself
(``state.lease_ttl`` = 1 s) and a child started before that is skipped (exit 0) and started
again. Then
an untouched run completes, a rerun writes nothing, and every field of every row is compared
with 1C, and with an uninterrupted run of the same world in this process.

``PROOF_SEEDS`` sets how many seeds run (default 3): seed n runs on SQLite when n is even and on
PostgreSQL when odd. ``make proof SEEDS=200`` runs many.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
from collections import Counter, deque
from dataclasses import replace
from datetime import UTC
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from b2bsync.runner import Clients, run_jobs
from b2bsync.settings import Settings
from b2bsync.store import Store
from jobs import ALL_ORDER
from jobs.testing import World

from ..store.conftest import pg_schema
from ._kills import Killer, WriteCounter, classify, plan_kills

ROOT = Path(__file__).parents[2]
SEEDS = int(os.environ.get("PROOF_SEEDS", "3"))
COMPANIES, DOCUMENTS, ORDERS = 30, 4, 160  # 120 documents; every job writes 1 to 3 requests
DOWNLOAD = "https://b2b.example.ru/dl"
MSK = ZoneInfo("Europe/Moscow")
VOLATILE = frozenset({"ID", "UF_SYNCED_AT", "UF_UPDATED_AT"})
CHILD_TIMEOUT = 120
MAX_SKIPS = 30

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def build(seed: int) -> World:
    """The seed's world, with some 1C deletion marks (a deactivated company, deleted
    documents), so the deleted flags are proven too."""
    world = World.build(seed=seed, companies=COMPANIES, documents=DOCUMENTS, orders=ORDERS)
    rng = random.Random(seed)
    for index in rng.sample(range(len(world.guids)), 3):
        world.counterparty(index).deleted = True
    for guid in rng.sample(sorted(world.onec.data.documents), 12):
        doc = world.onec.data.documents[guid]
        world.onec.data.documents[guid] = replace(doc, deleted=True)
    return world


def settings(url: str = "sqlite:///:memory:") -> Settings:
    return Settings(
        state={"url": url, "lease_ttl": 1},
        sync={"download_base_url": DOWNLOAD},
    )


async def uninterrupted(seed: int) -> tuple[World, dict[str, int]]:
    """The same world synced in this process without a kill: its final state, and how many
    write requests each job makes."""
    world = build(seed)
    await world.apply_schema()
    counter = WriteCounter(on=True)
    world.app.observers.append(counter)
    store = Store.open("sqlite:///:memory:")
    try:
        async with world.bitrix() as bitrix, world.onec_source() as onec:
            for job in ALL_ORDER:
                outcomes = await run_jobs(
                    settings(), [job], store=store, clients=Clients(bitrix, onec)
                )
                assert [o.status for o in outcomes] == ["ok"], outcomes
    finally:
        store.close()
    return world, dict(counter.writes)


def child_env(ends: Any, state_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("B2BSYNC_")}
    env.update(
        {
            "B2BSYNC_BITRIX__WEBHOOK_URL": ends.webhook_url,
            "B2BSYNC_BITRIX__RATE_LIMIT": "off",
            "B2BSYNC_ONEC__KIND": "http",
            "B2BSYNC_ONEC__URL": ends.onec_url,
            "B2BSYNC_ONEC__USERNAME": ends.onec_user,
            "B2BSYNC_ONEC__PASSWORD": ends.onec_password,
            "B2BSYNC_STATE__URL": state_url,
            "B2BSYNC_STATE__LEASE_TTL": "1",
            "B2BSYNC_SYNC__DOWNLOAD_BASE_URL": DOWNLOAD,
            "B2BSYNC_LOG__LEVEL": "error",
        }
    )
    return env


def sync_all(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "b2bsync", "sync", "all"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def content(rows: list[dict[str, Any]], world: World) -> list[dict[str, Any]]:
    """Rows without moment-of-writing fields, company ids as company GUIDs."""
    guid_of = {r["ID"]: r["UF_XML_ID"] for r in world.rows("B2bCompanies")}
    out = []
    for row in rows:
        clean = {k: v for k, v in row.items() if k not in VOLATILE}
        if "UF_COMPANY_ID" in clean:
            clean["UF_COMPANY_ID"] = guid_of.get(clean["UF_COMPANY_ID"], clean["UF_COMPANY_ID"])
        out.append(clean)
    return sorted(out, key=lambda r: str(r.get("UF_XML_ID") or r.get("UF_COMPANY_ID")))


def links(world: World) -> Counter[tuple[int, str]]:
    guid_of = {str(r["ID"]): r["UF_XML_ID"] for r in world.rows("B2bCompanies")}
    return Counter(
        (int(v["orderId"]), guid_of.get(str(v["value"]), str(v["value"])))
        for v in world.site.sale.property_values.values()
        if v["code"] == "B2B_COMPANY_ID" and v["value"]
    )


def final_state(world: World) -> dict[str, Any]:
    return {
        "companies": content(world.rows("B2bCompanies"), world),
        "documents": content(world.rows("B2bDocuments"), world),
        "credit": content(world.rows("B2bCreditStatus"), world),
        "links": links(world),
    }


def assert_rows_match_1c(world: World) -> None:
    """Every field that carries a 1C value, against 1C itself."""
    data = world.onec.data
    companies = {r["UF_XML_ID"]: r for r in world.rows("B2bCompanies")}
    assert len(companies) == len(world.rows("B2bCompanies")), "duplicate companies"
    assert set(companies) == set(data.counterparties)
    for guid, party in data.counterparties.items():
        row = companies[guid]
        assert (row["UF_NAME"], row["UF_INN"], row["UF_KPP"]) == (party.name, party.inn, party.kpp)
        assert row["UF_ACTIVE"] == (0 if party.deleted else 1), guid
    company_guid = {r["ID"]: g for g, r in companies.items()}

    block = world.site.bridge.block_by_name("B2bDocuments")
    assert block is not None
    kinds = world.site.bridge.field_named(block.id, "UF_DOC_TYPE")
    assert kinds is not None
    kind_of = {item.id: item.xml_id for item in kinds.items}
    orders_by_ref = {o["id1c"]: o["id"] for o in world.site.sale.orders.values() if o.get("id1c")}
    active = {g for g, party in data.counterparties.items() if not party.deleted}
    rows = world.rows("B2bDocuments")
    documents = {r["UF_XML_ID"]: r for r in rows}
    assert len(documents) == len(rows), "duplicate documents"
    # a company deleted in 1C before it was ever synced gets no documents and no credit
    assert set(documents) == {g for g, d in data.documents.items() if d.counterparty in active}
    for guid, row in documents.items():
        doc = data.documents[guid]
        assert company_guid[row["UF_COMPANY_ID"]] == doc.counterparty, guid
        assert kind_of[row["UF_DOC_TYPE"]] == doc.type, guid
        assert row["UF_NUMBER"] == doc.number.strip(), guid
        assert row["UF_DATE"] == doc.date.replace(tzinfo=MSK).date(), guid
        amount = None if row["UF_AMOUNT"] is None else Decimal(str(row["UF_AMOUNT"]))
        assert amount == doc.amount, guid
        assert row["UF_CURRENCY"] == doc.currency, guid
        assert row["UF_DELETED"] == (1 if doc.deleted else 0), guid
        assert row["UF_ORDER_ID"] == (orders_by_ref[doc.order_ref] if doc.order_ref else None)
        if not doc.deleted:
            link = f"{DOWNLOAD}/documents/download?doc={guid}" if doc.has_file else None
            assert row["UF_EXTERNAL_URL"] == link, guid

    rows = world.rows("B2bCreditStatus")
    credit = {company_guid[r["UF_COMPANY_ID"]]: r for r in rows}
    assert len(credit) == len(rows), "duplicate credit rows"
    assert set(credit) == set(data.credit) & active
    for guid, row in credit.items():
        position = data.credit[guid]
        limit = row["UF_CREDIT_LIMIT"]
        assert (None if limit is None else Decimal(str(limit))) == position.limit, guid
        assert Decimal(str(row["UF_CREDIT_USED"])) == position.used, guid
        assert Decimal(str(row["UF_OVERDUE_AMOUNT"])) == position.overdue_amount, guid
        since = position.overdue_since.date() if position.overdue_since else None
        assert row["UF_OVERDUE_SINCE"] == since, guid
        assert row["UF_SOURCE_AT"] == position.as_of.replace(tzinfo=MSK).astimezone(UTC), guid
        assert row["UF_CURRENCY"] == position.currency, guid


def assert_store_agrees(store: Store, world: World) -> None:
    companies = {r["UF_XML_ID"]: r["ID"] for r in world.rows("B2bCompanies")}
    documents = {r["UF_XML_ID"]: r["ID"] for r in world.rows("B2bDocuments")}
    known = store.known("companies", list(companies))
    assert {k: v.bitrix_id for k, v in known.items()} == companies
    known = store.known("documents", list(documents))
    assert {k: v.bitrix_id for k, v in known.items()} == documents
    assert {scope for _, scope in store.cursors("documents")} >= {
        world.onec.data.documents[g].counterparty for g in documents
    } - {""}
    assert store.indexed_orders() == len(world.site.sale.orders)
    indexed = {o.order_id: o.company_id for o in store.search_orders(limit=1000)}
    linked = {
        int(v["orderId"]): int(v["value"])
        for v in world.site.sale.property_values.values()
        if v["code"] == "B2B_COMPANY_ID" and v["value"]
    }
    assert {i: c for i, c in indexed.items() if c is not None} == linked
    assert store.leases() == []


def assert_kills_landed(killer: Killer, store: Store, world: World) -> None:
    """Per seed: a kill landed on every kind of write; each kill interrupted the run that was
    writing; a kill after the write left rows in Bitrix that the store had not recorded."""
    assert {k.planned.job for k in killer.landed} == set(ALL_ORDER), killer.landed
    runs = sorted(store.runs(limit=10_000), key=lambda r: r.id)
    interrupted = [r.job for r in runs if r.status == "interrupted"]
    assert all(k.running for k in killer.landed), killer.landed
    assert interrupted == [k.running for k in killer.landed]
    assert {r.status for r in runs} <= {"ok", "interrupted"}
    assert any(k.planned.phase == "after" for k in killer.landed)
    for kill in killer.landed:
        assert kill.keys, kill
        if kill.planned.job not in ("companies", "documents"):
            continue
        # the child died with these rows sent and not one of them recorded in the store
        assert kill.recorded == frozenset(), kill
        if kill.planned.phase == "after":  # … and Bitrix had applied the write
            block = "B2bCompanies" if kill.planned.job == "companies" else "B2bDocuments"
            assert set(kill.keys) <= {r["UF_XML_ID"] for r in world.rows(block)}


def prove(seed: int, state_url: str, tmp_path: Path) -> None:
    calm, writes = asyncio.run(uninterrupted(seed))
    assert all(writes.get(job) for job in ALL_ORDER), writes
    world = build(seed)
    asyncio.run(world.apply_schema())
    killer = Killer(deque(plan_kills(random.Random(seed), writes)))
    rerun = WriteCounter()
    world.app.observers += [killer, rerun]
    log = tmp_path / "children.log"
    with world.serve() as ends:
        env = child_env(ends, state_url)
        store = Store.open(state_url)

        def recorded(job: str, keys: tuple[str, ...]) -> frozenset[str]:
            if job not in ("companies", "documents"):
                return frozenset()
            return frozenset(store.known(job, list(keys)))

        def running() -> str:
            live = [r for r in store.runs(limit=50) if r.status == "running"]
            return max(live, key=lambda r: r.id).job if live else ""

        killer.recorded = recorded
        killer.running = running

        def run_child() -> int:
            """`sync all` until it is not skipped: a killed run's lease is never released, the
            next run starts once it has expired by itself (busy → skipped, exit 0)."""
            for _ in range(MAX_SKIPS):
                runs = len(store.runs(limit=10_000))
                child = sync_all(env, log)
                killer.arm(child)
                try:
                    code = child.wait(timeout=CHILD_TIMEOUT)
                finally:
                    killer.disarm()
                    if child.poll() is None:  # the test failed while it ran
                        child.kill()
                        child.wait()
                if code != 0 or len(store.runs(limit=10_000)) > runs:
                    return code
                skipped.append(killer.children)
            raise AssertionError(f"every run skipped: {log.read_text(errors='replace')[-2000:]}")

        skipped: list[int] = []
        try:
            while killer.plan:
                code = run_child()
                if killer.landed and killer.landed[-1].child == killer.children - 1:
                    continue  # killed at its planned write
                assert code == 0, log.read_text(errors="replace")[-2000:]
                break  # finished on its own: the rest of the plan had nothing left to write
            assert run_child() == 0, log.read_text(errors="replace")[-2000:]
            assert {r.status for r in store.last_runs().values()} == {"ok"}
            rerun.on = True
            assert run_child() == 0, log.read_text(errors="replace")[-2000:]
            rerun.on = False
            assert sum(rerun.writes.values()) == 0, f"a converged rerun wrote {rerun.writes}"

            assert_kills_landed(killer, store, world)
            assert_rows_match_1c(world)
            assert final_state(world) == final_state(calm)
            assert_store_agrees(store, world)
        finally:
            store.close()


def _backend(seed: int) -> Any:
    if seed % 2 == 0:
        return pytest.param(seed, "sqlite", id=f"{seed}-sqlite")
    return pytest.param(seed, "postgres", id=f"{seed}-postgres", marks=pytest.mark.postgres)


@pytest.mark.parametrize(("seed", "backend"), [_backend(seed) for seed in range(SEEDS)])
def test_kills_during_writes_converge_to_1c(
    seed: int, backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        prove(seed, f"sqlite:///{tmp_path / 'state.sqlite3'}", tmp_path)
        return
    with pg_schema(request.getfixturevalue("pg_user")) as url:
        prove(seed, url, tmp_path)


def test_write_requests_are_told_apart() -> None:
    upsert = "b2bsync.item.upsert?HLBLOCK=B2bDocuments&FIELDS%5BUF_XML_ID%5D=d1"
    modify = "sale.propertyvalue.modify?fields%5Border%5D%5Bid%5D=7"
    assert classify("batch", {"cmd": {"a": upsert}}) == ("documents", ("d1",))
    assert classify("batch", {"cmd": {"a": modify, "b": modify}}) == ("orders", ("7", "7"))
    assert classify("batch", {"cmd": {"a": "sale.order.list?x=1"}}) is None
    assert classify("b2bsync.item.list", {}) is None
    bulk = {"HLBLOCK": "B2bCompanies", "KEY": ["UF_XML_ID"], "ROWS": [{"UF_XML_ID": "c1"}, {}]}
    assert classify("b2bsync.item.upsert", bulk) == ("companies", ("c1",))
    credit = {"HLBLOCK": "B2bCreditStatus", "FIELDS": {"UF_COMPANY_ID": 4}}
    assert classify("b2bsync.item.upsert", credit) == ("credit", ("4",))
