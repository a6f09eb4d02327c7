"""A comment on an order: ``B2B_ORDER_COMMENT`` to the other side.

The cabinet adds the comment as an ``order_comments`` row; this policy decides who hears of it:

- the author is an active member of the order's company (the buyer side): the company's
  manager (``UF_MANAGER_ID``);
- anyone else (the store's staff): the buyer who placed the order and the company's active
  owners — unless the comment is internal (``UF_IS_INTERNAL``), which never reaches a buyer
  by any channel and goes to the company's manager only, and not even to the manager when the
  manager is also an active member of the company (a person on the buyer's side);
- never to the author, never to an inactive user, never twice to one person (keyed
  ``comment:<row>`` per recipient).

No other notification carries a comment's text, so the bell, the mail and the link of
``B2B_ORDER_COMMENT`` are the only channels an internal comment could take.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ._context import PolicyContext
from ._cursor import Item
from ._directory import Order
from ._values import as_id
from .notifications import Notification, Recipient, addressed
from .roles import Capability, Role

TYPE = "B2B_ORDER_COMMENT"


def _flag(value: Any) -> bool:
    return str(value) in ("1", "True", "true", "Y")


async def _audience(
    ctx: PolicyContext, order: Order, author: int | None, internal: bool, manager: int | None
) -> list[int]:
    assert order.company_id is not None
    directory = ctx.directory
    member = await directory.membership(order.company_id, author) if author else None
    if (member is not None and member.active) or internal:
        users = [manager] if manager else []
        if internal:  # nobody on the buyer's side, whatever their role
            members = (await directory.members([order.company_id]))[order.company_id]
            inside = {m.user_id for m in members if m.active}
            users = [u for u in users if u not in inside]
    else:
        owners = await directory.with_roles(order.company_id, (Role.owner,))
        users = [m.user_id for m in owners]
        if order.user_id:
            buyer = await directory.membership(order.company_id, order.user_id)
            if buyer is not None and buyer.may(Capability.view_orders):
                users.insert(0, order.user_id)
    return [u for u in dict.fromkeys(users) if u and u != author]


def _same(fields: dict[str, str]) -> Callable[[Recipient], dict[str, str]]:
    return lambda _recipient: fields


async def order_comment(items: Sequence[Item], ctx: PolicyContext) -> list[Notification]:
    directory = ctx.directory
    orders = await directory.orders([o for i in items if (o := as_id(i.data.get("UF_ORDER_ID")))])
    company_ids = [o.company_id for o in orders.values() if o is not None and o.company_id]
    companies = await directory.companies(company_ids)
    await directory.members(company_ids)
    out: list[Notification] = []
    for item in items:
        order = orders.get(as_id(item.data.get("UF_ORDER_ID")) or 0)
        if order is None or order.company_id is None:
            continue
        company = companies.get(order.company_id)
        author = as_id(item.data.get("UF_USER_ID"))
        internal = _flag(item.data.get("UF_IS_INTERNAL"))
        manager = company.manager_id if company else None
        users = await _audience(ctx, order, author, internal, manager)
        people = await directory.recipients([*users, *([author] if author else [])])
        writer = people.get(author) if author else None
        fields = {
            "COMPANY_NAME": company.name if company else "",
            "ORDER_ID": str(order.id),
            "ORDER_NUMBER": order.number,
            "ORDER_DATE": ctx.date_text(order.date),
            "AUTHOR_NAME": writer.name if writer else "",
            "COMMENT_TEXT": str(item.data.get("UF_TEXT") or ""),
            "ORDER_URL": ctx.config.link(f"orders/{order.id}/"),
        }
        recipients = [people.get(user) for user in users]
        out += addressed(TYPE, f"comment:{item.id}", recipients, _same(fields), ctx.now)
    return out


__all__ = ["TYPE", "order_comment"]
