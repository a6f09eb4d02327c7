"""The approval workflow's state over SQLite and PostgreSQL, and the in-memory store, keep the
same rules (``workflows._approval_ports``): a move recorded once per causing row and only with
its cursor, matched once, finished once; episodes replaced, marked once each with their
notifications; a link's nonce claimed once — also by two threads at once."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from b2bsync.store import SqlWorkflowStore, Store, status_report
from b2bsync.store._models import approval_moves
from workflows import (
    ESCALATE,
    REMIND,
    ApprovalEffects,
    Episode,
    Move,
    MoveKind,
    MoveState,
    Notification,
    Recipient,
    WorkflowStore,
    dedup_key,
)
from workflows.testing import MemoryWorkflowStore

from .conftest import FakeClock


@pytest.fixture(params=["sql", "memory"])
def make(request: pytest.FixtureRequest, store: Store, clock: FakeClock) -> WorkflowStore:
    if request.param == "sql":
        return SqlWorkflowStore(store)
    return MemoryWorkflowStore(clock=clock)


def _note(fact: str, at: datetime) -> Notification:
    return Notification(
        key=dedup_key("B2B_ORDER_APPROVAL_REQUIRED", fact, 7),
        type="B2B_ORDER_APPROVAL_REQUIRED",
        recipient=Recipient(7, "owner@example.ru", "Ольга", "ru"),
        fields={"ORDER_ID": "42"},
        created_at=at,
    )


def _states(make: WorkflowStore) -> dict[str, tuple[str, int | None]]:
    """Every move's kind → (state, seen row), read behind the port."""
    if isinstance(make, MemoryWorkflowStore):
        rows: list[Any] = list(make.moves.values())
    else:
        assert isinstance(make, SqlWorkflowStore)
        with make.store.transaction(write=False) as conn:
            rows = list(conn.execute(select(approval_moves)))
    return {str(m.kind): (str(m.state), m.seen_event) for m in rows}


def _revert(cause: int, order: int = 42) -> Move:
    return Move(order, MoveKind.revert, "AP", "PA", cause, actor=9, reason="нельзя")


def test_a_move_is_recorded_once_with_its_cursor(make: WorkflowStore, clock: FakeClock):
    now = clock()
    effects = ApprovalEffects(moves=[_revert(5), Move(43, MoveKind.cancel, "RJ", "RJ", 6)])
    make.advance("order_events", 6, [], now, approval=effects)
    make.advance("order_events", 6, [], now, approval=effects)  # the section read again
    due = make.due_moves(10)
    assert [(m.order_id, m.kind, m.state, m.attempts) for m in due] == [
        (42, MoveKind.revert, MoveState.pending, 0),
        (43, MoveKind.cancel, MoveState.pending, 0),
    ]
    assert due[0].reason == "нельзя"
    assert due[0].actor == 9
    assert due[0].created_at == now
    # open: the status move waits for its status-log row, the cancellation to be made
    assert [(m.order_id, m.kind) for m in make.open_moves([42, 43])] == [
        (42, MoveKind.revert),
        (43, MoveKind.cancel),
    ]
    (cancel,) = [m for m in due if m.kind == MoveKind.cancel]
    assert cancel.id is not None
    make.finish_move(cancel.id, MoveState.done, clock())
    assert [m.order_id for m in make.open_moves([42, 43])] == [42]  # a made cancel is closed


def test_a_move_is_finished_once(make: WorkflowStore, clock: FakeClock):
    make.advance("order_events", 5, [], clock(), approval=ApprovalEffects(moves=[_revert(5)]))
    (move,) = make.due_moves(10)
    assert move.id is not None
    make.finish_move(move.id, MoveState.pending, clock(), "Bitrix is down")
    (again,) = make.due_moves(10)
    assert (again.attempts, again.last_error) == (1, "Bitrix is down")
    make.finish_move(move.id, MoveState.done, clock.advance(minutes=1))
    make.finish_move(move.id, MoveState.failed, clock(), "late")  # no effect once finished
    assert make.due_moves(10) == []
    (done,) = make.open_moves([42])
    assert (done.state, done.done_at, done.last_error) == (MoveState.done, clock(), "")
    # its status-log row is recognised: no longer open
    make.advance("order_events", 7, [], clock(), approval=ApprovalEffects(seen=[(move.id, 7)]))
    assert make.open_moves([42]) == []
    stats = make.approval_stats()
    assert (stats.reverted, stats.pending_moves, stats.failed_moves) == (1, 0, ())


def test_moves_overtaken_by_a_return_to_pending_are_closed(make: WorkflowStore, clock: FakeClock):
    """A pending move is skipped and a made one kept done; neither is open any more."""
    moved_on = Move(42, MoveKind.move_on, "AP", "N", 4)
    cancel = Move(42, MoveKind.cancel, "RJ", "RJ", 5, reason="Дорого")
    effects = ApprovalEffects(moves=[moved_on, cancel])
    make.advance("order_events", 5, [], clock(), approval=effects)
    first, second = make.due_moves(10)
    assert first.id is not None
    assert second.id is not None
    make.finish_move(first.id, MoveState.done, clock())
    later = clock.advance(minutes=5)
    overtaken = ApprovalEffects(overtaken=[(first.id, 8), (second.id, 8)])
    make.advance("order_events", 8, [], later, approval=overtaken)
    assert make.open_moves([42]) == []
    assert make.due_moves(10) == []
    make.advance("order_events", 8, [], later, approval=overtaken)  # read again: no change
    stats = make.approval_stats()
    assert (stats.pending_moves, stats.failed_moves) == (0, ())
    assert _states(make) == {"move_on": ("done", 8), "cancel": ("skipped", 8)}


def test_a_failed_move_is_reported(make: WorkflowStore, clock: FakeClock):
    make.advance("order_events", 5, [], clock(), approval=ApprovalEffects(moves=[_revert(5)]))
    (move,) = make.due_moves(10)
    assert move.id is not None
    make.finish_move(move.id, MoveState.failed, clock(), "ERROR_ACCESS_DENIED")
    (failed,) = make.approval_stats().failed_moves
    assert (failed.order_id, failed.last_error, failed.attempts) == (42, "ERROR_ACCESS_DENIED", 1)


def test_episodes_are_replaced_ended_and_marked_once(make: WorkflowStore, clock: FakeClock):
    start = clock()
    opened = ApprovalEffects(episodes=[(42, Episode(42, start, 5)), (43, Episode(43, start, 6))])
    make.advance("order_events", 6, [], start, approval=opened)
    assert make.episodes([42, 43, 44]) == {
        42: Episode(42, start, 5),
        43: Episode(43, start, 6),
    }
    later = clock.advance(hours=25)
    assert (
        make.mark_episode(Episode(42, start, 5), REMIND, [_note("order:42:r", later)], later) == 1
    )
    assert (
        make.mark_episode(Episode(42, start, 5), REMIND, [_note("order:42:r2", later)], later) == 0
    )
    assert make.outbox_stats().pending == 2  # bell and mail of the first reminder only
    assert make.episodes([42])[42].reminded_at == later
    assert make.episodes([42])[42].escalated_at is None
    # an order pending since before b2bsync watched: its episode is stored with the mark
    old = Episode(44, start - timedelta(days=3))
    assert make.mark_episode(old, ESCALATE, [], later) == 0
    assert make.episodes([44])[44].escalated_at == later
    # decided (ended) and pending again: a new episode, unmarked
    again = clock.advance(hours=1)
    effects = ApprovalEffects(episodes=[(42, None), (42, Episode(42, again, 9))])
    make.advance("order_events", 9, [], again, approval=effects)
    assert make.episodes([42])[42] == Episode(42, again, 9)
    assert make.keep_episodes([42]) == 2
    assert list(make.episodes([42, 43, 44])) == [42]
    assert make.approval_stats().pending_orders == 1


def test_a_link_is_claimed_once(make: WorkflowStore, clock: FakeClock):
    assert make.claim_link("n" * 22, 42, 7, "approve", clock())
    assert not make.claim_link("n" * 22, 42, 7, "reject", clock())
    assert make.link_used("n" * 22)
    make.release_link("n" * 22)
    assert not make.link_used("n" * 22)
    assert make.claim_link("n" * 22, 42, 7, "reject", clock())
    assert make.approval_stats().links_used == 1


def test_two_threads_claim_a_link_and_one_wins(store: Store, clock: FakeClock):
    tables = SqlWorkflowStore(store)
    results: list[bool] = []
    barrier = threading.Barrier(4)

    def claim() -> None:
        barrier.wait()
        results.append(tables.claim_link("x" * 22, 42, 7, "approve", clock()))

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]


def test_status_reports_the_reverts(store: Store, clock: FakeClock):
    tables = SqlWorkflowStore(store)
    tables.advance("order_events", 5, [], clock(), approval=ApprovalEffects(moves=[_revert(5)]))
    report = status_report(store, timedelta(hours=6))
    approval = report.to_json()["approval"]
    assert approval["reverted"] == 1
    assert approval["pending_moves"] == 1
    assert approval["recent_reverts"][0] | {"at": None} == {
        "order": 42,
        "kind": "revert",
        "from": "AP",
        "to": "PA",
        "user": 9,
        "row": 5,
        "state": "pending",
        "error": "",
        "at": None,
    }
