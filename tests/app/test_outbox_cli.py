"""`b2bsync outbox list|retry|deliver` against a SQLite state store and the Bitrix fake on
loopback: parked deliveries with their reason, retrying them, delivering what is due."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
import structlog

from b2bsync.cli._main import main
from b2bsync.store import SqlWorkflowStore, Store
from jobs.testing import World
from workflows import Channel, Notification, Outcome, Recipient, dedup_key


@pytest.fixture(autouse=True)
def _logs_after_cli() -> Iterator[None]:
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())
    yield
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())


@pytest.fixture
def state_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'state.sqlite3'}"


def _note(number: int, at) -> Notification:
    return Notification(
        key=dedup_key("B2B_DOCUMENT_READY", f"doc:{number}", 7),
        type="B2B_DOCUMENT_READY",
        recipient=Recipient(7, "a@example.ru", "A", "ru"),
        fields={"DOC_NUMBER": str(number)},
        created_at=at,
    )


@pytest.fixture
def outbox(state_url: str) -> Iterator[SqlWorkflowStore]:
    store = Store.open(state_url)
    tables = SqlWorkflowStore(store)
    now = store.now()
    tables.enqueue([_note(1, now), _note(2, now)])
    first = tables.due(now, 1)[0].notification.id
    assert first is not None
    tables.record(
        [
            Outcome(first, Channel.cabinet, True),
            Outcome(first, Channel.mail, False, "ERROR_ARGUMENT: no language 'fr'"),
        ],
        now,
    )
    try:
        yield tables
    finally:
        store.close()


def test_list_shows_parked_with_the_reason(outbox, state_url, monkeypatch, capsys):
    monkeypatch.setenv("B2BSYNC_STATE__URL", state_url)
    assert main(["outbox", "list"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["key"] == dedup_key("B2B_DOCUMENT_READY", "doc:1", 7)
    assert (lines[0]["channel"], lines[0]["attempts"]) == ("mail", 1)
    assert lines[0]["reason"] == "ERROR_ARGUMENT: no language 'fr'"
    assert lines[-1]["summary"]["parked"] == 1
    assert lines[-1]["summary"]["pending"] == 2
    assert main(["outbox", "list", "--pending"]) == 0
    pending = [json.loads(line) for line in capsys.readouterr().out.splitlines()][:-1]
    assert [(p["key"].split(":")[2], p["channel"]) for p in pending] == [
        ("2", "cabinet"),
        ("2", "mail"),
    ]


def test_retry(outbox, state_url, monkeypatch, capsys):
    monkeypatch.setenv("B2BSYNC_STATE__URL", state_url)
    assert main(["outbox", "retry"]) == 2
    assert "exactly one of --key K or --all" in capsys.readouterr().err
    assert main(["outbox", "retry", "--key", "nope"]) == 1
    assert "no parked delivery of 'nope'" in capsys.readouterr().err
    assert main(["outbox", "retry", "--key", dedup_key("B2B_DOCUMENT_READY", "doc:1", 7)]) == 0
    assert capsys.readouterr().out.startswith("1 delivery due again")
    assert outbox.parked() == []


def test_no_store_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("B2BSYNC_STATE__URL", f"sqlite:///{tmp_path / 'missing.sqlite3'}")
    assert main(["outbox", "list"]) == 2
    assert "no state store" in capsys.readouterr().err


def test_deliver_sends_what_is_due(outbox, state_url, monkeypatch, capsys):
    world = World.build(seed=1, companies=2, documents=1, orders=10)
    asyncio.run(world.apply_schema())
    with world.serve() as ends:
        monkeypatch.setenv("B2BSYNC_BITRIX__WEBHOOK_URL", ends.webhook_url)
        monkeypatch.setenv("B2BSYNC_BITRIX__RATE_LIMIT", "off")
        monkeypatch.setenv("B2BSYNC_STATE__URL", state_url)
        monkeypatch.setenv("B2BSYNC_LOG__LEVEL", "error")
        assert main(["outbox", "deliver"]) == 0
        (line,) = capsys.readouterr().out.splitlines()
        assert json.loads(line) == {
            "outbox.delivered": {"delivered": 2, "retrying": 0, "parked": 0, "requests": 1}
        }
    assert len(world.rows("B2bNotifications")) == 1
    assert len(world.site.bridge.mails()) == 1
    assert outbox.outbox_stats().parked == 1  # parked stays parked until retried
