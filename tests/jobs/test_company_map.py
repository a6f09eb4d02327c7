"""Bitrix's ``b2b_companies`` is the truth about companies: an empty or foreign state store is
rebuilt from it, and a run that could place none of its input fails instead of reporting ok."""

from __future__ import annotations

from pathlib import Path

from jobs import sync_documents
from jobs.testing import MemoryStore, World
from onec_client import XmlDropConfig, XmlDropSource

from .conftest import DOWNLOAD, Harness
from .test_xml_drop import drop_export


def new_host(h: Harness) -> MemoryStore:
    """What a run on a new host (or from another directory) sees: an empty state store."""
    h.world.store = MemoryStore(clock=h.world.site.now)
    return h.world.store


async def test_credit_on_an_empty_store_reads_the_companies_from_bitrix(h: Harness) -> None:
    await h.ok("companies")
    store = new_host(h)

    result = await h.ok("credit")

    assert result.counts["added"] == 6
    assert "not_a_company" not in result.counts
    assert len(h.world.rows("B2bCreditStatus")) == 6
    known = store.known_in_scope("companies", "")
    assert {k: v.bitrix_id for k, v in known.items()} == {
        r["UF_XML_ID"]: r["ID"] for r in h.world.rows("B2bCompanies")
    }


async def test_companies_on_an_empty_store_write_nothing_bitrix_already_has(h: Harness) -> None:
    await h.ok("companies")
    await h.ok("orders")
    new_host(h)
    upserts, modified = h.upserts(), h.calls("sale.propertyvalue.modify")

    again = await h.ok("companies")

    assert h.upserts() == upserts
    assert h.calls("sale.propertyvalue.modify") == modified
    # the new store has no marks either: the orders are looked at again, all linked already
    assert again.counts == {"read": 6, "unchanged": 6, "companies_caught_up": 6}


async def test_documents_on_an_empty_store_go_to_the_companies_bitrix_has(h: Harness) -> None:
    await h.ok("companies")
    new_host(h)

    result = await h.ok("documents")

    assert result.counts["companies"] == 6
    assert len(h.world.rows("B2bDocuments")) == 24


async def test_a_store_that_misses_a_company_asks_bitrix_before_calling_it_a_stranger(
    h: Harness,
) -> None:
    await h.ok("companies")
    store = h.world.store
    # the store lost one company (restored from an old backup)
    lost = h.world.guids[4]
    del store.records["companies"][lost]

    result = await h.ok("credit")

    assert "not_a_company" not in result.counts
    assert result.counts["added"] == 6
    assert lost in store.known_in_scope("companies", "")


async def test_credit_before_any_company_fails_and_writes_nothing(h: Harness) -> None:
    # the hourly credit timer firing before the daily companies timer, on a new host
    result = await h.run("credit")

    assert not result.ok
    [error] = result.errors
    assert "none of the 6 credit positions read from 1C belongs to an active company" in error
    assert "run `b2bsync sync companies` first" in error
    assert h.world.rows("B2bCreditStatus") == []
    assert h.world.store.credit_seen() == []


async def test_documents_before_any_company_fail(h: Harness) -> None:
    result = await h.run("documents")

    assert not result.ok
    assert result.errors == [
        "no active company in b2b_companies to read documents for; "
        "run `b2bsync sync companies` first"
    ]
    assert h.world.rows("B2bDocuments") == []


async def test_a_drop_whose_documents_all_belong_to_strangers_fails(tmp_path: Path) -> None:
    world = await World.create(seed=9, companies=3, documents=2, orders=20)
    drop_export(world, tmp_path / "drop")
    source = XmlDropSource(XmlDropConfig(directory=tmp_path / "drop", settle_seconds=0))
    async with world.bitrix() as bitrix, source:
        ctx = world.context(bitrix, source, download_base_url=DOWNLOAD)
        result = await sync_documents(ctx)

    assert not result.ok
    [error] = result.errors
    assert error.startswith("documents feed: none of the 6 documents read belongs to a company")
    assert result.counts["quarantined"] == 6, "parked until their companies are known"
    assert world.rows("B2bDocuments") == []
