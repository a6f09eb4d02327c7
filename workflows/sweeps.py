"""Periodic steps beside the cursor watchers: work that no new row announces.

- ``company_users`` (:mod:`workflows.member_watch`): membership rows the site *updated*, checked
  against the owner rule;
- ``invite_expiry`` (:meth:`workflows.invitations.Invitations.expire`): pending invites past
  their expiry become ``expired``;
- ``approval_reminders`` (:func:`workflows.reminders.remind_pending`): orders pending too long
  remind their owners, then go to the company's manager.

The service runs each on its interval (``every``; ``None``: the watchers' interval), a failed
run logged and tried again on the next round, like a watcher's poll.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bitrix_client import BitrixClient

from ._context import PolicyContext
from ._member_rows import MemberRows
from ._ports import WorkflowStore
from .invitations import Invitations
from .member_watch import MEMBERS_WATCH, MemberWatch, MemberWatchConfig
from .reminders import remind_pending
from .watchers import status_log_source

INVITE_EXPIRY = "invite_expiry"
APPROVAL_REMINDERS = "approval_reminders"
#: The order the service runs them in.
SWEEP_ORDER: tuple[str, ...] = (MEMBERS_WATCH, INVITE_EXPIRY, APPROVAL_REMINDERS)

Step = Callable[[PolicyContext], Awaitable[object]]


@dataclass(frozen=True)
class Sweep:
    name: str
    step: Step
    every: timedelta | None = None


def build_sweeps(
    bitrix: BitrixClient,
    store: WorkflowStore,
    members: MemberWatchConfig | None = None,
    *,
    expire_every: timedelta = timedelta(minutes=1),
    remind_every: timedelta = timedelta(minutes=5),
) -> list[Sweep]:
    watch = MemberWatch(store, members)
    invitations = Invitations(bitrix, store)
    events = status_log_source(bitrix)

    async def company_users(ctx: PolicyContext) -> object:
        return await watch.poll(MemberRows(bitrix, ctx.directory), ctx)

    async def invite_expiry(ctx: PolicyContext) -> object:
        return await invitations.expire(ctx)

    async def approval_reminders(ctx: PolicyContext) -> object:
        return await remind_pending(ctx, store, events)

    made = {
        MEMBERS_WATCH: Sweep(MEMBERS_WATCH, company_users),
        INVITE_EXPIRY: Sweep(INVITE_EXPIRY, invite_expiry, expire_every),
        APPROVAL_REMINDERS: Sweep(APPROVAL_REMINDERS, approval_reminders, remind_every),
    }
    return [made[name] for name in SWEEP_ORDER]


__all__ = ["APPROVAL_REMINDERS", "INVITE_EXPIRY", "SWEEP_ORDER", "Step", "Sweep", "build_sweeps"]
