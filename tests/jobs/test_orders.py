"""The orders job: index content, linking by ИНН without losing values, incremental reads."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

import jobs.orders as orders_job
from bitrix_client.fake import Fault
from jobs import _resume, sync_orders
from jobs.testing import RecordingProgress, World

from .conftest import Harness, harness


def values_of(world: World, order_id: int) -> dict[str, Any]:
    return {v["code"]: v["value"] for v in world.site.sale.values_of(order_id)}


def company_ids_by_inn(world: World) -> dict[str, int]:
    return {r["UF_INN"]: r["ID"] for r in world.rows("B2bCompanies")}


async def test_the_index_holds_every_order_as_bitrix_has_it(h: Harness) -> None:
    await h.ok("companies", link_orders_by_inn=False)
    result = await h.ok("orders")

    sale = h.world.site.sale
    assert result.counts["indexed"] == len(sale.orders) == 150
    assert set(h.world.store.orders) == set(sale.orders)
    for order_id, order in sale.orders.items():
        indexed = h.world.store.orders[order_id]
        items = sale.items_of(order_id)
        assert indexed.account_number == order["accountNumber"]
        assert indexed.status_id == order["statusId"]
        assert indexed.date_insert == order["dateInsert"]
        assert indexed.date_update == order["dateUpdate"]
        assert indexed.price == Decimal(str(order["price"]))
        assert indexed.currency == "RUB"
        assert indexed.user_id == order["userId"]
        assert indexed.responsible_id == order["responsibleId"]
        assert indexed.canceled == (order["canceled"] == "Y")
        assert indexed.articles == tuple(i["productXmlId"] for i in items)
        assert indexed.product_names == tuple(i["name"] for i in items)
    cursor = h.world.store.cursor("orders")
    assert cursor == max(o["dateUpdate"] for o in sale.orders.values())


async def test_legal_orders_are_linked_by_inn_and_keep_their_other_values(h: Harness) -> None:
    await h.ok("companies", link_orders_by_inn=False)
    sale = h.world.site.sale
    before = {order_id: values_of(h.world, order_id) for order_id in sale.orders}

    result = await h.ok("orders")

    by_inn = company_ids_by_inn(h.world)
    legal = [i for i, v in before.items() if v.get("INN") in by_inn]
    assert legal
    assert result.counts["linked"] == len(legal)
    assert h.calls("sale.propertyvalue.modify") == len(legal)
    for order_id, old in before.items():
        now = values_of(h.world, order_id)
        if order_id in legal:
            company_id = by_inn[old["INN"]]
            assert now == {**old, "B2B_COMPANY_ID": str(company_id)}, "no other value lost"
            assert h.world.store.orders[order_id].company_id == company_id
        else:
            assert now == old
            assert h.world.store.orders[order_id].company_id is None

    modified = h.calls("sale.propertyvalue.modify")
    again = await h.ok("orders", full=True)
    assert h.calls("sale.propertyvalue.modify") == modified
    assert "linked" not in again.counts
    assert again.counts["with_company"] == len(legal)


async def test_linking_needs_the_inn_of_a_known_company(h: Harness) -> None:
    await h.ok("companies", company=h.world.guids[0], link_orders_by_inn=False)
    result = await h.ok("orders")

    inn = h.world.shop.companies[0].inn
    linked = {
        v["orderId"]
        for v in h.world.site.sale.property_values.values()
        if v["code"] == "B2B_COMPANY_ID" and v["value"]
    }
    own = {
        v["orderId"]
        for v in h.world.site.sale.property_values.values()
        if v["code"] == "INN" and v["value"] == inn
    }
    assert linked == own
    assert result.counts["linked"] == len(own)


async def test_linking_can_be_switched_off(h: Harness) -> None:
    await h.ok("companies", link_orders_by_inn=False)
    result = await h.ok("orders", link_orders_by_inn=False)
    assert h.calls("sale.propertyvalue.modify") == 0
    assert "linked" not in result.counts
    assert all(o.company_id is None for o in h.world.store.orders.values())


async def test_branches_sharing_an_inn_are_told_apart_by_kpp(h: Harness) -> None:
    await h.ok("companies", link_orders_by_inn=False)
    twin_source = h.world.rows("B2bCompanies")[0]
    await h.bitrix.bridge.item_add(
        "B2bCompanies",
        {
            "UF_XML_ID": "0d0c0b0a-0000-4000-8000-00000000abcd",
            "UF_NAME": "Филиал",
            "UF_INN": twin_source["UF_INN"],
            "UF_KPP": "999901001",
            "UF_ACTIVE": 1,
        },
    )
    result = await h.ok("orders")

    for order_id in h.world.site.sale.orders:
        values = values_of(h.world, order_id)
        if values.get("INN") != twin_source["UF_INN"]:
            continue
        if values.get("KPP") == twin_source["UF_KPP"]:
            assert values["B2B_COMPANY_ID"] == str(twin_source["ID"])
        else:
            assert values.get("B2B_COMPANY_ID") is None, "ambiguous without a КПП"
    assert result.counts["link_ambiguous"] >= 1


async def test_incremental_runs_read_from_the_cursor_minus_the_look_back(h: Harness) -> None:
    await h.ok("companies", link_orders_by_inn=False)
    first = await h.ok("orders")
    linked_at = h.world.store.cursor("orders")
    assert linked_at == h.world.now(), "linking saved those orders: their dateUpdate is now"
    modified = h.calls("sale.propertyvalue.modify")

    h.world.advance(5 * 3600)
    again = await h.ok("orders")
    assert again.counts["indexed"] == first.counts["linked"], "the look-back re-reads them"
    assert h.calls("sale.propertyvalue.modify") == modified

    order_id = sorted(h.world.site.sale.orders)[7]
    await h.bitrix.sale.order_update(order_id, {"statusId": "PA"})
    updated = h.world.site.sale.orders[order_id]["dateUpdate"]
    h.world.advance(60)
    await h.ok("orders")
    assert h.world.store.orders[order_id].status_id == "PA"
    assert h.world.store.orders[order_id].date_update == updated
    assert h.world.store.cursor("orders") == updated

    h.world.advance(60)
    latest = await h.ok("orders")
    assert latest.counts["indexed"] == 1, "only the order changed within the look-back"


async def test_article_basket_properties_are_indexed(h: Harness) -> None:
    order_id = sorted(h.world.site.sale.orders)[3]
    item = h.world.site.sale.items_of(order_id)[0]
    await h.bitrix.call(
        "sale.basketproperties.add",
        {
            "fields": {
                "basketId": item["id"],
                "name": "Артикул",
                "code": "CML2_ARTICLE",
                "value": "BOLT-M10-60",
            }
        },
    )
    await h.ok("orders")
    assert "BOLT-M10-60" in h.world.store.orders[order_id].articles
    assert item["productXmlId"] in h.world.store.orders[order_id].articles


async def test_a_stopped_orders_run_resumes_after_its_last_confirmed_unit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(orders_job, "UNIT", 100)
    async for h in harness(seed=6, companies=3, documents=1, orders=250):
        await h.ok("companies", link_orders_by_inn=False)
        ctx = h.world.context(h.bitrix, None)
        ctx.stop.set()  # SIGTERM while the first unit is under way

        stopped = await sync_orders(ctx)

        ids = sorted(h.world.site.sale.orders)
        assert stopped.stopped
        assert stopped.ok
        assert stopped.counts["indexed"] == 100, "the unit under way is finished and indexed"
        assert h.world.store.cursor("orders") is None
        assert sorted(h.world.store.orders) == ids[:100]
        resume = _resume.load(h.world.store)
        assert resume is not None
        assert (resume.since, resume.after, resume.floor) == (None, ids[99], h.world.now())

        # days pass (longer than the look-back); an order read before the stop changes
        h.world.advance(3 * 86400)
        changed = ids[7]
        await h.bitrix.sale.order_update(changed, {"statusId": "PA"})
        h.world.advance(60)
        finished = await h.ok("orders")

        assert not finished.stopped
        assert finished.notes["resumed_after_order"] == ids[99]
        since_floor = [
            o
            for o, row in h.world.site.sale.orders.items()
            if row["dateUpdate"] >= resume.floor - timedelta(hours=2)
        ]
        assert changed in since_floor
        # the rest of the interrupted pass, then what changed since it began: never ids[:100]
        assert finished.counts["indexed"] == 150 + len(since_floor)
        assert sorted(h.world.store.orders) == ids
        assert h.world.store.orders[changed].status_id == "PA"
        assert _resume.load(h.world.store) is None
        assert h.world.store.cursor("orders") == max(
            row["dateUpdate"] for row in h.world.site.sale.orders.values()
        )


class FailAfterFirstUnit(RecordingProgress):
    """Bitrix goes away (every retry) once the first unit was indexed."""

    def __init__(self, world: World) -> None:
        super().__init__()
        self.world = world

    def advance(self, amount: int = 1) -> None:
        if not self.advanced:
            self.world.app.faults.inject_next(Fault.ERROR_500_HTML, method="batch", count=6)
        super().advance(amount)


async def test_an_error_mid_way_keeps_the_confirmed_units(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(orders_job, "UNIT", 100)
    async for h in harness(seed=6, companies=3, documents=1, orders=250):
        await h.ok("companies", link_orders_by_inn=False)

        failed = await h.run("orders", progress=FailAfterFirstUnit(h.world))

        assert not failed.ok
        assert failed.errors[0].startswith("orders: ")
        ids = sorted(h.world.site.sale.orders)
        resume = _resume.load(h.world.store)
        assert resume is not None
        assert resume.after == ids[99]
        assert h.world.store.cursor("orders") is None

        finished = await h.ok("orders")
        assert finished.notes["resumed_after_order"] == ids[99]
        assert sorted(h.world.store.orders) == ids


async def test_the_orders_stage_has_the_total_of_the_first_page(h: Harness) -> None:
    progress = RecordingProgress()
    await h.ok("companies", link_orders_by_inn=False)
    await h.run("orders", progress=progress)
    assert progress.stages == [("orders", 150)]
    assert progress.advanced == 150
