"""A company newly blocked from ordering: ``B2B_CREDIT_BLOCKED`` to its owners and accountants.

The credit job records a ``credit.blocked`` fact when a company it had seen unblocked is now
blocked (overdue debt above the limit). The episode — the day the overdue debt began, else the
day 1C computed the position — is part of the key (``credit:<company>:<episode>``), so one
episode is announced once however often the job re-decides it, and a company blocked again
after paying up is told again. The reason is written in the recipient's language from the
amounts the fact carries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ._context import PolicyContext, money_text
from ._cursor import Item
from ._values import as_id
from .notifications import Notification, Recipient, addressed
from .roles import Role

TYPE = "B2B_CREDIT_BLOCKED"
RECIPIENT_ROLES = (Role.owner, Role.accountant)


def reason_text(data: dict[str, Any] | Any, language: str) -> str:
    currency = str(data.get("currency") or "")
    overdue = money_text(data.get("overdue_amount"), currency, language)
    limit = money_text(data.get("overdue_limit"), currency, language)
    if not overdue or not limit:
        return str(data.get("reason") or "")
    if language == "ru":
        return f"просроченная задолженность {overdue} превышает допустимую {limit}"
    return f"overdue debt of {overdue} is above the allowed {limit}"


def _fields(data: Any, company_name: str, ctx: PolicyContext) -> Callable[[Recipient], Any]:
    currency = str(data.get("currency") or "")

    def fields(recipient: Recipient) -> dict[str, str]:
        language = recipient.language
        return {
            "COMPANY_NAME": company_name,
            "OVERDUE_AMOUNT": money_text(data.get("overdue_amount"), currency, language),
            "OVERDUE_LIMIT": money_text(data.get("overdue_limit"), currency, language),
            "CREDIT_LIMIT": money_text(data.get("credit_limit"), currency, language),
            "BLOCK_REASON": reason_text(data, language),
            "FINANCE_URL": ctx.config.link("finance/"),
        }

    return fields


async def credit_blocked(items: Sequence[Item], ctx: PolicyContext) -> list[Notification]:
    directory = ctx.directory
    company_ids = [c for item in items if (c := as_id(item.data.get("company_id")))]
    companies = await directory.companies(company_ids)
    await directory.members(company_ids)
    out: list[Notification] = []
    for item in items:
        data = item.data
        company_id = as_id(data.get("company_id"))
        episode = str(data.get("episode") or "")
        if company_id is None or not episode:
            continue
        company = companies.get(company_id)
        members = await directory.with_roles(company_id, RECIPIENT_ROLES)
        recipients = await directory.recipients([m.user_id for m in members])
        fact = f"credit:{company_id}:{episode}"
        people = [recipients.get(m.user_id) for m in members]
        fields = _fields(data, company.name if company else "", ctx)
        out += addressed(TYPE, fact, people, fields, ctx.now)
    return out


__all__ = ["RECIPIENT_ROLES", "TYPE", "credit_blocked", "reason_text"]
