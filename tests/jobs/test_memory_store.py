"""MemoryStore keeps the SyncStore rules the jobs rely on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bitrix_client.fake import ManualClock
from jobs import CreditSeen, IndexedOrder, Known, SyncStore
from jobs.testing import MemoryStore

T0 = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


def test_it_is_a_sync_store() -> None:
    store: SyncStore = MemoryStore()
    assert store.cursor("orders") is None


def test_cursors_are_per_feed_and_scope_and_must_be_aware() -> None:
    store = MemoryStore()
    store.set_cursor("documents", "a", T0)
    store.set_cursor("documents", "b", T0 + timedelta(hours=1))
    assert store.cursor("documents", "a") == T0
    assert store.cursor("documents") is None
    with pytest.raises(ValueError, match="naive"):
        store.set_cursor("orders", "", datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="unknown feed"):
        store.cursor("invoices")


def test_remembered_records_by_key_and_scope() -> None:
    store = MemoryStore()
    store.remember("documents", [Known("d1", "h1", 10, "c1"), Known("d2", "h2", 11, "c2")])
    store.remember("documents", [Known("d1", "h3", 10, "c1", deleted=True)])
    assert store.known("documents", ["d1", "zz"]) == {"d1": Known("d1", "h3", 10, "c1", True)}
    assert list(store.known_in_scope("documents", "c2")) == ["d2"]
    assert store.known("companies", ["d1"]) == {}


def test_quarantine_counts_attempts_and_a_new_quarantine_ends_the_retry() -> None:
    clock = ManualClock(T0)
    store = MemoryStore(clock=clock)
    store.quarantine("documents", "d1", "bad amount", {"amount": "x"}, "c1", T0)
    clock.advance(60)
    assert store.request_retry("documents") == 1
    assert [e.key for e in store.retry_requested("documents")] == ["d1"]

    store.quarantine("documents", "d1", "still bad", {"amount": "y"}, "c1", T0)
    [entry] = store.quarantined("documents")
    assert (entry.attempts, entry.reason, entry.retry) == (2, "still bad", False)
    assert entry.first_seen == T0
    assert entry.last_seen == T0 + timedelta(seconds=60)
    assert store.retry_requested("documents") == []

    store.clear_quarantine("documents", ["d1"])
    assert store.quarantined("documents") == []


def test_keyless_entries_are_told_apart_by_their_raw_form() -> None:
    store = MemoryStore()
    store.quarantine("companies", None, "no GUID", "<a/>")
    store.quarantine("companies", None, "no GUID", "<a/>")
    store.quarantine("companies", None, "no GUID", "<b/>")
    attempts = sorted(e.attempts for e in store.quarantined("companies"))
    assert attempts == [1, 2]


def test_credit_freshness_and_the_order_index() -> None:
    store = MemoryStore()
    store.note_credit(CreditSeen("c1", T0, T0 + timedelta(minutes=1)))
    store.note_credit(CreditSeen("c2", T0 + timedelta(hours=5), T0 + timedelta(hours=5)))
    assert store.stale(T0 + timedelta(hours=7), timedelta(hours=6)) == ["c1"]
    order = IndexedOrder(1, "1", 5, "N", T0, T0, Decimal("10.50"), "RUB")
    store.index_orders([order, IndexedOrder(2, "2", None, "N", T0, T0, Decimal(1), "RUB")])
    store.index_orders([IndexedOrder(1, "1", 5, "F", T0, T0 + timedelta(1), Decimal(1), "RUB")])
    assert [o.status_id for o in store.orders_of(5)] == ["F"]
    assert len(store.orders) == 2
