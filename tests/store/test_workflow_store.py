"""The workflows' store over SQLite and PostgreSQL, and the in-memory one, keep the same rules
(``workflows._ports``): first key wins, a cursor moves only with its notifications, a channel is
done only when recorded, parking and un-parking, stats, pruning, wakes and the facts journal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from b2bsync.store import SqlWorkflowStore, Store
from jobs import Fact as JobFact
from workflows import Channel, Notification, Outcome, Recipient, WorkflowStore, dedup_key
from workflows.testing import MemoryWorkflowStore

from .conftest import FakeClock


def _note(number: int, at: datetime, *, email: str = "a@example.ru") -> Notification:
    return Notification(
        key=dedup_key("B2B_DOCUMENT_READY", f"doc:{number}", 7),
        type="B2B_DOCUMENT_READY",
        recipient=Recipient(7, email, "Иван", "ru"),
        fields={"DOC_NUMBER": str(number), "COMPANY_NAME": "ООО «Ромашка»"},
        created_at=at,
    )


Make = Callable[[], WorkflowStore]


@pytest.fixture(params=["sql", "memory"])
def make(request: pytest.FixtureRequest, store: Store, clock: FakeClock) -> WorkflowStore:
    if request.param == "sql":
        return SqlWorkflowStore(store)
    return MemoryWorkflowStore(clock=clock)


def test_enqueue_keeps_the_first_of_a_key(make: WorkflowStore, clock: FakeClock):
    now = clock()
    assert make.enqueue([_note(1, now), _note(2, now), _note(1, now)]) == 2
    assert make.enqueue([_note(2, now + timedelta(hours=1))]) == 0
    due = make.due(now, 10)
    assert [(d.notification.fields["DOC_NUMBER"], d.channel) for d in due] == [
        ("1", Channel.cabinet),
        ("1", Channel.mail),
        ("2", Channel.cabinet),
        ("2", Channel.mail),
    ]
    first = due[0].notification
    assert first.recipient == Recipient(7, "a@example.ru", "Иван", "ru")
    assert first.fields["COMPANY_NAME"] == "ООО «Ромашка»"
    assert first.created_at == now
    assert make.enqueue([_note(3, now, email="")]) == 1  # no address: the bell only
    assert [d.channel for d in make.due(now, 10) if d.notification.fields["DOC_NUMBER"] == "3"] == [
        Channel.cabinet
    ]


def test_outcomes_done_retry_park_and_unpark(make: WorkflowStore, clock: FakeClock):
    now = clock()
    make.enqueue([_note(1, now), _note(2, now)])
    one, two = (make.due(now, 10)[i].notification.id for i in (0, 2))
    assert one is not None
    assert two is not None
    later = now + timedelta(seconds=30)
    make.record(
        [
            Outcome(one, Channel.cabinet, True),
            Outcome(one, Channel.mail, False, "HTTP 500", retry_at=later),
            Outcome(two, Channel.cabinet, True),
            Outcome(two, Channel.mail, False, "ERROR_ARGUMENT: LANGUAGE_ID"),
        ],
        now,
    )
    assert make.due(now, 10) == []
    assert make.next_due() == later
    waiting = make.due(later, 10)
    assert [(d.attempts, d.last_error) for d in waiting] == [(1, "HTTP 500")]
    parked = make.parked()
    assert [(d.notification.id, d.channel, d.attempts) for d in parked] == [(two, Channel.mail, 1)]
    assert parked[0].last_error == "ERROR_ARGUMENT: LANGUAGE_ID"
    stats = make.outbox_stats()
    assert (stats.pending, stats.parked, stats.delivered) == (1, 1, 2)
    assert stats.oldest_pending == now
    # a late outcome never undoes a confirmed delivery
    make.record([Outcome(one, Channel.cabinet, False, "late", retry_at=later)], later)
    assert make.outbox_stats().delivered == 2
    assert make.unpark([dedup_key("B2B_DOCUMENT_READY", "doc:1", 7)], later) == 0
    assert make.unpark([dedup_key("B2B_DOCUMENT_READY", "doc:2", 7)], later) == 1
    again = [d for d in make.due(later, 10) if d.notification.id == two]
    assert [(d.channel, d.attempts) for d in again] == [(Channel.mail, 0)]
    make.record([Outcome(two, Channel.mail, True), Outcome(one, Channel.mail, True)], later)
    assert make.outbox_stats().pending == 0
    assert make.next_due() is None


def test_pruning_forgets_only_long_delivered(make: WorkflowStore, clock: FakeClock):
    now = clock()
    make.enqueue([_note(1, now), _note(2, now)])
    one = make.due(now, 1)[0].notification.id
    assert one is not None
    make.record([Outcome(one, c, True) for c in (Channel.cabinet, Channel.mail)], now)
    assert make.prune_outbox(now) == 0
    assert make.prune_outbox(now + timedelta(days=31)) == 1
    assert make.outbox_stats().pending == 2
    assert make.enqueue([_note(1, now)]) == 1  # forgotten: the key is free again


def test_advance_moves_the_cursor_with_its_notifications(make: WorkflowStore, clock: FakeClock):
    now = clock()
    assert make.watch_cursor("order_events") is None
    assert make.advance("order_events", 5, [], now) == 0
    assert make.advance("order_events", 9, [_note(1, now), _note(1, now)], now) == 1
    assert make.watch_cursor("order_events") == 9
    later = now + timedelta(seconds=15)
    make.advance("order_events", 9, [], later)
    (state,) = make.watch_states()
    assert (state.cursor, state.updated_at, state.polled_at) == (9, now, later)
    with pytest.raises(ValueError, match="cannot go back"):
        make.advance("order_events", 8, [], later)
    naive = _note(2, datetime(2025, 1, 1))
    with pytest.raises(ValueError, match=r"naive|timezone"):
        make.advance("order_events", 12, [_note(3, now), naive], later)
    assert make.watch_cursor("order_events") == 9
    assert [d.notification.fields["DOC_NUMBER"] for d in make.due(later, 10)] == ["1", "1"]


def test_wakes_and_facts(make: WorkflowStore, clock: FakeClock):
    now = clock()
    assert make.take_wakes() == set()
    make.request_wake("order_events", now)
    make.request_wake("order_events", now)
    make.request_wake("facts", now)
    assert make.take_wakes() == {"order_events", "facts"}
    assert make.take_wakes() == set()
    sink = make
    assert make.newest_fact() == 0
    sink.record_facts(  # type: ignore[attr-defined]
        [
            JobFact("document.ready", "document.ready:a", {"company_id": 1, "number": "1"}),
            JobFact("document.ready", "document.ready:b", {"company_id": 1}),
            JobFact("document.ready", "document.ready:a", {"company_id": 2}),
        ]
    )
    facts = make.facts_after(0, 10)
    assert [(f.kind, f.key, dict(f.data)) for f in facts] == [
        ("document.ready", "document.ready:a", {"company_id": 1, "number": "1"}),
        ("document.ready", "document.ready:b", {"company_id": 1}),
    ]
    assert make.facts_after(facts[0].id, 10) == facts[1:]
    assert make.newest_fact() == facts[1].id
    assert make.prune_facts(now + timedelta(days=1), facts[0].id) == 1
    assert [f.key for f in make.facts_after(0, 10)] == ["document.ready:b"]
