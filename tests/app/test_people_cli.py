"""`b2bsync company users …` and `b2bsync invite …` against the Bitrix fake on loopback and a
SQLite state store: JSON lines off a terminal, exit 1 with the reason for a refused change, 2
for a usage mistake; the site's rows as the final word."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import structlog

from b2bsync.cli._main import main
from b2bsync.store import SqlWorkflowStore, Store
from b2bsync.watching import LEASE
from workflows import INVITES, Report

from ..workflows.conftest import Cabinet, make_cabinet


@pytest.fixture(autouse=True)
def _logs_after_cli() -> Iterator[None]:
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())
    yield
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())


def _cabinet() -> Cabinet:
    async def build() -> Cabinet:
        made = make_cabinet(companies=3)
        cab = await made.__anext__()
        await made.aclose()
        return cab

    return asyncio.run(build())


@pytest.fixture
def cab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cabinet]:
    made = _cabinet()
    with made.world.serve() as ends:
        monkeypatch.setenv("B2BSYNC_BITRIX__WEBHOOK_URL", ends.webhook_url)
        monkeypatch.setenv("B2BSYNC_BITRIX__RATE_LIMIT", "off")
        monkeypatch.setenv("B2BSYNC_STATE__URL", f"sqlite:///{tmp_path / 'state.sqlite3'}")
        monkeypatch.setenv("B2BSYNC_LOG__LEVEL", "error")
        yield made


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[Any], str]:
    code = main(list(args))
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines() if line.strip()]
    return code, lines, captured.err


def _member(cab: Cabinet, company: int, user: int) -> dict[str, Any] | None:
    return cab.world.row("B2bCompanyUsers", UF_COMPANY_ID=company, UF_USER_ID=user)


def test_list_by_company_guid_or_id_and_by_user(cab: Cabinet, capsys):
    company = cab.company_id(0)
    code, by_guid, _ = _run(capsys, "company", "users", "list", cab.world.guids[0])
    assert code == 0
    assert {(r["user_id"], r["role"], r["active"]) for r in by_guid} == {
        (user, role, True) for role, user in cab.members[company].items()
    }
    assert by_guid[0]["role"] == "owner"  # owners first
    owner = cab.world.site.users[cab.user(0, "owner")]
    assert by_guid[0]["email"] == owner.email
    code, by_id, _ = _run(capsys, "company", "users", "list", str(company), "--json")
    assert (code, by_id) == (0, by_guid)
    code, mine, _ = _run(capsys, "company", "users", "list", "--user", owner.email)
    assert code == 0
    assert [(r["company_id"], r["role"]) for r in mine] == [(company, "owner")]


def test_add_role_deactivate_reactivate_limit(cab: Cabinet, capsys):
    company = cab.company_id(0)
    newcomer = cab.user(1, "accountant")  # a member of company 1, now of company 0 as well
    code, (out,), _ = _run(
        capsys, "company", "users", "add", str(company), str(newcomer), "--role", "Viewer",
        "--order-limit", "1500.50",
    )  # fmt: skip
    assert (code, out["changed"], out["action"]) == (0, True, "add")
    row = _member(cab, company, newcomer)
    assert row is not None
    assert (row["UF_ACTIVE"], row["UF_ORDER_LIMIT"]) == (1, 1500.5)
    assert row["UF_UPDATED_AT"] is not None
    assert _member(cab, cab.company_id(1), newcomer) is not None  # still in company 1
    code, _, err = _run(
        capsys, "company", "users", "add", str(company), str(newcomer), "--role", "buyer"
    )
    assert code == 1
    assert "already an active member" in err
    assert _run(capsys, "company", "users", "role", str(company), str(newcomer), "buyer")[0] == 0
    assert _run(capsys, "company", "users", "deactivate", str(company), str(newcomer))[0] == 0
    assert _member(cab, company, newcomer)["UF_ACTIVE"] == 0
    code, (again,), _ = _run(capsys, "company", "users", "deactivate", str(company), str(newcomer))
    assert (code, again["changed"]) == (0, False)
    code, _, err = _run(
        capsys, "company", "users", "add", str(company), str(newcomer), "--role", "buyer"
    )
    assert code == 1
    assert "use `reactivate`" in err
    assert _run(capsys, "company", "users", "reactivate", str(company), str(newcomer))[0] == 0
    assert _member(cab, company, newcomer)["UF_ACTIVE"] == 1
    assert _run(capsys, "company", "users", "limit", str(company), str(newcomer), "700")[0] == 0
    assert _member(cab, company, newcomer)["UF_ORDER_LIMIT"] == 700
    assert _run(capsys, "company", "users", "limit", str(company), str(newcomer), "--clear")[0] == 0
    assert _member(cab, company, newcomer)["UF_ORDER_LIMIT"] is None
    assert len([r for r in cab.world.rows("B2bCompanyUsers") if r["UF_USER_ID"] == newcomer]) == 2


def test_the_last_owner_stays(cab: Cabinet, capsys):
    company = cab.company_id(0)
    owner, buyer = cab.user(0, "owner"), cab.user(0, "buyer")
    before = dict(_member(cab, company, owner))
    for args in (("role", str(owner), "buyer"), ("deactivate", str(owner))):
        code, out, err = _run(capsys, "company", "users", args[0], str(company), *args[1:])
        assert (code, out) == (1, [])
        assert f"user {owner} is the last active owner of company {company}" in err
    assert _member(cab, company, owner) == before
    # hand over first, then step down
    assert _run(capsys, "company", "users", "role", str(company), str(buyer), "owner")[0] == 0
    assert _run(capsys, "company", "users", "deactivate", str(company), str(owner))[0] == 0
    assert _member(cab, company, owner)["UF_ACTIVE"] == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("company", "users", "list"), 2, "name a company"),
        (("company", "users", "role", "1", "2", "director"), 2, "unknown role 'director'"),
        (("company", "users", "limit", "1", "2"), 2, "give an amount, or --clear"),
        (("company", "users", "limit", "1", "2", "lots"), 2, "not an amount"),
        (("company", "users", "limit", "1", "2", "--", "-5"), 2, "0 or more"),
        (("company", "users", "add", "1", "bob", "--role", "buyer"), 2, "ID or e-mail"),
        (("company", "users", "list", "999"), 1, "no company '999'"),
        (("company", "users", "list", "--user", "ghost@example.ru"), 1, "no site user"),
        (("company", "users", "deactivate", "1", "999"), 1, "not a member"),
        (("invite", "list", "--status", "lost"), 2, "unknown status 'lost'"),
        (("invite", "create", "1", "a@example.ru", "--role", "buyer"), 2, "web.public_url"),
        (("invite", "revoke", "999"), 1, "no invite 999"),
    ],
)
def test_mistakes_and_refusals(cab: Cabinet, capsys, args, code, message):
    got, out, err = _run(capsys, *args)
    assert (got, out) == (code, [])
    assert message in err
    assert err.startswith("error: ")
    assert "Traceback" not in err


def test_invites_from_the_cli(cab: Cabinet, capsys, monkeypatch):
    monkeypatch.setenv("B2BSYNC_WEB__PUBLIC_URL", "https://shop.example.ru/b2bsync")
    company = cab.company_id(1)
    owner = cab.world.site.users[cab.user(1, "owner")]
    code, (made,), _ = _run(
        capsys, "invite", "create", cab.world.guids[1], "New@Example.ru", "--role", "buyer",
        "--invited-by", owner.email,
    )  # fmt: skip
    assert code == 0
    created = made["invite.created"]
    assert (created["company_id"], created["mail"]) == (company, "sent")
    (mail,) = cab.mails("B2B_COMPANY_INVITE")
    assert mail.fields["INVITE_URL"].startswith(
        "https://shop.example.ru/b2bsync/invites/accept?token="
    )
    assert mail.fields["INVITED_BY_NAME"] == f"{owner.name} {owner.last_name}"
    code, _, err = _run(
        capsys, "invite", "create", str(company), "new@example.ru", "--role", "viewer"
    )
    assert code == 1
    assert "open invite" in err
    code, listed, _ = _run(capsys, "invite", "list", "--company", str(company))
    assert code == 0
    assert [(i["id"], i["status"], i["email"]) for i in listed] == [
        (created["id"], "pending", "new@example.ru")
    ]
    code, (resent,), _ = _run(capsys, "invite", "resend", str(created["id"]))
    assert code == 0
    new_id = resent["invite.resent"]["new_id"]
    assert len(cab.mails("B2B_COMPANY_INVITE")) == 2
    code, (extended,), _ = _run(capsys, "invite", "extend", str(new_id), "--hours", "240")
    assert code == 0
    assert "expires_at" in extended["invite.extended"]
    assert _run(capsys, "invite", "revoke", str(new_id))[0] == 0
    code, _, err = _run(capsys, "invite", "revoke", str(new_id))
    assert code == 1
    assert "revoking is final" in err
    code, listed, _ = _run(capsys, "invite", "list", "--status", "revoked")
    assert {i["id"] for i in listed} == {created["id"], new_id}


def test_with_a_daemon_running_the_invite_is_left_to_it(
    cab: Cabinet, capsys, monkeypatch, tmp_path
):
    monkeypatch.setenv("B2BSYNC_WEB__PUBLIC_URL", "https://shop.example.ru/b2bsync")
    store = Store.open(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    try:
        assert store.acquire_lease(LEASE, "daemon", timedelta(minutes=1)) is not None
        code, (made,), _ = _run(
            capsys, "invite", "create", str(cab.company_id(0)), "x@example.ru", "--role", "viewer"
        )
        assert (code, made["invite.created"]["mail"]) == (0, "queued")
        assert cab.mails("B2B_COMPANY_INVITE") == []
        assert SqlWorkflowStore(store).take_wakes() == {INVITES}
    finally:
        store.close()


def test_status_shows_what_the_members_watcher_reverted(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    monkeypatch.setenv("B2BSYNC_STATE__URL", url)
    store = Store.open(url)
    try:
        message = "company 5 lost its last active owner: user 7 was deactivated; reverted"
        report = Report("member.reverted", "5:7:-", message, store.now(), {"company_id": 5})
        tables = SqlWorkflowStore(store)
        assert tables.add_reports([report, report]) == 1
    finally:
        store.close()
    code, (status,), _ = _run(capsys, "status", "--json")
    assert code == 0
    (shown,) = status["workflow_reports"]
    assert (shown["kind"], shown["message"], shown["data"]) == (
        "member.reverted",
        message,
        {"company_id": 5},
    )
    assert main(["--format", "text", "status"]) == 0
    text = capsys.readouterr().out
    assert "workflows: 1 report(s) in the last 7 days:" in text
    assert f"member.reverted: {message}" in text
