"""Orders of companies that appear later are linked by the next run of either job.

The orders job meets an order once, when its ``dateUpdate`` passes the cursor; a company that
appears afterwards (or is reactivated, or gets its ИНН) must still find its older orders.
"""

from __future__ import annotations

from typing import Any

import structlog

from bitrix_client.fake import Fault
from jobs import ALL_ORDER
from jobs.testing import World

from .conftest import Harness, harness


def links(world: World) -> dict[int, str]:
    return {
        v["orderId"]: v["value"]
        for v in world.site.sale.property_values.values()
        if v["code"] == "B2B_COMPANY_ID" and v["value"]
    }


def orders_with_inn(world: World, inn: str) -> set[int]:
    return {
        v["orderId"]
        for v in world.site.sale.property_values.values()
        if v["code"] == "INN" and v["value"] == inn
    }


def company_id(world: World, guid: str) -> str:
    row = world.row("B2bCompanies", UF_XML_ID=guid)
    assert row is not None
    return str(row["ID"])


async def test_orders_synced_before_their_companies_are_linked_without_full() -> None:
    # the reproduction: orders every 5 minutes, companies daily; --full found 188 at the end
    async for h in harness(seed=7, companies=20, documents=2, orders=300):
        seen: list[int] = []
        steps: list[tuple[tuple[str, ...], dict[str, Any]]] = [
            (("orders",), {}),
            (("companies",), {}),
            (("orders",), {}),
            (ALL_ORDER, {}),
            (("orders",), {"full": True}),
        ]
        for names, config in steps:
            for name in names:
                await h.ok(name, **config)
            seen.append(len(links(h.world)))
            h.world.advance(300)

        assert seen == [0, 188, 188, 188, 188]
        indexed = {o.order_id: o.company_id for o in h.world.store.orders.values()}
        assert {k: str(v) for k, v in indexed.items() if v is not None} == links(h.world)


async def test_the_companies_run_links_and_the_orders_run_indexes(h: Harness) -> None:
    await h.ok("orders")
    modified = h.calls("sale.propertyvalue.modify")
    companies = await h.ok("companies")

    legal = {o for i in range(6) for o in orders_with_inn(h.world, h.world.shop.companies[i].inn)}
    assert set(links(h.world)) == legal
    assert companies.counts["linked"] == len(legal)
    assert companies.counts["companies_caught_up"] == 6
    assert h.calls("sale.propertyvalue.modify") - modified == len(legal)

    h.world.advance(60)
    orders = await h.ok("orders")
    assert "linked" not in orders.counts, "nothing left to link"
    assert orders.counts["with_company"] == len(legal)
    assert all(h.world.store.orders[o].company_id is not None for o in legal)

    requests = h.world.app.stats.http_requests
    again = await h.ok("companies")
    assert "linked" not in again.counts
    # no company changed: the HL-block lookup is the only request to Bitrix
    assert h.world.app.stats.http_requests - requests == 1


async def test_the_next_orders_run_catches_up_when_the_companies_run_did_not(h: Harness) -> None:
    await h.ok("orders")
    h.world.advance(600)
    # the companies run writes the companies, then loses Bitrix (every retry) as it starts
    # looking for their orders
    h.world.app.faults.inject_next(Fault.ERROR_500_HTML, method="sale.property.list", count=6)
    failed = await h.run("companies")
    assert not failed.ok
    assert any("linking orders to companies" in e for e in failed.errors)
    assert len(h.world.rows("B2bCompanies")) == 6
    assert links(h.world) == {}

    h.world.advance(600)
    caught = await h.ok("orders")
    legal = {o for i in range(6) for o in orders_with_inn(h.world, h.world.shop.companies[i].inn)}
    assert set(links(h.world)) == legal
    assert caught.counts["linked"] == len(legal)
    assert all(h.world.store.orders[o].company_id is not None for o in legal)


async def test_a_reactivated_company_and_a_corrected_inn_get_their_orders(h: Harness) -> None:
    dormant, mistyped = h.world.counterparty(1), h.world.counterparty(2)
    real_inn = mistyped.inn
    dormant.deleted = True
    mistyped.inn = "7707083893"  # a valid ИНН nobody ordered with
    await h.ok("companies")
    await h.ok("orders")
    dormant_orders = orders_with_inn(h.world, dormant.inn)
    mistyped_orders = orders_with_inn(h.world, real_inn)
    assert dormant_orders
    assert mistyped_orders
    assert not (dormant_orders | mistyped_orders) & set(links(h.world)), "inactive or no match"

    h.world.advance(3600)
    dormant.deleted = False
    dormant.changed_at = h.world.onec_now()
    mistyped.inn = real_inn
    mistyped.changed_at = h.world.onec_now()
    result = await h.ok("companies")

    linked = links(h.world)
    assert {o: linked.get(o) for o in dormant_orders} == dict.fromkeys(
        dormant_orders, company_id(h.world, dormant.guid)
    )
    assert {o: linked.get(o) for o in mistyped_orders} == dict.fromkeys(
        mistyped_orders, company_id(h.world, mistyped.guid)
    )
    assert result.counts["linked"] == len(dormant_orders | mistyped_orders)
    assert result.counts["companies_caught_up"] == 2, "only the two that changed were searched"


async def test_a_company_new_in_1c_gets_its_orders_on_the_next_companies_run() -> None:
    async for h in harness(seed=5, companies=4, documents=1, orders=120):
        late = h.world.counterparty(3)
        del h.world.onec.data.counterparties[late.guid]
        for name in ALL_ORDER:
            await h.run(name)
        own = orders_with_inn(h.world, late.inn)
        assert own
        assert not own & set(links(h.world))

        h.world.advance(86400)
        late.changed_at = h.world.onec_now()
        h.world.onec.data.counterparties[late.guid] = late
        await h.ok("companies")
        assert {o: links(h.world).get(o) for o in own} == dict.fromkeys(
            own, company_id(h.world, late.guid)
        )


async def test_linking_logs_one_line_per_batch_not_per_order(h: Harness) -> None:
    # on a terminal, a line per linked order scrolled the progress bar out of sight
    await h.ok("companies", link_orders_by_inn=False)
    with structlog.testing.capture_logs() as logs:
        result = await h.ok("orders")
    assert result.counts["linked"] > 50
    info = [e for e in logs if e["log_level"] != "debug" and e["event"].startswith("sync.orders")]
    events = [e["event"] for e in info]
    assert events == ["sync.orders.start", "sync.orders.linked", "sync.orders.done"]
    assert info[1]["orders"] == result.counts["linked"]
    per_order = [e for e in logs if e["event"] == "sync.orders.link"]
    assert len(per_order) == result.counts["linked"]
    assert {e["log_level"] for e in per_order} == {"debug"}
