"""DESIGN §7 across jobs: stop flag, crashes, lost answers, faults, retry requests."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

import jobs.documents as documents_job
from bitrix_client import BitrixClient, RetryPolicy
from bitrix_client.fake import Faults
from jobs import ALL_ORDER, JOBS, Known, sync_documents
from jobs.testing import MemoryStore, RecordingProgress, World

from .conftest import Harness, content, harness


def documents_state(world: World) -> list[dict[str, Any]]:
    return content(world.rows("B2bDocuments"))


def xml_ids(world: World, block: str) -> list[str]:
    return [r["UF_XML_ID"] for r in world.rows(block)]


async def clean_documents(seed: int = 3) -> list[dict[str, Any]]:
    async for twin in harness(seed=seed, companies=6, documents=4, orders=150):
        await twin.ok("companies")
        await twin.ok("documents")
        return documents_state(twin.world)
    raise AssertionError("no world")


async def test_stop_flag_finishes_the_company_under_way_and_checkpoints(h: Harness) -> None:
    await h.ok("companies")
    ctx = h.world.context(h.bitrix, h.onec, download_base_url="https://b2b.example.ru/dl")

    def stop_after_first(name: str, values: dict[str, Any]) -> None:
        if name == "sync.documents.read":
            ctx.stop.set()

    ctx.progress = RecordingProgress(on_event=stop_after_first)
    stopped = await sync_documents(ctx)

    assert stopped.stopped
    assert stopped.ok
    assert stopped.counts["companies"] == 1
    done = [g for g in h.world.guids if h.world.store.cursor("documents", g) is not None]
    assert len(done) == 1
    rows = h.world.rows("B2bDocuments")
    assert {r["UF_COMPANY_ID"] for r in rows} == {
        h.world.store.known("companies", done)[done[0]].bitrix_id
    }
    assert len(rows) == 4, "the company under way was written before stopping"

    finished = await h.ok("documents")
    assert not finished.stopped
    assert finished.counts["companies"] == 6
    assert documents_state(h.world) == await clean_documents()


async def test_a_run_killed_midway_converges_on_the_next_run_without_duplicates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # write every full batch at once, so the kill lands after some rows went out
    monkeypatch.setattr(documents_job, "GROUP", documents_job.CHUNK)
    read: list[str] = []

    def kill_on_third(name: str, values: dict[str, Any]) -> None:
        if name == "sync.documents.read":
            read.append(values["company"])
            if len(read) == 3:
                raise RuntimeError("process killed")

    async for h in harness(seed=3, companies=6, documents=30, orders=40):
        await h.ok("companies")
        with pytest.raises(RuntimeError, match="process killed"):
            await h.run("documents", progress=RecordingProgress(on_event=kill_on_third))
        # rows go out 50 at a time across companies: the first company's 30 and 20 of the
        # second's were written; only the first company is complete and checkpointed
        assert len(h.world.rows("B2bDocuments")) == 50
        cursors = [g for g in h.world.guids if h.world.store.cursor("documents", g)]
        assert cursors == read[:1]

        upserts = h.upserts()
        again = await h.ok("documents")
        assert h.upserts() == upserts + 130, "only what the killed run never wrote"
        assert again.counts["added"] == 130
        ids = xml_ids(h.world, "B2bDocuments")
        assert len(ids) == len(set(ids)) == 180
        async for twin in harness(seed=3, companies=6, documents=30, orders=40):
            await twin.ok("companies")
            await twin.ok("documents")
            assert documents_state(h.world) == documents_state(twin.world)


async def test_order_references_are_resolved_once_per_group_of_batches() -> None:
    async for h in harness(seed=4, companies=10, documents=30, orders=120):
        await h.ok("companies")
        before = h.world.app.stats.calls["sale.order.list"]
        batches, calls = h.calls("batch"), h.upsert_calls()
        await h.ok("documents")
        # 300 rows: one ROWS upsert and one batch looking every order reference up (2 commands
        # per 50 references: by id1c and by xmlId)
        assert (h.calls("batch") - batches, h.upsert_calls() - calls) == (1, 1)
        refs = {d.order_ref for d in h.world.onec.data.documents.values() if d.order_ref}
        assert h.world.app.stats.calls["sale.order.list"] - before == 2 * -(-len(refs) // 50)


async def test_rows_of_several_companies_share_write_batches(h: Harness) -> None:
    await h.ok("companies")
    batches, calls = h.calls("batch"), h.upsert_calls()
    await h.ok("documents")
    # 24 rows of 6 companies: one ROWS upsert, one batch resolving order references
    assert (h.calls("batch") - batches, h.upsert_calls() - calls) == (1, 1)


class ForgetfulStore(MemoryStore):
    """A store whose process dies right after Bitrix confirmed a batch, before remembering."""

    def __init__(self, fail_on: int, **kw: Any) -> None:
        super().__init__(**kw)
        self.fail_on = fail_on
        self.remembered = 0

    def remember(self, feed: str, records: Sequence[Known]) -> None:
        self.remembered += 1
        if self.remembered == self.fail_on:
            raise RuntimeError("killed between the write and the remember")
        super().remember(feed, records)


async def test_a_write_bitrix_applied_but_the_store_missed_is_not_duplicated(h: Harness) -> None:
    store = ForgetfulStore(fail_on=0, clock=h.world.site.now)
    h.world.store = store
    await h.ok("companies")
    store.fail_on = store.remembered + 1

    with pytest.raises(RuntimeError, match="killed between"):
        await h.run("documents")
    assert len(h.world.rows("B2bDocuments")) == 24
    assert all(h.world.store.known_in_scope("documents", g) == {} for g in h.world.guids)
    assert all(h.world.store.cursor("documents", g) is None for g in h.world.guids)

    result = await h.ok("documents")
    assert result.counts["already_current"] == 24, "Bitrix answered unchanged for the replay"
    assert "added" not in result.counts
    ids = xml_ids(h.world, "B2bDocuments")
    assert len(ids) == len(set(ids)) == 24
    assert len(h.world.store.records["documents"]) == 24


async def test_a_company_1c_fails_for_keeps_its_cursor_and_the_others_go_on(h: Harness) -> None:
    await h.ok("companies")
    first = h.world.store.known_in_scope("companies", "")
    order = sorted(first.values(), key=lambda k: k.bitrix_id or 0)
    h.world.onec.faults.inject("500", times=4, route="documents")

    result = await h.run("documents")

    assert not result.ok
    assert result.counts["failed_companies"] == 1
    assert result.counts["companies"] == 6
    [error] = result.errors
    assert order[0].key in error
    assert h.world.store.cursor("documents", order[0].key) is None
    assert all(h.world.store.cursor("documents", k.key) is not None for k in order[1:])
    assert len(h.world.rows("B2bDocuments")) == 20

    healed = await h.ok("documents")
    assert healed.counts["added"] == 4
    assert documents_state(h.world) == await clean_documents()


async def test_a_retry_request_rereads_the_scope_from_the_entry(h: Harness) -> None:
    await h.ok("companies")
    doc = h.world.documents_of(2)[0]
    doc.overrides["amount"] = "двенадцать"
    doc.changed_at = h.world.onec_now() - timedelta(days=30)
    later = h.world.documents_of(2)[1]
    later.changed_at = h.world.onec_now()
    await h.ok("documents")
    [entry] = h.world.store.quarantined("documents")
    assert entry.key == doc.guid
    assert entry.scope == doc.counterparty
    assert entry.changed_at is not None

    del doc.overrides["amount"]
    await h.ok("documents")
    assert h.world.row("B2bDocuments", UF_XML_ID=doc.guid) is None, "before the look-back"

    h.world.store.request_retry("documents", doc.guid)
    await h.ok("documents")
    assert h.world.row("B2bDocuments", UF_XML_ID=doc.guid) is not None
    assert h.world.store.quarantined("documents") == []


async def test_a_retried_record_that_is_still_bad_stays_with_one_more_attempt(
    h: Harness,
) -> None:
    await h.ok("companies")
    doc = h.world.documents_of(1)[0]
    doc.overrides["amount"] = "много"
    await h.ok("documents")
    h.world.store.request_retry("documents")
    await h.ok("documents", full=True)
    [entry] = h.world.store.quarantined("documents")
    assert entry.attempts == 2
    assert not entry.retry


async def test_a_retried_record_1c_dropped_is_parked_with_a_note(h: Harness) -> None:
    await h.ok("companies")
    doc = h.world.documents_of(4)[0]
    doc.overrides["amount"] = "много"
    await h.ok("documents")
    del h.world.onec.data.documents[doc.guid]
    h.world.store.request_retry("documents")

    await h.ok("documents")

    [entry] = h.world.store.quarantined("documents")
    assert entry.reason.endswith("(not returned by 1C on retry)")
    assert not entry.retry
    assert h.world.store.retry_requested("documents") == []


def fault_free_state(world: World) -> dict[str, Any]:
    index = {
        order_id: replace(order, date_update=order.date_insert)
        for order_id, order in world.store.orders.items()
    }
    links = Counter(
        (v["orderId"], v["value"])
        for v in world.site.sale.property_values.values()
        if v["code"] == "B2B_COMPANY_ID"
    )
    values = Counter(
        (v["orderId"], v["code"], v["value"]) for v in world.site.sale.property_values.values()
    )
    return {
        "companies": content(world.rows("B2bCompanies")),
        "documents": content(world.rows("B2bDocuments")),
        "credit": content(world.rows("B2bCreditStatus")),
        "links": links,
        "values": values,
        "index": index,
        "quarantine": world.store.entries,
    }


async def run_until_ok(h: Harness, rounds: int = 4) -> None:
    for name in ALL_ORDER:
        for attempt in range(rounds):
            result = await h.run(name, file_mode="attach", overdue_limit=1000)
            if result.ok:
                break
            assert attempt < rounds - 1, result.errors


LATE, MISTYPED = 5, 6


def prepare_1c(world: World) -> None:
    """Before the first run, in both worlds: one counterparty 1C does not have yet and one
    whose ИНН was mistyped — their buyers' orders stay unlinked until ``change_1c``."""
    del world.onec.data.counterparties[world.guids[LATE]]
    world.counterparty(MISTYPED).inn = "7707083893"


def change_1c(world: World, now: datetime) -> None:
    """The same edits in 1C of two alike worlds: a renamed company, a re-priced document, a
    document marked deleted, a deactivated counterparty, a new credit figure, a counterparty
    that appears and a corrected ИНН (at ``now``: the worlds' clocks part as soon as a
    rate-limit fault makes one of them wait)."""
    late = world.onec.data.counterparties.setdefault(
        world.guids[LATE], replace(world.counterparty(0), guid=world.guids[LATE], overrides={})
    )
    company = world.shop.companies[LATE]
    late.name, late.inn, late.kpp, late.changed_at = company.name, company.inn, company.kpp, now
    mistyped = world.counterparty(MISTYPED)
    mistyped.inn = world.shop.companies[MISTYPED].inn
    mistyped.changed_at = now
    party = world.counterparty(1)
    party.name += " (новое имя)"
    party.changed_at = now
    gone = world.counterparty(3)
    gone.deleted = True
    gone.changed_at = now
    priced, deleted = world.documents_of(0)[:2]
    priced.amount = Decimal("4242.42")
    priced.changed_at = now
    deleted.deleted = True
    deleted.changed_at = now
    credit = world.onec.data.credit[world.guids[2]]
    credit.overdue_amount += Decimal("5000")
    credit.as_of = now


@pytest.mark.slow
async def test_ten_percent_faults_on_both_sides_converge_to_the_fault_free_state() -> None:
    options: dict[str, Any] = {"seed": 8, "companies": 8, "documents": 5, "orders": 160}
    async for calm in harness(**options):
        prepare_1c(calm.world)
        await run_until_ok(calm, rounds=1)
        unlinked = len(fault_free_state(calm.world)["links"])
        edited_at = calm.world.onec_now()
        change_1c(calm.world, edited_at)
        await run_until_ok(calm, rounds=1)
        expected = fault_free_state(calm.world)
        late_orders = [
            v["orderId"]
            for v in calm.world.site.sale.property_values.values()
            if v["code"] == "INN"
            and v["value"] in {calm.world.shop.companies[i].inn for i in (LATE, MISTYPED)}
        ]
        assert late_orders
        assert len(expected["links"]) == unlinked + len(late_orders), "linked without --full"

    faults = Faults(
        seed=8,
        error_500_html=0.02,
        query_limit=0.02,
        timeout_before=0.02,
        timeout_after=0.02,
        drop_before=0.01,
        drop_after=0.01,
    )
    async for rough in harness(**options, bitrix_faults=faults, onec_fault_rate=0.1):
        prepare_1c(rough.world)
        await run_until_ok(rough)
        change_1c(rough.world, edited_at)
        await run_until_ok(rough)
        assert rough.world.app.stats.faults_injected >= 3
        assert len(rough.world.onec.faults.fired) >= 3
        assert fault_free_state(rough.world) == expected
        ids = xml_ids(rough.world, "B2bDocuments")
        assert len(ids) == len(set(ids))


async def test_a_site_without_the_schema_stops_the_jobs_with_the_fix() -> None:
    world = World.build(seed=1, companies=2, documents=1, orders=10)
    async with world.bitrix() as bitrix, world.onec_source() as onec:
        for name in ("companies", "documents", "credit"):
            result = await JOBS[name](world.context(bitrix, onec))
            assert not result.ok
            assert "run `b2bsync schema apply`" in result.errors[0]
    assert world.store.entries == {}, "nothing quarantined for a site-wide problem"


async def test_refused_credentials_end_the_job_with_an_error(h: Harness) -> None:
    wrong = BitrixClient.from_webhook(
        "http://shop.world.test/rest/1/not-the-secret/",
        transport=httpx.ASGITransport(app=h.world.app),  # type: ignore[arg-type]
        retry=RetryPolicy.no_wait(),
    )
    async with wrong:
        result = await JOBS["companies"](h.world.context(wrong, h.onec))
    assert not result.ok
    assert "INVALID_CREDENTIALS" in result.errors[0]
    assert h.world.rows("B2bCompanies") == []
    assert h.world.store.entries == {}
