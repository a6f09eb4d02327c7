"""``b2bsync bridge replay`` against the fake: every scenario step that can run over REST
matches, with the IDs another site's modules already hold; over loopback, a site with b2bsync
data is refused unless declared disposable, and a wrong answer is reported and exits 1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from b2bsync._errors import UsageError
from b2bsync.cli._bridge import replay_command
from b2bsync.replay import check
from b2bsync.settings import Settings
from bitrix_client.fake import FakeSite, FakeUser, ManualClock, _bridge_info, create_app, serve_sync
from bitrix_client.fake._bridge_access import by_hand_block

CONTRACT = Path(__file__).resolve().parents[2] / "bridge" / "contract"
SECRET = "r3pl4ys3cr3t00"
#: Scenarios without fixtures: every step of theirs runs over REST.
PLAIN = [
    "00_info",
    "10_hlblock_basics",
    "11_hlblock_name_rules",
    "12_fields",
    "13_indexes",
    "14_field_settings",
    "20_items",
    "21_files",
    "22_item_list",
    "23_upsert",
    "24_empty_values",
    "25_upsert_rows",
    "40_mail_types",
    "60_errors",
]


def _site() -> FakeSite:
    site = FakeSite(clock=ManualClock())
    site.add_webhook(1, SECRET, {"sale", "b2bsync"})
    return site


def _busy_site() -> FakeSite:
    """A site whose other modules already hold low IDs of every kind."""
    site = _site()
    state = site.bridge
    by_hand_block(state, "Warehouses", "warehouses")
    by_hand_block(state, "Brands", "brands")
    for kind, taken in (("field", 40), ("enum", 30), ("file", 100), ("mail_type", 20)):
        state.counters[kind] = taken
    state.counters.update({"mail_template": 30, "mail_event": 500})
    for user_id in range(2, 9):
        site.users[user_id] = FakeUser(user_id, f"user{user_id}", f"user{user_id}@example.ru")
    return site


@pytest.fixture
def served() -> Iterator[tuple[FakeSite, str]]:
    site = _busy_site()
    with serve_sync(create_app(site)) as url:
        yield site, f"{url}/rest/1/{SECRET}/"


def _settings(url: str) -> Settings:
    return Settings(bitrix={"webhook_url": url, "max_retries": 0})


def _reports(capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, object]]:
    lines = capsys.readouterr().out.splitlines()
    return {r["scenario"]: r for r in map(json.loads, lines)}


def test_every_step_matches_on_a_site_with_other_modules_ids(capsys) -> None:
    """The whole contract, in process (the loopback tests below take the HTTP path)."""
    site = _busy_site()
    transport = httpx.ASGITransport(app=create_app(site))
    url = f"https://shop.example.ru/rest/1/{SECRET}/"
    code = replay_command(
        _settings(url), contract=CONTRACT, disposable=False, only=[], transport=transport
    )
    reports = _reports(capsys)
    assert code == 0, [r["problems"] for r in reports.values() if r["mismatched"]]
    assert sorted(reports) == sorted(p.stem for p in CONTRACT.glob("[0-9][0-9]_*.json"))
    assert all(r["mismatched"] == 0 for r in reports.values())
    for name in PLAIN:
        assert (reports[name]["after_fixture"], reports[name]["skipped"]) == (0, 0), name
    assert sum(int(r["matched"]) for r in reports.values()) > 650  # type: ignore[call-overload]
    ours = [b.id for b in site.bridge.blocks.values() if b.name not in ("Warehouses", "Brands")]
    assert min(ours) == 3, "the site's other blocks hold IDs 1 and 2"


def test_a_site_holding_b2bsync_data_is_refused_unless_disposable(served, capsys) -> None:
    site, url = served
    assert (
        replay_command(_settings(url), contract=CONTRACT, disposable=False, only=["00_info"]) == 0
    )
    # blocks were declared by this run: the site now holds b2bsync data
    replay_command(_settings(url), contract=CONTRACT, disposable=True, only=["10_hlblock_basics"])
    capsys.readouterr()
    blocks, declared = len(site.bridge.blocks), list(site.bridge.access.declared)
    with pytest.raises(UsageError, match="holds b2bsync data"):
        replay_command(_settings(url), contract=CONTRACT, disposable=False, only=["00_info"])
    assert len(site.bridge.blocks) == blocks, "a refused run writes nothing"
    assert site.bridge.access.declared == declared
    again = replay_command(
        _settings(url), contract=CONTRACT, disposable=True, only=["10_hlblock_basics"]
    )
    assert again == 0, "a second run on the same site: its own names, its own IDs"


def test_a_wrong_answer_exits_1(served, capsys, monkeypatch) -> None:
    _, url = served
    monkeypatch.setattr(_bridge_info, "VERSION", "9.9.9")
    assert (
        replay_command(_settings(url), contract=CONTRACT, disposable=False, only=["00_info"]) == 1
    )
    (report,) = _reports(capsys).values()
    assert report["mismatched"] == 1
    assert "VERSION: expected '1.2.0', got '9.9.9'" in str(report["problems"])


def test_the_contract_directory_must_hold_scenarios(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no scenarios"):
        replay_command(
            _settings("http://127.0.0.1:9/rest/1/x/"), contract=tmp_path, disposable=True, only=[]
        )


def test_check_notices_a_wrong_answer() -> None:
    expect = {"status": 200, "result": {"ID": 1, "ACTION": "added"}}
    assert check(expect, 200, {"result": {"ID": 1, "ACTION": "added"}}) == []
    assert check(expect, 200, {"result": {"ID": 1, "ACTION": "updated"}}) != []
    assert check({"status": 400, "error": "ERROR_ARGUMENT"}, 404, {"error": "X"}) != []
    assert check({"status": 200, "total": None}, 200, {"result": [], "total": 3}) != []
    assert check({"status": 200, "result": True}, 200, {"result": 1}) != []
