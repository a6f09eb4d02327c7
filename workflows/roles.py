"""Company roles and what each may do: the one table every check reads.

It lives in the domain layer because the workflows decide with it (who may download a document,
who hears that ordering is blocked); the application's ``b2bsync roles export`` prints it for
the cabinet's PHP templates. Role codes are the
``XML_ID``s of the ``UF_ROLE`` enumeration in ``b2b_company_users`` and ``b2b_invites``, and their
names come from that declaration (:data:`hl_schemas.ROLE_VALUES`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from hl_schemas import ROLE_VALUES, Text

from ._errors import Refused


class Role(StrEnum):
    owner = "owner"
    buyer = "buyer"
    accountant = "accountant"
    viewer = "viewer"


class Capability(StrEnum):
    view_orders = "orders.view"
    create_orders = "orders.create"
    approve_orders = "orders.approve"
    comment_orders = "orders.comment"
    view_documents = "documents.view"
    view_finance = "finance.view"
    manage_company = "company.manage"


CAPABILITY_TITLES: Mapping[Capability, Text] = {
    Capability.view_orders: Text("Видеть заказы компании", "See company orders"),
    Capability.create_orders: Text("Оформлять заказы", "Create orders"),
    Capability.approve_orders: Text("Согласовывать и отклонять заказы", "Approve / reject orders"),
    Capability.comment_orders: Text("Комментировать заказы", "Comment on orders"),
    Capability.view_documents: Text("Видеть и скачивать документы", "See and download documents"),
    Capability.view_finance: Text("Видеть финансовый блок", "See the finance block"),
    Capability.manage_company: Text(
        "Приглашать сотрудников, менять роли, отключать сотрудников, править реквизиты",
        "Invite, change role of, deactivate employees; edit company details",
    ),
}

_C = Capability
#: DESIGN §5, row by row.
ROLE_CAPABILITIES: Mapping[Role, frozenset[Capability]] = {
    Role.owner: frozenset(Capability),
    Role.buyer: frozenset({_C.view_orders, _C.create_orders, _C.comment_orders}),
    Role.accountant: frozenset({_C.view_documents, _C.view_finance}),
    Role.viewer: frozenset({_C.view_orders}),
}

ROLE_TITLES: Mapping[Role, Text] = {Role(v.xml_id): v.value for v in ROLE_VALUES}


def role_of(value: Role | str) -> Role:
    """The role for a code; :class:`UnknownRoleError` for anything else."""
    try:
        return Role(value)
    except ValueError as exc:
        known = ", ".join(r.value for r in Role)
        raise UnknownRoleError(f"unknown role {value!r} (known: {known})") from exc


def can(role: Role | str, capability: Capability | str) -> bool:
    """Whether ``role`` grants ``capability``; unknown roles grant nothing."""
    try:
        return Capability(capability) in ROLE_CAPABILITIES[Role(role)]
    except ValueError:
        return False


def capabilities(role: Role | str) -> frozenset[Capability]:
    return ROLE_CAPABILITIES[role_of(role)]


def holders(capability: Capability | str) -> tuple[Role, ...]:
    """The roles that grant ``capability``, in table order (who gets notified of what)."""
    return tuple(r for r in Role if can(r, capability))


def export_table() -> dict[str, Any]:
    """The table as JSON for the cabinet's templates: roles with titles and capabilities, and
    the capability titles, both in table order."""
    return {
        "version": 1,
        "roles": [
            {
                "code": role.value,
                "title": ROLE_TITLES[role].as_dict(),
                "capabilities": [c.value for c in Capability if c in ROLE_CAPABILITIES[role]],
            }
            for role in Role
        ],
        "capabilities": [
            {"code": c.value, "title": CAPABILITY_TITLES[c].as_dict()} for c in Capability
        ],
    }


class UnknownRoleError(Refused, ValueError):
    """A role code that is not in the table."""


class LastOwnerError(Refused):
    """The change would leave the company without an active owner."""


@dataclass(frozen=True)
class Member:
    """One row of ``b2b_company_users`` as far as ownership goes."""

    user_id: int
    role: Role | str
    active: bool = True

    @property
    def is_active_owner(self) -> bool:
        return self.active and self.role == Role.owner


def active_owners(members: Iterable[Member]) -> set[int]:
    return {m.user_id for m in members if m.is_active_owner}


def after_change(
    members: Iterable[Member],
    user_id: int,
    *,
    role: Role | str | None = None,
    active: bool | None = None,
    remove: bool = False,
) -> list[Member]:
    """The company's members once ``user_id`` gets a new role, is (de)activated or removed
    (a user not yet in the company is added with ``role``)."""
    out: list[Member] = []
    found = False
    for m in members:
        if m.user_id != user_id:
            out.append(m)
            continue
        found = True
        if not remove:
            out.append(
                Member(
                    user_id,
                    role_of(role) if role is not None else m.role,
                    m.active if active is None else active,
                )
            )
    if not found and not remove and role is not None:
        out.append(Member(user_id, role_of(role), True if active is None else active))
    return out


def ensure_owner_remains(
    members: Iterable[Member],
    user_id: int,
    *,
    role: Role | str | None = None,
    active: bool | None = None,
    remove: bool = False,
) -> list[Member]:
    """Check a membership change; :class:`LastOwnerError` if the company would be left without
    an active owner. Returns the members after the change."""
    before = list(members)
    after = after_change(before, user_id, role=role, active=active, remove=remove)
    if active_owners(before) and not active_owners(after):
        raise LastOwnerError(
            f"user {user_id} is the company's last active owner: make someone else owner first"
        )
    return after
