"""The documents job: rows per company, unchanged/changed, deletions, unknown counterparties."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from jobs.testing import RecordingProgress
from onec_client.fake import make_document

from .conftest import DOWNLOAD, Harness, content, harness

MSK = ZoneInfo("Europe/Moscow")


def doc_type_ids(h: Harness) -> dict[int, str]:
    block = h.world.site.bridge.block_by_name("B2bDocuments")
    assert block is not None
    field = h.world.site.bridge.field_named(block.id, "UF_DOC_TYPE")
    assert field is not None
    return {item.id: item.xml_id for item in field.items}


async def test_first_sync_writes_every_document_of_every_company(h: Harness) -> None:
    await h.ok("companies")
    progress = RecordingProgress()
    result = await h.run("documents", progress=progress)
    assert result.ok, result.errors

    rows = {r["UF_XML_ID"]: r for r in h.world.rows("B2bDocuments")}
    documents = h.world.onec.data.documents
    assert set(rows) == set(documents)
    assert result.counts["added"] == len(documents) == 24
    assert h.upserts() - 6 == 24
    assert result.counts["companies"] == 6
    assert len(progress.named("sync.documents.company")) == 6
    types = doc_type_ids(h)
    companies = {r["UF_XML_ID"]: r["ID"] for r in h.world.rows("B2bCompanies")}
    orders_by_ref = {o["id1c"]: o["id"] for o in h.world.site.sale.orders.values() if o.get("id1c")}
    linked = 0
    for guid, doc in documents.items():
        row = rows[guid]
        assert row["UF_COMPANY_ID"] == companies[doc.counterparty]
        assert types[row["UF_DOC_TYPE"]] == doc.type
        assert row["UF_NUMBER"] == doc.number
        assert row["UF_DATE"] == doc.date.replace(tzinfo=MSK).date()
        if doc.amount is None:
            assert row["UF_AMOUNT"] is None
        else:
            assert Decimal(str(row["UF_AMOUNT"])) == doc.amount
        assert row["UF_CURRENCY"] == "RUB"
        assert row["UF_DELETED"] == 0
        assert re.fullmatch(r"[0-9a-f]{64}", row["UF_HASH"])
        expected_url = f"{DOWNLOAD}/documents/download?doc={guid}" if doc.has_file else None
        assert row["UF_EXTERNAL_URL"] == expected_url
        assert row["UF_FILE_ID"] is None
        if doc.order_ref:
            linked += 1
            assert row["UF_ORDER_ID"] == orders_by_ref[doc.order_ref]
        else:
            assert row["UF_ORDER_ID"] is None
    assert linked > 0
    assert h.world.onec.requests["file"] == 0
    for guid in h.world.guids:
        newest = max(d.changed_at for d in h.world.onec.data.documents_of(guid))
        cursor = h.world.store.cursor("documents", guid)
        assert cursor is not None
        assert cursor.replace(tzinfo=None) == newest


async def test_second_sync_writes_nothing_and_one_change_writes_one_row(h: Harness) -> None:
    await h.ok("companies")
    await h.ok("documents")
    before = h.upserts()

    again = await h.ok("documents", full=True)
    assert h.upserts() == before
    assert again.counts["unchanged"] == 24

    doc = h.world.documents_of(1)[0]
    doc.amount = Decimal("777.70")
    doc.changed_at = h.world.onec_now()
    changed = await h.ok("documents")

    assert h.upserts() == before + 1
    assert changed.counts["updated"] == 1
    row = h.world.row("B2bDocuments", UF_XML_ID=doc.guid)
    assert row is not None
    assert row["UF_AMOUNT"] == 777.7


async def test_a_1c_deletion_mark_sets_uf_deleted_and_keeps_the_row(h: Harness) -> None:
    await h.ok("companies")
    await h.ok("documents")
    doc = h.world.documents_of(2)[1]
    doc.deleted = True
    doc.changed_at = h.world.onec_now()

    result = await h.ok("documents")

    assert result.counts["marked_deleted"] == 1
    row = h.world.row("B2bDocuments", UF_XML_ID=doc.guid)
    assert row is not None
    assert row["UF_DELETED"] == 1
    assert len(h.world.rows("B2bDocuments")) == 24
    assert h.world.store.known("documents", [doc.guid])[doc.guid].deleted


async def test_a_document_gone_from_1c_is_marked_deleted_by_full(h: Harness) -> None:
    await h.ok("companies")
    await h.ok("documents")
    doc = h.world.documents_of(3)[0]
    del h.world.onec.data.documents[doc.guid]

    await h.ok("documents")
    row = h.world.row("B2bDocuments", UF_XML_ID=doc.guid)
    assert row is not None
    assert row["UF_DELETED"] == 0

    before = h.upserts()
    result = await h.ok("documents", full=True)
    assert result.counts["vanished"] == 1
    assert h.upserts() == before + 1
    row = h.world.row("B2bDocuments", UF_XML_ID=doc.guid)
    assert row is not None
    assert row["UF_DELETED"] == 1
    assert len(h.world.rows("B2bDocuments")) == 24

    await h.ok("documents", full=True)
    assert h.upserts() == before + 1


async def test_unknown_counterparty_is_quarantined_then_cleared_by_companies_sync(
    h: Harness,
) -> None:
    await h.ok("companies")
    await h.ok("documents", documents_read="feed")
    data = h.world.onec.data
    newcomer = h.world.counterparty(0)
    stranger = replace(
        newcomer,
        guid="0d0c0b0a-0000-4000-8000-00000000abcd",
        name="ООО «Новичок»",
        inn="7701234567",
        changed_at=h.world.onec_now(),
    )
    data.counterparties[stranger.guid] = stranger
    made = []
    for n in range(2):
        doc = make_document(random.Random(n), stranger.guid, 900 + n)
        doc.changed_at = h.world.onec_now() - timedelta(minutes=n)
        data.documents[doc.guid] = doc
        made.append(doc.guid)

    parked = await h.ok("documents", documents_read="feed")
    assert parked.counts["quarantined"] == 2
    entries = h.world.store.quarantined("documents")
    assert sorted(str(e.key) for e in entries) == sorted(made)
    assert {e.reason for e in entries} == {f"unknown counterparty {stranger.guid}"}
    assert all(h.world.row("B2bDocuments", UF_XML_ID=g) is None for g in made)

    h.world.advance(3 * 3600)  # the feed cursor is now well past those documents
    await h.ok("companies")
    cleared = await h.ok("documents", documents_read="feed")

    assert cleared.counts["added"] == 2
    assert h.world.store.quarantined("documents") == []
    company = h.world.row("B2bCompanies", UF_XML_ID=stranger.guid)
    assert company is not None
    for guid in made:
        row = h.world.row("B2bDocuments", UF_XML_ID=guid)
        assert row is not None
        assert row["UF_COMPANY_ID"] == company["ID"]


async def test_feed_and_per_company_reads_give_the_same_rows(h: Harness) -> None:
    await h.ok("companies")
    await h.ok("documents", documents_read="feed")
    async for twin in harness(seed=3, companies=6, documents=4, orders=150):
        await twin.ok("companies")
        await twin.ok("documents", documents_read="per_company")
        assert content(twin.world.rows("B2bDocuments")) == content(h.world.rows("B2bDocuments"))
        assert twin.world.onec.requests["documents"] == 6
    assert h.world.onec.requests["documents"] == 1
    assert h.world.store.cursor("documents", "") is not None


async def test_a_company_1c_no_longer_knows_is_skipped(h: Harness) -> None:
    await h.ok("companies")
    gone = h.world.guids[1]
    for doc in h.world.onec.data.documents_of(gone):
        del h.world.onec.data.documents[doc.guid]
    del h.world.onec.data.counterparties[gone]
    del h.world.onec.data.credit[gone]

    result = await h.ok("documents")

    assert result.counts["not_in_1c"] == 1
    assert result.notes["not_in_1c"] == [gone]
    assert result.counts["added"] == 20
    assert h.world.store.cursor("documents", gone) is None


async def test_an_unknown_document_kind_is_quarantined_and_the_rest_written(h: Harness) -> None:
    await h.ok("companies")
    doc = h.world.documents_of(0)[0]
    doc.overrides["type"] = "ПутевойЛист"

    result = await h.ok("documents")

    assert result.counts["added"] == 23
    [entry] = h.world.store.quarantined("documents")
    assert entry.key == doc.guid
    assert "ПутевойЛист" in entry.reason
    assert entry.scope == doc.counterparty


async def test_padded_numbers_are_stored_stripped(h: Harness) -> None:
    h.world.onec.quirks.padded_numbers = True
    await h.ok("companies")
    await h.ok("documents")
    numbers = {r["UF_NUMBER"] for r in h.world.rows("B2bDocuments")}
    assert numbers == {d.number for d in h.world.onec.data.documents.values()}
    assert all(n == n.strip() for n in numbers)


async def test_without_download_url_documents_are_written_without_links(h: Harness) -> None:
    await h.ok("companies")
    result = await h.ok("documents", download_base_url=None)
    assert "download_base_url" in result.notes["warning"]
    assert {r["UF_EXTERNAL_URL"] for r in h.world.rows("B2bDocuments")} == {None}

    configured = await h.ok("documents", download_base_url=DOWNLOAD, full=True)
    with_file = sum(1 for d in h.world.onec.data.documents.values() if d.has_file)
    assert configured.counts["links"] == with_file
