"""The outbox's delivery against the Bitrix fake: exact request counts, the bell rows and the
mails it leaves, retries with backoff, parking with the site's reason, and replays that change
nothing."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from bitrix_client.fake import Fault, Language
from workflows import (
    Channel,
    Deliverer,
    DeliveryConfig,
    Notification,
    Recipient,
    backoff,
    dedup_key,
    plan_groups,
    prune_read,
    unread,
)
from workflows.testing import MemoryWorkflowStore

from .conftest import Cabinet


def _notes(
    cab: Cabinet, count: int, *, users: int = 100, language: str = "ru"
) -> list[Notification]:
    now = cab.world.now()
    out = []
    for i in range(count):
        user = 10_000 + i % users
        out.append(
            Notification(
                key=dedup_key("B2B_DOCUMENT_READY", f"doc:bench-{i}", user),
                type="B2B_DOCUMENT_READY",
                recipient=Recipient(user, f"u{user}@example.ru", f"User {user}", language),
                fields={"DOC_TYPE_NAME": "Счёт", "DOC_NUMBER": str(i), "DOC_DATE": "05.03.2025"},
                created_at=now,
            )
        )
    return out


def _deliveries(store: MemoryWorkflowStore, cab: Cabinet, notes: list[Notification]) -> list:
    store.enqueue(notes)
    return store.due(cab.world.now(), 1_000_000)


def test_a_burst_of_1000_is_21_requests_of_at_most_50_commands():
    store = MemoryWorkflowStore()
    notes = []
    for i in range(1000):
        recipient = Recipient(i + 1, f"u{i}@example.ru", "U", "ru")
        notes.append(
            Notification(
                f"B2B_DOCUMENT_READY:doc:{i}:{i + 1}", "B2B_DOCUMENT_READY", recipient, {}, _now()
            )
        )
    store.enqueue(notes)
    due = store.due(_now(), 1_000_000)
    groups = plan_groups(due, DeliveryConfig())
    assert len(due) == 2000
    assert len(groups) == 21
    for group in groups:
        rows = sum(1 for d in group if d.channel == Channel.cabinet)
        mails = len(group) - rows
        assert rows <= 50
        assert (1 if rows else 0) + mails <= 50
    assert sum(len(g) for g in groups) == 2000


def _now():
    from datetime import UTC, datetime

    return datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("attempts", "wait"),
    [(1, 30), (2, 60), (3, 120), (6, 960), (7, 1920), (8, 3600), (20, 3600)],
)
def test_backoff_doubles_up_to_the_cap(attempts: int, wait: int):
    assert backoff(attempts, DeliveryConfig()) == timedelta(seconds=wait)


async def test_delivering_a_burst_of_1000(cabinet: Cabinet):
    store = MemoryWorkflowStore()
    notes = _notes(cabinet, 1000)
    store.enqueue(notes)
    deliverer = Deliverer(cabinet.bitrix, store, cabinet.world.now, DeliveryConfig(site_id="s1"))
    before = cabinet.bitrix.stats.requests
    report = await deliverer.deliver_due()
    assert cabinet.bitrix.stats.requests - before == 21
    assert (report.delivered, report.retrying, report.parked, report.requests) == (2000, 0, 0, 21)
    bell = cabinet.bell()
    assert len(bell) == 1000
    assert len({row["UF_DEDUP_KEY"] for row in bell}) == 1000
    mails = cabinet.mails("B2B_DOCUMENT_READY")
    assert len(mails) == 1000
    assert Counter(m.dedup_key for m in mails).most_common(1)[0][1] == 1
    assert {m.language_id for m in mails} == {"ru"}
    again = await deliverer.deliver_due()
    assert (again.delivered, again.requests) == (0, 0)
    assert store.outbox_stats().delivered == 2000


async def test_a_failed_request_waits_and_then_goes(cabinet: Cabinet):
    store = MemoryWorkflowStore()
    store.enqueue(_notes(cabinet, 3))
    deliverer = Deliverer(cabinet.bitrix, store, cabinet.world.now, DeliveryConfig(site_id="s1"))
    cabinet.world.app.faults.inject_next(Fault.ERROR_500_HTML, method="batch", count=6)
    report = await deliverer.deliver_due()
    assert (report.delivered, report.retrying) == (0, 6)
    waiting = store.due(cabinet.world.now() + timedelta(seconds=30), 100)
    assert {d.attempts for d in waiting} == {1}
    assert all("HTTP 500" in d.last_error or "500" in d.last_error for d in waiting)
    assert store.due(cabinet.world.now(), 100) == []  # not before its time
    cabinet.world.advance(30)
    report = await deliverer.deliver_due()
    assert report.delivered == 6
    assert len(cabinet.bell()) == 3
    assert len(cabinet.mails()) == 3


async def test_a_lost_answer_is_replayed_without_a_second_effect(cabinet: Cabinet):
    store = MemoryWorkflowStore()
    store.enqueue(_notes(cabinet, 5))
    deliverer = Deliverer(cabinet.bitrix, store, cabinet.world.now, DeliveryConfig(site_id="s1"))
    cabinet.world.app.faults.inject_next(Fault.TIMEOUT_AFTER, method="batch")
    report = await deliverer.deliver_due()
    assert report.delivered == 10
    assert len(cabinet.bell()) == 5
    assert len(cabinet.mails()) == 5


async def test_the_site_refusing_parks_with_its_reason_and_retry_sends(cabinet: Cabinet):
    store = MemoryWorkflowStore()
    store.enqueue(_notes(cabinet, 2, language="fr"))  # the site has no French
    deliverer = Deliverer(cabinet.bitrix, store, cabinet.world.now, DeliveryConfig(site_id="s1"))
    report = await deliverer.deliver_due()
    assert (report.delivered, report.parked) == (2, 2)  # the bell rows went, the mails parked
    parked = store.parked()
    assert {d.channel for d in parked} == {Channel.mail}
    assert all("ERROR_ARGUMENT" in d.last_error for d in parked)
    cabinet.world.site.languages.append(Language("fr", "French", active=True))
    assert store.unpark(None, cabinet.world.now()) == 2
    report = await deliverer.deliver_due()
    assert report.delivered == 2
    assert len(cabinet.mails()) == 2
    assert store.parked() == []


async def test_a_delivery_that_keeps_failing_is_parked_after_max_attempts(cabinet: Cabinet):
    store = MemoryWorkflowStore()
    store.enqueue(_notes(cabinet, 1))
    config = DeliveryConfig(site_id="s1", max_attempts=3)
    deliverer = Deliverer(cabinet.bitrix, store, cabinet.world.now, config)
    for attempt in range(3):
        cabinet.world.app.faults.inject_next(Fault.ERROR_500_HTML, method="batch", count=6)
        await deliverer.deliver_due()
        cabinet.world.advance(backoff(attempt + 1, config).total_seconds())
    parked = store.parked()
    assert len(parked) == 2
    assert {d.attempts for d in parked} == {3}
    assert store.due(cabinet.world.now() + timedelta(days=1), 10) == []


async def test_a_fatal_error_records_nothing(cabinet: Cabinet):
    store = MemoryWorkflowStore()
    store.enqueue(_notes(cabinet, 2))
    cabinet.world.site.bridge_installed = False  # b2bsync.* now answers "method not found"
    deliverer = Deliverer(cabinet.bitrix, store, cabinet.world.now, DeliveryConfig(site_id="s1"))
    report = await deliverer.deliver_due()
    assert report.stopped
    assert report.delivered == 0
    assert {d.attempts for d in store.due(cabinet.world.now(), 10)} == {0}
    cabinet.world.site.bridge_installed = True
    assert (await deliverer.deliver_due()).delivered == 4


async def test_unread_counter_and_pruning_read_rows(cabinet: Cabinet):
    store = MemoryWorkflowStore()
    notes = _notes(cabinet, 6, users=2)  # users 10000 and 10001, three each
    store.enqueue(notes)
    deliverer = Deliverer(cabinet.bitrix, store, cabinet.world.now, DeliveryConfig(site_id="s1"))
    await deliverer.deliver_due()
    assert await unread(cabinet.bitrix, 10_000) == 3
    first = cabinet.bell()[0]
    await cabinet.bitrix.bridge.item_update("B2bNotifications", first["ID"], {"UF_IS_READ": 1})
    assert await unread(cabinet.bitrix, 10_000) == 2
    assert await unread(cabinet.bitrix, 10_001) == 3
    # a replay after a crash leaves the read flag as the user set it
    store.unpark(None, cabinet.world.now())
    replay = MemoryWorkflowStore()
    replay.enqueue(notes)
    await Deliverer(
        cabinet.bitrix, replay, cabinet.world.now, DeliveryConfig(site_id="s1")
    ).deliver_due()
    assert await unread(cabinet.bitrix, 10_000) == 2
    assert await prune_read(cabinet.bitrix, cabinet.world.now()) == 0  # not old enough
    cabinet.world.advance(91 * 86400)
    assert await prune_read(cabinet.bitrix, cabinet.world.now() - timedelta(days=90)) == 1
    assert len(cabinet.bell()) == 5
    assert await unread(cabinet.bitrix, 10_000) == 2
