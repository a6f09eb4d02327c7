"""The status log: what b2bsync does about each row the bridge writes into ``b2b_order_events``
(order, old status, new status, acting user, reason).

Per row, in this order (rows of orders that belong to no company are not b2bsync's business):

1. **b2bsync's own change** — the row matches an open move of the order (the status b2bsync
   was taking it to, :mod:`workflows._moves`): recorded as seen, nothing else. So a revert is
   never reverted and a move on never announced twice.
2. **A new order** (no old status): ``B2B_ORDER_CREATED`` to the buyer who placed it and, for
   information, to the company's owners who are not asked to approve it (the buyer who placed
   an order is told of it while an active member who sees the company's orders); if it was
   saved in the pending status (the order guard's doing), it also starts the approval (below).
3. **Out of the pending status** — :mod:`workflows.approval` decides by who made the change:
   approved (``B2B_ORDER_APPROVED`` to the author and the owners, and a move on to
   ``next_status``), rejected (``B2B_ORDER_REJECTED`` with the row's reason, and the order is
   cancelled with it), approved by moving it on directly, or reverted to the pending status and
   reported (a warning in the log, ``b2bsync status``; the revert's row carries the reason).
4. **Into the pending status** (by anyone but b2bsync): ``B2B_ORDER_APPROVAL_REQUIRED`` to the
   owners who may decide it, with one-click links; a pending episode begins (reminders).
5. **Any other change**: ``B2B_ORDER_STATUS_CHANGED`` to the author and to the company's members
   who follow the order (``b2b_order_followers``) — never to whoever made the change, and only
   to active members who may see the company's orders.

A **cancelled** order is out of the approval workflow (its links are refused, it is never
reminded): its changes are plain status changes (5) — nobody is asked to decide it, nothing is
reverted or moved on. A row that puts an order back into the pending status (4, not b2bsync's)
**overtakes** the moves its earlier rows called for and that are not made yet: a revert, a move
on or a cancellation made after it would undo the decision taken afresh (:meth:`_Section.
overtake`).

Each notification is keyed by the row (``order:<id>:approved:<row>`` …): one row, one
notification per person, however often the section is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog

from ._approval_ports import STATUS_MOVES, ApprovalEffects, Episode, Move, MoveKind
from ._context import PolicyContext
from ._cursor import Effects, Item
from ._directory import Company, Member, Order
from ._order_notes import APPROVED, CREATED, REJECTED, STATUS_CHANGED, OrderNotes
from ._values import as_id
from .approval import Act, Actor, active_owners, approvers, classify, decide, revert_reason
from .notifications import Notification
from .roles import Capability

log = structlog.get_logger("workflows")

TYPE = STATUS_CHANGED


def _code(value: Any) -> str:
    return str(value or "").strip()


@dataclass(frozen=True)
class LogRow:
    """One row of the status log."""

    id: int
    order_id: int | None
    old: str
    new: str
    user_id: int | None
    reason: str
    at: datetime | None

    @classmethod
    def of(cls, item: Item) -> LogRow:
        data = item.data
        return cls(
            item.id,
            as_id(data.get("UF_ORDER_ID")),
            _code(data.get("UF_OLD_STATUS")),
            _code(data.get("UF_NEW_STATUS")),
            as_id(data.get("UF_USER_ID")),
            " ".join(str(data.get("UF_REASON") or "").split()),
            item.at,
        )


class _Section:
    """The state one section of rows is decided in: lookups made once, effects collected."""

    def __init__(self, ctx: PolicyContext, rows: list[LogRow]) -> None:
        self.ctx = ctx
        self.rows = rows
        self.approval = ctx.config.approval
        self.notes: list[Notification] = []
        self.effects = ApprovalEffects()
        self.orders: dict[int, Order | None] = {}
        self.companies: dict[int, Company | None] = {}
        self.open: list[Move] = []

    async def load(self) -> None:
        directory = self.ctx.directory
        self.orders = await directory.orders([r.order_id for r in self.rows if r.order_id])
        company_ids = [o.company_id for o in self.orders.values() if o and o.company_id]
        self.companies = await directory.companies(company_ids)
        await directory.members(company_ids)
        if self.ctx.approvals is not None:
            ids = [o for o in self.orders if self.orders[o] is not None]
            self.open = self.ctx.approvals.open_moves(ids)

    def own(self, row: LogRow) -> Move | None:
        """The open status move this row is the trace of (and no other row took it)."""
        for move in self.open:
            if (
                move.order_id == row.order_id
                and move.kind in STATUS_MOVES
                and move.to_status == row.new
                and move.cause_event < row.id
                and move.id is not None
            ):
                self.open.remove(move)
                return move
        return None

    def overtake(self, row: LogRow) -> None:
        """``row`` put the order back into the pending status (not b2bsync's move): whatever
        its earlier rows called for is moot — a revert, a move on or a cancellation not made
        yet would undo what happened since (a decision taken afresh). Moves of this section's
        earlier rows are dropped before they are recorded; recorded ones are closed
        (``overtaken``: a pending one is skipped, never made; none is matched any more)."""
        self.effects.moves = [
            m for m in self.effects.moves if m.order_id != row.order_id or m.cause_event > row.id
        ]
        for move in [m for m in self.open if m.order_id == row.order_id]:
            if move.cause_event < row.id and move.id is not None:
                self.open.remove(move)
                self.effects.overtaken.append((move.id, row.id))

    async def members(self, order: Order) -> list[Member]:
        assert order.company_id is not None
        return (await self.ctx.directory.members([order.company_id]))[order.company_id]

    async def author(self, order: Order) -> list[int]:
        """The buyer who placed the order, while an active member who sees the company's
        orders (``[]`` otherwise)."""
        if order.user_id is None or order.company_id is None:
            return []
        member = await self.ctx.directory.membership(order.company_id, order.user_id)
        return [order.user_id] if member is not None and member.may(Capability.view_orders) else []

    async def row(self, row: LogRow) -> None:
        order = self.orders.get(row.order_id or 0)
        if order is None or order.company_id is None:
            return
        move = self.own(row)
        if move is not None:
            assert move.id is not None
            self.effects.seen.append((move.id, row.id))
            return
        notes = OrderNotes(self.ctx, order, self.companies.get(order.company_id))
        approval = self.approval
        if row.old and row.new == approval.pending and row.old != row.new:
            self.overtake(row)
        if not row.old:
            await self.created(row, order, notes)
            if row.new == approval.pending:
                await self.pending(row, order, notes)
        elif order.canceled:  # out of the approval workflow: nothing to decide or revert
            if row.old != row.new:
                await self.changed(row, order, notes)
        elif (change := approval.change(row.old, row.new)) is not None:
            await self.decided(row, order, notes, change)
        elif row.new == approval.pending:
            await self.pending(row, order, notes)
        elif row.old != row.new:
            await self.changed(row, order, notes)

    async def _name(self, user_id: int | None) -> str:
        if user_id is None:
            return ""
        found = await self.ctx.directory.recipient(user_id)
        return found.name if found else ""

    async def created(self, row: LogRow, order: Order, notes: OrderNotes) -> None:
        members = await self.members(order)
        owners = active_owners(members)
        if row.new == self.approval.pending:  # the approvers hear of it as a request
            owners = [
                u for u in owners if u not in approvers(order.user_id, members, self.approval)
            ]
        users = [*await self.author(order), *owners]
        people = await self.ctx.directory.recipients(users)
        buyer = await self._name(order.user_id)
        self.notes += notes.make(CREATED, "created", [people[u] for u in users], BUYER_NAME=buyer)

    async def pending(self, row: LogRow, order: Order, notes: OrderNotes) -> None:
        members = await self.members(order)
        users = approvers(order.user_id, members, self.approval)
        people = await self.ctx.directory.recipients(users)
        self.notes += notes.approval_required(
            f"pending:{row.id}",
            [people[u] for u in users],
            buyer=await self._name(order.user_id),
            reason=row.reason,
        )
        self.effects.episodes.append((order.id, Episode(order.id, row.at or self.ctx.now, row.id)))

    async def decided(self, row: LogRow, order: Order, notes: OrderNotes, change: Any) -> None:
        members = await self.members(order)
        groups = (
            (await self.ctx.directory.groups([row.user_id]))[row.user_id] if row.user_id else ()
        )
        actor = classify(row.user_id, order.user_id, members, groups, self.approval)
        act = decide(change, actor)
        approval = self.approval
        if act is Act.revert:
            self.revert(row, order, actor)
            return
        self.effects.episodes.append((order.id, None))
        users = [
            u for u in [*await self.author(order), *active_owners(members)] if u != row.user_id
        ]
        people = await self.ctx.directory.recipients(users)
        recipients = [people[u] for u in users]
        by = await self._name(row.user_id)
        if act is Act.cancel:
            self.notes += notes.make(
                REJECTED, f"rejected:{row.id}", recipients, REJECTED_BY_NAME=by, REASON=row.reason
            )
            self.effects.moves.append(
                Move(order.id, MoveKind.cancel, row.new, row.new, row.id, row.user_id, row.reason)
            )
            return
        self.notes += notes.make(APPROVED, f"approved:{row.id}", recipients, APPROVED_BY_NAME=by)
        if act is Act.move_on and approval.next_status != row.new:
            self.effects.moves.append(
                Move(order.id, MoveKind.move_on, row.new, approval.next_status, row.id, row.user_id)
            )

    def revert(self, row: LogRow, order: Order, actor: Actor) -> None:
        reason = revert_reason(actor, self.ctx.config.default_language)
        self.effects.moves.append(
            Move(
                order.id,
                MoveKind.revert,
                row.new,
                self.approval.pending,
                row.id,
                row.user_id,
                reason,
            )
        )
        log.warning(
            "approval.reverted",
            order=order.id,
            transition=f"{row.old}→{row.new}",
            user=row.user_id,
            actor=actor.value,
            row=row.id,
        )

    async def changed(self, row: LogRow, order: Order, notes: OrderNotes) -> None:
        directory = self.ctx.directory
        followers = (await directory.followers([order.id]))[order.id]
        candidates = [u for u in [*await self.author(order), *followers] if u != row.user_id]
        users = []
        for user in dict.fromkeys(candidates):
            member = await directory.membership(order.company_id or 0, user)
            if member is not None and member.may(Capability.view_orders):
                users.append(user)
        if not users:
            return
        people = await directory.recipients(users)
        for user in users:
            recipient = people.get(user)
            if recipient is None:
                continue
            names = await directory.status_names(recipient.language)
            self.notes += notes.make(
                STATUS_CHANGED,
                f"event:{row.id}",
                [recipient],
                OLD_STATUS_NAME=names.get(row.old, row.old),
                STATUS_NAME=names.get(row.new, row.new),
            )


async def status_log(items: Sequence[Item], ctx: PolicyContext) -> Effects:
    rows = [LogRow.of(item) for item in items]
    section = _Section(ctx, rows)
    await section.load()
    for row in rows:
        await section.row(row)
    return Effects(section.notes, section.effects or None)


__all__ = ["TYPE", "LogRow", "status_log"]
