"""The owner rule and what an operator's change to company users means, as tables: a row per
case of :func:`workflows.decide` and of :func:`workflows.owner_losses`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from workflows import Change, Membership, Refused, decide, owner_losses
from workflows.members import Action, Write
from workflows.roles import LastOwnerError

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
C = 5


def m(row: int, user: int, role: str, active: bool = True, **kw: object) -> Membership:
    return Membership(row, C, user, role, active, **kw)  # type: ignore[arg-type]


OWNER_AND_BUYER = [m(1, 10, "owner"), m(2, 11, "buyer")]
TWO_OWNERS = [m(1, 10, "owner"), m(2, 11, "owner"), m(3, 12, "viewer", False)]
LIMITED = [m(1, 10, "owner"), m(2, 11, "buyer", order_limit=Decimal("5000"))]

ALLOWED = [
    # (rows, change, expected write fields or None for "nothing to change")
    (OWNER_AND_BUYER, Change(Action.add, C, 20, role="viewer"),
     {"role": "viewer", "active": True, "order_limit": None}),
    (OWNER_AND_BUYER, Change(Action.add, C, 20, role="buyer", order_limit=Decimal("100")),
     {"role": "buyer", "active": True, "order_limit": Decimal("100")}),
    ([], Change(Action.add, C, 20, role="buyer"),
     {"role": "buyer", "active": True, "order_limit": None}),
    (OWNER_AND_BUYER, Change(Action.role, C, 11, role="owner"), {"role": "owner"}),
    (OWNER_AND_BUYER, Change(Action.role, C, 11, role="buyer"), None),
    (TWO_OWNERS, Change(Action.role, C, 10, role="buyer"), {"role": "buyer"}),
    (TWO_OWNERS, Change(Action.deactivate, C, 11), {"active": False}),
    (OWNER_AND_BUYER, Change(Action.deactivate, C, 11), {"active": False}),
    (TWO_OWNERS, Change(Action.deactivate, C, 12), None),
    (TWO_OWNERS, Change(Action.reactivate, C, 12), {"active": True}),
    (TWO_OWNERS, Change(Action.reactivate, C, 10), None),
    (LIMITED, Change(Action.limit, C, 11, order_limit=Decimal("7500.50")),
     {"order_limit": Decimal("7500.50")}),
    (LIMITED, Change(Action.limit, C, 11, order_limit=None), {"order_limit": None}),
    (LIMITED, Change(Action.limit, C, 11, order_limit=Decimal("5000")), None),
    (LIMITED, Change(Action.limit, C, 10, order_limit=None), None),
]  # fmt: skip


@pytest.mark.parametrize(("rows", "change", "fields"), ALLOWED)
def test_allowed_changes(rows, change, fields):
    write = decide(rows, change)
    if fields is None:
        assert write is None
        return
    assert isinstance(write, Write)
    assert dict(write.fields) == fields
    mine = next((r for r in rows if r.user_id == change.user_id), None)
    assert write.row_id == (mine.row_id if mine else 0)
    assert write.is_new == (mine is None)


REFUSED = [
    (OWNER_AND_BUYER, Change(Action.role, C, 10, role="buyer"), LastOwnerError, "last active"),
    (OWNER_AND_BUYER, Change(Action.deactivate, C, 10), LastOwnerError, "last active owner"),
    # the other owner is inactive: still the last *active* one
    ([m(1, 10, "owner"), m(2, 11, "owner", False)], Change(Action.deactivate, C, 10),
     LastOwnerError, "last active owner"),
    (OWNER_AND_BUYER, Change(Action.add, C, 11, role="viewer"), Refused, "already an active"),
    (TWO_OWNERS, Change(Action.add, C, 12, role="viewer"), Refused, "use `reactivate`"),
    (OWNER_AND_BUYER, Change(Action.role, C, 99, role="buyer"), Refused, "not a member"),
    (OWNER_AND_BUYER, Change(Action.deactivate, C, 99), Refused, "not a member"),
    (OWNER_AND_BUYER, Change(Action.role, C, 11, role="director"), Refused, "unknown role"),
    (LIMITED, Change(Action.limit, C, 11, order_limit=Decimal("-1")), Refused, "0 or more"),
]  # fmt: skip


@pytest.mark.parametrize(("rows", "change", "error", "reason"), REFUSED)
def test_refused_changes(rows, change, error, reason):
    with pytest.raises(error, match=reason):
        decide(rows, change)


def test_rows_of_another_company_are_a_programming_error():
    with pytest.raises(ValueError, match="another company"):
        decide([Membership(1, 6, 10, "owner")], Change(Action.deactivate, C, 10))


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


LOSSES = [
    # (before, after, expected (user reverted, whether the row still exists) or None)
    ("the last owner deactivated",
     [m(1, 10, "owner"), m(2, 11, "buyer")],
     [m(1, 10, "owner", False, updated_at=at(1)), m(2, 11, "buyer")], (10, True)),
    ("the last owner became a buyer",
     [m(1, 10, "owner"), m(2, 11, "buyer")],
     [m(1, 10, "buyer", updated_at=at(1)), m(2, 11, "buyer")], (10, True)),
    ("two owners stepped down: the newer change is undone",
     [m(1, 10, "owner"), m(2, 11, "owner")],
     [m(1, 10, "viewer", updated_at=at(2)), m(2, 11, "owner", False, updated_at=at(1))],
     (10, True)),
    ("same moment: the higher row",
     [m(1, 10, "owner"), m(2, 11, "owner")],
     [m(1, 10, "viewer", updated_at=at(1)), m(2, 11, "viewer", updated_at=at(1))], (11, True)),
    ("the owner's row deleted",
     [m(1, 10, "owner"), m(2, 11, "buyer")], [m(2, 11, "buyer")], (10, False)),
    ("one of two owners stepped down: fine",
     [m(1, 10, "owner"), m(2, 11, "owner")],
     [m(1, 10, "buyer", updated_at=at(1)), m(2, 11, "owner")], None),
    ("an owner handed over: fine",
     [m(1, 10, "owner"), m(2, 11, "buyer")],
     [m(1, 10, "buyer", updated_at=at(2)), m(2, 11, "owner", updated_at=at(1))], None),
    ("no owner before either: not this poll's loss",
     [m(1, 10, "buyer")], [m(1, 10, "viewer", updated_at=at(1))], None),
    ("a new company", [], [m(1, 10, "buyer")], None),
]  # fmt: skip


@pytest.mark.parametrize(("why", "before", "after", "expected"), LOSSES, ids=[c[0] for c in LOSSES])
def test_owner_losses(why, before, after, expected):
    losses = owner_losses({C: before}, {C: after})
    if expected is None:
        assert losses == [], why
        return
    (loss,) = losses
    user, exists = expected
    assert loss.user_id == user
    assert (loss.after is not None) == exists
    assert loss.before.is_active_owner
    assert f"company {C} lost its last active owner: user {user}" in loss.describe()


def test_a_loss_is_one_report_per_change():
    before = {C: [m(1, 10, "owner")]}
    first = owner_losses(before, {C: [m(1, 10, "owner", False, updated_at=at(1))]})
    again = owner_losses(before, {C: [m(1, 10, "owner", False, updated_at=at(1))]})
    later = owner_losses(before, {C: [m(1, 10, "owner", False, updated_at=at(5))]})
    assert first[0].subject == again[0].subject != later[0].subject
