"""The notifications about an order, built one way for every producer (the status-log policy,
the reminders): who gets which type is decided by the callers, the fields and keys here.

Keys name the business fact: ``order:<id>:created``, ``order:<id>:pending:<row>`` (the
status-log row that put the order in the pending status), ``order:<id>:approved:<row>``,
``order:<id>:rejected:<row>``, ``order:<id>:event:<row>`` (a plain status change),
``order:<id>:remind:<since>`` and ``order:<id>:escalate:<since>`` (``since``: when the pending
episode began, in Unix seconds).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from ._context import PolicyContext, money_text
from ._directory import Company, Order
from .notifications import Notification, Recipient, addressed, dedup_key, notification_type

CREATED = "B2B_ORDER_CREATED"
APPROVAL_REQUIRED = "B2B_ORDER_APPROVAL_REQUIRED"
APPROVED = "B2B_ORDER_APPROVED"
REJECTED = "B2B_ORDER_REJECTED"
STATUS_CHANGED = "B2B_ORDER_STATUS_CHANGED"

#: Why the mail asks for a decision, when the row that made the order pending gave no reason.
APPROVAL_REASONS: Mapping[str, Mapping[str, str]] = {
    "ru": {
        "pending": "заказ ждёт решения владельца компании",
        "remind": "заказ ждёт решения дольше {age}",
        "escalate": "владельцы компании не приняли решение за {age}",
    },
    "en": {
        "pending": "the order awaits a decision of the company's owner",
        "remind": "the order has been waiting for a decision for over {age}",
        "escalate": "the company's owners have not decided in {age}",
    },
}


def age_text(age: timedelta, language: str) -> str:
    """``24 ч`` / ``24 h``, or minutes under an hour."""
    minutes = int(age.total_seconds() // 60)
    if minutes >= 60:
        return f"{minutes // 60} ч" if language == "ru" else f"{minutes // 60} h"
    return f"{minutes} мин" if language == "ru" else f"{minutes} min"


def approval_reason(kind: str, language: str, age: timedelta = timedelta(0)) -> str:
    texts = APPROVAL_REASONS.get(language) or APPROVAL_REASONS["en"]
    return texts[kind].format(age=age_text(age, language))


@dataclass(frozen=True)
class OrderNotes:
    """Notifications about one order of one company."""

    ctx: PolicyContext
    order: Order
    company: Company | None

    def _fields(self, recipient: Recipient) -> dict[str, str]:
        order = self.order
        return {
            "COMPANY_NAME": self.company.name if self.company else "",
            "ORDER_ID": str(order.id),
            "ORDER_NUMBER": order.number,
            "ORDER_DATE": self.ctx.date_text(order.date),
            "ORDER_URL": self.ctx.config.link(f"orders/{order.id}/"),
        }

    def _amount(self, recipient: Recipient) -> str:
        return money_text(self.order.price, self.order.currency, recipient.language)

    def make(
        self, kind: str, fact: str, recipients: Iterable[Recipient | None], **extra: str
    ) -> list[Notification]:
        def fields(recipient: Recipient) -> dict[str, str]:
            out = self._fields(recipient)
            if "ORDER_AMOUNT" in notification_type(kind).fields():
                out["ORDER_AMOUNT"] = self._amount(recipient)
            return out | extra

        fact_key = f"order:{self.order.id}:{fact}"
        return addressed(kind, fact_key, recipients, fields, self.ctx.now)

    def approval_required(
        self,
        fact: str,
        recipients: Iterable[Recipient | None],
        *,
        buyer: str,
        reason: str = "",
        reason_kind: str = "pending",
        age: timedelta = timedelta(0),
        links: bool = True,
    ) -> list[Notification]:
        """``B2B_ORDER_APPROVAL_REQUIRED``: the reason in each recipient's language (a reason
        the row gave is kept as written) and, with ``links``, one-click links of their own."""
        approval = self.ctx.config.approval
        maker = approval.links if links else None
        expires = int((self.ctx.now + approval.link_ttl).timestamp())
        out = []
        for recipient in recipients:
            if recipient is None:
                continue
            extra = {
                "BUYER_NAME": buyer,
                "APPROVAL_REASON": reason or approval_reason(reason_kind, recipient.language, age),
            }
            if maker is not None:
                key = dedup_key(
                    APPROVAL_REQUIRED, f"order:{self.order.id}:{fact}", recipient.user_id
                )
                extra["APPROVE_URL"], extra["REJECT_URL"] = maker.pair(
                    self.order.id, recipient.user_id, key, expires
                )
            out += self.make(APPROVAL_REQUIRED, fact, [recipient], **extra)
        return out


__all__ = [
    "APPROVAL_REASONS",
    "APPROVAL_REQUIRED",
    "APPROVED",
    "CREATED",
    "REJECTED",
    "STATUS_CHANGED",
    "OrderNotes",
    "age_text",
    "approval_reason",
]
