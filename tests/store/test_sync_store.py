"""Every `jobs.SyncStore` method of the real store, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from b2bsync.store import Store
from jobs import CreditSeen, Known

from .conftest import FakeClock

MSK = timezone(timedelta(hours=3))


# -- cursors ------------------------------------------------------------------------------


def test_cursor_is_none_until_set(store: Store):
    assert store.cursor("documents") is None
    assert store.cursor("documents", "company-1") is None


def test_cursor_round_trips_the_instant_in_utc(store: Store):
    moment = datetime(2025, 3, 1, 12, 30, 15, 123456, tzinfo=MSK)
    store.set_cursor("documents", "", moment)
    back = store.cursor("documents")
    assert back == moment
    assert back is not None
    assert back.utcoffset() == timedelta(0)
    assert back.hour == 9


def test_cursors_are_per_feed_and_scope(store: Store):
    t1 = datetime(2025, 1, 1, tzinfo=UTC)
    t2 = datetime(2025, 2, 1, tzinfo=UTC)
    store.set_cursor("documents", "c1", t1)
    store.set_cursor("documents", "c2", t2)
    store.set_cursor("companies", "", t2)
    assert store.cursor("documents", "c1") == t1
    assert store.cursor("documents", "c2") == t2
    assert store.cursor("documents") is None
    assert store.cursor("companies") == t2
    store.set_cursor("documents", "c1", t2)
    assert store.cursor("documents", "c1") == t2
    assert store.newest_cursors() == {"documents": t2, "companies": t2}


def test_a_naive_datetime_is_refused(store: Store):
    with pytest.raises(ValueError, match="timezone-aware"):
        store.set_cursor("documents", "", datetime(2025, 1, 1))
    assert store.cursor("documents") is None


# -- remembered records -------------------------------------------------------------------


def test_known_returns_only_remembered_keys(store: Store):
    store.remember("documents", [Known("g1", "h1", 10, "c1"), Known("g2", "h2", None, "c1")])
    found = store.known("documents", ["g1", "g2", "g3"])
    assert found == {
        "g1": Known("g1", "h1", 10, "c1", False),
        "g2": Known("g2", "h2", None, "c1", False),
    }
    assert store.known("documents", []) == {}
    assert store.known("companies", ["g1"]) == {}


def test_remember_updates_hash_id_scope_and_deleted(store: Store):
    store.remember("documents", [Known("g1", "h1", 10, "c1")])
    store.remember("documents", [Known("g1", "h2", 11, "c2", deleted=True)])
    assert store.known("documents", ["g1"])["g1"] == Known("g1", "h2", 11, "c2", True)
    assert store.known_in_scope("documents", "c1") == {}
    assert set(store.known_in_scope("documents", "c2")) == {"g1"}


def test_remember_keeps_the_last_of_duplicate_keys(store: Store):
    store.remember("documents", [Known("g1", "first"), Known("g1", "second")])
    assert store.known("documents", ["g1"])["g1"].hash == "second"


def test_known_handles_more_keys_than_one_query_takes(store: Store):
    records = [Known(f"key-{n:05d}", f"h{n}", n, "s") for n in range(1234)]
    store.remember("orders", records)
    asked = [r.key for r in records] + ["missing"]
    found = store.known("orders", asked)
    assert len(found) == 1234
    assert found["key-01233"].bitrix_id == 1233


def test_known_in_scope_lists_one_scope(store: Store):
    store.remember(
        "documents",
        [Known("a", "1", 1, "c1"), Known("b", "2", 2, "c1"), Known("c", "3", 3, "c2")],
    )
    assert set(store.known_in_scope("documents", "c1")) == {"a", "b"}
    assert set(store.known_in_scope("documents", "c2")) == {"c"}
    assert store.known_in_scope("credit", "c1") == {}


def test_remember_nothing_is_fine(store: Store):
    store.remember("documents", [])
    assert store.known_in_scope("documents", "") == {}


# -- quarantine ---------------------------------------------------------------------------


def test_quarantine_records_an_entry(store: Store, clock: FakeClock):
    changed = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    store.quarantine("documents", "g1", "no number", {"Номер": ""}, "c1", changed)
    [entry] = store.quarantined("documents")
    assert (entry.feed, entry.key, entry.scope, entry.reason) == (
        "documents",
        "g1",
        "c1",
        "no number",
    )
    assert entry.raw == {"Номер": ""}
    assert entry.changed_at == changed
    assert entry.attempts == 1
    assert entry.first_seen == entry.last_seen == clock.now
    assert entry.retry is False
    assert store.quarantined("companies") == []


def test_quarantine_again_refreshes_the_entry(store: Store, clock: FakeClock):
    changed = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    store.quarantine("documents", "g1", "no number", {"v": 1}, "c1", changed)
    first = clock.now
    clock.advance(hours=1)
    store.quarantine("documents", "g1", "bad amount", {"v": 2}, "c1")
    [entry] = store.quarantined("documents")
    assert entry.attempts == 2
    assert entry.reason == "bad amount"
    assert entry.raw == {"v": 2}
    assert entry.first_seen == first
    assert entry.last_seen == clock.now
    assert entry.changed_at == changed  # kept when the refresh does not know it


def test_quarantine_stores_raw_records_in_their_json_form(store: Store):
    raw = {
        "amount": Decimal("1234.50"),
        "date": datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
        "file": b"%PDF",
        "lines": (1, 2),
    }
    store.quarantine("documents", "g1", "reason", raw)
    [entry] = store.quarantined("documents")
    assert entry.raw == {
        "amount": "1234.50",
        "date": "2025-01-02T03:04:05+00:00",
        "file": {"base64": "JVBERg=="},
        "lines": [1, 2],
    }


def test_quarantine_of_records_without_a_key(store: Store):
    store.quarantine("companies", None, "no GUID", {"name": "ООО Ромашка"})
    store.quarantine("companies", None, "no GUID", {"name": "ООО Ромашка"})
    store.quarantine("companies", None, "no GUID", {"name": "ИП Иванов"})
    store.quarantine("companies", None, "not XML", "<broken")
    entries = store.quarantined("companies")
    assert [(e.key, e.raw, e.attempts) for e in entries] == [
        (None, {"name": "ООО Ромашка"}, 2),
        (None, {"name": "ИП Иванов"}, 1),
        (None, "<broken", 1),
    ]


def test_quarantine_with_no_raw_form(store: Store):
    store.quarantine("orders", "17", "basket unreadable", None)
    [entry] = store.quarantined("orders")
    assert entry.raw is None


def test_clear_quarantine_removes_only_the_given_keys_of_the_feed(store: Store):
    for key in ("g1", "g2", "g3"):
        store.quarantine("documents", key, "r", {})
    store.quarantine("credit", "g1", "r", {})
    store.quarantine("documents", None, "no key", {"x": 1})
    store.clear_quarantine("documents", ["g1", "g3", "never-seen"])
    assert [e.key for e in store.quarantined("documents")] == ["g2", None]
    assert [e.key for e in store.quarantined("credit")] == ["g1"]
    store.clear_quarantine("documents", [])
    assert len(store.quarantined("documents")) == 2


def test_quarantined_lists_oldest_first(store: Store, clock: FakeClock):
    store.quarantine("documents", "late", "r", {})
    clock.advance(minutes=-5)
    store.quarantine("documents", "early", "r", {})
    assert [e.key for e in store.quarantined("documents")] == ["early", "late"]


def test_retry_flow(store: Store, clock: FakeClock):
    changed = datetime(2025, 3, 1, tzinfo=UTC)
    store.quarantine("documents", "g1", "bad", {}, "c1", changed)
    store.quarantine("documents", "g2", "bad", {}, "c2", changed)
    store.quarantine("credit", "g3", "bad", {}, "c3")
    assert store.retry_requested("documents") == []

    assert store.request_retry("documents", "g1") == 1
    [wanted] = store.retry_requested("documents")
    assert (wanted.key, wanted.scope, wanted.changed_at, wanted.retry) == (
        "g1",
        "c1",
        changed,
        True,
    )

    # the next run re-reads c1: still broken → quarantined again, no longer marked
    clock.advance(minutes=10)
    store.quarantine("documents", "g1", "still bad", {}, "c1", changed)
    assert store.retry_requested("documents") == []
    assert store.quarantined("documents")[0].attempts == 2

    # marked again, and this time it goes through
    assert store.request_retry() == 3
    store.clear_quarantine("documents", ["g1", "g2"])
    assert store.retry_requested("documents") == []
    assert [e.key for e in store.retry_requested("credit")] == ["g3"]


def test_request_retry_counts_what_it_marked(store: Store):
    store.quarantine("documents", "g1", "bad", {})
    store.quarantine("credit", "g1", "bad", {})
    store.quarantine("credit", None, "no key", {"x": 1})
    assert store.request_retry(key="nope") == 0
    assert store.request_retry(key="g1") == 2
    assert store.request_retry("credit") == 2
    assert store.quarantine_counts() == {"documents": 1, "credit": 2}
    assert [e.feed for e in store.quarantine_entries()] == ["credit", "credit", "documents"]


# -- credit freshness ---------------------------------------------------------------------


def test_note_credit_keeps_the_latest_per_company(store: Store):
    t1 = datetime(2025, 3, 1, 9, tzinfo=UTC)
    t2 = datetime(2025, 3, 1, 10, tzinfo=UTC)
    store.note_credit(CreditSeen("c2", t1, t1))
    store.note_credit(CreditSeen("c1", t1, t1, blocked=True))
    store.note_credit(CreditSeen("c1", t2, t2 + timedelta(minutes=1), blocked=False))
    assert store.credit_seen() == [
        CreditSeen("c1", t2, t2 + timedelta(minutes=1), False),
        CreditSeen("c2", t1, t1, False),
    ]


def test_credit_seen_is_empty_at_first(store: Store):
    assert store.credit_seen() == []


# -- every call commits on its own --------------------------------------------------------


def test_each_call_is_visible_to_another_connection_at_once(store: Store, store_url: str):
    other = Store.open(store_url)
    try:
        store.set_cursor("orders", "", datetime(2025, 1, 1, tzinfo=UTC))
        store.remember("orders", [Known("1", "h")])
        store.quarantine("orders", "2", "r", {})
        store.note_credit(CreditSeen("c", datetime(2025, 1, 1, tzinfo=UTC), datetime.now(UTC)))
        assert other.cursor("orders") == datetime(2025, 1, 1, tzinfo=UTC)
        assert set(other.known("orders", ["1"])) == {"1"}
        assert [e.key for e in other.quarantined("orders")] == ["2"]
        assert [c.key for c in other.credit_seen()] == ["c"]
    finally:
        other.close()


def test_unknown_feeds_are_refused(store: Store):
    with pytest.raises(ValueError, match="unknown feed 'document'"):
        store.set_cursor("document", "", datetime(2025, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="unknown feed"):
        store.remember("invoices", [Known("a", "h")])
    with pytest.raises(ValueError, match="unknown feed"):
        store.quarantine("invoices", "a", "r", {})
    with pytest.raises(ValueError, match="unknown feed"):
        store.request_retry("invoices")
