"""The company users' snapshot, the reports and the invite claims in memory: the
:class:`~workflows._people_ports.MemberStore` and :class:`~workflows._people_ports.InviteStore`
half of :class:`workflows.testing.MemoryWorkflowStore`, keeping every rule of those ports (one
claim winner, takeover only of a stale claim, writes refused to a holder that lost its claim, a
report kept once)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from ._people_ports import Claim, Claimed, MemberCursor, Report
from .members import Membership


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}")
    return value


class PeopleMemory:
    def __init__(self) -> None:
        self.snapshot: dict[tuple[int, int], Membership] = {}
        self.cursor_state = MemberCursor()
        self.report_log: list[Report] = []
        self.claims: dict[int, Claim] = {}

    # members
    def member_snapshot(
        self, company_ids: Sequence[int] | None = None
    ) -> dict[int, list[Membership]]:
        wanted = None if company_ids is None else set(company_ids)
        out: dict[int, list[Membership]] = {}
        for (company, _), row in sorted(self.snapshot.items()):
            if wanted is None or company in wanted:
                out.setdefault(company, []).append(row)
        return out

    def member_cursor(self) -> MemberCursor:
        return self.cursor_state

    def save_members(
        self,
        rows: Sequence[Membership],
        cursor: MemberCursor,
        reports: Sequence[Report],
        *,
        full: bool,
    ) -> int:
        if full:
            self.snapshot = {}
        for row in rows:
            self.snapshot[(row.company_id, row.user_id)] = row
        self.cursor_state = cursor
        return self.add_reports(reports)

    def add_reports(self, reports: Sequence[Report]) -> int:
        known = {(r.kind, r.subject) for r in self.report_log}
        new = 0
        for report in reports:
            _aware(report.created_at)
            if (report.kind, report.subject) not in known:
                self.report_log.append(report)
                known.add((report.kind, report.subject))
                new += 1
        return new

    def reports(self, since: datetime | None = None, limit: int = 50) -> list[Report]:
        found = [r for r in self.report_log if since is None or r.created_at >= since]
        return sorted(found, key=lambda r: r.created_at, reverse=True)[:limit]

    # invite claims
    def claim_invite(
        self, invite_id: int, token_hash: str, holder: str, now: datetime, stale_after: timedelta
    ) -> Claimed:
        _aware(now)
        found = self.claims.get(invite_id)
        if found is None:
            claim = Claim(invite_id, token_hash, holder, now)
            self.claims[invite_id] = claim
            return Claimed(claim, won=True)
        if found.completed or now - found.claimed_at < stale_after:
            return Claimed(found, won=False)
        taken = replace(found, holder=holder, claimed_at=now)
        self.claims[invite_id] = taken
        return Claimed(taken, won=True, taken_over=True)

    def _held(self, invite_id: int, holder: str) -> Claim | None:
        found = self.claims.get(invite_id)
        return found if found is not None and found.holder == holder else None

    def set_claim_user(self, invite_id: int, holder: str, user_id: int) -> bool:
        found = self._held(invite_id, holder)
        if found is None or found.completed:
            return False
        self.claims[invite_id] = replace(found, user_id=user_id)
        return True

    def complete_claim(self, invite_id: int, holder: str, user_id: int, now: datetime) -> bool:
        found = self._held(invite_id, holder)
        if found is None or found.completed:
            return False
        self.claims[invite_id] = replace(found, user_id=user_id, completed_at=_aware(now))
        return True

    def release_claim(self, invite_id: int, holder: str) -> bool:
        found = self._held(invite_id, holder)
        if found is None or found.completed:
            return False
        del self.claims[invite_id]
        return True

    def invite_claim(self, invite_id: int) -> Claim | None:
        return self.claims.get(invite_id)


__all__ = ["PeopleMemory"]
