"""The watchers' policies against the Bitrix fake: who hears of a status change, a comment, a
new document and a blocked company — and who never does."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from workflows import Notification

from .conftest import Cabinet

STAFF = 1  # the webhook's user: the store's administrator


async def _company_order(cab: Cabinet, index: int, author: int) -> int:
    """An order linked to company ``index`` (through ``sync orders``), placed by ``author``."""
    if not cab.world.site.bridge.block_by_name("B2bCompanies"):
        raise AssertionError("schema missing")
    await cab.sync("orders")
    company = str(cab.company_id(index))
    sale = cab.world.site.sale
    for row in sale.property_values.values():
        if row.get("code") == "B2B_COMPANY_ID" and str(row.get("value")) == company:
            order = sale.orders[int(row["orderId"])]
            order["userId"] = author
            order["statusId"] = "N"
            return int(order["id"])
    raise AssertionError(f"company {index} has no orders")


async def _set_status(cab: Cabinet, order_id: int, status: str) -> None:
    await cab.bitrix.sale.order_update(order_id, {"statusId": status})


def _new(cab: Cabinet, kind: str) -> list[Notification]:
    return [n for n in cab.store.notifications.values() if n.type == kind]  # type: ignore[attr-defined]


async def _poll(cab: Cabinet, watcher: str) -> None:
    await cab.service.poll(watcher)


# -- status changes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "active", "old", "new", "actor", "told"),
    [
        ("buyer", True, "N", "F", STAFF, True),
        ("owner", True, "N", "F", STAFF, True),
        ("accountant", True, "N", "F", STAFF, False),  # accountants do not see orders
        ("buyer", False, "N", "F", STAFF, False),  # no longer a member
        ("buyer", True, "N", "PA", STAFF, False),  # approval: the approval workflow's
        ("buyer", True, "PA", "AP", STAFF, False),
        ("buyer", True, "N", "F", "author", False),  # the buyer did it
    ],
)
async def test_who_hears_of_a_status_change(
    cabinet: Cabinet, role: str, active: bool, old: str, new: str, actor: Any, told: bool
):
    author = await cabinet.add_person(0, role)
    if not active:
        from workflows.testing import add_members

        await add_members(cabinet.bitrix, [(cabinet.company_id(0), author, role)], active=False)
    order = await _company_order(cabinet, 0, author)
    await _poll(cabinet, "order_events")  # starts the watcher at the newest event
    from bitrix_client.fake._bridge_events import record_status_change

    record_status_change(
        cabinet.world.site, order, old, new, author if actor == "author" else actor
    )
    await _poll(cabinet, "order_events")
    notes = _new(cabinet, "B2B_ORDER_STATUS_CHANGED")
    assert [n.recipient.user_id for n in notes] == ([author] if told else [])


async def test_a_status_change_through_rest_reaches_the_bell_and_the_mail(cabinet: Cabinet):
    author = await cabinet.add_person(1, "buyer", language="en")
    order = await _company_order(cabinet, 1, author)
    await _poll(cabinet, "order_events")
    await _set_status(cabinet, order, "F")
    await _poll(cabinet, "order_events")
    await cabinet.service.deliver()
    (row,) = [r for r in cabinet.bell() if r["UF_TYPE"] == "B2B_ORDER_STATUS_CHANGED"]
    assert row["UF_USER_ID"] == author
    assert row["UF_LINK"] == f"/personal/b2b/orders/{order}/"
    assert row["UF_TEXT"].startswith(f"Order {order}: ")
    (mail,) = cabinet.mails("B2B_ORDER_STATUS_CHANGED")
    assert mail.language_id == "en"
    assert mail.fields["ORDER_ID"] == str(order)
    assert mail.fields["EMAIL_TO"] == f"user{author}@example.ru"
    # a second poll finds nothing new; a replayed delivery sends nothing
    await _poll(cabinet, "order_events")
    await cabinet.service.deliver()
    assert len(cabinet.mails("B2B_ORDER_STATUS_CHANGED")) == 1


# -- comments ---------------------------------------------------------------------------------


async def _comment(cab: Cabinet, order: int, author: int, *, internal: bool = False) -> int:
    return await cab.bitrix.bridge.item_add(
        "OrderComments",
        {
            "UF_ORDER_ID": order,
            "UF_USER_ID": author,
            "UF_TEXT": "Когда доставка?",
            "UF_CREATED_AT": cab.world.now().isoformat(),
            "UF_IS_INTERNAL": 1 if internal else 0,
        },
    )


async def _set_manager(cab: Cabinet, index: int, manager: int | None) -> None:
    await cab.bitrix.bridge.item_update(
        "B2bCompanies", cab.company_id(index), {"UF_MANAGER_ID": manager or ""}
    )


@pytest.mark.parametrize(
    ("writer", "internal", "heard_by"),
    [
        ("buyer", False, {"manager"}),
        ("staff", False, {"buyer", "owner"}),
        ("staff", True, {"manager"}),  # internal: never a buyer, by any channel
        ("manager", False, {"buyer", "owner"}),
        ("manager", True, set()),  # the manager's own internal note reaches nobody
        ("owner", False, {"manager"}),
    ],
)
async def test_who_hears_of_a_comment(
    cabinet: Cabinet, writer: str, internal: bool, heard_by: set[str]
):
    owner = cabinet.user(0, "owner")
    buyer = await cabinet.add_person(0, "buyer")
    manager = await cabinet.add_person(1, "viewer")  # a user of the site, not of company 0
    await _set_manager(cabinet, 0, manager)
    who = {"buyer": buyer, "owner": owner, "manager": manager, "staff": STAFF}
    order = await _company_order(cabinet, 0, buyer)
    await _poll(cabinet, "order_comments")
    await _comment(cabinet, order, who[writer], internal=internal)
    await _poll(cabinet, "order_comments")
    users = {n.recipient.user_id for n in _new(cabinet, "B2B_ORDER_COMMENT")}
    assert users == {who[name] for name in heard_by}


async def test_a_buyers_comment_without_a_manager_reaches_nobody(cabinet: Cabinet):
    buyer = await cabinet.add_person(0, "buyer")
    await _set_manager(cabinet, 0, None)
    order = await _company_order(cabinet, 0, buyer)
    await _poll(cabinet, "order_comments")
    await _comment(cabinet, order, buyer)
    await _poll(cabinet, "order_comments")
    assert _new(cabinet, "B2B_ORDER_COMMENT") == []


# -- documents --------------------------------------------------------------------------------


async def test_a_new_document_reaches_the_owner_and_the_accountant(cabinet: Cabinet):
    await cabinet.sync("documents")  # the first sync is the history: nothing to announce
    await _poll(cabinet, "facts")
    assert cabinet.store.outbox_stats().pending == 0
    viewer = await cabinet.add_person(0, "viewer")
    english = await cabinet.add_person(0, "accountant", language="en")
    doc = cabinet.new_document(0, type="invoice", number="0000-000777")
    cabinet.world.advance(60)
    result = await cabinet.sync("documents")
    assert result.counts["announced"] == 1
    await _poll(cabinet, "facts")
    notes = _new(cabinet, "B2B_DOCUMENT_READY")
    expected = {cabinet.user(0, "owner"), cabinet.user(0, "accountant"), english}
    assert {n.recipient.user_id for n in notes} == expected
    assert viewer not in {n.recipient.user_id for n in notes}
    assert all(n.key.startswith(f"B2B_DOCUMENT_READY:doc:{doc.guid}:") for n in notes)
    await cabinet.service.deliver()
    texts = {r["UF_USER_ID"]: r["UF_TEXT"] for r in cabinet.bell()}
    assert texts[english].startswith("Invoice 0000-000777 of ")
    assert texts[cabinet.user(0, "owner")].startswith("Счёт №0000-000777 от ")
    mails = cabinet.mails("B2B_DOCUMENT_READY")
    assert sorted(m.language_id for m in mails) == ["en", "ru", "ru"]
    # the next run of the job announces nothing again
    cabinet.world.advance(60)
    result = await cabinet.sync("documents")
    assert "announced" not in result.counts
    await _poll(cabinet, "facts")
    assert len(_new(cabinet, "B2B_DOCUMENT_READY")) == 3


async def test_a_document_deleted_in_1c_is_not_news(cabinet: Cabinet):
    await cabinet.sync("documents")
    cabinet.new_document(0, deleted=True)
    cabinet.world.advance(60)
    result = await cabinet.sync("documents")
    assert "announced" not in result.counts
    assert cabinet.store.facts == []  # type: ignore[attr-defined]


# -- credit -----------------------------------------------------------------------------------


async def test_a_newly_blocked_company_tells_owners_and_accountants_once(cabinet: Cabinet):
    generous = {"overdue_limit": Decimal(10**9)}
    strict = {"overdue_limit": Decimal(1000)}
    await cabinet.sync("orders")
    await cabinet.sync("credit", **strict)  # first sight of every company: history, no news
    assert cabinet.store.facts == []  # type: ignore[attr-defined]
    await cabinet.sync("credit", **generous)  # paid up (as far as the limit goes)
    result = await cabinet.sync("credit", **strict)
    blocked = result.notes["blocked"]
    assert result.counts["newly_blocked"] == len(blocked) > 0
    await _poll(cabinet, "facts")
    notes = _new(cabinet, "B2B_CREDIT_BLOCKED")
    index = cabinet.world.guids.index(blocked[0])
    company = cabinet.company_id(index)
    mine = {n.recipient.user_id for n in notes if n.fields["COMPANY_NAME"]}
    for role in ("owner", "accountant"):
        if role in cabinet.members[company]:
            assert cabinet.members[company][role] in mine
    assert all(n.fields["BLOCK_REASON"].startswith("просроченная задолженность") for n in notes)
    assert all(n.fields["FINANCE_URL"] == "/personal/b2b/finance/" for n in notes)
    before = len(notes)
    again = await cabinet.sync("credit", **strict)  # still blocked: not news
    assert "newly_blocked" not in again.counts
    await _poll(cabinet, "facts")
    assert len(_new(cabinet, "B2B_CREDIT_BLOCKED")) == before
