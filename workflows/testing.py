"""Test support for the workflows.

- :class:`MemoryWorkflowStore`, faithful to the ports: it keeps every rule of
  :class:`~workflows.WorkflowStore` (first key wins, cursor and effects together, a channel done
  only when recorded, park without ``retry_at``) and of :class:`~workflows.ApprovalStore` (one
  move per causing row, episodes marked once, a link's nonce claimed once), refuses naive
  datetimes as the SQL columns would, and counts calls in ``calls`` so a test can say, for
  instance, that a poll moved no cursor. ``add_fact`` / ``record_facts`` play the sync jobs
  writing the journal. The members snapshot, reports and invite claims are
  :class:`~workflows._people_memory.PeopleMemory`'s.
- :func:`add_members` — company memberships on a (fake) site, as the cabinet writes them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from bitrix_client import BitrixClient

from ._approval_ports import (
    ESCALATE,
    REMIND,
    STATUS_MOVES,
    ApprovalEffects,
    ApprovalStats,
    Episode,
    Move,
    MoveKind,
    MoveState,
)
from ._directory import MEMBERS, Directory
from ._people_memory import PeopleMemory
from ._ports import Delivery, Fact, OutboxStats, Outcome, WatchState
from .notifications import Notification


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}")
    return value


@dataclass
class _Slot:
    notification_id: int
    channel: str
    attempts: int = 0
    due_at: datetime | None = None
    last_error: str = ""
    parked_at: datetime | None = None
    delivered_at: datetime | None = None


class MemoryWorkflowStore(PeopleMemory):
    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.notifications: dict[int, Notification] = {}
        self.by_key: dict[str, int] = {}
        self.slots: dict[tuple[int, str], _Slot] = {}
        self.cursors: dict[str, WatchState] = {}
        self.facts: list[Fact] = []
        self.wakes: set[str] = set()
        self.calls: Counter[str] = Counter()
        self.moves: dict[int, Move] = {}
        self.episode_rows: dict[int, Episode] = {}
        self.used_links: dict[str, tuple[int, int, str, datetime]] = {}

    # outbox
    def enqueue(self, notifications: Sequence[Notification]) -> int:
        self.calls["enqueue"] += 1
        return self._enqueue(notifications)

    def _enqueue(self, notifications: Sequence[Notification]) -> int:
        for note in notifications:  # all or nothing, as one transaction
            if note.created_at is None:
                raise ValueError("a notification needs created_at")
            _aware(note.created_at)
        new = 0
        for note in notifications:
            if note.key in self.by_key:
                continue
            number = len(self.notifications) + 1
            stored = replace(note, id=number)
            self.notifications[number] = stored
            self.by_key[note.key] = number
            for channel in stored.channels():
                self.slots[(number, channel.value)] = _Slot(
                    number, channel.value, 0, note.created_at
                )
            new += 1
        return new

    def _delivery(self, slot: _Slot) -> Delivery:
        note = self.notifications[slot.notification_id]
        channel = next(c for c in note.channels() if c.value == slot.channel)
        return Delivery(
            note,
            channel,
            slot.attempts,
            slot.due_at,
            slot.last_error,
            slot.parked_at,
            slot.delivered_at,
        )

    def _waiting(self) -> list[_Slot]:
        return [s for s in self.slots.values() if s.delivered_at is None and s.parked_at is None]

    def due(self, now: datetime, limit: int) -> list[Delivery]:
        self.calls["due"] += 1
        _aware(now)
        ready = [s for s in self._waiting() if s.due_at is not None and s.due_at <= now]
        ready.sort(key=lambda s: (s.due_at or now, s.notification_id, s.channel))
        return [self._delivery(s) for s in ready[:limit]]

    def next_due(self) -> datetime | None:
        times = [s.due_at for s in self._waiting() if s.due_at is not None]
        return min(times) if times else None

    def record(self, outcomes: Sequence[Outcome], now: datetime) -> None:
        self.calls["record"] += 1
        _aware(now)
        for outcome in outcomes:
            slot = self.slots[(outcome.notification_id, outcome.channel.value)]
            if slot.delivered_at is not None:
                continue
            if outcome.delivered:
                slot.delivered_at, slot.last_error = now, ""
                continue
            slot.attempts += 1
            slot.last_error = outcome.error
            if outcome.retry_at is None:
                slot.parked_at = now
            else:
                slot.due_at = _aware(outcome.retry_at)

    def parked(self) -> list[Delivery]:
        found = [s for s in self.slots.values() if s.parked_at is not None]
        found.sort(key=lambda s: (s.parked_at or datetime.min, s.notification_id, s.channel))
        return [self._delivery(s) for s in found]

    def unpark(self, keys: Sequence[str] | None, now: datetime) -> int:
        _aware(now)
        wanted = None if keys is None else {self.by_key[k] for k in keys if k in self.by_key}
        count = 0
        for slot in self.slots.values():
            if slot.parked_at is None or (
                wanted is not None and slot.notification_id not in wanted
            ):
                continue
            slot.parked_at, slot.attempts, slot.due_at = None, 0, now
            count += 1
        return count

    def has_notification(self, key: str) -> bool:
        return key in self.by_key

    def forget_links(self, type_name: str, field: str, since: datetime) -> int:
        count = 0
        for number, note in list(self.notifications.items()):
            slots = [s for s in self.slots.values() if s.notification_id == number]
            done = all(s.delivered_at is not None for s in slots)
            recent = note.created_at is not None and note.created_at >= since
            if note.type == type_name and done and recent and note.fields.get(field):
                self.notifications[number] = replace(note, fields={**note.fields, field: ""})
                count += 1
        return count

    def outbox_stats(self) -> OutboxStats:
        waiting = self._waiting()
        oldest = [self.notifications[s.notification_id].created_at for s in waiting]
        return OutboxStats(
            pending=len(waiting),
            parked=sum(1 for s in self.slots.values() if s.parked_at is not None),
            delivered=sum(1 for s in self.slots.values() if s.delivered_at is not None),
            oldest_pending=min((o for o in oldest if o is not None), default=None),
        )

    def prune_outbox(self, before: datetime) -> int:
        gone = 0
        for number in list(self.notifications):
            slots = [s for s in self.slots.values() if s.notification_id == number]
            if slots and all(s.delivered_at is not None and s.delivered_at < before for s in slots):
                note = self.notifications.pop(number)
                self.by_key.pop(note.key, None)
                for s in slots:
                    del self.slots[(number, s.channel)]
                gone += 1
        return gone

    # watchers
    def watch_cursor(self, watcher: str) -> int | None:
        state = self.cursors.get(watcher)
        return None if state is None else state.cursor

    def advance(
        self,
        watcher: str,
        cursor: int,
        notifications: Sequence[Notification],
        now: datetime,
        *,
        approval: ApprovalEffects | None = None,
    ) -> int:
        self.calls["advance"] += 1
        _aware(now)
        before = self.cursors.get(watcher)
        if before is not None and cursor < before.cursor:
            raise ValueError(f"cursor of {watcher} cannot go back ({before.cursor} → {cursor})")
        new = self._enqueue(notifications)
        if approval is not None:
            self._approval(approval, now)
        moved = before is None or cursor != before.cursor
        updated = now if moved or before is None else before.updated_at
        self.cursors[watcher] = WatchState(watcher, cursor, updated, now)
        return new

    def watch_states(self) -> list[WatchState]:
        return [self.cursors[name] for name in sorted(self.cursors)]

    def request_wake(self, watcher: str, now: datetime) -> None:
        _aware(now)
        self.wakes.add(watcher)

    def take_wakes(self) -> set[str]:
        taken, self.wakes = self.wakes, set()
        return taken

    # approval
    def _approval(self, effects: ApprovalEffects, now: datetime) -> None:
        causes = {m.cause_event for m in self.moves.values()}
        for move in effects.moves:
            if move.cause_event in causes:
                continue
            number = max(self.moves, default=0) + 1
            self.moves[number] = replace(
                move, id=number, state=MoveState.pending, created_at=now, attempts=0
            )
            causes.add(move.cause_event)
        for move_id, event in effects.seen:
            if move_id in self.moves and self.moves[move_id].seen_event is None:
                self.moves[move_id] = replace(self.moves[move_id], seen_event=event)
        for move_id, event in effects.overtaken:
            if move_id not in self.moves:
                continue
            closed = self.moves[move_id]
            if closed.state == MoveState.pending:
                closed = replace(closed, state=MoveState.skipped, done_at=now)
            self.moves[move_id] = replace(closed, seen_event=closed.seen_event or event)
        for order_id, episode in effects.episodes:
            if episode is None:
                self.episode_rows.pop(order_id, None)
            else:
                self.episode_rows[order_id] = replace(
                    episode, since=_aware(episode.since), reminded_at=None, escalated_at=None
                )

    def open_moves(self, order_ids: Iterable[int]) -> list[Move]:
        wanted = set(order_ids)
        return [
            m
            for _, m in sorted(self.moves.items())
            if m.order_id in wanted
            and m.seen_event is None
            and (
                m.state == MoveState.pending
                or (m.kind in STATUS_MOVES and m.state == MoveState.done)
            )
        ]

    def due_moves(self, limit: int) -> list[Move]:
        due = [m for _, m in sorted(self.moves.items()) if m.state == MoveState.pending]
        return due[:limit]

    def finish_move(self, move_id: int, state: str, now: datetime, error: str = "") -> None:
        _aware(now)
        move = self.moves[move_id]
        if move.state != MoveState.pending:
            return
        if state == MoveState.pending:
            self.moves[move_id] = replace(move, attempts=move.attempts + 1, last_error=error)
            return
        attempts = move.attempts + (1 if state == MoveState.failed else 0)
        self.moves[move_id] = replace(
            move, state=state, done_at=now, last_error=error, attempts=attempts
        )

    def episodes(self, order_ids: Iterable[int]) -> dict[int, Episode]:
        return {o: self.episode_rows[o] for o in order_ids if o in self.episode_rows}

    def mark_episode(
        self, episode: Episode, kind: str, notifications: Sequence[Notification], now: datetime
    ) -> int:
        _aware(now)
        if kind not in (REMIND, ESCALATE):
            raise ValueError(f"unknown mark {kind!r}")
        stored = self.episode_rows.get(episode.order_id) or replace(
            episode, reminded_at=None, escalated_at=None
        )
        column = "reminded_at" if kind == REMIND else "escalated_at"
        if getattr(stored, column) is not None:
            return 0
        new = self._enqueue(notifications)
        if kind == REMIND:
            self.episode_rows[episode.order_id] = replace(stored, reminded_at=now)
        else:
            self.episode_rows[episode.order_id] = replace(stored, escalated_at=now)
        return new

    def keep_episodes(self, pending: Iterable[int]) -> int:
        keep = set(pending)
        gone = [o for o in self.episode_rows if o not in keep]
        for order_id in gone:
            del self.episode_rows[order_id]
        return len(gone)

    def claim_link(
        self, nonce: str, order_id: int, user_id: int, action: str, now: datetime
    ) -> bool:
        _aware(now)
        if nonce in self.used_links:
            return False
        self.used_links[nonce] = (order_id, user_id, action, now)
        return True

    def release_link(self, nonce: str) -> None:
        self.used_links.pop(nonce, None)

    def link_used(self, nonce: str) -> bool:
        return nonce in self.used_links

    def approval_stats(self, recent: int = 10) -> ApprovalStats:
        moves = [m for _, m in sorted(self.moves.items())]
        reverts = [m for m in moves if m.kind == MoveKind.revert]
        return ApprovalStats(
            reverted=len(reverts),
            recent_reverts=tuple(reversed(reverts[-recent:])),
            pending_moves=sum(1 for m in moves if m.state == MoveState.pending),
            failed_moves=tuple(m for m in moves if m.state == MoveState.failed),
            pending_orders=len(self.episode_rows),
            links_used=len(self.used_links),
        )

    # facts
    def add_fact(self, kind: str, key: str, data: Mapping[str, Any], at: datetime) -> bool:
        """What the application's fact sink does for a job: a new key gets the next id."""
        if any(f.key == key for f in self.facts):
            return False
        self.facts.append(Fact(len(self.facts) + 1, kind, key, dict(data), _aware(at)))
        return True

    def facts_after(self, after: int, limit: int) -> list[Fact]:
        return [f for f in self.facts if f.id > after][:limit]

    def newest_fact(self) -> int:
        return self.facts[-1].id if self.facts else 0

    def prune_facts(self, before: datetime, up_to: int) -> int:
        _aware(before)
        kept = [
            f for f in self.facts if not (f.id <= up_to and f.created_at and f.created_at < before)
        ]
        gone = len(self.facts) - len(kept)
        self.facts = kept
        return gone

    def record_facts(self, facts: Sequence[Any]) -> None:
        """:class:`jobs.FactSink` (duck-typed: ``kind``, ``key``, ``data``), at ``clock()``."""
        for fact in facts:
            self.add_fact(fact.kind, fact.key, fact.data, self.clock())


async def add_members(
    bitrix: BitrixClient, members: Iterable[tuple[int, int, str]], *, active: bool = True
) -> None:
    """``(company_id, user_id, role)`` rows in ``b2b_company_users`` (upserted on the pair)."""
    roles = await Directory(bitrix).enum_codes(MEMBERS, "UF_ROLE")
    ids = {code: number for number, code in roles.items()}
    rows = [
        {
            "UF_COMPANY_ID": company,
            "UF_USER_ID": user,
            "UF_ROLE": ids[role],
            "UF_ACTIVE": 1 if active else 0,
        }
        for company, user, role in members
    ]
    for outcome in await bitrix.bridge.upsert_many(MEMBERS, ["UF_COMPANY_ID", "UF_USER_ID"], rows):
        if isinstance(outcome, BaseException):
            raise outcome


__all__ = ["MemoryWorkflowStore", "add_members"]
