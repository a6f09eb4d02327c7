"""The approval workflow's pure rules, each as one table: (change, actor) → act, who the actor
is, who is asked to approve, what a move does given the order as it is now, and the one-click
links' signatures."""

from __future__ import annotations

from datetime import timedelta

import pytest

from workflows import (
    Act,
    Actor,
    ApprovalConfig,
    ApprovalLink,
    ApprovalLinks,
    Expired,
    LinkInvalid,
    Member,
    Move,
    MoveKind,
    approvers,
    classify,
    verify_approval_link,
)
from workflows._moves import plan
from workflows.approval import RULES, Change, decide, revert_reason

A, R, L = Change.approve, Change.reject, Change.leave


@pytest.mark.parametrize(
    ("change", "actor", "act"),
    [
        (A, Actor.approver, Act.move_on),
        (A, Actor.override, Act.move_on),
        (R, Actor.approver, Act.cancel),
        (R, Actor.override, Act.cancel),
        (L, Actor.approver, Act.accept),
        (L, Actor.override, Act.accept),
        *[
            (c, a, Act.revert)
            for c in Change
            for a in Actor
            if a not in (Actor.approver, Actor.override)
        ],
    ],
)
def test_the_decision_table(change: Change, actor: Actor, act: Act):
    assert decide(change, actor) is act


def test_the_table_lists_only_what_is_not_reverted():
    assert set(RULES.values()) == {Act.move_on, Act.cancel, Act.accept}
    assert all(
        revert_reason(a, lang)
        for a in Actor
        if a not in (Actor.approver, Actor.override)
        for lang in ("ru", "en")
    )


CONFIG = ApprovalConfig()


@pytest.mark.parametrize(
    ("old", "new", "change"),
    [
        ("PA", "AP", A),
        ("PA", "RJ", R),
        ("PA", "N", L),
        ("PA", "F", L),
        ("PA", "PA", None),
        ("N", "AP", None),
        ("", "PA", None),
        ("AP", "N", None),
    ],
)
def test_which_rows_leave_the_pending_status(old: str, new: str, change: Change | None):
    assert CONFIG.change(old, new) is change


OWNER, SECOND, BUYER, VIEWER, FORMER, MANAGER = 10, 11, 20, 30, 40, 50


def _members(*extra: Member) -> list[Member]:
    return [
        Member(1, OWNER, "owner", True),
        Member(1, BUYER, "buyer", True),
        Member(1, VIEWER, "viewer", True),
        Member(1, FORMER, "owner", False),
        *extra,
    ]


WITH_SECOND = (Member(1, SECOND, "owner", True),)


@pytest.mark.parametrize(
    ("user", "author", "extra", "groups", "self_approval", "actor"),
    [
        (OWNER, BUYER, (), (), False, Actor.approver),
        (OWNER, OWNER, (), (), False, Actor.approver),  # the only owner approves their own
        (OWNER, OWNER, WITH_SECOND, (), False, Actor.own_order),
        (OWNER, OWNER, WITH_SECOND, (), True, Actor.approver),
        (SECOND, OWNER, WITH_SECOND, (), False, Actor.approver),
        (BUYER, BUYER, (), (), False, Actor.member),
        (VIEWER, BUYER, (), (), False, Actor.member),
        (FORMER, BUYER, (), (), False, Actor.outsider),  # deactivated
        (MANAGER, BUYER, (), (3, 4), False, Actor.outsider),
        (MANAGER, BUYER, (), (3, 4, 7), False, Actor.override),
        (BUYER, BUYER, (), (7,), False, Actor.override),  # the group decides, not the role
        (None, BUYER, (), (), False, Actor.nobody),
    ],
)
def test_who_the_actor_is(
    user: int | None,
    author: int,
    extra: tuple[Member, ...],
    groups: tuple[int, ...],
    self_approval: bool,
    actor: Actor,
):
    config = ApprovalConfig(self_approval=self_approval, override_groups=frozenset({7}))
    assert classify(user, author, _members(*extra), groups, config) is actor


@pytest.mark.parametrize(
    ("author", "extra", "self_approval", "asked"),
    [
        (BUYER, (), False, [OWNER]),
        (OWNER, (), False, [OWNER]),
        (OWNER, WITH_SECOND, False, [SECOND]),
        (OWNER, WITH_SECOND, True, [OWNER, SECOND]),
        (BUYER, WITH_SECOND, False, [OWNER, SECOND]),
    ],
)
def test_who_is_asked_to_approve(
    author: int, extra: tuple[Member, ...], self_approval: bool, asked: list[int]
):
    config = ApprovalConfig(self_approval=self_approval)
    assert approvers(author, _members(*extra), config) == asked


def _move(kind: MoveKind, old: str, new: str) -> Move:
    return Move(1, kind, old, new, cause_event=5, id=1)


@pytest.mark.parametrize(
    ("kind", "old", "new", "status", "canceled", "step"),
    [
        (MoveKind.move_on, "AP", "N", "AP", "N", "make"),
        (MoveKind.move_on, "AP", "N", "N", "N", "done"),  # made before a crash
        (MoveKind.move_on, "AP", "N", "P", "N", "skipped"),  # moved on by someone
        (MoveKind.move_on, "AP", "N", "AP", "Y", "skipped"),
        (MoveKind.revert, "AP", "PA", "AP", "N", "make"),
        (MoveKind.revert, "AP", "PA", "N", "N", "make"),  # moved further: still not allowed
        (MoveKind.revert, "AP", "PA", "PA", "N", "done"),
        (MoveKind.revert, "AP", "PA", "AP", "Y", "skipped"),
        (MoveKind.cancel, "RJ", "RJ", "RJ", "N", "make"),
        (MoveKind.cancel, "RJ", "RJ", "RJ", "Y", "done"),
        (MoveKind.cancel, "RJ", "RJ", "N", "N", "skipped"),  # reopened by the store
    ],
)
def test_what_a_move_does_given_the_order_now(
    kind: MoveKind, old: str, new: str, status: str, canceled: str, step: str
):
    order = {"id": 1, "statusId": status, "canceled": canceled}
    assert plan(_move(kind, old, new), order, CONFIG) == step


def test_a_move_of_an_order_that_is_gone_is_skipped():
    assert plan(_move(MoveKind.move_on, "AP", "N"), None, CONFIG) == "skipped"


SECRET = "s3cr3t-key-for-tests-0123456789abcdef"
LINKS = ApprovalLinks(SECRET, "https://shop.example.ru/b2bsync/")


def _fields(url: str) -> dict[str, str | None]:
    from urllib.parse import parse_qsl, urlsplit

    parts = urlsplit(url)
    assert (
        f"{parts.scheme}://{parts.netloc}{parts.path}"
        == "https://shop.example.ru/b2bsync/approvals"
    )
    return dict(parse_qsl(parts.query))


def test_a_link_pair_shares_its_nonce_and_verifies():
    approve, reject = LINKS.pair(42, 7, "B2B_ORDER_APPROVAL_REQUIRED:order:42:pending:9:7", 2000)
    fields = _fields(approve)
    link = verify_approval_link(SECRET, fields, 1999)
    assert link == ApprovalLink(
        42, 7, "approve", LINKS.nonce("B2B_ORDER_APPROVAL_REQUIRED:order:42:pending:9:7"), 2000
    )
    other = verify_approval_link(SECRET, _fields(reject), 2000)
    assert (other.action, other.nonce) == ("reject", link.nonce)
    # the same fact gives the same links; another fact other ones
    assert LINKS.pair(42, 7, "B2B_ORDER_APPROVAL_REQUIRED:order:42:pending:9:7", 2000)[0] == approve
    assert LINKS.pair(42, 7, "B2B_ORDER_APPROVAL_REQUIRED:order:42:remind:1:7", 2000)[0] != approve


def test_a_known_vector():
    link = ApprovalLink(42, 7, "approve", "abcdefghijklmnopqrstuv", 1767225600)
    assert (
        link.canonical()
        == "b2bsync-approval-v1\n42\n7\napprove\nabcdefghijklmnopqrstuv\n1767225600"
    )
    assert LINKS.sign(link) == "-Hmv5Obwg97BKcz86YFvw9k-mL3xsyfFnEM8POevfZU"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"o": "43"}, LinkInvalid),  # another order
        ({"u": "8"}, LinkInvalid),  # another owner
        ({"a": "reject", "sig": None}, LinkInvalid),
        ({"a": "delete"}, LinkInvalid),
        ({"n": "short"}, LinkInvalid),
        ({"exp": "99999"}, LinkInvalid),  # a longer life
        ({"sig": "x" * 43}, LinkInvalid),
        ({"o": None}, LinkInvalid),
        ({"o": "042"}, LinkInvalid),
    ],
)
def test_a_tampered_link_is_refused(change: dict[str, str | None], error: type[Exception]):
    fields = _fields(LINKS.pair(42, 7, "fact", 2000)[0])
    fields.update(change)
    with pytest.raises(error):
        verify_approval_link(SECRET, fields, 1000)


def test_an_expired_or_foreign_link_is_refused():
    fields = _fields(LINKS.pair(42, 7, "fact", 2000)[0])
    with pytest.raises(Expired):
        verify_approval_link(SECRET, fields, 2001)
    with pytest.raises(LinkInvalid):
        verify_approval_link("another-secret-0123456789abcdefghijkl", fields, 1000)


def test_the_link_ttl_default():
    assert ApprovalConfig().link_ttl == timedelta(hours=72)
