"""The credit job: 1C figures, month amounts from Bitrix orders, blocking, staleness."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from jobs import _month
from jobs.credit import decide_block
from jobs.testing import RecordingProgress, World
from onec_client import CreditStatus

from .conftest import Harness, harness

MSK = ZoneInfo("Europe/Moscow")


def month_sum(world: World, company_id: int) -> Decimal:
    """The month's non-cancelled orders of a company, straight from the fake's state."""
    now = world.now().astimezone(MSK)
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    total = Decimal(0)
    for order in world.site.sale.orders.values():
        if order["canceled"] == "Y" or order["dateInsert"] < start:
            continue
        values = world.site.sale.values_of(order["id"])
        if any(v["code"] == "B2B_COMPANY_ID" and v["value"] == str(company_id) for v in values):
            total += Decimal(str(order["price"]))
    return total


def credit_row(h: Harness, index: int) -> dict[str, Any]:
    company = h.world.row("B2bCompanies", UF_XML_ID=h.world.guids[index])
    assert company is not None
    row = h.world.row("B2bCreditStatus", UF_COMPANY_ID=company["ID"])
    assert row is not None
    return row


async def test_first_sync_writes_1c_figures_and_the_month_of_orders(h: Harness) -> None:
    await h.ok("companies")
    await h.ok("orders")
    result = await h.ok("credit")

    assert result.counts["added"] == 6
    assert len(h.world.rows("B2bCreditStatus")) == 6
    with_orders = 0
    for index, guid in enumerate(h.world.guids):
        credit = h.world.onec.data.credit[guid]
        row = credit_row(h, index)
        assert (row["UF_CREDIT_LIMIT"] is None) == (credit.limit is None)
        if credit.limit is not None:
            assert Decimal(str(row["UF_CREDIT_LIMIT"])) == credit.limit
        assert Decimal(str(row["UF_CREDIT_USED"])) == credit.used
        assert Decimal(str(row["UF_OVERDUE_AMOUNT"])) == credit.overdue_amount
        expected_since = credit.overdue_since.date() if credit.overdue_since else None
        assert row["UF_OVERDUE_SINCE"] == expected_since
        assert row["UF_CURRENCY"] == "RUB"
        assert row["UF_SOURCE_AT"] == credit.as_of.replace(tzinfo=MSK)
        assert row["UF_SYNCED_AT"] == h.world.now()
        expected = month_sum(h.world, row["UF_COMPANY_ID"])
        assert Decimal(str(row["UF_MONTH_ORDERS_AMOUNT"])).quantize(Decimal("0.01")) == expected
        with_orders += expected > 0
        assert row["UF_ORDER_BLOCKED"] == 0
    assert with_orders >= 3


async def test_second_sync_writes_nothing_and_a_changed_position_one_row(h: Harness) -> None:
    await h.ok("companies")
    await h.ok("orders")
    await h.ok("credit")
    before = h.upserts()
    first_seen = {s.key: s for s in h.world.store.credit_seen()}

    h.world.advance(60)
    await h.ok("credit")
    assert h.upserts() == before
    assert {s.key: s for s in h.world.store.credit_seen()} == first_seen

    position = h.world.onec.data.credit[h.world.guids[0]]
    position.used += Decimal("1000.00")
    position.as_of = h.world.onec_now()
    await h.ok("credit")
    assert h.upserts() == before + 1
    row = credit_row(h, 0)
    assert Decimal(str(row["UF_CREDIT_USED"])) == position.used
    seen = {s.key: s for s in h.world.store.credit_seen()}[h.world.guids[0]]
    assert seen.synced_at == h.world.now()
    assert seen.source_at == position.as_of.replace(tzinfo=MSK)


async def test_overdue_over_the_global_limit_blocks_orders(h: Harness) -> None:
    await h.ok("companies")
    result = await h.ok("credit", overdue_limit=Decimal("1000"))

    overdue = {g for g, c in h.world.onec.data.credit.items() if c.overdue_amount > 1000}
    assert overdue
    assert set(result.notes["blocked"]) == overdue
    for index, guid in enumerate(h.world.guids):
        row = credit_row(h, index)
        assert row["UF_ORDER_BLOCKED"] == (1 if guid in overdue else 0)
        if guid in overdue:
            amount = h.world.onec.data.credit[guid].overdue_amount
            text = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
            assert row["UF_BLOCK_REASON"] == (
                f"Просроченная задолженность {text} RUB превышает допустимую 1 000,00 RUB "
                "(общий лимит)"
            )
        else:
            assert row["UF_BLOCK_REASON"] is None


async def test_the_company_limit_wins_over_the_global_one(h: Harness) -> None:
    await h.ok("companies")
    blocked = next(
        i for i, g in enumerate(h.world.guids) if h.world.onec.data.credit[g].overdue_amount
    )
    guid = h.world.guids[blocked]
    overdue = h.world.onec.data.credit[guid].overdue_amount
    company = h.world.row("B2bCompanies", UF_XML_ID=guid)
    assert company is not None
    await h.bitrix.bridge.item_update(
        "B2bCompanies", company["ID"], {"UF_OVERDUE_LIMIT": str(overdue + 1)}
    )
    await h.ok("credit", overdue_limit=Decimal("1000"))
    assert credit_row(h, blocked)["UF_ORDER_BLOCKED"] == 0

    await h.bitrix.bridge.item_update(
        "B2bCompanies", company["ID"], {"UF_OVERDUE_LIMIT": str(overdue - 1)}
    )
    before = h.upserts()
    await h.ok("credit", overdue_limit=Decimal("1000"))
    assert h.upserts() == before + 1, "only the company whose limit changed is written"
    row = credit_row(h, blocked)
    assert row["UF_ORDER_BLOCKED"] == 1
    assert row["UF_BLOCK_REASON"].endswith("(лимит компании)")


async def test_stale_positions_are_reported(h: Harness) -> None:
    await h.ok("companies")
    progress = RecordingProgress()
    result = await h.ok("credit", progress=progress)

    old = [
        g
        for g, c in h.world.onec.data.credit.items()
        if h.world.onec_now() - c.as_of > timedelta(hours=6)
    ]
    assert len(old) == 1
    assert [s["company"] for s in result.notes["stale"]] == old
    assert result.counts["stale"] == 1
    [event] = progress.named("sync.credit.stale")
    assert event["companies"] == old
    assert h.world.store.stale(h.world.now(), timedelta(hours=6)) == old

    h.world.advance(6 * 3600)
    later = await h.ok("credit")
    assert later.counts["stale"] == 6
    assert len(h.world.store.stale(h.world.now(), timedelta(hours=6))) == 6


async def test_positions_of_strangers_are_skipped_and_missing_ones_counted(h: Harness) -> None:
    await h.ok("companies")
    gone = h.world.guids[2]
    del h.world.onec.data.credit[gone]
    stranger = h.world.onec.data.credit[h.world.guids[3]]
    h.world.onec.data.credit["0d0c0b0a-0000-4000-8000-00000000abcd"] = type(stranger)(
        **{**stranger.__dict__, "counterparty": "0d0c0b0a-0000-4000-8000-00000000abcd"}
    )
    result = await h.ok("credit")
    assert result.counts["not_a_company"] == 1
    assert result.notes["no_position"] == [gone]
    assert len(h.world.rows("B2bCreditStatus")) == 5


async def test_both_month_routes_give_the_same_sums() -> None:
    async for h in harness(seed=5, companies=2, documents=1, orders=300):
        await h.ok("companies")
        await h.ok("orders")
        linked = [
            v for v in h.world.site.sale.property_values.values() if v["code"] == "B2B_COMPANY_ID"
        ]
        assert max(Counter(v["value"] for v in linked).values()) > 50, "several pages a company"
        since = _month.month_start(h.world.now(), MSK)
        ids = [r["ID"] for r in h.world.rows("B2bCompanies")]
        per_company = await _month.by_company(h.bitrix, ids, since, "B2B_COMPANY_ID")
        per_month = await _month.by_month(h.bitrix, since, "B2B_COMPANY_ID")
        assert {k: v for k, v in per_company.items() if v} == per_month
        for company_id in ids:
            assert per_company[company_id] == month_sum(h.world, company_id)
        assert max(per_month.values()) > 0


def position(overdue: str, currency: str = "RUB") -> CreditStatus:
    return CreditStatus(
        counterparty_guid="0d0c0b0a-0000-4000-8000-00000000abcd",
        used=Decimal("10"),
        overdue_amount=Decimal(overdue),
        currency=currency,
        as_of=datetime(2026, 11, 1, tzinfo=MSK),
    )


def test_block_decision() -> None:
    assert not decide_block(position("500"), None, None).blocked
    assert not decide_block(position("500"), None, Decimal("500")).blocked
    assert decide_block(position("500.01"), None, Decimal("500")).blocked
    company = decide_block(position("100"), Decimal("50"), Decimal("1000"))
    assert company.blocked
    assert company.source == "company"
    assert company.reason == (
        "Просроченная задолженность 100,00 RUB превышает допустимую 50,00 RUB (лимит компании)"
    )
    assert not decide_block(position("0"), Decimal("0"), None).blocked
    assert decide_block(position("0.01"), Decimal("0"), Decimal("1000")).blocked


async def test_an_advance_payment_is_a_valid_position(h: Harness) -> None:
    # 1C shows a negative debt when the buyer paid ahead: a prepayment, not a broken record
    await h.ok("companies")
    position = h.world.onec.data.credit[h.world.guids[0]]
    position.limit = Decimal("500000.00")
    position.used = Decimal("-15000.50")
    position.overdue_amount = Decimal(0)
    position.overdue_since = None

    result = await h.ok("credit", overdue_limit=Decimal("1000"))

    assert result.counts["prepaid"] == 1
    assert "quarantined" not in result.counts
    assert h.world.store.quarantined("credit") == []
    row = credit_row(h, 0)
    assert Decimal(str(row["UF_CREDIT_USED"])) == Decimal("-15000.50")
    assert Decimal(str(row["UF_CREDIT_LIMIT"])) == Decimal("500000.00")
    assert row["UF_ORDER_BLOCKED"] == 0


async def test_absurd_amounts_from_1c_are_quarantined_with_a_reason(h: Harness) -> None:
    await h.ok("companies")
    broken = h.world.onec.data.credit[h.world.guids[1]]
    broken.used = Decimal("1E+999999")  # written as inf before
    doc = h.world.documents_of(2)[0]
    doc.amount = Decimal("1E+999999")

    credit = await h.ok("credit")
    documents = await h.ok("documents")

    assert credit.counts["quarantined"] == 1
    assert documents.counts["quarantined"] == 1
    [entry] = h.world.store.quarantined("credit")
    assert entry.key == broken.counterparty
    assert entry.reason.startswith("used: amount '1E+999999' is out of range")
    [parked] = h.world.store.quarantined("documents")
    assert parked.key == doc.guid
    assert parked.reason.startswith("amount: amount '1E+999999' is out of range")
    assert credit_rows_of(h, 1) == []
    assert h.world.row("B2bDocuments", UF_XML_ID=doc.guid) is None
    for row in [*h.world.rows("B2bCreditStatus"), *h.world.rows("B2bDocuments")]:
        for name in ("UF_CREDIT_USED", "UF_CREDIT_LIMIT", "UF_AMOUNT"):
            value = row.get(name)
            assert value is None or abs(float(value)) < 1e13


def credit_rows_of(h: Harness, index: int) -> list[dict[str, Any]]:
    company = h.world.row("B2bCompanies", UF_XML_ID=h.world.guids[index])
    assert company is not None
    return [r for r in h.world.rows("B2bCreditStatus") if r["UF_COMPANY_ID"] == company["ID"]]
