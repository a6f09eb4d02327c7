"""The approval workflow end to end on the fakes: a pending order placed as the order guard saves
it, decisions made on the site, the watcher polling the status log — asserting the orders'
statuses, the status log, the bell's rows and the mails the site sent, with exact counts."""

from __future__ import annotations

from typing import Any

import pytest

from workflows import MoveKind, MoveState
from workflows.testing import add_members

from .conftest import Cabinet

STAFF = 1  # the store's administrator: a site user, no member, not in an override group


async def _settle(cab: Cabinet) -> None:
    """What the daemon does until nothing is left: poll the status log (making the moves it
    calls for), poll again to read b2bsync's own changes back, deliver the outbox."""
    await cab.service.poll("order_events")
    await cab.service.poll("order_events")
    await cab.service.deliver()


def _mails(cab: Cabinet) -> list[tuple[str, str]]:
    """(event, e-mail) of every mail the site sent, in order."""
    return [(m.event_name, m.fields["EMAIL_TO"]) for m in cab.mails()]


def _email(user: int) -> str:
    return f"user{user}@example.ru"


def _bell(cab: Cabinet, kind: str) -> dict[int, dict[str, Any]]:
    return {r["UF_USER_ID"]: r for r in cab.bell() if r["UF_TYPE"] == kind}


async def _start(cab: Cabinet) -> None:
    await cab.service.poll("order_events")  # the watcher starts at the newest row


@pytest.fixture
async def company(cabinet: Cabinet) -> dict[str, int]:
    """Company 0's people, each a site user with a known e-mail."""
    if "viewer" not in cabinet.members[cabinet.company_id(0)]:
        await cabinet.add_person(0, "viewer")
    people = {role: cabinet.user(0, role) for role in ("owner", "buyer", "viewer")}
    for user in people.values():
        cabinet.world.site.users[user].email = _email(user)
    await _start(cabinet)
    return people


async def test_an_owner_approves_and_the_order_goes_on(cabinet: Cabinet, company: dict[str, int]):
    owner, buyer = company["owner"], company["buyer"]
    order = cabinet.pending_order(0, buyer)
    await _settle(cabinet)
    assert sorted(_mails(cabinet)) == [
        ("B2B_ORDER_APPROVAL_REQUIRED", _email(owner)),
        ("B2B_ORDER_CREATED", _email(buyer)),
    ]
    (request,) = cabinet.mails("B2B_ORDER_APPROVAL_REQUIRED")
    assert request.fields["APPROVE_URL"].startswith("https://shop.example.ru/b2bsync/approvals?")
    assert "a=reject" in request.fields["REJECT_URL"]
    person = cabinet.world.site.users[buyer]
    assert request.fields["BUYER_NAME"] == f"{person.name} {person.last_name}".strip()
    assert request.fields["ORDER_AMOUNT"] == "18 450,00 RUB"

    cabinet.site_status(order, "AP", owner)  # the cabinet's approve button
    await _settle(cabinet)
    assert cabinet.order(order)["statusId"] == "N"
    service = cabinet.service_user
    assert cabinet.log(order) == [
        (None, "PA", buyer, None),
        ("PA", "AP", owner, None),
        ("AP", "N", service, None),
    ]
    assert [m.fields["EMAIL_TO"] for m in cabinet.mails("B2B_ORDER_APPROVED")] == [_email(buyer)]
    assert cabinet.mails("B2B_ORDER_STATUS_CHANGED") == []  # b2bsync's own move is not news
    assert len(cabinet.mails()) == 3
    assert set(_bell(cabinet, "B2B_ORDER_APPROVED")) == {buyer}
    (move,) = cabinet.store.moves.values()  # type: ignore[attr-defined]
    assert (move.kind, move.state, move.seen_event) == (MoveKind.move_on, MoveState.done, 3)

    # the order goes on being processed: the buyer hears of it now
    cabinet.site_status(order, "P", STAFF)
    await _settle(cabinet)
    changed = cabinet.mails("B2B_ORDER_STATUS_CHANGED")
    assert [m.fields["EMAIL_TO"] for m in changed] == [_email(buyer)]
    # nothing more, however often the daemon polls
    await _settle(cabinet)
    assert len(cabinet.mails()) == 4


async def test_an_owner_rejects_with_a_reason_and_the_order_is_cancelled(
    cabinet: Cabinet, company: dict[str, int]
):
    owner, buyer = company["owner"], company["buyer"]
    order = cabinet.pending_order(0, buyer)
    await _settle(cabinet)
    cabinet.site_status(order, "RJ", owner, reason="Дорого, закажем у другого поставщика")
    await _settle(cabinet)
    row = cabinet.order(order)
    assert (row["statusId"], row["canceled"]) == ("RJ", "Y")
    assert row["reasonCanceled"] == "Дорого, закажем у другого поставщика"
    assert len(cabinet.log(order)) == 2  # a cancellation is no status change
    (mail,) = cabinet.mails("B2B_ORDER_REJECTED")
    assert mail.fields["EMAIL_TO"] == _email(buyer)
    assert mail.fields["REASON"] == "Дорого, закажем у другого поставщика"
    assert mail.fields["REJECTED_BY_NAME"]
    bell = _bell(cabinet, "B2B_ORDER_REJECTED")[buyer]
    assert bell["UF_TEXT"].endswith("отклонён: Дорого, закажем у другого поставщика")
    await _settle(cabinet)
    assert len(cabinet.mails()) == 3  # created, approval required, rejected


@pytest.mark.parametrize(
    ("who", "to"),
    [
        ("buyer", "AP"),  # the author approves their own order
        ("viewer", "AP"),  # a member whose role does not approve
        ("viewer", "RJ"),
        ("staff", "N"),  # a manager without the override processes it
        ("agent", "AP"),  # no user: an agent, the 1C exchange
    ],
)
async def test_a_change_by_someone_without_the_right_is_reverted(
    cabinet: Cabinet, company: dict[str, int], who: str, to: str
):
    buyer = company["buyer"]
    actor = {"staff": STAFF, "agent": None}.get(who, company.get(who))
    order = cabinet.pending_order(0, buyer)
    await _settle(cabinet)
    before = len(cabinet.mails())
    cabinet.site_status(order, to, actor)
    await _settle(cabinet)
    row = cabinet.order(order)
    assert (row["statusId"], row["canceled"]) == ("PA", "N")
    service = cabinet.service_user
    (*_, unauthorised, revert) = cabinet.log(order)
    assert unauthorised == ("PA", to, actor, None)
    assert revert[:3] == (to, "PA", service)
    assert revert[3]  # the reason the cabinet's history shows
    assert len(cabinet.mails()) == before  # nobody is told anything twice
    stats = cabinet.store.approval_stats()
    assert (stats.reverted, stats.pending_moves) == (1, 0)
    assert stats.recent_reverts[0].actor == actor
    # read back as b2bsync's own: not reverted, nothing announced, however often polled
    await _settle(cabinet)
    assert len(cabinet.log(order)) == 3
    assert cabinet.store.approval_stats().reverted == 1


@pytest.mark.parametrize(
    ("self_approval", "second_owner", "allowed"),
    [(False, True, False), (True, True, True), (False, False, True)],
)
async def test_the_self_approval_rule(
    cabinet: Cabinet,
    company: dict[str, int],
    self_approval: bool,
    second_owner: bool,
    allowed: bool,
):
    cabinet.reconfigure(self_approval=self_approval)
    author = company["owner"]
    other = await cabinet.add_person(0, "owner") if second_owner else None
    order = cabinet.pending_order(0, author)
    await _settle(cabinet)
    asked = {m.fields["EMAIL_TO"] for m in cabinet.mails("B2B_ORDER_APPROVAL_REQUIRED")}
    expected = {_email(author)} if not second_owner else {f"user{other}@example.ru"}
    if self_approval and second_owner:
        expected.add(_email(author))
    assert asked == expected
    cabinet.site_status(order, "AP", author)
    await _settle(cabinet)
    assert cabinet.order(order)["statusId"] == ("N" if allowed else "PA")
    approved = [m.fields["EMAIL_TO"] for m in cabinet.mails("B2B_ORDER_APPROVED")]
    assert approved == ([f"user{other}@example.ru"] if allowed and other else [])


async def test_a_manager_in_an_override_group_decides(cabinet: Cabinet, company: dict[str, int]):
    from .conftest import MANAGERS_GROUP

    cabinet.reconfigure(override_groups=frozenset({MANAGERS_GROUP}))
    allowed = await cabinet.manager(0, override=True)
    plain = await cabinet.manager(1)
    owner, buyer = company["owner"], company["buyer"]
    first, second = cabinet.pending_order(0, buyer), cabinet.pending_order(0, buyer)
    await _settle(cabinet)
    cabinet.site_status(first, "AP", allowed)
    cabinet.site_status(second, "AP", plain)
    await _settle(cabinet)
    assert cabinet.order(first)["statusId"] == "N"
    assert cabinet.order(second)["statusId"] == "PA"
    approved = sorted(m.fields["EMAIL_TO"] for m in cabinet.mails("B2B_ORDER_APPROVED"))
    assert approved == sorted([_email(buyer), _email(owner)])


async def test_an_inactive_owner_has_no_right(cabinet: Cabinet, company: dict[str, int]):
    former = await cabinet.add_person(0, "owner")
    await add_members(cabinet.bitrix, [(cabinet.company_id(0), former, "owner")], active=False)
    order = cabinet.pending_order(0, company["buyer"])
    await _settle(cabinet)
    cabinet.site_status(order, "AP", former)
    await _settle(cabinet)
    assert cabinet.order(order)["statusId"] == "PA"


async def test_a_manager_moving_an_order_into_pending_asks_the_owners(
    cabinet: Cabinet, company: dict[str, int]
):
    owner, buyer = company["owner"], company["buyer"]
    order = cabinet.pending_order(0, buyer)
    cabinet.site_status(order, "AP", owner)
    await _settle(cabinet)
    assert cabinet.order(order)["statusId"] == "N"
    before = len(cabinet.mails("B2B_ORDER_APPROVAL_REQUIRED"))
    cabinet.site_status(order, "PA", STAFF)  # the basket changed: decide again
    await _settle(cabinet)
    assert len(cabinet.mails("B2B_ORDER_APPROVAL_REQUIRED")) == before + 1
    assert cabinet.mails("B2B_ORDER_STATUS_CHANGED") == []


async def test_a_move_killed_before_it_was_recorded_is_not_made_twice(
    sql_cabinet: Cabinet,
):
    cab = sql_cabinet
    owner, buyer = cab.user(0, "owner"), cab.user(0, "buyer")
    await _start(cab)
    order = cab.pending_order(0, buyer)
    await cab.service.poll("order_events")
    cab.site_status(order, "AP", owner)
    # the move is recorded with the poll; made on the site; then the process dies before
    # recording that it was made
    finish = cab.store.finish_move
    cab.store.finish_move = lambda *a, **k: None  # type: ignore[method-assign]
    await cab.service.poll("order_events")
    cab.store.finish_move = finish  # type: ignore[method-assign]
    assert cab.order(order)["statusId"] == "N"
    assert cab.store.due_moves(10)  # still pending in the store
    # the next process: it finds the move made, reads its row back as its own
    await cab.service.poll("order_events")
    await cab.service.poll("order_events")
    assert cab.store.due_moves(10) == []
    assert [r[1] for r in cab.log(order)] == ["PA", "AP", "N"]
    stats = cab.store.approval_stats()
    assert (stats.reverted, stats.pending_moves, stats.failed_moves) == (0, 0, ())


async def test_reminder_then_escalation_each_once(cabinet: Cabinet, company: dict[str, int]):
    owner, buyer = company["owner"], company["buyer"]
    manager = await cabinet.manager(0)
    cabinet.world.site.users[manager].email = "manager@shop.example.ru"
    order = cabinet.pending_order(0, buyer)
    await _settle(cabinet)

    async def remind() -> list[tuple[str, str]]:
        await cabinet.service.remind()
        await cabinet.service.deliver()
        return [
            (m.fields["EMAIL_TO"], m.fields["APPROVAL_REASON"])
            for m in cabinet.mails("B2B_ORDER_APPROVAL_REQUIRED")
        ][1:]

    cabinet.world.advance(23 * 3600)
    assert await remind() == []
    cabinet.world.advance(3600)
    assert await remind() == [(_email(owner), "заказ ждёт решения дольше 24 ч")]
    # an unauthorised change and its revert do not restart the clock
    cabinet.site_status(order, "AP", buyer)
    await _settle(cabinet)
    assert cabinet.order(order)["statusId"] == "PA"
    cabinet.world.advance(24 * 3600)
    assert len(await remind()) == 1
    cabinet.world.advance(24 * 3600)  # 72 h
    sent = await remind()
    assert sent[1:] == [
        ("manager@shop.example.ru", "владельцы компании не приняли решение за 72 ч")
    ]
    (escalation,) = [
        m for m in cabinet.mails("B2B_ORDER_APPROVAL_REQUIRED") if "manager" in m.fields["EMAIL_TO"]
    ]
    assert escalation.fields["APPROVE_URL"] == ""  # the manager may not decide: no links
    cabinet.world.advance(7 * 24 * 3600)
    assert len(await remind()) == 2  # each once
    # decided: its episode ends, nothing is pending any more
    cabinet.site_status(order, "AP", owner)
    await _settle(cabinet)
    await cabinet.service.remind()
    assert cabinet.store.approval_stats().pending_orders == 0


async def test_a_reminder_offers_new_links_to_the_owners(cabinet: Cabinet, company: dict[str, int]):
    cabinet.pending_order(0, company["buyer"])
    await _settle(cabinet)
    cabinet.world.advance(25 * 3600)
    await cabinet.service.remind()
    await cabinet.service.deliver()
    first, reminder = cabinet.mails("B2B_ORDER_APPROVAL_REQUIRED")
    assert reminder.fields["APPROVE_URL"].startswith("https://shop.example.ru/b2bsync/")
    assert reminder.fields["APPROVE_URL"] != first.fields["APPROVE_URL"]


# Found by the orders state machine (test_orders_machine.py): stale moves, a forgotten episode,
# cancelled orders asked for approval.


async def _read_only(cab: Cabinet) -> None:
    """The daemon reads the status log (its moves recorded) and dies before making them."""
    from workflows import poll

    watcher = next(w for w in cab.service.watchers if w.name == "order_events")
    await poll(watcher, cab.store, cab.service.context, cab.world.now)


async def test_a_revert_made_before_a_kill_never_undoes_a_later_decision(
    cabinet: Cabinet, company: dict[str, int]
):
    owner, buyer = company["owner"], company["buyer"]
    order = cabinet.pending_order(0, buyer)
    await _settle(cabinet)
    cabinet.site_status(order, "AP", buyer)
    # the revert is made on the site; the process dies before recording it
    finish = cabinet.store.finish_move
    cabinet.store.finish_move = lambda *a, **k: None  # type: ignore[method-assign]
    await cabinet.service.poll("order_events")
    cabinet.store.finish_move = finish  # type: ignore[method-assign]
    assert cabinet.order(order)["statusId"] == "PA"
    cabinet.site_status(order, "AP", owner)  # the owner decides before the daemon is back
    await _settle(cabinet)
    await _settle(cabinet)
    assert cabinet.order(order)["statusId"] == "N"
    service = cabinet.service_user
    assert [r[:3] for r in cabinet.log(order)][-3:] == [
        ("AP", "PA", service),
        ("PA", "AP", owner),
        ("AP", "N", service),
    ]
    assert [m.fields["EMAIL_TO"] for m in cabinet.mails("B2B_ORDER_APPROVED")] == [_email(buyer)]
    assert len(cabinet.mails("B2B_ORDER_APPROVAL_REQUIRED")) == 1  # asked once


@pytest.mark.parametrize("killed", [False, True], ids=["one-poll", "killed-before-the-moves"])
async def test_a_change_overtaken_by_a_return_to_pending_is_not_reverted(
    cabinet: Cabinet, company: dict[str, int], killed: bool
):
    """An unauthorised change, the order put back to pending by hand and then approved by an
    owner — all before b2bsync made the revert: the revert is moot, the approval stands."""
    owner, buyer = company["owner"], company["buyer"]
    order = cabinet.pending_order(0, buyer)
    await _settle(cabinet)
    cabinet.site_status(order, "AP", STAFF)
    if killed:
        await _read_only(cabinet)
    cabinet.site_status(order, "PA", STAFF)
    cabinet.site_status(order, "AP", owner)
    await _settle(cabinet)
    await _settle(cabinet)
    assert cabinet.order(order)["statusId"] == "N"
    assert [r[1] for r in cabinet.log(order)] == ["PA", "AP", "PA", "AP", "N"]
    assert [m.fields["EMAIL_TO"] for m in cabinet.mails("B2B_ORDER_APPROVED")] == [_email(buyer)]
    # killed: the hand-made return to pending stands for the recorded revert; in one poll the
    # revert is never recorded at all
    moves = [m.kind for m in cabinet.store.moves.values()]  # type: ignore[attr-defined]
    assert moves == (["revert", "move_on"] if killed else ["move_on"])


async def test_a_rejection_overtaken_by_a_return_to_pending_cancels_nothing(
    cabinet: Cabinet, company: dict[str, int]
):
    """Rejected, and put back to pending before b2bsync cancelled the order; then someone
    without the right rejects it: the first cancellation is moot, the change is reverted."""
    owner, buyer = company["owner"], company["buyer"]
    order = cabinet.pending_order(0, buyer)
    await _settle(cabinet)
    cabinet.site_status(order, "RJ", owner, reason="Дорого")
    await _read_only(cabinet)  # the cancellation is recorded, not made
    cabinet.site_status(order, "PA", STAFF)  # the manager asks the owner to think again
    cabinet.site_status(order, "RJ", buyer, reason="Передумал")
    await _settle(cabinet)
    await _settle(cabinet)
    row = cabinet.order(order)
    assert (row["statusId"], row["canceled"], row["reasonCanceled"]) == ("PA", "N", "")
    moves = [(m.kind, m.state) for m in cabinet.store.moves.values()]  # type: ignore[attr-defined]
    assert moves == [("cancel", "skipped"), ("revert", "done")]


async def test_a_change_awaiting_its_revert_keeps_the_reminder_clock(
    cabinet: Cabinet, company: dict[str, int]
):
    """The reminder sweep runs between an unauthorised change and the poll that reverts it: the
    order's pending episode survives, so the owner is reminded once, 24 h after the start."""
    owner, buyer = company["owner"], company["buyer"]
    order = cabinet.pending_order(0, buyer)
    await _settle(cabinet)
    start = int(cabinet.world.now().timestamp())
    cabinet.world.advance(20 * 3600)
    cabinet.site_status(order, "AP", buyer)
    await cabinet.service.remind()  # the sweep before the watcher: the change is not read yet
    await _settle(cabinet)
    assert cabinet.order(order)["statusId"] == "PA"
    cabinet.world.advance(5 * 3600)
    await cabinet.service.remind()
    await cabinet.service.deliver()
    asked = cabinet.mails("B2B_ORDER_APPROVAL_REQUIRED")
    reminders = [m.dedup_key for m in asked if ":remind:" in m.dedup_key]
    assert reminders == [f"B2B_ORDER_APPROVAL_REQUIRED:order:{order}:remind:{start}:{owner}"]
    cabinet.world.advance(20 * 3600)
    await cabinet.service.remind()
    await cabinet.service.deliver()
    assert len(cabinet.mails("B2B_ORDER_APPROVAL_REQUIRED")) == 2  # the request, one reminder


async def test_a_return_to_pending_not_read_yet_is_no_late_reminder(
    cabinet: Cabinet, company: dict[str, int]
):
    """Approved and put back to pending 23 h into its wait, both changes not read yet when the
    check runs: the order is not reminded against the episode that ended — its new one is
    reminded 24 h after it began."""
    owner, buyer = company["owner"], company["buyer"]
    order = cabinet.pending_order(0, buyer)
    await _settle(cabinet)
    cabinet.world.advance(23 * 3600)
    cabinet.site_status(order, "AP", owner)
    cabinet.site_status(order, "PA", STAFF)
    again = int(cabinet.world.now().timestamp())
    cabinet.world.advance(2 * 3600)
    await cabinet.service.remind()
    await _settle(cabinet)
    asked = [m.dedup_key for m in cabinet.mails("B2B_ORDER_APPROVAL_REQUIRED")]
    assert [k for k in asked if ":remind:" in k] == []
    cabinet.world.advance(22 * 3600)
    await cabinet.service.remind()
    await cabinet.service.deliver()
    asked = [m.dedup_key for m in cabinet.mails("B2B_ORDER_APPROVAL_REQUIRED")]
    assert [k for k in asked if ":remind:" in k] == [
        f"B2B_ORDER_APPROVAL_REQUIRED:order:{order}:remind:{again}:{owner}"
    ]


async def test_a_cancelled_order_is_out_of_the_approval_workflow(
    cabinet: Cabinet, company: dict[str, int]
):
    """Rejected and cancelled, then put back to pending on the admin panel: nobody is asked to
    decide a cancelled order (its links would be refused, it is never reminded), and its status
    changes are plain status changes."""
    owner, buyer = company["owner"], company["buyer"]
    order = cabinet.pending_order(0, buyer)
    await _settle(cabinet)
    cabinet.site_status(order, "RJ", owner, reason="Дорого")
    await _settle(cabinet)
    assert cabinet.order(order)["canceled"] == "Y"
    before = len(cabinet.mails())
    cabinet.site_status(order, "PA", STAFF)
    cabinet.site_status(order, "AP", owner)
    await _settle(cabinet)
    await _settle(cabinet)
    assert cabinet.order(order)["statusId"] == "AP"  # not moved on: the order is cancelled
    assert [(m.event_name, m.fields["EMAIL_TO"]) for m in cabinet.mails()[before:]] == [
        ("B2B_ORDER_STATUS_CHANGED", _email(buyer)),
        ("B2B_ORDER_STATUS_CHANGED", _email(buyer)),
    ]
    assert cabinet.store.approval_stats().pending_orders == 0
