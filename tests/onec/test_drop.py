"""The XML drop-folder adapter: files read, moved aside on commit, broken ones quarantined."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from onec_client import (
    Counterparty,
    CreditStatus,
    Document,
    OneCConfigError,
    OneCFileUnavailable,
    Quarantined,
    XmlDropConfig,
    XmlDropSource,
    open_source,
)
from onec_client.fake import AS_OF, ExportStyle, FakeOneC, export_dataset

from .conftest import FIXTURES, collect


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "exchange"
    folder.mkdir()
    return folder


def _source(folder: Path):
    return open_source(XmlDropConfig(directory=folder, settle_seconds=0))


async def test_exports_of_the_fake_are_read_and_files_found(drop):
    fake = FakeOneC(seed=11, counterparties=4, documents=3)
    export_dataset(
        fake.data,
        drop,
        generated_at=AS_OF,
        style=ExportStyle(encoding="cp1251", padded_numbers=True, empty_values=True),
        pdf=fake.pdf,
    )
    async with _source(drop) as source:
        parties = await collect(source.counterparties())
        docs = await collect(source.documents())
        credit = await collect(source.credit())
        withfile = next(d for d in docs if d.has_file)
        async with source.open_file(withfile) as file:
            data = await file.read()
            assert file.content_type == "application/pdf"
            assert file.size == len(data)
    assert {p.guid for p in parties} == set(fake.data.counterparties)
    assert all(isinstance(p, Counterparty) for p in parties)
    assert len(docs) == 24
    assert {d.guid for d in docs} == set(fake.data.documents)
    assert all(isinstance(d, Document) for d in docs)
    for doc in docs:
        assert doc.has_file == fake.data.documents[doc.guid].has_file
        assert doc.number_display.endswith(" ")
    assert len([c for c in credit if isinstance(c, CreditStatus)]) == 4
    assert data == fake.pdf(fake.data.documents[withfile.guid])


async def test_files_move_to_processed_only_on_commit(drop):
    for name in ("plain-documents.xml", "plain-credit.xml"):
        shutil.copy(FIXTURES / name, drop / name)
    async with _source(drop) as source:
        await collect(source.documents())
        assert sorted(p.name for p in drop.glob("*.xml")) == [
            "plain-credit.xml",
            "plain-documents.xml",
        ]
        credit = await collect(source.credit())
        assert len(credit) == 3
        await source.commit()
    assert not list(drop.glob("*.xml"))
    assert sorted(p.name for p in (drop / "processed").iterdir()) == [
        "plain-credit.xml",
        "plain-documents.xml",
    ]
    async with _source(drop) as source:
        assert await collect(source.documents()) == []


async def test_an_interrupted_read_leaves_the_file_for_next_time(drop):
    shutil.copy(FIXTURES / "plain-documents.xml", drop / "a.xml")
    async with _source(drop) as source:
        async for _ in source.documents():
            break
        await source.commit()
    assert (drop / "a.xml").exists()


async def test_a_file_processed_twice_gets_a_distinct_name(drop):
    for _ in range(2):
        shutil.copy(FIXTURES / "plain-credit.xml", drop / "credit.xml")
        async with _source(drop) as source:
            await collect(source.credit())
            await source.commit()
    assert sorted(p.name for p in (drop / "processed").iterdir()) == [
        "credit.1.xml",
        "credit.xml",
    ]


@pytest.mark.parametrize(
    ("name", "line"),
    [("broken.xml", 27), ("billion-laughs.xml", 1), ("xxe.xml", 1), ("not-an-export.xml", 2)],
)
async def test_broken_files_are_quarantined_with_the_line_and_the_rest_go_on(drop, name, line):
    shutil.copy(FIXTURES / "hostile" / name, drop / f"0-{name}")
    shutil.copy(FIXTURES / "plain-documents.xml", drop / "1-good.xml")
    async with _source(drop) as source:
        items = await collect(source.documents())
        await source.commit()
    files = [i for i in items if isinstance(i, Quarantined) and i.kind == "file"]
    assert len(files) == 1
    assert files[0].reason.startswith(f"0-{name}: line {line}: ")
    assert len([i for i in items if isinstance(i, Document)]) >= 3
    moved = drop / "quarantine" / f"0-{name}"
    assert moved.exists()
    reason = (drop / "quarantine" / f"0-{name}.reason.txt").read_text("utf-8")
    assert reason.startswith(f"line {line}: ")
    assert (drop / "processed" / "1-good.xml").exists()
    assert files[0].origin == str(moved)


async def test_record_level_quarantine_does_not_quarantine_the_file(drop):
    shutil.copy(FIXTURES / "plain-quarantine.xml", drop / "q.xml")
    async with _source(drop) as source:
        items = await collect(source.documents())
        await source.commit()
    assert len([i for i in items if isinstance(i, Quarantined)]) == 4
    assert (drop / "processed" / "q.xml").exists()


async def test_counterparty_filter_and_missing_files(drop):
    shutil.copy(FIXTURES / "plain-documents.xml", drop / "d.xml")
    owner = "ec8ac56e-a1ec-4d1e-bcd8-db1264498ebb"
    async with _source(drop) as source:
        docs = await collect(source.documents(owner))
        assert [d.number for d in docs] == ["АК-000077"]
        with pytest.raises(OneCFileUnavailable):
            async with source.open_file(docs[0]):
                pass


async def test_files_still_being_written_are_left_for_the_next_run(drop):
    shutil.copy(FIXTURES / "plain-credit.xml", drop / "old.xml")
    shutil.copy(FIXTURES / "plain-credit.xml", drop / "new.xml")
    now = (drop / "new.xml").stat().st_mtime
    os.utime(drop / "old.xml", (now - 60, now - 60))
    source = XmlDropSource(XmlDropConfig(directory=drop, settle_seconds=10), clock=lambda: now + 3)
    assert [p.name for p in source.waiting()] == ["old.xml"]
    assert len(await collect(source.credit())) == 3
    later = XmlDropSource(XmlDropConfig(directory=drop, settle_seconds=10), clock=lambda: now + 11)
    assert [p.name for p in later.waiting()] == ["new.xml", "old.xml"]


async def test_check_and_a_missing_folder(tmp_path, drop):
    shutil.copy(FIXTURES / "plain-credit.xml", drop / "c.xml")
    async with _source(drop) as source:
        report = await source.check()
    assert report.lines[1] == "1 export file(s) waiting (*.xml)"
    async with _source(tmp_path / "nowhere") as source:
        with pytest.raises(OneCConfigError, match="does not exist"):
            await source.check()
