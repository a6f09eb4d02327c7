"""The ``approval`` section: when an order needs an owner's approval besides the company's own
policy (``UF_APPROVAL_MODE``/``UF_APPROVAL_THRESHOLD`` and a member's ``UF_ORDER_LIMIT``, which
live on the site), who may decide, where an approved order goes next, and when undecided orders
remind the owners and escalate to the company's manager.

``schema apply`` hands the order guard (in the bridge module, deciding at checkout) the part it
needs: ``over_credit`` and ``when_blocked``. Environment: ``B2BSYNC_APPROVAL__OVER_CREDIT=refuse``
…; or ``[approval]`` in TOML. Durations are seconds or ISO 8601.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, Field, field_validator

Rule = Literal["approval", "refuse"]


class ApprovalSettings(BaseModel):
    over_credit: Rule = Field(
        default="approval",
        description="An order larger than the credit still available (limit − used): "
        "saved pending approval, or refused at checkout",
    )
    when_blocked: Rule = Field(
        default="refuse",
        description="An order of a company whose ordering is blocked (overdue debt): refused at "
        "checkout, or saved pending approval",
    )
    self_approval: bool = Field(
        default=False,
        description="An owner may approve their own order even when the company has another "
        "active owner",
    )
    next_status: str = Field(
        default="N",
        description="Where an approved order goes on (a status ID of the sale module)",
    )
    override_groups: list[int] = Field(
        default_factory=list,
        description="Site groups whose members (managers) may approve or reject for a company",
    )
    remind_after: timedelta = Field(
        default=timedelta(hours=24),
        description="An order still pending this long reminds the company's owners",
    )
    escalate_after: timedelta = Field(
        default=timedelta(hours=72),
        description="An order still pending this long goes to the company's manager",
    )
    link_ttl: timedelta = Field(
        default=timedelta(hours=72),
        description="How long the approve/reject links in an approval mail work (once)",
    )

    @field_validator("next_status")
    @classmethod
    def _status(cls, value: str) -> str:
        value = value.strip().upper()
        if not 1 <= len(value) <= 2 or not value.isalnum():
            raise ValueError("a sale status ID: 1–2 Latin letters or digits")
        return value

    @field_validator("remind_after", "escalate_after", "link_ttl")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("must be a positive duration (seconds)")
        return value
