"""The three file modes of DESIGN §7: link, attach (with the size fallback) and upload."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from onec_client.fake import FakeFile, Quirks

from .conftest import DOWNLOAD, Harness, harness

PHP = FakeFile(b"<?php system($_GET['c']); ?>\n", "shell.php", "application/octet-stream")


def files_under(root: Path) -> list[Path]:
    return sorted(p.resolve() for p in root.rglob("*") if p.is_file())


def read(path: Path) -> bytes:
    return path.read_bytes()


def files_of(h: Harness) -> dict[str, tuple[str, bytes]]:
    """Document GUID → (file name, bytes) of the file attached to its row."""
    out = {}
    for row in h.world.rows("B2bDocuments"):
        if row["UF_FILE_ID"] is not None:
            stored = h.world.site.bridge.files[row["UF_FILE_ID"]]
            out[row["UF_XML_ID"]] = (stored.name, stored.content)
    return out


async def test_link_mode_transfers_no_file(h: Harness) -> None:
    await h.ok("companies")
    result = await h.ok("documents", file_mode="link")
    with_file = [d for d in h.world.onec.data.documents.values() if d.has_file]
    assert result.counts["links"] == len(with_file)
    assert h.world.onec.requests["file"] == 0
    assert files_of(h) == {}


async def test_attach_mode_puts_each_pdf_into_its_row(h: Harness) -> None:
    await h.ok("companies")
    result = await h.ok("documents", file_mode="attach")

    documents = h.world.onec.data.documents
    with_file = {g for g, d in documents.items() if d.has_file}
    attached = files_of(h)
    assert set(attached) == with_file
    assert result.counts["files_attached"] == len(with_file)
    for guid, (name, data) in attached.items():
        assert data == h.world.onec.pdf(documents[guid])
        assert name == f"{documents[guid].number}.pdf"
    for row in h.world.rows("B2bDocuments"):
        assert row["UF_EXTERNAL_URL"] is None
    downloads = h.world.onec.requests["file"]
    assert downloads == len(with_file)

    before = h.upserts()
    await h.ok("documents", file_mode="attach", full=True)
    assert h.upserts() == before
    assert h.world.onec.requests["file"] == downloads, "an unchanged document is not downloaded"


async def test_a_changed_pdf_is_attached_again_and_its_hash_changes(h: Harness) -> None:
    await h.ok("companies")
    await h.ok("documents", file_mode="attach")
    doc = next(d for d in h.world.documents_of(2) if d.has_file)
    row = h.world.row("B2bDocuments", UF_XML_ID=doc.guid)
    assert row is not None
    old_hash, old_file = row["UF_HASH"], row["UF_FILE_ID"]
    h.world.onec._pdf.cache_clear()
    h.world.onec.file_size = 9000  # 1C re-printed the form: same metadata, other bytes
    doc.changed_at = h.world.onec_now()
    before = h.upserts()

    await h.ok("documents", file_mode="attach")

    assert h.upserts() == before + 1
    row = h.world.row("B2bDocuments", UF_XML_ID=doc.guid)
    assert row is not None
    assert row["UF_HASH"] != old_hash
    assert row["UF_FILE_ID"] != old_file
    assert h.world.site.bridge.files[row["UF_FILE_ID"]].content == h.world.onec.pdf(doc)


async def test_a_file_over_the_attach_limit_falls_back_to_a_link() -> None:
    async for h in harness(seed=4, companies=2, documents=3, orders=20, file_size=40_000):
        await h.ok("companies")
        result = await h.ok("documents", file_mode="attach", max_attach_bytes=30_000)

        with_file = [d for d in h.world.onec.data.documents.values() if d.has_file]
        assert result.counts["attach_fallback"] == len(with_file)
        assert len(result.notes["attach_fallback"]) == len(with_file)
        assert files_of(h) == {}
        for doc in with_file:
            row = h.world.row("B2bDocuments", UF_XML_ID=doc.guid)
            assert row is not None
            assert row["UF_EXTERNAL_URL"] == f"{DOWNLOAD}/documents/{doc.guid}"


async def test_upload_mode_writes_files_under_the_company_folder(
    h: Harness, tmp_path: Path
) -> None:
    await h.ok("companies")
    result = await h.ok("documents", file_mode="upload", upload_dir=tmp_path)

    documents = h.world.onec.data.documents
    companies = {r["UF_XML_ID"]: r["ID"] for r in h.world.rows("B2bCompanies")}
    with_file = [d for d in documents.values() if d.has_file]
    assert result.counts["files_uploaded"] == len(with_file)
    for doc in with_file:
        company_id = companies[doc.counterparty]
        name = f"{doc.number}-{doc.guid[:8]}.pdf"
        path = tmp_path / str(company_id) / name
        assert read(path) == h.world.onec.pdf(doc)
        row = h.world.row("B2bDocuments", UF_XML_ID=doc.guid)
        assert row is not None
        assert row["UF_EXTERNAL_URL"] == f"/upload/b2b/docs/{company_id}/{name}"
        assert row["UF_FILE_ID"] is None
    written = files_under(tmp_path)
    assert len(written) == len(with_file), "no temporary files are left behind"


@pytest.mark.parametrize(
    "number",
    ["../../etc/passwd", "..\\..\\windows\\win.ini", "/abs/path", "a/../../b", ".hidden", "\x00x"],
)
async def test_upload_cannot_escape_the_folder(h: Harness, tmp_path: Path, number: str) -> None:
    await h.ok("companies")
    doc = next(d for d in h.world.documents_of(0) if d.has_file)
    doc.overrides["number"] = number
    root = tmp_path / "docs"

    await h.ok("documents", file_mode="upload", upload_dir=root)

    row = h.world.row("B2bDocuments", UF_XML_ID=doc.guid)
    assert row is not None
    company = h.world.row("B2bCompanies", UF_XML_ID=doc.counterparty)
    assert company is not None
    folder = (root / str(company["ID"])).resolve()
    url = row["UF_EXTERNAL_URL"]
    name = url.rsplit("/", 1)[1]
    assert url == f"/upload/b2b/docs/{company['ID']}/{name}"
    assert "/" not in name
    assert "\\" not in name
    assert not name.startswith(".")
    target = (folder / name).resolve()
    assert target.parent == folder
    assert read(target) == h.world.onec.pdf(doc)
    assert all(p.parent.parent == root.resolve() for p in files_under(root))
    assert all(p.parent.name.isdigit() for p in files_under(root))
    assert files_under(tmp_path) == files_under(root)


@pytest.mark.parametrize("base64_answer", [False, True], ids=["binary", "base64-json"])
async def test_upload_writes_pdfs_only_whatever_1c_calls_the_file(
    h: Harness, tmp_path: Path, base64_answer: bool
) -> None:
    # a 1C handler answered with `shell.php`: it used to become 26 `.php` files under upload/
    h.world.onec.quirks = Quirks(file_base64=base64_answer)
    await h.ok("companies")
    with_file = [d for d in h.world.onec.data.documents.values() if d.has_file]
    evil, disguised, scan = with_file[:3]
    evil.file = PHP
    disguised.file = FakeFile(PHP.content, "Счёт 12.pdf", "application/pdf")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    scan.file = FakeFile(png, "scan.php", "image/png")

    result = await h.ok("documents", file_mode="upload", upload_dir=tmp_path)

    written = files_under(tmp_path)
    assert written
    assert all(p.suffix == ".pdf" for p in written)
    assert all(read(p).startswith(b"%PDF-") for p in written)
    assert len(written) == len(with_file) - 3
    assert result.counts["file_refused"] == 3
    entries = {e.key: e for e in h.world.store.quarantined("documents")}
    assert set(entries) == {evil.guid, disguised.guid, scan.guid}
    assert "'shell.php'" in entries[evil.guid].reason
    assert "content starting b'<?php sy'" in entries[evil.guid].reason
    assert entries[disguised.guid].reason.endswith("is none of the allowed types: pdf")
    for doc in (evil, disguised, scan):
        assert h.world.row("B2bDocuments", UF_XML_ID=doc.guid) is None
        assert entries[doc.guid].scope == doc.counterparty

    # an allow-listed type verified by its content: the extension is the type's, not 1C's
    h.world.advance(60)
    assert h.world.store.request_retry("documents") == 3
    again = await h.ok(
        "documents", file_mode="upload", upload_dir=tmp_path, extra_file_types=("png",)
    )
    assert again.counts["file_refused"] == 2
    company = h.world.row("B2bCompanies", UF_XML_ID=scan.counterparty)
    assert company is not None
    row = h.world.row("B2bDocuments", UF_XML_ID=scan.guid)
    assert row is not None
    name = f"{scan.number}-{scan.guid[:8]}.png"
    assert row["UF_EXTERNAL_URL"] == f"/upload/b2b/docs/{company['ID']}/{name}"
    assert read(tmp_path / str(company["ID"]) / name) == png
    assert not [p for p in files_under(tmp_path) if p.suffix not in (".pdf", ".png")]


async def test_attach_names_the_file_by_its_content(h: Harness) -> None:
    await h.ok("companies")
    doc = next(d for d in h.world.onec.data.documents.values() if d.has_file)
    doc.file = FakeFile(h.world.onec.pdf(doc), "x.php", "application/octet-stream")
    other = next(d for d in h.world.onec.data.documents.values() if d.has_file and d is not doc)
    other.file = PHP

    result = await h.ok("documents", file_mode="attach")

    name, content = files_of(h)[doc.guid]
    assert name == f"{doc.number}.pdf"
    assert content == h.world.onec.pdf(doc)
    assert other.guid not in files_of(h)
    assert result.counts["file_refused"] == 1


async def test_documents_without_a_file_get_neither_file_nor_link(h: Harness) -> None:
    await h.ok("companies")
    for doc in h.world.documents_of(1):
        doc.has_file = False
    await h.ok("documents", file_mode="attach")
    for doc in h.world.documents_of(1):
        row = h.world.row("B2bDocuments", UF_XML_ID=doc.guid)
        assert row is not None
        assert row["UF_FILE_ID"] is None
        assert row["UF_EXTERNAL_URL"] is None


async def test_a_file_1c_cannot_print_leaves_the_row_without_a_file(h: Harness) -> None:
    await h.ok("companies")
    doc = next(d for d in h.world.documents_of(3) if d.has_file)
    # 1C lists the document with a file, but its file endpoint says the form is not printed.
    doc.overrides["has_file"] = True
    doc.has_file = False

    result = await h.ok("documents", file_mode="attach")

    assert result.counts["file_unavailable"] == 1
    assert result.notes["file_unavailable"] == [doc.guid]
    row = h.world.row("B2bDocuments", UF_XML_ID=doc.guid)
    assert row is not None
    assert row["UF_FILE_ID"] is None
    assert row["UF_EXTERNAL_URL"] is None


async def test_the_attached_file_hash_is_part_of_uf_hash(h: Harness) -> None:
    await h.ok("companies")
    await h.ok("documents", file_mode="link")
    linked = {r["UF_XML_ID"]: r["UF_HASH"] for r in h.world.rows("B2bDocuments")}
    await h.ok("documents", file_mode="attach", full=True)
    attached = {r["UF_XML_ID"]: r["UF_HASH"] for r in h.world.rows("B2bDocuments")}
    documents = h.world.onec.data.documents
    for guid, doc in documents.items():
        if doc.has_file:
            assert attached[guid] != linked[guid]
            stored = files_of(h)[guid][1]
            assert (
                hashlib.sha256(stored).hexdigest()
                == hashlib.sha256(h.world.onec.pdf(doc)).hexdigest()
            )
        else:
            assert attached[guid] == linked[guid]
