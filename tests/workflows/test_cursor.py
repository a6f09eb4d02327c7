"""The one watcher loop, over a source in memory: where it starts, sections, the cursor moving
only with its effects, re-reads producing the same keys, and the gap rule."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from workflows import (
    GAP_GRACE,
    Directory,
    Item,
    Notification,
    PolicyContext,
    Recipient,
    WatchConfig,
    Watcher,
    dedup_key,
    poll,
    settled,
)
from workflows.testing import MemoryWorkflowStore

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


class ListSource:
    def __init__(self, ids: Sequence[int], at: datetime | None = None) -> None:
        self.items = [Item(i, {"n": i}, at) for i in ids]
        self.reads = 0

    async def newest(self) -> int:
        return max((i.id for i in self.items), default=0)

    async def after(self, cursor: int, limit: int) -> list[Item]:
        self.reads += 1
        return [i for i in self.items if i.id > cursor][:limit]


class Policy:
    def __init__(self, fail_on: int | None = None) -> None:
        self.seen: list[int] = []
        self.fail_on = fail_on

    async def __call__(self, items: Sequence[Item], ctx: PolicyContext) -> list[Notification]:
        out = []
        for item in items:
            if item.id == self.fail_on:
                raise RuntimeError("killed")
            self.seen.append(item.id)
            user = Recipient(item.id, "", "u", "ru")
            out.append(
                Notification(
                    dedup_key("B2B_ORDER_COMMENT", f"comment:{item.id}", item.id),
                    "B2B_ORDER_COMMENT",
                    user,
                    created_at=NOW,
                )
            )
        return out


def _context() -> PolicyContext:
    return PolicyContext(Directory(None), WatchConfig(), NOW)  # type: ignore[arg-type]


def _clock() -> datetime:
    return NOW


async def test_a_site_block_starts_at_its_newest_row():
    store, source, policy = MemoryWorkflowStore(), ListSource(range(1, 8)), Policy()
    result = await poll(Watcher("w", source, policy), store, _context, _clock)
    assert (result.started, result.cursor, result.read) == (True, 7, 0)
    source.items.append(Item(8))
    result = await poll(Watcher("w", source, policy), store, _context, _clock)
    assert (result.cursor, result.read, result.new) == (8, 1, 1)
    assert policy.seen == [8]


async def test_a_journal_starts_at_the_beginning_and_reads_in_sections():
    store, source, policy = MemoryWorkflowStore(), ListSource(range(1, 121)), Policy()
    result = await poll(Watcher("w", source, policy, from_start=True), store, _context, _clock)
    assert (result.cursor, result.read, result.new) == (120, 120, 120)
    assert source.reads == 3  # 50 + 50 + 20
    assert store.calls["advance"] == 4  # the start, then one per section
    assert store.watch_cursor("w") == 120


async def test_a_crash_mid_section_leaves_the_cursor_and_the_rerun_adds_nothing_twice():
    store, source = MemoryWorkflowStore(), ListSource(range(1, 121))
    watcher = Watcher("w", source, Policy(fail_on=77), from_start=True)
    with pytest.raises(RuntimeError, match="killed"):
        await poll(watcher, store, _context, _clock)
    assert store.watch_cursor("w") == 50  # the first section is done, the second is not
    assert len(store.notifications) == 50
    again = await poll(Watcher("w", source, Policy(), from_start=True), store, _context, _clock)
    assert (again.cursor, again.new) == (120, 70)
    keys = [n.key for n in store.notifications.values()]
    assert len(keys) == len(set(keys)) == 120


async def test_keys_already_in_the_outbox_are_not_added_again():
    store, source = MemoryWorkflowStore(), ListSource(range(1, 4))
    await poll(Watcher("w", source, Policy(), from_start=True), store, _context, _clock)
    other = await poll(Watcher("v", source, Policy(), from_start=True), store, _context, _clock)
    assert (other.produced, other.new) == (3, 0)
    assert len(store.notifications) == 3


LATE = NOW - timedelta(seconds=1)
OLD = NOW - GAP_GRACE - timedelta(seconds=1)


@pytest.mark.parametrize(
    ("cursor", "ids", "at", "taken"),
    [
        (10, [11, 12, 13], LATE, [11, 12, 13]),  # no gap
        (10, [11, 13, 14], LATE, [11]),  # 12 may still commit: wait before 13
        (10, [12, 13], LATE, []),  # the very next id is missing: wait
        (10, [11, 13, 14], OLD, [11, 13, 14]),  # an old gap is a rolled-back insert: go on
        (10, [11, 13], None, [11, 13]),  # a source without times never waits
        (10, [], LATE, []),
    ],
)
def test_the_gap_rule(cursor: int, ids: list[int], at: datetime | None, taken: list[int]):
    items = [Item(i, {}, at) for i in ids]
    assert [i.id for i in settled(items, cursor, NOW, GAP_GRACE)] == taken


async def test_a_poll_stops_at_a_fresh_gap_and_passes_it_later():
    store = MemoryWorkflowStore()
    source = ListSource([], at=LATE)
    watcher = Watcher("w", source, Policy())
    await poll(watcher, store, _context, _clock)
    source.items = [Item(1, {}, LATE), Item(3, {}, LATE)]
    result = await poll(watcher, store, _context, _clock)
    assert (result.cursor, result.waiting) == (1, True)

    def later() -> datetime:
        return NOW + GAP_GRACE

    result = await poll(watcher, store, _context, later)
    assert (result.cursor, result.waiting) == (3, False)
