"""`b2bsync onec check|parse|fetch` through the real entry point."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from b2bsync.cli._main import main
from onec_client.fake import FakeOneC, ServedFake, serve

from .conftest import FIXTURES

GUID_RE = r"[0-9a-f-]{36}"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for key in list(__import__("os").environ):
        if key.startswith("B2BSYNC_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("B2BSYNC_LOG__LEVEL", "error")


@pytest.fixture
def served() -> Iterator[ServedFake]:
    with serve(FakeOneC(seed=5, counterparties=3, documents=4)) as running:
        yield running


def _configure(monkeypatch, served: ServedFake, kind: str = "http") -> None:
    for line in served.env_lines(kind):  # type: ignore[arg-type]
        key, _, value = line.partition("=")
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("B2BSYNC_ONEC__RETRY_WAIT", "0")


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_parse_prints_records_and_a_summary(capsys):
    assert main(["--format", "text", "onec", "parse", str(FIXTURES / "ut11-documents.xml")]) == 0
    lines = _lines(capsys.readouterr().out)
    records = [json.loads(line) for line in lines[:-1]]
    assert [r["kind"] for r in records].count("document") == 4
    assert [r["kind"] for r in records].count("counterparty") == 3
    upd = next(r for r in records if r.get("number") == "125")
    assert upd["number_display"] == "125        "
    assert upd["amount"] == "1250000.50"
    assert upd["date"] == "2024-03-15T09:00:00+03:00"
    assert lines[-1].startswith("summary: file=")
    assert lines[-1].endswith("7 record(s) (3 counterparty, 4 document), 0 quarantined")


def test_parse_with_quarantined_records_still_exits_0(capsys):
    assert main(["onec", "parse", "--json", str(FIXTURES / "plain-quarantine.xml")]) == 0
    objects = [json.loads(line) for line in _lines(capsys.readouterr().out)]
    quarantined = [o for o in objects if "quarantined" in o]
    assert len(quarantined) == 4
    assert quarantined[0]["quarantined"].startswith("counterparty:")
    assert quarantined[0]["origin"] == "plain-quarantine.xml:14"
    assert "<Номер>ТДУТ-000131</Номер>" in quarantined[0]["raw"]
    summary = objects[-1]["summary"]
    assert summary["records"] == 2
    assert summary["quarantined"] == 4
    assert summary["format"] == "plain"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (FIXTURES / "hostile" / "broken.xml", "line 27: malformed XML"),
        (FIXTURES / "hostile" / "billion-laughs.xml", "line 1: DOCTYPE with entity"),
        (FIXTURES / "missing.xml", "cannot open"),
    ],
)
def test_parse_an_unreadable_file_exits_1(capsys, path, message):
    assert main(["onec", "parse", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("error: cannot read ")
    assert message in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_parse_prints_what_came_before_a_break(capsys):
    main(["onec", "parse", "--json", str(FIXTURES / "hostile" / "broken.xml")])
    objects = [json.loads(line) for line in _lines(capsys.readouterr().out)]
    assert [o.get("number") for o in objects[:2]] == ["СВ-000012", "УПД-0451"]
    assert objects[-1]["summary"]["error"].startswith("line 27")


def test_check_against_the_fake(monkeypatch, capsys, served):
    _configure(monkeypatch, served)
    assert main(["--format", "text", "onec", "check"]) == 0
    out = capsys.readouterr().out
    assert out.count("✓") == 3
    assert "Обмен_B2B" in out


def test_check_soap(monkeypatch, capsys, served):
    _configure(monkeypatch, served, "soap")
    assert main(["onec", "check"]) == 0
    assert "WSDL loaded" in capsys.readouterr().out


def test_check_with_a_wrong_password_exits_1(monkeypatch, capsys, served):
    _configure(monkeypatch, served)
    monkeypatch.setenv("B2BSYNC_ONEC__PASSWORD", "wrong")
    assert main(["--format", "text", "onec", "check"]) == 1
    captured = capsys.readouterr()
    assert "✗" in captured.out
    assert "refused the credentials" in captured.err
    assert "wrong" not in captured.err


def test_check_unconfigured_or_incomplete_exits_2(monkeypatch, capsys):
    assert main(["onec", "check"]) == 2
    assert "B2BSYNC_ONEC__KIND" in capsys.readouterr().err
    monkeypatch.setenv("B2BSYNC_ONEC__KIND", "soap")
    assert main(["onec", "check"]) == 2
    assert "B2BSYNC_ONEC__WSDL_URL" in capsys.readouterr().err
    monkeypatch.setenv("B2BSYNC_ONEC__KIND", "ftp")
    assert main(["onec", "check"]) == 2


@pytest.mark.parametrize("url", ["nonsense", "ftp://1c.local/hs/b2b/v1"])
def test_check_with_a_bad_url_is_a_configuration_error(monkeypatch, capsys, url):
    monkeypatch.setenv("B2BSYNC_ONEC__KIND", "http")
    monkeypatch.setenv("B2BSYNC_ONEC__URL", url)
    assert main(["onec", "check"]) == 2
    assert "bad 1C URL" in capsys.readouterr().err


def test_check_xml_folder(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("B2BSYNC_ONEC__KIND", "xml")
    monkeypatch.setenv("B2BSYNC_ONEC__DIRECTORY", str(tmp_path))
    assert main(["onec", "check"]) == 0
    assert "0 export file(s) waiting" in capsys.readouterr().out


def test_fetch_documents_as_json(monkeypatch, capsys, served):
    _configure(monkeypatch, served)
    assert main(["onec", "fetch", "documents", "--json"]) == 0
    objects = [json.loads(line) for line in _lines(capsys.readouterr().out)]
    assert len(objects) == 13
    assert {o["kind"] for o in objects[:-1]} == {"document"}
    assert objects[-1]["summary"] == {
        "source": "http",
        "feed": "documents",
        "records": 12,
        "by_kind": {"document": 12},
        "quarantined": 0,
    }


def test_fetch_credit_and_counterparty_of_one(monkeypatch, capsys, served):
    _configure(monkeypatch, served)
    owner = next(iter(served.fake.data.counterparties))
    assert main(["onec", "fetch", "credit", "--counterparty", owner.upper()]) == 0
    lines = _lines(capsys.readouterr().out)
    assert json.loads(lines[0])["counterparty_guid"] == owner
    assert len(lines) == 2
    assert main(["onec", "fetch", "counterparties", "--counterparty", owner]) == 0
    lines = _lines(capsys.readouterr().out)
    assert json.loads(lines[0])["guid"] == owner
    assert len(lines) == 2


def test_fetch_changed_since(monkeypatch, capsys, served):
    _configure(monkeypatch, served)
    since = ["--changed-since", "2030-01-01T00:00:00"]
    assert main(["--format", "text", "onec", "fetch", "documents", *since]) == 0
    assert _lines(capsys.readouterr().out) == [
        "summary: source=http feed=documents: 0 record(s) (nothing), 0 quarantined"
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["onec", "fetch", "documents", "--counterparty", "ООО Ромашка"],
        ["onec", "fetch", "documents", "--changed-since", "вчера"],
        ["onec", "fetch", "invoices"],
    ],
)
def test_fetch_usage_errors_exit_2(monkeypatch, served, args):
    _configure(monkeypatch, served)
    assert main(args) == 2


def test_fetch_unknown_counterparty_exits_1(monkeypatch, capsys, served):
    _configure(monkeypatch, served)
    unknown = "11111111-2222-4333-8444-555555555555"
    assert main(["onec", "fetch", "documents", "--counterparty", unknown]) == 1
    assert "Контрагент не найден" in capsys.readouterr().err
