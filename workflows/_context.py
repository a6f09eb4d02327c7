"""What a watcher's policy works with: the site (through a per-poll :class:`Directory`), the
settings that shape notifications, and the moment of the poll."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

from ._approval_ports import ApprovalStore
from ._directory import Directory
from .approval import ApprovalConfig


@dataclass(frozen=True)
class WatchConfig:
    """How notifications are made (the application maps its settings here).

    - ``cabinet_url``: where the cabinet lives on the store (``https://shop/personal/b2b/``);
      links are ``orders/<id>/``, ``documents/`` and ``finance/`` under it;
    - ``default_language``: for users whose own language the site does not have;
    - ``approval``: the approval workflow's statuses and rules (``[approval]``) — moves into or
      out of the approval statuses belong to it, not to the plain status notification;
    - ``site_timezone``: dates shown in notifications;
    - ``accept_url``: the invite accept page (``{web.public_url}/invites/accept``; ``""``:
      invites wait until it is set), ``invite_ttl``: how long an invite link works.
    """

    cabinet_url: str = "/personal/b2b/"
    default_language: str = "ru"
    approval: ApprovalConfig = field(default_factory=ApprovalConfig)
    site_timezone: tzinfo = field(default_factory=lambda: ZoneInfo("Europe/Moscow"))
    accept_url: str = ""
    invite_ttl: timedelta = timedelta(hours=72)

    @property
    def approval_statuses(self) -> frozenset[str]:
        return self.approval.statuses

    def link(self, path: str) -> str:
        return self.cabinet_url.rstrip("/") + "/" + path.lstrip("/")


@dataclass
class PolicyContext:
    """``approvals``: the approval workflow's state (its open moves), for the status-log
    policy; ``None`` where no policy needs it."""

    directory: Directory
    config: WatchConfig
    now: datetime
    approvals: ApprovalStore | None = None

    def date_text(self, moment: datetime | None) -> str:
        if moment is None:
            return ""
        if moment.tzinfo is not None:
            moment = moment.astimezone(self.config.site_timezone)
        return moment.strftime("%d.%m.%Y")


def money_text(amount: Decimal | str | None, currency: str, language: str) -> str:
    """``12 345,67 RUB`` in Russian, ``12,345.67 RUB`` otherwise; ``""`` without an amount."""
    if amount in (None, ""):
        return ""
    try:
        value = Decimal(str(amount))
    except ArithmeticError:
        return str(amount)
    text = f"{value:,.2f}"
    if language == "ru":
        text = text.replace(",", " ").replace(".", ",")
    return f"{text} {currency}".strip()


__all__ = ["PolicyContext", "WatchConfig", "money_text"]
