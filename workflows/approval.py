"""The approval workflow's rules: who may decide a pending order, and what b2bsync does about
each change of status out of the pending status.

The order guard (in the bridge, at checkout) saves an order that needs approval in the pending
status (``PA``). From then on the only rule is this module's: every move out of ``PA`` is read
back from the bridge's status log and classified by *who* made it (:class:`Actor`) and *where*
it went (:class:`Change`); :data:`RULES` — one table, tested as one table — says what follows
(:class:`Act`):

- an approval by someone entitled (an active owner of the order's company, or a member of an
  ``[approval] override_groups`` group) moves the order on to ``next_status``;
- a rejection by someone entitled cancels the order with the reason given;
- an entitled user who moves the order straight on (``PA → N``) approved it: nothing to move;
- anyone else (a buyer, a manager without the override, the order's own author while another
  active owner exists and ``self_approval`` is off, an agent or the 1C exchange with no user)
  made a change they had no right to: it is reverted to ``PA`` and reported.

Everything here is pure: values in, a value out. :mod:`workflows.orders` reads the rows and the
site, :mod:`workflows._moves` carries the resulting status changes out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from types import MappingProxyType

from ._approval_links import ApprovalLinks
from ._directory import Member
from .roles import Role


class Actor(StrEnum):
    """Who changed the status, as far as deciding the order goes."""

    approver = "approver"  # an active owner of the order's company who may decide it
    override = "override"  # a member of an override group (a manager allowed to decide)
    own_order = "own_order"  # the author, an owner, while another owner exists (no self-approval)
    member = "member"  # an active member whose role does not approve (buyer, viewer, …)
    outsider = "outsider"  # a site user who is no active member of the company
    nobody = "nobody"  # no user at all: an agent, the 1C exchange


class Change(StrEnum):
    """Where an order in the pending status went."""

    approve = "approve"  # PA → AP
    reject = "reject"  # PA → RJ
    leave = "leave"  # PA → any other status (e.g. straight on to N)


class Act(StrEnum):
    """What b2bsync does about a change out of the pending status."""

    move_on = "move_on"  # approved: on to next_status; APPROVED to the author and owners
    cancel = "cancel"  # rejected: cancel the order with the reason; REJECTED to them
    accept = "accept"  # approved by moving it on directly: APPROVED, nothing to move
    revert = "revert"  # no right to decide: back to PA, reported


ENTITLED = (Actor.approver, Actor.override)

#: (change, actor) → act. What is not listed is reverted.
RULES: Mapping[tuple[Change, Actor], Act] = MappingProxyType(
    {
        **{(Change.approve, a): Act.move_on for a in ENTITLED},
        **{(Change.reject, a): Act.cancel for a in ENTITLED},
        **{(Change.leave, a): Act.accept for a in ENTITLED},
    }
)


def decide(change: Change, actor: Actor) -> Act:
    return RULES.get((change, actor), Act.revert)


@dataclass(frozen=True)
class ApprovalConfig:
    """The ``[approval]`` settings as the workflows use them, plus the status codes.

    ``links`` makes the one-click approve/reject links of the approval mails (``None``: the
    mails carry the cabinet's link only, e.g. while ``web.public_url`` is not set).
    """

    pending: str = "PA"
    approved: str = "AP"
    rejected: str = "RJ"
    next_status: str = "N"
    self_approval: bool = False
    override_groups: frozenset[int] = frozenset()
    remind_after: timedelta = timedelta(hours=24)
    escalate_after: timedelta = timedelta(hours=72)
    link_ttl: timedelta = timedelta(hours=72)
    links: ApprovalLinks | None = field(default=None, compare=False)

    @property
    def statuses(self) -> frozenset[str]:
        return frozenset({self.pending, self.approved, self.rejected})

    def change(self, old: str, new: str) -> Change | None:
        """The change an ``old → new`` row is, when it leaves the pending status."""
        if old != self.pending or not new or new == self.pending:
            return None
        if new == self.approved:
            return Change.approve
        if new == self.rejected:
            return Change.reject
        return Change.leave


def active_owners(members: Iterable[Member]) -> list[int]:
    return sorted({m.user_id for m in members if m.active and m.role == Role.owner})


def classify(
    user_id: int | None,
    author_id: int | None,
    members: Iterable[Member],
    groups: Iterable[int],
    config: ApprovalConfig,
) -> Actor:
    """Who ``user_id`` is for an order of a company with ``members`` placed by ``author_id``
    (``groups``: the user's site groups)."""
    if user_id is None:
        return Actor.nobody
    if config.override_groups & set(groups):
        return Actor.override
    listed = list(members)
    member = next((m for m in listed if m.user_id == user_id), None)
    if member is None or not member.active:
        return Actor.outsider
    if member.role != Role.owner:
        return Actor.member
    others = [u for u in active_owners(listed) if u != user_id]
    if user_id == author_id and others and not config.self_approval:
        return Actor.own_order
    return Actor.approver


def approvers(
    author_id: int | None, members: Iterable[Member], config: ApprovalConfig
) -> list[int]:
    """The owners who are asked to decide: every active owner, except the author when another
    owner exists and self-approval is off."""
    owners = active_owners(members)
    others = [u for u in owners if u != author_id]
    if others and not config.self_approval:
        return others
    return owners


#: Why a change was reverted, in the site's language (the status log's ``UF_REASON`` of the
#: revert, shown in the cabinet's status history).
REVERT_REASONS: Mapping[str, Mapping[Actor, str]] = MappingProxyType(
    {
        "ru": {
            Actor.own_order: "Автор заказа не может согласовать свой заказ: решает другой "
            "владелец компании",
            Actor.member: "Согласовать или отклонить заказ может только владелец компании",
            Actor.outsider: "Согласовать или отклонить заказ может только владелец компании "
            "или менеджер с правом согласования",
            Actor.nobody: "Статус сменили без пользователя (агент, обмен с 1С): заказ ждёт "
            "согласования",
        },
        "en": {
            Actor.own_order: "The author may not approve their own order: another owner of the "
            "company decides",
            Actor.member: "Only an owner of the company may approve or reject the order",
            Actor.outsider: "Only an owner of the company or a manager allowed to approve may "
            "decide the order",
            Actor.nobody: "The status was changed with no user (an agent, the 1C exchange): the "
            "order awaits approval",
        },
    }
)


def revert_reason(actor: Actor, language: str) -> str:
    texts = REVERT_REASONS.get(language) or REVERT_REASONS["en"]
    return texts.get(actor, "")


__all__ = [
    "ENTITLED",
    "REVERT_REASONS",
    "RULES",
    "Act",
    "Actor",
    "ApprovalConfig",
    "Change",
    "active_owners",
    "approvers",
    "classify",
    "decide",
    "revert_reason",
]
