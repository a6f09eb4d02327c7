"""Into a pipe every command prints JSON lines only — summaries too — so `| jq` works; on a
terminal (or with `--format text`) the same commands print sentences and tables."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from b2bsync.cli._main import main
from b2bsync.schema import schema_config
from b2bsync.settings import BitrixSettings
from jobs.testing import World

FIXTURES = Path(__file__).parents[2] / "fixtures" / "onec"
WEB_SECRET = "json-lines-web-secret-0123456789abcdef"


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    world = World.build(seed=4, companies=3, documents=2, orders=60)
    # as `b2bsync schema apply` does it, the cabinet's role table included (doctor checks it)
    asyncio.run(world.apply_schema(schema_config(BitrixSettings())))
    world.site.bridge.options["link_secret"] = WEB_SECRET
    monkeypatch.chdir(tmp_path)
    with world.serve() as ends:
        env = {
            "B2BSYNC_BITRIX__WEBHOOK_URL": ends.webhook_url,
            "B2BSYNC_BITRIX__RATE_LIMIT": "off",
            "B2BSYNC_ONEC__KIND": "http",
            "B2BSYNC_ONEC__URL": ends.onec_url,
            "B2BSYNC_ONEC__USERNAME": ends.onec_user,
            "B2BSYNC_ONEC__PASSWORD": ends.onec_password,
            "B2BSYNC_STATE__URL": f"sqlite:///{tmp_path / 'state.sqlite3'}",
            "B2BSYNC_WEB__SECRET": WEB_SECRET,
        }
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        yield world


COMMANDS: list[tuple[list[str], int]] = [
    (["doctor"], 0),
    (["schema", "plan"], 0),
    (["schema", "check"], 0),
    (["schema", "apply", "--yes"], 0),
    (["sync", "all"], 0),
    (["sync", "orders"], 0),
    (["sync", "documents", "--full"], 0),
    (["status"], 0),
    (["quarantine", "list"], 0),
    (["quarantine", "retry", "--all"], 0),
    (["orders", "search"], 0),
    (["orders", "search", "--number", "999999"], 0),
    (["onec", "check"], 0),
    (["onec", "fetch", "credit"], 0),
    (["onec", "fetch", "documents"], 0),
    (["onec", "parse", str(FIXTURES / "ut11-documents.xml")], 0),
    (["onec", "parse", str(FIXTURES / "plain-quarantine.xml")], 0),
    (["roles", "export"], 0),
]


def objects(text: str) -> list[dict[str, Any]]:
    lines = text.splitlines()
    assert lines, "every command says something"
    parsed = [json.loads(line) for line in lines]
    assert all(isinstance(p, dict) for p in parsed)
    return parsed


def test_every_line_of_every_command_is_json_into_a_pipe(served: World, capsys) -> None:
    printed: dict[str, list[dict[str, Any]]] = {}
    for args, code in COMMANDS:
        assert main(args) == code, args
        printed.setdefault(" ".join(args[:2]), objects(capsys.readouterr().out))

    doctor = printed["doctor"]
    assert all(check["ok"] for check in doctor)
    assert {"check", "ok", "detail", "fix"} <= set(doctor[0])
    summaries = [e for e in printed["sync all"] if e["event"] == "sync.summary"]
    assert [(s["job"], s["status"]) for s in summaries] == [
        ("companies", "ok"),
        ("orders", "ok"),
        ("documents", "ok"),
        ("credit", "ok"),
    ]
    [status] = printed["status"]
    assert status["ok"] is True
    assert {job["job"] for job in status["jobs"]} == {"companies", "orders", "documents", "credit"}
    assert all(job["lag_s"] is not None for job in status["jobs"])
    [found] = printed["orders search"]
    assert found["count"] == 50
    assert printed["onec parse"][-1]["summary"]["records"] == 7
    assert printed["quarantine retry"] == [{"marked": 0, "feed": None, "key": None}]
    [roles] = printed["roles export"]
    assert roles


def test_failures_are_json_too(served: World, capsys) -> None:
    assert main(["sync", "credit"]) == 1
    [*_, summary] = objects(capsys.readouterr().out)
    assert summary["event"] == "sync.summary"
    assert summary["status"] == "failed"
    assert main(["status"]) == 1
    [status] = objects(capsys.readouterr().out)
    assert status["ok"] is False


def test_text_on_request(served: World, capsys) -> None:
    assert main(["--format", "text", "sync", "companies"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("companies: ok — added 3, ")
    assert main(["--format", "text", "doctor"]) == 0
    assert "✓ schema in sync" in capsys.readouterr().out
