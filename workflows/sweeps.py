"""Periodic steps beside the cursor watchers: work that no new row announces.

- ``company_users`` (:mod:`workflows.member_watch`): membership rows the site *updated*, checked
  against the owner rule;
- ``invite_expiry`` (:meth:`workflows.invitations.Invitations.expire`): pending invites past
  their expiry become ``expired``.

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

INVITE_EXPIRY = "invite_expiry"
#: The order the service runs them in.
SWEEP_ORDER: tuple[str, ...] = (MEMBERS_WATCH, INVITE_EXPIRY)

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
) -> list[Sweep]:
    watch = MemberWatch(store, members)
    invitations = Invitations(bitrix, store)

    async def company_users(ctx: PolicyContext) -> object:
        return await watch.poll(MemberRows(bitrix, ctx.directory), ctx)

    async def invite_expiry(ctx: PolicyContext) -> object:
        return await invitations.expire(ctx)

    made = {
        MEMBERS_WATCH: Sweep(MEMBERS_WATCH, company_users),
        INVITE_EXPIRY: Sweep(INVITE_EXPIRY, invite_expiry, expire_every),
    }
    return [made[name] for name in SWEEP_ORDER]


__all__ = ["INVITE_EXPIRY", "SWEEP_ORDER", "Step", "Sweep", "build_sweeps"]
