"""The jobs over the XML drop adapter: one feed pass, files from ``files/``, no vanish checks."""

from __future__ import annotations

from pathlib import Path

from jobs import sync_companies, sync_credit, sync_documents
from jobs.testing import World
from onec_client import XmlDropConfig, XmlDropSource
from onec_client.fake import write_plain

from .conftest import DOWNLOAD


def drop_export(world: World, folder: Path, *, skip_counterparty: str | None = None) -> None:
    data = world.onec.data
    folder.mkdir(parents=True, exist_ok=True)
    files = folder / "files"
    files.mkdir(exist_ok=True)
    with (folder / "export-0001.xml").open("wb") as out:
        write_plain(
            out,
            counterparties=[c for g, c in data.counterparties.items() if g != skip_counterparty],
            documents=data.documents.values(),
            credit=data.credit.values(),
            generated_at=world.onec_now(),
        )
    for doc in data.documents.values():
        if doc.has_file:
            (files / f"{doc.guid}.pdf").write_bytes(world.onec.pdf(doc))


async def test_a_drop_folder_is_read_as_one_feed(tmp_path: Path) -> None:
    world = await World.create(seed=9, companies=4, documents=3, orders=40)
    stranger = world.guids[3]
    drop_export(world, tmp_path / "drop", skip_counterparty=stranger)
    source = XmlDropSource(XmlDropConfig(directory=tmp_path / "drop", settle_seconds=0))

    async with world.bitrix() as bitrix, source:
        ctx = world.context(bitrix, source, download_base_url=DOWNLOAD, file_mode="attach")
        companies = await sync_companies(ctx)
        documents = await sync_documents(
            world.context(bitrix, source, download_base_url=DOWNLOAD, file_mode="attach", full=True)
        )
        credit = await sync_credit(ctx)

    assert companies.ok, companies.errors
    assert companies.counts["added"] == 3
    assert documents.ok, documents.errors
    assert documents.notes["vanished"] == "not checked: an XML drop holds changes only"
    assert world.store.cursor("documents", "") is not None
    written = {r["UF_XML_ID"] for r in world.rows("B2bDocuments")}
    own = {d.guid for d in world.onec.data.documents.values() if d.counterparty != stranger}
    assert written == own
    parked = world.store.quarantined("documents")
    assert {e.reason for e in parked} == {f"unknown counterparty {stranger}"}
    assert len(parked) == 3
    attached = [r for r in world.rows("B2bDocuments") if r["UF_FILE_ID"]]
    for row in attached:
        doc = world.onec.data.documents[row["UF_XML_ID"]]
        assert world.site.bridge.files[row["UF_FILE_ID"]].content == world.onec.pdf(doc)
    assert len(attached) == sum(1 for g in own if world.onec.data.documents[g].has_file)
    assert credit.ok, credit.errors
    assert credit.counts["not_a_company"] == 1
    assert len(world.rows("B2bCreditStatus")) == 3
    assert (tmp_path / "drop" / "export-0001.xml").exists(), "jobs leave commit to the runner"
