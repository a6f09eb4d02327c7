"""The jobs over the application's SQLite store behave as over MemoryStore."""

from __future__ import annotations

from pathlib import Path

from b2bsync.store import Store

from .conftest import content, harness


async def test_the_jobs_give_the_same_site_with_the_sqlite_store(tmp_path: Path) -> None:
    options = {"seed": 11, "companies": 4, "documents": 3, "orders": 60}
    async for memory in harness(**options):
        await memory.all(file_mode="attach", overdue_limit=1000)
        expected = {
            block: content(memory.world.rows(block))
            for block in ("B2bCompanies", "B2bDocuments", "B2bCreditStatus")
        }
        expected_index = memory.world.store.orders

    async for h in harness(**options):
        store = Store.open(f"sqlite:///{tmp_path / 'state.sqlite3'}", clock=h.world.site.now)
        try:
            h.world.store = store  # type: ignore[assignment]
            await h.all(file_mode="attach", overdue_limit=1000)
            for block, rows in expected.items():
                assert content(h.world.rows(block)) == rows
            assert {o.order_id for o in expected_index.values()} == {
                o.order_id for o in store.search_orders(limit=1000)
            }

            # the buyer's journey: a three-month-old order found by company and article
            now = h.world.now()
            old = min(
                (o for o in store.search_orders(limit=1000) if o.company_id and o.articles),
                key=lambda o: abs((now - o.date_insert).days - 90),
            )
            found = store.search_orders(company_id=old.company_id, article=old.articles[0])
            assert old.order_id in {o.order_id for o in found}

            writes = h.upserts()
            await h.all(file_mode="attach", overdue_limit=1000)
            assert h.upserts() == writes

            doc = h.world.documents_of(1)[0]
            doc.overrides["amount"] = "много"
            doc.changed_at = h.world.onec_now()
            await h.ok("documents", file_mode="attach")
            [entry] = store.quarantined("documents")
            assert entry.key == doc.guid
            del doc.overrides["amount"]
            store.request_retry("documents", doc.guid)
            await h.ok("documents", file_mode="attach")
            assert store.quarantined("documents") == []
            assert len(store.credit_seen()) == 4
        finally:
            store.close()
