"""Orders left undecided: a reminder to the owners after ``[approval] remind_after``, and the
order taken to the company's manager (``UF_MANAGER_ID``) after ``escalate_after``.

The daemon checks every few minutes, cheaply: one keyset listing of the orders now in the
pending status (``sale.order.list``, 50 a page) and their companies in one batch. An order's
clock runs from the start of its pending episode as the status-log watcher recorded it (a
revert does not restart it), else — an order pending since before b2bsync watched — from the
order's ``dateStatus``. Each of the two happens once per episode: it is marked on the episode in
the same transaction as its notifications (:meth:`~workflows.ApprovalStore.mark_episode`).

The check goes by what the status-log watcher has read (two cheap requests of the log): an
order with rows the watcher has not read yet waits for the next check — it may have left the
pending status and come back, a new episode its recorded one does not know of — and the
episodes of orders no longer pending are forgotten only while the log is settled (every row
read, no move due, nothing written while the orders were listed): an order an unauthorised
change took out of the pending status a moment ago would otherwise lose its clock before the
revert brings it back.

Both are ``B2B_ORDER_APPROVAL_REQUIRED`` mails with a reason saying how long the order has
waited. The reminder goes to the owners who may decide, with new one-click links; the
escalation to the manager, with links only when the manager may decide (a member of an
``override_groups`` group) — a link whose use would be reverted is no link.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog

from ._approval_ports import ESCALATE, REMIND, Episode
from ._context import PolicyContext
from ._cursor import SECTION, Source
from ._directory import Order
from ._order_notes import OrderNotes
from ._ports import WorkflowStore
from ._values import as_id
from .approval import approvers
from .watchers import ORDER_EVENTS

log = structlog.get_logger("workflows")

#: How many pages of unread status-log rows the check reads to learn which orders have some.
UNREAD_PAGES = 4


@dataclass
class ReminderReport:
    pending: int = 0
    reminded: int = 0
    escalated: int = 0
    notifications: int = 0


async def _buyer(ctx: PolicyContext, order: Order) -> str:
    if order.user_id is None:
        return ""
    found = await ctx.directory.recipient(order.user_id)
    return found.name if found else ""


async def _unread(store: WorkflowStore, status_log: Source) -> set[int] | None:
    """The orders with status-log rows the watcher has not read yet (``None``: more than a few
    pages of them — the watcher is catching up, nothing can be told)."""
    cursor = store.watch_cursor(ORDER_EVENTS)
    if cursor is None:
        return None
    orders: set[int] = set()
    for _ in range(UNREAD_PAGES):
        items = await status_log.after(cursor, SECTION)
        orders |= {number for item in items if (number := as_id(item.data.get("UF_ORDER_ID")))}
        if len(items) < SECTION:
            return orders
        cursor = items[-1].id
    return None


async def remind_pending(
    ctx: PolicyContext, store: WorkflowStore, status_log: Source | None = None
) -> ReminderReport:
    """Remind and escalate the orders pending too long, by the episodes the status-log watcher
    recorded (``status_log``: its source; ``None`` skips no order and forgets no episode)."""
    approval = ctx.config.approval
    directory = ctx.directory
    report = ReminderReport()
    cursor = store.watch_cursor(ORDER_EVENTS)
    quiet = (
        status_log is not None
        and cursor is not None
        and not store.due_moves(1)
        and await status_log.newest() <= cursor
    )
    listed = await directory.orders_in(approval.pending)
    unread = await _unread(store, status_log) if status_log is not None else set()
    if (
        quiet
        and unread == set()
        and store.watch_cursor(ORDER_EVENTS) == cursor
        and not store.due_moves(1)
    ):  # no row written, none unread, none due since before the listing
        store.keep_episodes([o.id for o in listed])
    listed = [o for o in listed if unread is not None and o.id not in unread]
    orders = [o for o in listed if o.company_id is not None and not o.canceled]
    report.pending = len(orders)
    if not orders:
        return report
    known = store.episodes([o.id for o in orders])
    company_ids = [o.company_id for o in orders if o.company_id is not None]
    companies = await directory.companies(company_ids)
    await directory.members(company_ids)
    for order in orders:
        assert order.company_id is not None
        episode = known.get(order.id) or Episode(
            order.id, order.date_status or order.date or ctx.now
        )
        age = ctx.now - episode.since
        since = int(episode.since.timestamp())
        company = companies.get(order.company_id)
        notes = OrderNotes(ctx, order, company)
        if age >= approval.remind_after and episode.reminded_at is None:
            members = (await directory.members([order.company_id]))[order.company_id]
            users = approvers(order.user_id, members, approval)
            people = await directory.recipients(users)
            made = notes.approval_required(
                f"remind:{since}",
                [people[u] for u in users],
                buyer=await _buyer(ctx, order),
                reason_kind=REMIND,
                age=approval.remind_after,
            )
            report.notifications += store.mark_episode(episode, REMIND, made, ctx.now)
            report.reminded += 1
            log.info("approval.reminded", order=order.id, owners=len(made))
        if age >= approval.escalate_after and episode.escalated_at is None:
            manager = company.manager_id if company else None
            made = []
            if manager is None:
                log.warning("approval.no_manager", order=order.id, company=order.company_id)
            else:
                groups = (await directory.groups([manager]))[manager]
                made = notes.approval_required(
                    f"escalate:{since}",
                    [await directory.recipient(manager)],
                    buyer=await _buyer(ctx, order),
                    reason_kind=ESCALATE,
                    age=approval.escalate_after,
                    links=bool(approval.override_groups & groups),
                )
            report.notifications += store.mark_episode(episode, ESCALATE, made, ctx.now)
            report.escalated += 1
            log.info("approval.escalated", order=order.id, manager=manager)
    return report


__all__ = ["ReminderReport", "remind_pending"]
