"""The one loop every watcher runs: rows after the cursor → policy → outbox rows and the new
cursor, in one transaction.

Modelled on a tracking follower: resume after the last recorded position, pull a section
(50 rows, the site's page), let the policy turn it into notifications without side effects,
then store the notifications and the section's last id together
(:meth:`~workflows.WorkflowStore.advance`). Killed before that commit, the section is read
again and yields the same dedup keys; after it, the cursor says the section is done. A position
seen twice therefore means "already done", and no row is skipped: the cursor only moves past
rows whose effects are stored.

**Gaps.** The site numbers rows when they are inserted, and a transaction that inserted row 41
may commit after the one that inserted row 42 was already read. So a poll acts only on the rows
up to the first gap in the ids whose next row is younger than ``gap_grace`` (10 s): the poll
after that sees the late row or, once the grace is over, accepts the gap (a rolled-back insert
or a deleted row).

A watcher that has never run starts at the source's newest row (``from_start=False``, the
site's blocks: their history happened before b2bsync listened) or at the beginning (the facts
journal, which only ever holds what b2bsync itself recorded).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

import structlog

from ._approval_ports import ApprovalEffects
from ._context import PolicyContext
from ._ports import Clock, WorkflowStore
from .notifications import Notification

log = structlog.get_logger("workflows")

SECTION = 50
GAP_GRACE = timedelta(seconds=10)


@dataclass(frozen=True)
class Item:
    """One row of a watched source: its id (the cursor's unit), its fields, and when it was
    written (for the gap rule; ``None`` when the source cannot say)."""

    id: int
    data: Mapping[str, Any] = field(default_factory=dict)
    at: datetime | None = None


class Source(Protocol):
    """Where a watcher reads: rows with increasing ids."""

    async def newest(self) -> int:
        """The highest id there is now (0 when empty)."""
        ...

    async def after(self, cursor: int, limit: int) -> list[Item]:
        """Up to ``limit`` rows with id > ``cursor``, by ascending id."""
        ...


@dataclass
class Effects:
    """What a policy made of a section beyond notifications (a policy that only notifies
    returns the list itself)."""

    notifications: list[Notification] = field(default_factory=list)
    approval: ApprovalEffects | None = None


Policy = Callable[[Sequence[Item], PolicyContext], Awaitable[list[Notification] | Effects]]


@dataclass(frozen=True)
class Watcher:
    name: str
    source: Source
    policy: Policy
    from_start: bool = False
    gap_grace: timedelta = GAP_GRACE


def settled(items: Sequence[Item], cursor: int, now: datetime, grace: timedelta) -> list[Item]:
    """The leading ``items`` up to the first gap in the ids that may still be filled."""
    out: list[Item] = []
    expected = cursor + 1
    for item in items:
        if item.id != expected and item.at is not None and now - item.at < grace:
            break
        out.append(item)
        expected = item.id + 1
    return out


@dataclass
class PollResult:
    watcher: str
    read: int = 0
    produced: int = 0
    new: int = 0
    cursor: int = 0
    started: bool = False
    waiting: bool = False  # stopped at a gap that may still be filled


async def poll(
    watcher: Watcher,
    store: WorkflowStore,
    context: Callable[[], PolicyContext],
    clock: Clock,
    *,
    section: int = SECTION,
) -> PollResult:
    """Read everything after the watcher's cursor, section by section, and act on it."""
    result = PollResult(watcher.name)
    cursor = store.watch_cursor(watcher.name)
    if cursor is None:
        cursor = 0 if watcher.from_start else await watcher.source.newest()
        store.advance(watcher.name, cursor, [], clock())
        result.started = True
        log.info("watch.started", watcher=watcher.name, cursor=cursor)
    ctx = context()
    while True:
        fetched = await watcher.source.after(cursor, section)
        items = settled(fetched, cursor, clock(), watcher.gap_grace)
        if not items:
            store.advance(watcher.name, cursor, [], clock())
            if fetched:
                result.waiting = True
                log.info("watch.gap", watcher=watcher.name, cursor=cursor, next=fetched[0].id)
            break
        produced = await watcher.policy(items, ctx)
        effects = produced if isinstance(produced, Effects) else Effects(produced)
        cursor = max(cursor, *(item.id for item in items))
        result.read += len(items)
        result.produced += len(effects.notifications)
        result.new += store.advance(
            watcher.name, cursor, effects.notifications, clock(), approval=effects.approval
        )
        if len(fetched) < section or len(items) < len(fetched):
            result.waiting = len(items) < len(fetched)
            break
    result.cursor = cursor
    if result.read:
        log.info(
            "watch.polled",
            watcher=watcher.name,
            read=result.read,
            notifications=result.new,
            cursor=cursor,
        )
    return result


__all__ = [
    "GAP_GRACE",
    "SECTION",
    "Effects",
    "Item",
    "Policy",
    "PollResult",
    "Source",
    "Watcher",
    "poll",
    "settled",
]
