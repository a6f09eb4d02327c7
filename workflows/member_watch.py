"""The members watcher: changes the site made to ``b2b_company_users``, and the owner rule on
them.

The cabinet *updates* membership rows (a role change, a deactivation), which a cursor on row IDs
never sees. So the watcher keeps a snapshot of every membership in the state store and compares:

- **a quick poll** (every watcher interval) reads only the rows stamped ``UF_UPDATED_AT`` at or
  after the newest stamp it saw, less ``lookback`` (a clock apart, a transaction committing
  late) — one request when nothing changed. Rows read again compare equal to the snapshot and
  cost nothing more;
- **a full scan** (the first poll, then every ``full_every``) reads every row: it catches rows
  changed without the stamp (the admin panel's HL-block editor) and rows deleted there.

For each company whose rows changed, :func:`workflows.members.owner_losses` says whether it lost
its last active owner and which change did it; the watcher writes that row back as the
snapshot had it (stamped, so the next poll sees it and finds it equal), logs it and records a
report that ``b2bsync status`` shows. The snapshot, the cursor and the reports are stored in one
transaction after the site's writes (rules in :mod:`workflows._people_ports`). The very first
scan only learns the rows: a company that already has no active owner is reported, not changed
— there is no earlier state to go back to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import structlog

from ._context import PolicyContext
from ._member_rows import MemberRows
from ._people_ports import MemberCursor, Report
from ._ports import WorkflowStore
from .members import Membership, owner_losses
from .roles import active_owners

log = structlog.get_logger("workflows")

MEMBERS_WATCH = "company_users"
REVERTED = "member.reverted"
NO_OWNER = "member.no_owner"


@dataclass(frozen=True)
class MemberWatchConfig:
    lookback: timedelta = timedelta(minutes=2)
    full_every: timedelta = timedelta(hours=1)


@dataclass
class MemberPoll:
    read: int = 0
    full: bool = False
    reverted: int = 0
    reports: int = 0


class MemberWatch:
    def __init__(self, store: WorkflowStore, config: MemberWatchConfig | None = None) -> None:
        self.store = store
        self.config = config or MemberWatchConfig()

    async def poll(self, rows: MemberRows, ctx: PolicyContext) -> MemberPoll:
        now = ctx.now
        cursor = self.store.member_cursor()
        full = cursor.full_at is None or now - cursor.full_at >= self.config.full_every
        if full:
            seen = await rows.every()
        else:
            since = (cursor.since or now) - self.config.lookback
            seen = await rows.changed_since(since)
        result = MemberPoll(read=len(seen), full=full)
        companies = sorted({row.company_id for row in seen})
        before = self.store.member_snapshot(None if full else companies)
        after = _merged(before, seen, full)
        reports: list[Report] = []
        if cursor.full_at is not None:
            for loss in owner_losses(before, after):
                row_id = await rows.restore(loss, now)
                restored = replace(loss.before, row_id=row_id, updated_at=now)
                after[loss.company_id] = [
                    row for row in after[loss.company_id] if row.user_id != loss.user_id
                ] + [restored]
                message = loss.describe()
                log.warning(
                    "members.reverted",
                    company=loss.company_id,
                    user=loss.user_id,
                    role=loss.before.role,
                )
                reports.append(
                    Report(
                        REVERTED,
                        loss.subject,
                        message,
                        now,
                        {"company_id": loss.company_id, "user_id": loss.user_id},
                    )
                )
                result.reverted += 1
        if full:
            reports += _ownerless(after, now)
        stamps = [row.updated_at for row in seen if row.updated_at is not None]
        newest = max([*stamps, *([cursor.since] if cursor.since else [])], default=None)
        next_cursor = MemberCursor(
            since=newest, full_at=now if full else cursor.full_at, polled_at=now
        )
        touched = [row for company in (after if full else companies) for row in after[company]]
        result.reports = self.store.save_members(touched, next_cursor, reports, full=full)
        if seen or result.reports:
            log.info(
                "members.polled",
                read=result.read,
                full=full,
                reverted=result.reverted,
                reports=result.reports,
            )
        return result


def _merged(
    before: dict[int, list[Membership]], seen: Sequence[Membership], full: bool
) -> dict[int, list[Membership]]:
    """The companies' rows now: a full scan is the whole truth; a quick poll changes the rows it
    read and keeps the rest of their companies as the snapshot has them."""
    fresh: dict[int, dict[int, Membership]] = defaultdict(dict)
    if not full:
        for company in {row.company_id for row in seen}:
            for row in before.get(company, []):
                fresh[company][row.user_id] = row
    for row in seen:
        fresh[row.company_id][row.user_id] = row
    if full:
        for company in before:
            fresh.setdefault(company, {})
    return {company: list(users.values()) for company, users in fresh.items()}


def _ownerless(after: dict[int, list[Membership]], now: datetime) -> list[Report]:
    """Companies with members but no active owner, once a day each."""
    out = []
    for company, rows in sorted(after.items()):
        if rows and not active_owners(row.as_member() for row in rows):
            out.append(
                Report(
                    NO_OWNER,
                    f"{company}:{now.date().isoformat()}",
                    f"company {company} has no active owner: make a member owner "
                    f"(`b2bsync company users role {company} USER owner`)",
                    now,
                    {"company_id": company},
                )
            )
    return out


__all__ = [
    "MEMBERS_WATCH",
    "NO_OWNER",
    "REVERTED",
    "MemberPoll",
    "MemberWatch",
    "MemberWatchConfig",
]
