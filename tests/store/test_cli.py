"""`b2bsync status`, `quarantine list|retry` and `orders search`, run through the CLI entry point
against a SQLite store named by B2BSYNC_STATE__URL."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import structlog

from b2bsync.cli import main
from b2bsync.cli._present import plain_table, show_table, span
from b2bsync.store import Store
from jobs import CreditSeen, IndexedOrder, JobResult


@pytest.fixture(autouse=True)
def _quiet_logs() -> Iterator[None]:
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())
    yield
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())


@pytest.fixture
def state_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("B2BSYNC_"):
            monkeypatch.delenv(name)
    path = tmp_path / "state" / "b2bsync.sqlite3"
    monkeypatch.setenv("B2BSYNC_STATE__URL", f"sqlite:///{path}")
    return path


@pytest.fixture
def store(state_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{state_path}") as opened:
        yield opened


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The command's text output (into a pipe it would print JSON lines: test_json_lines)."""
    code = main(["--format", "text", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- status -------------------------------------------------------------------------------


def test_status_without_a_store_exits_2_and_creates_nothing(state_path: Path, capsys):
    code, out, err = run(capsys, "status")
    assert code == 2
    assert out == ""
    assert err == (
        f"error: no state store at {state_path} (nothing has synced here yet, or "
        "state.url / B2BSYNC_STATE__URL points elsewhere)\n"
    )
    assert not state_path.exists()


def test_status_reports_reverted_changes_and_failed_moves(store: Store, capsys):
    from b2bsync.store import SqlWorkflowStore
    from workflows import ApprovalEffects, Move, MoveKind, MoveState

    tables = SqlWorkflowStore(store)
    now = store.now()
    moves = [
        Move(42, MoveKind.revert, "AP", "PA", 5, actor=9, reason="нельзя"),
        Move(43, MoveKind.revert, "N", "PA", 6, actor=None),
        Move(44, MoveKind.move_on, "AP", "N", 7, actor=2),
    ]
    tables.advance("order_events", 7, [], now, approval=ApprovalEffects(moves=moves))
    failed = next(m for m in tables.due_moves(10) if m.order_id == 44)
    assert failed.id is not None
    tables.finish_move(
        failed.id, MoveState.failed, now, "ERROR_ACCESS_DENIED: only the service user"
    )
    code, out, _ = run(capsys, "status")
    assert code == 0  # reported, not failing
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("approval:"))
    found = lines[start:]
    assert found[0] == (
        "approval: 0 order(s) pending, 2 unauthorised change(s) reverted, 2 move(s) waiting, "
        "1 failed"
    )
    assert re.fullmatch(
        r"  reverted: order 43 PA→N by no user \(agent / 1C exchange\) \(log row 6, .+\): pending",
        found[1],
    )
    assert re.fullmatch(
        r"  reverted: order 42 PA→AP by user 9 \(log row 5, .+\): pending", found[2]
    )
    assert found[3:] == [
        "  failed: move_on of order 44 → N: ERROR_ACCESS_DENIED: only the service user"
    ]


def test_status_of_a_store_where_nothing_ran(store: Store, capsys):
    code, out, _ = run(capsys, "status")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"state store: {store.url}"
    assert lines[1].split() == [
        *("job", "last", "run", "(Europe/Moscow)", "status"),
        *("duration", "lag", "quarantined", "counts"),
    ]
    assert [line.split()[0] for line in lines[2:6]] == [
        "companies",
        "documents",
        "credit",
        "orders",
    ]
    assert all("never run" in line for line in lines[2:6])
    assert lines[6:] == [
        "credit: 0 companies, none older than 6 h",
        "orders indexed: 0",
        "approval: 0 order(s) pending, 0 unauthorised change(s) reverted, 0 move(s) waiting, "
        "0 failed",
    ]


def _history(store: Store) -> None:
    now = datetime.now(UTC)
    then = now - timedelta(minutes=20, seconds=5)
    with Store.open(store.url, clock=lambda: then) as earlier:  # a run that ended 20 min ago
        docs = earlier.start_run("documents", "h")
        earlier.finish_run(docs, JobResult("documents", counts={"written": 3, "unchanged": 9}))
    store.set_cursor("documents", "c1", now - timedelta(minutes=20, seconds=5))
    credit = store.start_run("credit", "h")
    store.finish_run(credit, JobResult("credit", errors=["1C timed out for company X"]))
    store.note_credit(CreditSeen("guid-fresh", now - timedelta(hours=1), now))
    store.note_credit(CreditSeen("guid-stale", now - timedelta(hours=8), now, blocked=True))
    store.quarantine("documents", "g1", "no number", {})


def test_status_reports_runs_lag_errors_quarantine_and_stale_credit(store: Store, capsys):
    _history(store)
    code, out, _ = run(capsys, "status")
    assert code == 1  # the credit job's last run failed
    rows = {line.split()[0]: line for line in out.splitlines()[2:6]}
    assert " ok " in rows["documents"]
    assert "20 min" in rows["documents"]
    assert rows["documents"].endswith("unchanged=9 written=3")
    assert " failed " in rows["credit"]
    assert "never run" in rows["orders"]
    tail = out.splitlines()[6:]
    assert tail[0].startswith("credit: run ")
    assert tail[0].endswith(" had 1 error(s):")
    assert tail[1] == "  - 1C timed out for company X"
    assert tail[2] == "quarantine: 1 record(s); see `b2bsync quarantine list`"
    assert tail[3] == "credit: 1 of 2 companies stale (computed by 1C more than 6 h ago):"
    assert tail[4].startswith("  guid-stale  computed ")
    assert tail[4].endswith(", orders blocked")
    assert tail[5] == "orders indexed: 0"


def test_status_json(store: Store, capsys):
    _history(store)
    code, out, _ = run(capsys, "status", "--json")
    assert code == 1
    data = json.loads(out)
    assert data["ok"] is False
    jobs = {job["job"]: job for job in data["jobs"]}
    assert jobs["documents"]["last_run"]["counts"] == {"written": 3, "unchanged": 9}
    assert 1200 <= jobs["documents"]["lag_s"] < 1300
    assert jobs["credit"]["last_run"]["errors"] == ["1C timed out for company X"]
    assert data["quarantine"] == {"documents": 1}
    assert [s["company"] for s in data["credit"]["stale"]] == ["guid-stale"]


def test_status_stale_threshold_comes_from_settings(store: Store, capsys, monkeypatch):
    _history(store)
    monkeypatch.setenv("B2BSYNC_STATE__STALE_CREDIT_AFTER", str(30 * 60))
    _, out, _ = run(capsys, "status", "--json")
    assert [s["company"] for s in json.loads(out)["credit"]["stale"]] == [
        "guid-stale",
        "guid-fresh",
    ]


def test_status_shows_a_killed_run_as_interrupted_and_exits_1(store: Store, state_path, capsys):
    past = datetime.now(UTC) - timedelta(hours=1)
    with Store.open(f"sqlite:///{state_path}", clock=lambda: past) as then:
        then.acquire_lease("orders", "host:42:ab", 300)
        run_id = then.start_run("orders", "host:42:ab")
    code, out, _ = run(capsys, "status")
    assert code == 1
    assert " interrupted " in next(line for line in out.splitlines() if line.startswith("orders"))
    assert f"orders: run {run_id} by host:42:ab never finished (its lease expired)" in out


def test_status_is_ok_while_a_run_is_running(store: Store, capsys):
    store.acquire_lease("orders", "me", 300)
    store.start_run("orders", "me")
    code, out, _ = run(capsys, "status")
    assert code == 0
    assert " running " in next(line for line in out.splitlines() if line.startswith("orders"))
    assert " so far " in out


def test_status_as_a_rich_table_on_a_terminal(store: Store, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = run(capsys, "status")
    assert code == 0
    assert "┃" in out  # a rich table's header rule
    assert "\x1b[" in out  # with colours
    assert "never run" in out


def test_an_unknown_site_time_zone_is_a_config_error(store: Store, capsys, monkeypatch):
    monkeypatch.setenv("B2BSYNC_SYNC__SITE_TIMEZONE", "Mars/Olympus")
    code, _, err = run(capsys, "status")
    assert code == 2
    assert err == "error: sync.site_timezone: unknown time zone 'Mars/Olympus'\n"


# -- quarantine ---------------------------------------------------------------------------


def _quarantine(store: Store) -> None:
    store.quarantine("documents", "g1", "number is empty", {"Номер": ""}, "c1")
    store.quarantine("documents", "g2", "amount 'abc' is not a number", {"Сумма": "abc"}, "c1")
    store.quarantine("credit", None, "no counterparty GUID", {"x": 1})


def test_quarantine_list(store: Store, capsys):
    _quarantine(store)
    code, out, _ = run(capsys, "quarantine", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["feed", "key", "scope", "attempts"]
    assert lines[1].split()[:4] == ["credit", "(no", "key)", "—"]
    assert lines[1].endswith("no counterparty GUID")
    assert lines[2].split()[:4] == ["documents", "g1", "c1", "1"]
    assert lines[3].endswith("amount 'abc' is not a number")
    assert lines[4] == "3 quarantined record(s)"


def test_quarantine_list_of_one_feed_as_json(store: Store, capsys):
    _quarantine(store)
    code, out, _ = run(capsys, "quarantine", "list", "--feed", "documents", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["count"] == 2
    assert [e["key"] for e in data["entries"]] == ["g1", "g2"]
    assert data["entries"][0]["raw"] == {"Номер": ""}
    assert data["entries"][0]["retry"] is False


def test_quarantine_list_when_empty(store: Store, capsys):
    assert run(capsys, "quarantine", "list") == (0, "nothing quarantined\n", "")
    assert run(capsys, "quarantine", "list", "--feed", "credit") == (
        0,
        "nothing quarantined in credit\n",
        "",
    )


def test_quarantine_unknown_feed_is_a_usage_error(store: Store, capsys):
    code, _, err = run(capsys, "quarantine", "list", "--feed", "invoices")
    assert code == 2
    assert err == (
        "error: --feed must be one of companies, documents, credit, orders, got 'invoices'\n"
    )


def test_quarantine_retry_marks_entries(store: Store, capsys):
    _quarantine(store)
    code, out, _ = run(capsys, "quarantine", "retry", "--key", "g2")
    assert code == 0
    assert out == "marked 1 record(s) for retry; the next run of each feed re-reads their scopes\n"
    assert [e.key for e in store.retry_requested("documents")] == ["g2"]
    code, out, _ = run(capsys, "quarantine", "retry", "--feed", "credit", "--all")
    assert code == 0
    assert out.startswith("marked 1 record(s) in credit for retry")
    assert len(store.retry_requested("credit")) == 1
    code, out, _ = run(capsys, "quarantine", "retry", "--all")
    assert out.startswith("marked 3 record(s) for retry")


def test_quarantine_retry_of_an_unknown_key_exits_1(store: Store, capsys):
    _quarantine(store)
    code, out, err = run(capsys, "quarantine", "retry", "--feed", "credit", "--key", "g1")
    assert (code, out) == (1, "")
    assert err == "error: no quarantined record with key 'g1' in credit\n"
    assert store.retry_requested("documents") == []


@pytest.mark.parametrize("args", [[], ["--key", "g1", "--all"]])
def test_quarantine_retry_needs_key_or_all(store: Store, capsys, args: list[str]):
    code, _, err = run(capsys, "quarantine", "retry", *args)
    assert code == 2
    assert err == "error: quarantine retry needs exactly one of --key K or --all\n"


# -- orders search ------------------------------------------------------------------------


def _order(order_id: int, number: str, when: datetime, **extra: object) -> IndexedOrder:
    values: dict[str, object] = {
        "order_id": order_id,
        "account_number": number,
        "company_id": 7,
        "status_id": "N",
        "date_insert": when,
        "date_update": when,
        "price": Decimal("1500.00"),
        "currency": "RUB",
        "responsible_id": 100,
        "articles": ("AB-1",),
        "product_names": ("Болт",),
    }
    values.update(extra)
    return IndexedOrder(**values)  # type: ignore[arg-type]


@pytest.fixture
def orders(store: Store) -> Store:
    store.index_orders(
        [
            # 23:59 on 1 March in Moscow
            _order(1, "1234", datetime(2025, 3, 1, 20, 59, tzinfo=UTC)),
            # 00:30 on 2 March in Moscow, though still 1 March in UTC
            _order(2, "12345", datetime(2025, 3, 1, 21, 30, tzinfo=UTC), status_id="F"),
            _order(3, "777", datetime(2025, 3, 3, 9, 0, tzinfo=UTC), company_id=8,
                   articles=("XY-1", "XY-2", "XY-3", "XY-4"), canceled=True),
        ]
    )  # fmt: skip
    return store


def test_orders_search_table(orders: Store, capsys):
    code, out, _ = run(capsys, "orders", "search", "--number", "1234")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == [
        "placed", "(Europe/Moscow)", "number", "id", "company", "status", "total", "manager",
        "articles",
    ]  # fmt: skip
    assert lines[1].split() == [
        "2025-03-02", "00:30:00", "12345", "2", "7", "F", "1500.00", "RUB", "100", "AB-1"
    ]  # fmt: skip
    assert lines[2].split()[:3] == ["2025-03-01", "23:59:00", "1234"]
    assert lines[3] == "2 order(s)"


def test_orders_search_shows_cancellation_and_long_baskets(orders: Store, capsys):
    _, out, _ = run(capsys, "orders", "search", "--company", "8")
    assert "N (canceled)" in out
    assert out.splitlines()[1].endswith("XY-1, XY-2, XY-3 +1")


def test_orders_search_days_are_in_the_site_time_zone(orders: Store, capsys, monkeypatch):
    day = "2025-03-02"
    _, out, _ = run(capsys, "orders", "search", "--from", day, "--to", day, "--json")
    assert [o["order_id"] for o in json.loads(out)["orders"]] == [2]
    _, out, _ = run(capsys, "orders", "search", "--to", "2025-03-01", "--json")
    assert [o["order_id"] for o in json.loads(out)["orders"]] == [1]
    monkeypatch.setenv("B2BSYNC_SYNC__SITE_TIMEZONE", "UTC")
    _, out, _ = run(capsys, "orders", "search", "--to", "2025-03-01", "--json")
    assert [o["order_id"] for o in json.loads(out)["orders"]] == [2, 1]


def test_orders_search_json(orders: Store, capsys):
    code, out, _ = run(capsys, "orders", "search", "--article", "ab-1", "--status", "f", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["count"], data["limit"], data["offset"]) == (1, 50, 0)
    assert data["orders"][0] == {
        "order_id": 2,
        "account_number": "12345",
        "company_id": 7,
        "status_id": "F",
        "date_insert": "2025-03-02T00:30:00+03:00",
        "date_update": "2025-03-02T00:30:00+03:00",
        "price": "1500.00",
        "currency": "RUB",
        "user_id": None,
        "manager_id": 100,
        "canceled": False,
        "articles": ["AB-1"],
        "product_names": ["Болт"],
    }


def test_orders_search_pages(orders: Store, capsys):
    _, out, _ = run(capsys, "orders", "search", "--limit", "2")
    assert out.splitlines()[-1] == "2 order(s) (--offset for more)"
    _, out, _ = run(capsys, "orders", "search", "--limit", "2", "--offset", "2", "--json")
    assert [o["order_id"] for o in json.loads(out)["orders"]] == [1]


def test_orders_search_with_no_match(orders: Store, capsys):
    assert run(capsys, "orders", "search", "--manager", "999") == (0, "no orders match\n", "")


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--from", "2025-02-30"], "--from must be a date YYYY-MM-DD, got '2025-02-30'"),
        (["--to", "01.03.2025"], "--to must be a date YYYY-MM-DD, got '01.03.2025'"),
        (
            ["--from", "2025-03-05", "--to", "2025-03-01"],
            "--from 2025-03-05 is after --to 2025-03-01",
        ),
        (["--company", "ООО"], "--company must be a whole number, got 'ООО'"),
        (["--manager", "0"], "--manager must be at least 1, got 0"),
        (["--limit", "0"], "--limit must be at least 1, got 0"),
        (["--limit", "5000"], "--limit must be at most 1000, got 5000"),
        (["--offset", "-1"], "--offset must be at least 0, got -1"),
        (["--number", " "], "--number is empty"),
        (["--article", ""], "--article is empty"),
    ],
)
def test_orders_search_bad_input_exits_2_with_one_line(
    orders: Store, capsys, args: list[str], reason: str
):
    assert run(capsys, "orders", "search", *args) == (2, "", f"error: {reason}\n")


def test_orders_search_on_a_missing_store(state_path: Path, capsys):
    code, _, err = run(capsys, "orders", "search", "--number", "1")
    assert code == 2
    assert err.startswith("error: no state store at ")


# -- presentation helpers -----------------------------------------------------------------


def test_plain_table_pads_columns():
    assert plain_table(["a", "bb"], [["xxx", "y"], ["z", ""]]) == ["a    bb", "xxx  y", "z"]


def test_show_table_prints_a_title_when_plain(capsys):
    show_table(["k"], [["v"]], title="T")
    assert capsys.readouterr().out == "T\nk\nv\n"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.25, "250 ms"),
        (12.34, "12.3 s"),
        (300, "5 min"),
        (7200, "2 h"),
        (7500, "2 h 5 min"),
        (86400 * 3, "3 d"),
        (86400 * 3 + 3600 * 4, "3 d 4 h"),
    ],
)
def test_spans_read_naturally(seconds: float, text: str):
    assert span(timedelta(seconds=seconds)) == text
