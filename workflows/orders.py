"""An order's status changed on the site: ``B2B_ORDER_STATUS_CHANGED`` to the buyer who
placed it.

The bridge logs every change into ``b2b_order_events`` (old, new, acting user). A row becomes a
notification when the order belongs to a company, the buyer who placed it is still an active
member allowed to see orders, and the buyer did not make the change. Not here: the creation of
an order (``null → N``, announced as ``B2B_ORDER_CREATED`` by the order workflow) and moves into
or out of the approval statuses, which the approval workflow announces as approved / rejected /
approval required. Keyed ``order:<id>:event:<row>``: one change, one notification.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._context import PolicyContext
from ._cursor import Item
from .notifications import Notification, dedup_key
from .roles import Capability

TYPE = "B2B_ORDER_STATUS_CHANGED"


def _int(value: Any) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _code(value: Any) -> str:
    return str(value or "").strip()


def announced(row: dict[str, Any] | Any, approval: frozenset[str]) -> bool:
    """Whether a status change is this policy's to announce (see the module docstring)."""
    old, new = _code(row.get("UF_OLD_STATUS")), _code(row.get("UF_NEW_STATUS"))
    return bool(old and new and old != new and old not in approval and new not in approval)


async def status_changed(items: Sequence[Item], ctx: PolicyContext) -> list[Notification]:
    directory = ctx.directory
    wanted = [i for i in items if announced(i.data, ctx.config.approval_statuses)]
    orders = await directory.orders([o for i in wanted if (o := _int(i.data.get("UF_ORDER_ID")))])
    company_ids = [o.company_id for o in orders.values() if o is not None and o.company_id]
    companies = await directory.companies(company_ids)
    await directory.members(company_ids)
    out: list[Notification] = []
    for item in wanted:
        order = orders.get(_int(item.data.get("UF_ORDER_ID")) or 0)
        if order is None or order.company_id is None or order.user_id is None:
            continue
        if _int(item.data.get("UF_USER_ID")) == order.user_id:
            continue
        member = await directory.membership(order.company_id, order.user_id)
        if member is None or not member.may(Capability.view_orders):
            continue
        recipient = await directory.recipient(order.user_id)
        if recipient is None:
            continue
        names = await directory.status_names(recipient.language)
        old, new = _code(item.data.get("UF_OLD_STATUS")), _code(item.data.get("UF_NEW_STATUS"))
        company = companies.get(order.company_id)
        out.append(
            Notification(
                key=dedup_key(TYPE, f"order:{order.id}:event:{item.id}", recipient.user_id),
                type=TYPE,
                recipient=recipient,
                fields={
                    "COMPANY_NAME": company.name if company else "",
                    "ORDER_ID": str(order.id),
                    "ORDER_NUMBER": order.number,
                    "ORDER_DATE": ctx.date_text(order.date),
                    "OLD_STATUS_NAME": names.get(old, old),
                    "STATUS_NAME": names.get(new, new),
                    "ORDER_URL": ctx.config.link(f"orders/{order.id}/"),
                },
                created_at=ctx.now,
            )
        )
    return out


__all__ = ["TYPE", "announced", "status_changed"]
