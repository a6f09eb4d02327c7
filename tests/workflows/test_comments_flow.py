"""Comments end to end: each side hears of the other's comments by bell and mail, and an
internal comment reaches nobody on the buyer's side by any channel."""

from __future__ import annotations

from typing import Any

import pytest

from workflows.testing import add_members

from .conftest import Cabinet

STAFF = 1


async def _comment(
    cab: Cabinet, order: int, author: int, text: str, *, internal: bool = False
) -> int:
    return await cab.bitrix.bridge.item_add(
        "OrderComments",
        {
            "UF_ORDER_ID": order,
            "UF_USER_ID": author,
            "UF_TEXT": text,
            "UF_CREATED_AT": cab.world.now().isoformat(),
            "UF_IS_INTERNAL": 1 if internal else 0,
        },
    )


async def _run(cab: Cabinet) -> None:
    for _ in range(2):
        await cab.service.poll()
    await cab.service.deliver()


@pytest.fixture
async def scene(cabinet: Cabinet) -> dict[str, Any]:
    owner, buyer = cabinet.user(0, "owner"), cabinet.user(0, "buyer")
    manager = await cabinet.manager(0)
    await cabinet.service.poll()  # the watchers start at the newest rows
    order = cabinet.pending_order(0, buyer)
    cabinet.site_status(order, "AP", owner)
    await _run(cabinet)
    return {"owner": owner, "buyer": buyer, "manager": manager, "order": order}


def _told(cab: Cabinet, text: str) -> dict[str, set[int]]:
    """Who heard of the comment holding ``text``, by each channel: the bell (a row of its
    notification, or the text in any row's text or link), the mail (its notification, or the
    text in any field), the outbox."""
    site = cab.world.site
    row = next(r for r in cab.world.rows("OrderComments") if text in r["UF_TEXT"])
    key = f":comment:{row['ID']}:"

    def carries(key_of: str | None, values: Any) -> bool:
        return key in (key_of or "") or any(text in str(v) for v in values)

    return {
        "bell": {
            r["UF_USER_ID"]
            for r in cab.bell()
            if carries(r["UF_DEDUP_KEY"], (r["UF_TEXT"], r["UF_LINK"]))
        },
        "mail": {
            next(u.id for u in site.users.values() if u.email == m.fields["EMAIL_TO"])
            for m in cab.mails()
            if carries(m.dedup_key, m.fields.values())
        },
        "outbox": {
            n.recipient.user_id
            for n in cab.store.notifications.values()  # type: ignore[attr-defined]
            if carries(n.key, n.fields.values())
        },
    }


async def test_a_buyers_comment_reaches_the_manager(cabinet: Cabinet, scene: dict[str, Any]):
    await _comment(cabinet, scene["order"], scene["buyer"], "Когда отгрузите?")
    await _run(cabinet)
    told = _told(cabinet, "Когда отгрузите?")
    assert told == {
        "bell": {scene["manager"]},
        "mail": {scene["manager"]},
        "outbox": {scene["manager"]},
    }
    (mail,) = cabinet.mails("B2B_ORDER_COMMENT")
    assert mail.fields["ORDER_URL"] == f"/personal/b2b/orders/{scene['order']}/"


async def test_a_managers_comment_reaches_the_author_and_the_owners(
    cabinet: Cabinet, scene: dict[str, Any]
):
    await _comment(cabinet, scene["order"], scene["manager"], "Отгрузим в пятницу.")
    await _run(cabinet)
    expected = {scene["buyer"], scene["owner"]}
    assert _told(cabinet, "Отгрузим в пятницу.") == {
        "bell": expected,
        "mail": expected,
        "outbox": expected,
    }
    assert len(cabinet.mails("B2B_ORDER_COMMENT")) == 2
    await _run(cabinet)
    assert len(cabinet.mails("B2B_ORDER_COMMENT")) == 2  # once


async def test_an_internal_comment_never_reaches_the_buyers_side(
    cabinet: Cabinet, scene: dict[str, Any]
):
    """Every way an internal comment could travel: written by the manager, by other staff, by
    a manager who is also a member of the company, flagged on a buyer's row; then everything
    else that happens to the order (a public answer, status changes, a follower)."""
    order, owner, buyer, manager = scene["order"], scene["owner"], scene["buyer"], scene["manager"]
    follower = await cabinet.add_person(0, "viewer")
    await cabinet.bitrix.bridge.item_add(
        "B2bOrderFollowers", {"UF_ORDER_ID": order, "UF_USER_ID": follower}
    )
    await _comment(cabinet, order, manager, "СЕКРЕТ-1 клиент просрочил оплату", internal=True)
    await _comment(cabinet, order, STAFF, "СЕКРЕТ-2 не отгружать", internal=True)
    await _comment(cabinet, order, buyer, "СЕКРЕТ-3 флаг на строке покупателя", internal=True)
    await _run(cabinet)
    # the manager turns out to be a member of the company as well
    await add_members(cabinet.bitrix, [(cabinet.company_id(0), manager, "buyer")])
    await _comment(cabinet, order, STAFF, "СЕКРЕТ-4 после проверки", internal=True)
    await _comment(cabinet, order, STAFF, "Отгрузим в пятницу.")
    cabinet.site_status(order, "P", STAFF)
    await _run(cabinet)

    buyers_side = {owner, buyer, follower, cabinet.user(0, "accountant")}
    for secret in ("СЕКРЕТ-1", "СЕКРЕТ-2", "СЕКРЕТ-3", "СЕКРЕТ-4"):
        told = _told(cabinet, secret)
        reached = told["bell"] | told["mail"] | told["outbox"]
        assert not reached & buyers_side, (secret, told)
    # before the manager was a member: the internal comments of others reached the manager only
    assert _told(cabinet, "СЕКРЕТ-2")["mail"] == {manager}
    assert _told(cabinet, "СЕКРЕТ-3")["mail"] == {manager}
    assert _told(cabinet, "СЕКРЕТ-1")["mail"] == set()  # the manager's own note
    assert _told(cabinet, "СЕКРЕТ-4") == {"bell": set(), "mail": set(), "outbox": set()}
    # the public answer and the status change did reach the buyer's side
    assert buyer in _told(cabinet, "Отгрузим в пятницу.")["mail"]
    changed = {m.fields["EMAIL_TO"] for m in cabinet.mails("B2B_ORDER_STATUS_CHANGED")}
    site = cabinet.world.site
    assert changed == {site.users[buyer].email, site.users[follower].email}
