"""The one loop every watcher runs: rows after the cursor → policy → outbox rows and the new
cursor, in one transaction.

Modelled on a tracking follower: resume after the last recorded position, pull a section
(50 rows, the site's page), let the policy turn it into notifications without side effects,
then store the notifications and the section's last id together
(:meth:`~workflows.WorkflowStore.advance`). Killed before that commit, the section is read
again and yields the same dedup keys; after it, the cursor says the section is done. A position
seen twice therefore means "already done", and no row is skipped: the cursor only moves past
rows whose effects are stored.

A watcher that has never run starts at the source's newest row (``from_start=False``, the
site's blocks: their history happened before b2bsync listened) or at the beginning (the facts
journal, which only ever holds what b2bsync itself recorded).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import structlog

from ._context import PolicyContext
from ._ports import Clock, WorkflowStore
from .notifications import Notification

log = structlog.get_logger("workflows")

SECTION = 50


@dataclass(frozen=True)
class Item:
    """One row of a watched source: its id (the cursor's unit) and its fields."""

    id: int
    data: Mapping[str, Any] = field(default_factory=dict)


class Source(Protocol):
    """Where a watcher reads: rows with increasing ids."""

    async def newest(self) -> int:
        """The highest id there is now (0 when empty)."""
        ...

    async def after(self, cursor: int, limit: int) -> list[Item]:
        """Up to ``limit`` rows with id > ``cursor``, by ascending id."""
        ...


Policy = Callable[[Sequence[Item], PolicyContext], Awaitable[list[Notification]]]


@dataclass(frozen=True)
class Watcher:
    name: str
    source: Source
    policy: Policy
    from_start: bool = False


@dataclass
class PollResult:
    watcher: str
    read: int = 0
    produced: int = 0
    new: int = 0
    cursor: int = 0
    started: bool = False


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
        items = await watcher.source.after(cursor, section)
        if not items:
            store.advance(watcher.name, cursor, [], clock())
            break
        notifications = await watcher.policy(items, ctx)
        cursor = max(cursor, *(item.id for item in items))
        result.read += len(items)
        result.produced += len(notifications)
        result.new += store.advance(watcher.name, cursor, notifications, clock())
        if len(items) < section:
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


__all__ = ["SECTION", "Item", "Policy", "PollResult", "Source", "Watcher", "poll"]
