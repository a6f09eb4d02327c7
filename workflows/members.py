"""Company users: what a change to ``b2b_company_users`` means, decided without I/O.

A user may belong to several companies, each membership one row (company, user, role, active,
optional ``UF_ORDER_LIMIT``). Rows are deactivated, never deleted, and **a company keeps at
least one active owner** wherever a change comes from:

- an operator's change (``b2bsync company users …``) goes through :func:`decide`, which answers
  the row write to make, ``None`` when there is nothing to change, or raises
  :class:`~workflows.Refused` with the reason (the last owner, not a member, already a member);
- a change made on the site (the cabinet, the admin panel) is seen afterwards by the members
  watcher (:mod:`workflows.member_watch`), which asks :func:`owner_losses` whether a company
  lost its last active owner and which change to revert.

Both read the one rule of :func:`workflows.roles.ensure_owner_remains`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ._errors import Refused
from .roles import LastOwnerError, Member, Role, active_owners, ensure_owner_remains, role_of


@dataclass(frozen=True)
class Membership:
    """One row of ``b2b_company_users`` (``row_id`` 0: not written yet)."""

    row_id: int
    company_id: int
    user_id: int
    role: str
    active: bool = True
    order_limit: Decimal | None = None
    updated_at: datetime | None = None

    @property
    def is_active_owner(self) -> bool:
        return self.active and self.role == Role.owner

    def as_member(self) -> Member:
        return Member(self.user_id, self.role, self.active)

    def state(self) -> tuple[str, bool]:
        """What the owner rule looks at."""
        return self.role, self.active

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.row_id,
            "company_id": self.company_id,
            "user_id": self.user_id,
            "role": self.role,
            "active": self.active,
            "order_limit": None if self.order_limit is None else str(self.order_limit),
            "updated_at": None if self.updated_at is None else self.updated_at.isoformat(),
        }


class Action(StrEnum):
    add = "add"
    role = "role"
    deactivate = "deactivate"
    reactivate = "reactivate"
    limit = "limit"


#: ``limit`` without an amount clears the member's order limit.
NO_LIMIT: Decimal | None = None


@dataclass(frozen=True)
class Change:
    """What an operator asks for one user of one company."""

    action: Action
    company_id: int
    user_id: int
    role: str | None = None
    order_limit: Decimal | None = None


@dataclass(frozen=True)
class Write:
    """The row write a change needs: a new row (``row_id`` 0) or these fields of a row."""

    row_id: int
    company_id: int
    user_id: int
    fields: Mapping[str, Any]

    @property
    def is_new(self) -> bool:
        return self.row_id == 0


def _members(rows: Iterable[Membership]) -> list[Member]:
    return [row.as_member() for row in rows]


def decide(rows: Sequence[Membership], change: Change) -> Write | None:
    """The write ``change`` needs on a company whose rows are ``rows``, or ``None`` when the
    row already is as asked. Raises :class:`Refused` (:class:`LastOwnerError` for the owner
    rule) with the reason when it may not be made."""
    if any(row.company_id != change.company_id for row in rows):
        raise ValueError("rows of another company")
    mine = next((row for row in rows if row.user_id == change.user_id), None)
    if change.action is Action.add:
        role = role_of(change.role or "")
        if mine is not None:
            hint = "use `role`" if mine.active else "use `reactivate`"
            state = "an active" if mine.active else "a deactivated"
            raise Refused(
                f"user {change.user_id} is already {state} member of company "
                f"{change.company_id} (role {mine.role}): {hint}"
            )
        return Write(
            0,
            change.company_id,
            change.user_id,
            {"role": role.value, "active": True, "order_limit": change.order_limit},
        )
    if mine is None:
        raise Refused(f"user {change.user_id} is not a member of company {change.company_id}")
    fields: dict[str, Any]
    if change.action is Action.role:
        role = role_of(change.role or "")
        if mine.role == role:
            return None
        _keep_owner(rows, mine, role=role)
        fields = {"role": role.value}
    elif change.action is Action.deactivate:
        if not mine.active:
            return None
        _keep_owner(rows, mine, active=False)
        fields = {"active": False}
    elif change.action is Action.reactivate:
        if mine.active:
            return None
        fields = {"active": True}
    else:
        if mine.order_limit == change.order_limit:
            return None
        if change.order_limit is not None and change.order_limit < 0:
            raise Refused("an order limit is an amount of 0 or more")
        fields = {"order_limit": change.order_limit}
    return Write(mine.row_id, mine.company_id, mine.user_id, fields)


def _keep_owner(
    rows: Sequence[Membership],
    mine: Membership,
    *,
    role: Role | None = None,
    active: bool | None = None,
) -> None:
    try:
        ensure_owner_remains(_members(rows), mine.user_id, role=role, active=active)
    except LastOwnerError as exc:
        raise LastOwnerError(
            f"user {mine.user_id} is the last active owner of company {mine.company_id}: "
            "make another member owner first"
        ) from exc


@dataclass(frozen=True)
class Loss:
    """A company that lost its last active owner, and the change to undo: the row goes back to
    ``before`` (role and activity as the snapshot held them); ``after`` is the row as the site
    has it now, ``None`` when it was deleted (then the row is written again)."""

    company_id: int
    before: Membership
    after: Membership | None

    @property
    def user_id(self) -> int:
        return self.before.user_id

    @property
    def subject(self) -> str:
        """What makes this report unique: the row and the moment of the change undone."""
        moment = self.after.updated_at if self.after is not None else None
        return f"{self.company_id}:{self.user_id}:{moment.isoformat() if moment else '-'}"

    def describe(self) -> str:
        if self.after is None:
            change = "its row was deleted"
        elif not self.after.active:
            change = "was deactivated"
        else:
            change = f"became {self.after.role}"
        return (
            f"company {self.company_id} lost its last active owner: user {self.user_id} "
            f"{change}; reverted to {self.before.role}, active"
        )


_EARLIEST = datetime.min.replace(tzinfo=UTC)


def owner_losses(
    before: Mapping[int, Sequence[Membership]], after: Mapping[int, Sequence[Membership]]
) -> list[Loss]:
    """Per company of ``after``: if it had an active owner in ``before`` and has none now, the
    change to revert — the newest of the changes that took an active owner away (by
    ``UF_UPDATED_AT``, then row ID; a deleted row counts as the oldest). Earlier such changes
    were allowed when they were made (another owner remained); the newest is the one that
    broke the rule. A company that had no active owner before (never had one, or lost it while
    nobody watched) is not a loss of this poll."""
    out: list[Loss] = []
    for company_id in sorted(after):
        old = {row.user_id: row for row in before.get(company_id, ())}
        new = {row.user_id: row for row in after[company_id]}
        if not active_owners(_members(old.values())) or active_owners(_members(new.values())):
            continue
        taken = [
            Loss(company_id, row, new.get(user))
            for user, row in old.items()
            if row.is_active_owner and not (user in new and new[user].is_active_owner)
        ]
        if taken:
            out.append(
                max(
                    taken,
                    key=lambda loss: (
                        (loss.after.updated_at or _EARLIEST) if loss.after else _EARLIEST,
                        loss.after.row_id if loss.after else 0,
                    ),
                )
            )
    return out


__all__ = [
    "NO_LIMIT",
    "Action",
    "Change",
    "Loss",
    "Membership",
    "Write",
    "decide",
    "owner_losses",
]
