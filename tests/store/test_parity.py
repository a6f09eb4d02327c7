"""The SQL store and the jobs' in-memory store (`jobs.testing.MemoryStore`) answer the same
script of protocol calls the same way, so jobs tested against one behave alike on the other."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from b2bsync.store import Store
from jobs import CreditSeen, Known, SyncStore
from jobs.testing import MemoryStore

from .conftest import FakeClock

T = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def script(store: SyncStore, tick: Callable[[], None]) -> list[Any]:
    """Protocol calls as the jobs make them; every answer is collected for comparison."""
    seen: list[Any] = []
    seen.append(store.cursor("documents", "c1"))
    store.set_cursor("documents", "c1", T)
    store.set_cursor("documents", "c2", T + timedelta(hours=1))
    seen.append([store.cursor("documents", s) for s in ("c1", "c2", "")])
    store.remember("documents", [Known("g1", "h1", 1, "c1"), Known("g2", "h2", 2, "c1")])
    store.remember("documents", [Known("g2", "h2b", 2, "c1", True), Known("g3", "h3", None, "c2")])
    seen.append(store.known("documents", ["g1", "g2", "g3", "g4"]))
    seen.append(store.known_in_scope("documents", "c1"))
    seen.append(store.known("companies", ["g1"]))
    for key, reason, raw, scope in [
        ("g5", "no number", {"Номер": ""}, "c1"),
        (None, "no GUID", "<Документ/>", "c2"),
        ("g6", "bad amount", {"Сумма": "x"}, "c2"),
        (None, "no GUID", "<Документ/>", "c2"),
        ("g5", "still no number", {"Номер": " "}, "c1"),
        (None, "no GUID", "<Документ Номер='1'/>", "c2"),
    ]:
        tick()
        store.quarantine("documents", key, reason, raw, scope, T if key else None)
    seen.append(store.quarantined("documents"))
    seen.append(store.retry_requested("documents"))
    marked = store.request_retry("documents", "g5")  # type: ignore[attr-defined]
    seen.append((marked, store.retry_requested("documents")))
    tick()
    store.quarantine("documents", "g5", "again", {"Номер": ""}, "c1")
    seen.append(store.retry_requested("documents"))
    store.clear_quarantine("documents", ["g6", "missing"])
    seen.append(store.quarantined("documents"))
    store.note_credit(CreditSeen("c2", T, T + timedelta(minutes=1)))
    store.note_credit(CreditSeen("c1", T, T, blocked=True))
    store.note_credit(CreditSeen("c2", T + timedelta(hours=1), T + timedelta(hours=1)))
    seen.append(store.credit_seen())
    return seen


@pytest.fixture
def sqlite_store(tmp_path, clock: FakeClock):
    with Store.open(f"sqlite:///{tmp_path / 'state.sqlite3'}", clock=clock) as store:
        yield store


def test_the_sql_store_answers_like_the_memory_store(sqlite_store: Store, clock: FakeClock):
    memory_clock = FakeClock(clock.now)
    memory = MemoryStore(clock=memory_clock)

    def tick_both() -> None:
        clock.advance(seconds=1)

    sql_answers = script(sqlite_store, tick_both)
    memory_answers = script(memory, lambda: memory_clock.advance(seconds=1))
    assert sql_answers == memory_answers
    assert len(sql_answers[5]) == 4  # the keyless record seen twice is one entry


def test_both_refuse_what_the_other_refuses(sqlite_store: Store):
    for store in (sqlite_store, MemoryStore()):
        with pytest.raises(ValueError, match="unknown feed"):
            store.cursor("invoices")
        with pytest.raises(ValueError, match="naive"):
            store.set_cursor("orders", "", datetime(2025, 1, 1))
