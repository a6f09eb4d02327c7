"""World: deterministic, the same companies on both sides, usable on loopback."""

from __future__ import annotations

import asyncio

from jobs import ALL_ORDER, JOBS
from jobs.testing import World

from .conftest import DOWNLOAD


def test_both_sides_describe_the_same_companies() -> None:
    world = World.build(seed=2, companies=5, documents=3, orders=60)
    parties = [world.counterparty(i) for i in range(5)]
    assert [(p.name, p.inn, p.kpp) for p in parties] == [
        (c.name, c.inn, c.kpp) for c in world.shop.companies
    ]
    assert all(len(world.documents_of(i)) == 3 for i in range(5))
    credit = [world.onec.data.credit[g] for g in world.guids]
    assert any(c.overdue_amount for c in credit)
    assert any(c.limit is not None and c.used > c.limit for c in credit)
    assert any(c.limit is None for c in credit)
    assert all(c.changed_at < world.onec_now() for c in world.onec.data.documents.values())
    refs = {d.order_ref for d in world.onec.data.documents.values() if d.order_ref}
    assert refs <= {o["id1c"] for o in world.site.sale.orders.values() if o.get("id1c")}


def test_two_worlds_built_alike_are_alike() -> None:
    a = World.build(seed=4, companies=3, documents=2, orders=30)
    b = World.build(seed=4, companies=3, documents=2, orders=30)
    assert a.guids == b.guids
    assert sorted(a.onec.data.documents) == sorted(b.onec.data.documents)
    assert a.site.sale.orders == b.site.sale.orders
    c = World.build(seed=5, companies=3, documents=2, orders=30)
    assert c.guids != a.guids


def test_a_served_world_syncs_over_real_sockets() -> None:
    world = asyncio.run(World.create(seed=2, companies=3, documents=2, orders=40, real_time=True))

    async def sync_all(webhook: str, onec_url: str) -> dict[str, bool]:
        async with world.bitrix(webhook) as bitrix, world.onec_source(onec_url) as onec:
            ctx = world.context(bitrix, onec, download_base_url=DOWNLOAD, file_mode="attach")
            return {name: (await JOBS[name](ctx)).ok for name in ALL_ORDER}

    with world.serve() as ends:
        assert ends.webhook_url.startswith("http://127.0.0.1:")
        outcome = asyncio.run(sync_all(ends.webhook_url, ends.onec_url))

    assert outcome == dict.fromkeys(ALL_ORDER, True)
    assert len(world.rows("B2bCompanies")) == 3
    assert len(world.rows("B2bDocuments")) == 6
    assert len(world.rows("B2bCreditStatus")) == 3
    assert len(world.store.orders) == 40
    with_file = [d for d in world.onec.data.documents.values() if d.has_file]
    assert sum(1 for r in world.rows("B2bDocuments") if r["UF_FILE_ID"]) == len(with_file)
