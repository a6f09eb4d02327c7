"""`b2bsync schema plan|apply|check` and the doctor's schema line, against the Bitrix fake."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
import structlog

from b2bsync.cli import main
from b2bsync.cli._schema import apply_command, check_command, plan_command
from b2bsync.doctor import run_doctor
from b2bsync.roles import export_table
from b2bsync.settings import BitrixSettings, Settings
from bitrix_client.fake import serve_sync
from tests.schema._shop import SECRET, WEBHOOK, Shop, make_shop


@pytest.fixture(autouse=True)
def _logs_after_cli() -> Iterator[None]:
    """Logs stay out of captured stdout; ``main()`` points structlog at this test's captured
    stderr, which is closed afterwards, so the quiet logger is put back after each test."""
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())
    yield
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())


@pytest.fixture
def shop() -> Shop:
    return make_shop(scopes=frozenset({"sale", "b2bsync", "catalog", "user"}))


def settings(**bitrix: object) -> Settings:
    return Settings(_env_file=None, bitrix=BitrixSettings(webhook_url=WEBHOOK, **bitrix))  # type: ignore[call-arg, arg-type]


def transport(shop: Shop) -> httpx.AsyncBaseTransport:
    return httpx.ASGITransport(app=shop.app)


def out_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().out.splitlines()


def test_plan_lists_the_steps_and_exits_0(shop, capsys):
    assert plan_command(settings(), as_json=False, transport=transport(shop)) == 0
    lines = out_lines(capsys)
    assert lines[0] == (
        "+ declare hlblocks B2bCompanies, B2bCompanyUsers, B2bInvites, B2bDocuments, "
        "B2bCreditStatus, OrderComments, B2bNotifications, B2bOrderEvents, B2bOrderFollowers "
        "(the bridge serves declared blocks)"
    )
    assert lines[1] == "+ hlblock B2bCompanies (table b2b_companies)"
    assert "+ status PA (APPROVAL_PENDING), type O" in lines
    assert "+ order property B2B_COMPANY_ID for payer type 2 «Юридическое лицо»" in lines
    assert lines[-1] == "144 step(s) to apply (1 REST requests to read the site)"
    assert shop.site.bridge.blocks == {}  # plan writes nothing


def test_plan_json(shop, capsys):
    assert plan_command(settings(), as_json=True, transport=transport(shop)) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["in_sync"] is False
    assert len(data["steps"]) == 144
    assert data["drift"] == []
    assert data["requests"] == 1
    assert [s["kind"] for s in data["steps"][:2]] == ["declare_hlblocks", "add_hlblock"]


def test_apply_prints_what_was_done_and_the_request_count(shop, capsys):
    assert apply_command(settings(), yes=True, transport=transport(shop)) == 0
    lines = out_lines(capsys)
    assert lines[0].startswith("✓ + declare hlblocks B2bCompanies, ")
    assert lines[0].endswith(" — 9 declared")
    assert lines[1].startswith("✓ + hlblock B2bCompanies (table b2b_companies) — ID ")
    assert (
        lines[-1] == "144 step(s) done, 0 failed, 0 skipped; 5 REST requests (1 to read the site)"
    )
    assert len(shop.site.bridge.blocks) == 9
    # the cabinet's role table, as `b2bsync roles export` prints it
    assert "~ module option roles" in " ".join(lines)
    assert json.loads(shop.site.bridge.options["roles"]) == export_table()

    assert apply_command(settings(), yes=True, transport=transport(shop)) == 0
    assert out_lines(capsys) == [
        "0 step(s) done, 0 failed, 0 skipped; 2 REST requests (2 to read the site)"
    ]


def test_apply_json_and_failures_exit_1(shop, capsys):
    shop.site.bridge.existing_tables.add("order_comments")
    assert apply_command(settings(), yes=True, as_json=True, transport=transport(shop)) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["apply"]["failed"] == 1
    assert data["apply"]["skipped"] == 6  # OrderComments' 5 fields and its index
    assert data["apply"]["ok"] is False
    assert data["requests"] == 5


def test_apply_without_yes_on_a_pipe_refuses(shop, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    from b2bsync import UsageError

    with pytest.raises(UsageError, match="pass --yes"):
        apply_command(settings(), yes=False, transport=transport(shop))
    assert shop.site.bridge.blocks == {}


def test_check_exit_codes(shop, capsys):
    assert check_command(settings(), transport=transport(shop)) == 1
    assert out_lines(capsys)[-1] == "144 step(s) to apply"
    apply_command(settings(), yes=True, transport=transport(shop))
    capsys.readouterr()
    assert check_command(settings(), transport=transport(shop)) == 0
    assert out_lines(capsys) == ["✓ the site matches the schema"]

    block = shop.site.bridge.block_by_name("B2bCompanies")
    assert block is not None
    inn = shop.site.bridge.field_named(block.id, "UF_INN")
    assert inn is not None
    inn.type = "integer"
    assert check_command(settings(), transport=transport(shop)) == 1
    lines = out_lines(capsys)
    assert lines[0].startswith("! B2bCompanies.UF_INN: is integer, b2bsync needs string")
    assert lines[-1] == "1 difference(s) apply never changes (lines with !)"

    assert check_command(settings(), as_json=True, transport=transport(shop)) == 1
    data = json.loads(capsys.readouterr().out)
    assert [d["kind"] for d in data["drift"]] == ["field_type"]

    assert apply_command(settings(), yes=True, transport=transport(shop)) == 0
    assert inn.type == "integer"  # nothing is retyped or dropped
    assert "1 difference(s) need a human (see above)" in out_lines(capsys)


def test_a_three_letter_status_code_exits_2_before_any_request(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    # nothing listens there: a request would end in exit 1, not 2
    monkeypatch.setenv("B2BSYNC_BITRIX__WEBHOOK_URL", "http://127.0.0.1:9/rest/1/x/")
    monkeypatch.setenv("B2BSYNC_BITRIX__STATUS_PENDING", "PND")
    for command in (["schema", "plan"], ["schema", "apply", "--yes"], ["schema", "check"]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: bitrix.status_pending: status id 'PND' must be 1–2")


@pytest.fixture
def served(shop: Shop, monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[Shop]:
    monkeypatch.chdir(tmp_path)
    with serve_sync(shop.app) as url:
        monkeypatch.setenv("B2BSYNC_BITRIX__WEBHOOK_URL", f"{url}/rest/1/{SECRET}/")
        yield shop


def test_the_commands_over_loopback(served, capsys):
    text = ["--format", "text"]
    assert main(["schema", "check"]) == 1
    assert main([*text, "schema", "apply", "--yes"]) == 0
    assert "144 step(s) done" in capsys.readouterr().out
    assert main(["schema", "check"]) == 0
    assert main([*text, "schema", "plan"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("✓ the site matches the schema")
    del served.site.sale.status_langs[("PA", "en")]
    assert main([*text, "schema", "check"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == "+ status name PA [en] «Approval pending»"
    # into a pipe: one JSON object
    assert main(["schema", "check"]) == 1
    [line] = capsys.readouterr().out.splitlines()
    assert json.loads(line)["in_sync"] is False


# -- doctor --------------------------------------------------------------------------------------


def schema_line(lines: list[str]) -> str | None:
    return next((line for line in lines if "schema in sync" in line), None)


async def doctor_lines(shop: Shop, **bitrix: object) -> list[str]:
    return [c.line() for c in await run_doctor(settings(**bitrix), transport=transport(shop))]


async def test_doctor_schema_line(shop):
    line = schema_line(await doctor_lines(shop))
    assert line is not None
    assert line.startswith("✗ schema in sync: + declare hlblocks B2bCompanies, B2bCompanyUsers")
    assert "; + hlblock B2bCompanies (table b2b_companies); " in line
    assert "… 141 more — run `b2bsync schema apply`" in line

    await apply_command_async(shop)
    assert schema_line(await doctor_lines(shop)) == (
        "✓ schema in sync: HL-blocks, statuses, order property, mail templates, "
        "module options (roles, order guard)"
    )

    shop.site.sale.statuses["RJ"]["type"] = "D"
    line = schema_line(await doctor_lines(shop))
    assert line is not None
    assert line.startswith("✗ schema in sync: ! status RJ: has type D")
    assert line.endswith("apply never changes these: fix them by hand (see `b2bsync schema check`)")


async def test_doctor_skips_the_schema_when_it_cannot_mean_anything(shop):
    assert schema_line(await doctor_lines(shop, status_pending="PND")) is None
    no_bridge = make_shop(bridge=False, scopes=frozenset({"sale", "b2bsync"}))
    assert schema_line(await doctor_lines(no_bridge)) is None
    no_scope = make_shop(scopes=frozenset({"sale"}))
    lines = await doctor_lines(no_scope)
    assert schema_line(lines) is None
    assert any(line.startswith("✗ scopes: missing b2bsync") for line in lines)


async def apply_command_async(shop: Shop) -> None:
    from b2bsync.schema import run_schema

    run = await run_schema(settings(), apply=True, transport=transport(shop))
    assert run.report is not None
    assert run.report.ok


async def test_ensure_schema_for_the_demo(shop):
    from b2bsync.schema import SchemaApplyError, ensure_schema

    bitrix = settings().bitrix
    shop.site.bridge.existing_tables.add("b2b_companies")  # a leftover table
    async with shop.client:
        with pytest.raises(SchemaApplyError, match=r"first: ✗ \+ hlblock B2bCompanies"):
            await ensure_schema(shop.client, bitrix)
        shop.site.bridge.existing_tables.discard("b2b_companies")
        run = await ensure_schema(shop.client, bitrix)
        assert run.report is not None
        assert len(run.report.of("done")) == 1 + 10 + 1  # the block, its fields and index
        again = await ensure_schema(shop.client, bitrix)
        assert again.plan.in_sync
        assert again.requests == 2
