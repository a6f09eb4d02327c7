"""With an XML drop folder the runner moves an export aside only after every feed in it was
stored, and the daemon runs the 1C feeds together."""

from __future__ import annotations

from pathlib import Path

from b2bsync.daemon import intervals
from b2bsync.runner import Clients, run_jobs
from b2bsync.settings import Settings
from b2bsync.store import Store
from jobs.testing import World
from onec_client.fake import write_plain


def _drop(world: World, folder: Path) -> Path:
    folder.mkdir(parents=True)
    export = folder / "export-0001.xml"
    data = world.onec.data
    with export.open("wb") as out:
        write_plain(
            out,
            counterparties=data.counterparties.values(),
            documents=data.documents.values(),
            credit=data.credit.values(),
            generated_at=world.onec_now(),
        )
    return export


def _settings(tmp_path: Path, folder: Path) -> Settings:
    return Settings(
        onec={"kind": "xml", "directory": str(folder), "settle_seconds": 0},
        state={"url": f"sqlite:///{tmp_path / 'state.sqlite3'}"},
        sync={"download_base_url": "https://shop.example.ru/b2bsync"},
    )


async def test_export_is_committed_only_after_every_1c_feed(tmp_path: Path):
    world = await World.create(seed=5, companies=3, documents=2, orders=30)
    folder = tmp_path / "drop"
    export = _drop(world, folder)
    settings = _settings(tmp_path, folder)
    store = Store.open(settings.state.url.get_secret_value())
    try:
        async with world.bitrix() as bitrix:
            first = await run_jobs(settings, ["companies"], store=store, clients=Clients(bitrix))
            assert [o.status for o in first] == ["ok"]
            assert export.exists(), "documents and credit in it were not stored yet"
            every = await run_jobs(settings, ["all"], store=store, clients=Clients(bitrix))
            assert [o.status for o in every] == ["ok"] * 4
    finally:
        store.close()
    assert not export.exists()
    assert (folder / "processed" / "export-0001.xml").exists()
    assert len(world.rows("B2bDocuments")) == 6
    assert len(world.rows("B2bCreditStatus")) == 3


def test_daemon_runs_the_1c_feeds_of_a_drop_together(tmp_path: Path):
    folder = tmp_path / "drop"
    settings = _settings(tmp_path, folder)
    assert intervals(settings) == {"all": 60, "orders": 5}
    http = Settings(onec={"kind": "http", "url": "https://1c/hs/b2b/v1"})
    assert intervals(http) == {"companies": 1440, "orders": 5, "documents": 180, "credit": 60}
    quiet = Settings(schedule={"companies": 0, "orders": 0, "documents": 0, "credit": 0})
    assert intervals(quiet) == {}
