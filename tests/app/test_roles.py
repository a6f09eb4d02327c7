"""The role table of DESIGN §5, its export, and the "always one active owner" rule."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog

from b2bsync.cli import main
from b2bsync.roles import (
    Capability,
    LastOwnerError,
    Member,
    Role,
    UnknownRoleError,
    active_owners,
    can,
    capabilities,
    ensure_owner_remains,
    export_table,
    holders,
)
from hl_schemas import ROLE_VALUES

# DESIGN §5, transcribed: capability → (owner, buyer, accountant, viewer)
DESIGN = {
    "orders.view": (True, True, False, True),
    "orders.create": (True, True, False, False),
    "orders.approve": (True, False, False, False),
    "orders.comment": (True, True, False, False),
    "documents.view": (True, False, True, False),
    "finance.view": (True, False, True, False),
    "company.manage": (True, False, False, False),
}


@pytest.fixture(autouse=True)
def _logs_after_cli() -> Iterator[None]:
    """Logs stay out of captured stdout; ``main()`` points structlog at this test's captured
    stderr, which is closed afterwards, so the quiet logger is put back after each test."""
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())
    yield
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())


@pytest.mark.parametrize(("capability", "row"), DESIGN.items())
def test_the_table_is_the_design(capability, row):
    assert tuple(can(role, capability) for role in Role) == row


def test_unknown_roles_and_capabilities_grant_nothing():
    assert not can("admin", "orders.view")
    assert not can("owner", "orders.delete")
    with pytest.raises(UnknownRoleError, match="unknown role 'admin'"):
        capabilities("admin")


def test_holders_and_capabilities():
    assert holders(Capability.approve_orders) == (Role.owner,)
    assert holders("documents.view") == (Role.owner, Role.accountant)
    assert capabilities("viewer") == {Capability.view_orders}


def test_role_codes_are_the_hl_enumeration():
    assert [r.value for r in Role] == [v.xml_id for v in ROLE_VALUES]


def test_export_is_the_table_with_titles():
    data = export_table()
    assert [r["code"] for r in data["roles"]] == ["owner", "buyer", "accountant", "viewer"]
    matrix = {r["code"]: set(r["capabilities"]) for r in data["roles"]}
    for capability, row in DESIGN.items():
        assert tuple(capability in matrix[r] for r in matrix) == row
    assert data["roles"][1]["title"] == {"ru": "Закупщик", "en": "Buyer"}
    assert [c["code"] for c in data["capabilities"]] == list(DESIGN)
    assert all(c["title"]["ru"] and c["title"]["en"] for c in data["capabilities"])


def test_roles_export_command_prints_the_json(capsys, tmp_path):
    assert main(["roles", "export"]) == 0
    assert json.loads(capsys.readouterr().out) == export_table()
    target = tmp_path / "roles.json"
    assert main(["roles", "export", "--output", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == export_table()


COMPANY = [
    Member(1, "owner"),
    Member(2, "owner", active=False),
    Member(3, "buyer"),
    Member(4, "accountant"),
]


@pytest.mark.parametrize(
    "change",
    [
        {"role": "buyer"},
        {"active": False},
        {"remove": True},
    ],
)
def test_the_last_active_owner_cannot_go(change):
    with pytest.raises(LastOwnerError, match="last active owner"):
        ensure_owner_remains(COMPANY, 1, **change)


def test_changes_that_keep_an_owner_pass():
    after = ensure_owner_remains(COMPANY, 2, active=True)
    assert active_owners(after) == {1, 2}
    after = ensure_owner_remains(after, 1, role="viewer")
    assert active_owners(after) == {2}
    after = ensure_owner_remains(after, 3, remove=True)
    assert [m.user_id for m in after] == [1, 2, 4]
    after = ensure_owner_remains(after, 9, role="owner")
    assert active_owners(after) == {2, 9}
    with pytest.raises(UnknownRoleError):
        ensure_owner_remains(after, 4, role="boss")


def test_a_company_without_owners_is_not_blocked_from_getting_members():
    assert ensure_owner_remains([], 5, role="buyer") == [Member(5, Role.buyer)]


def test_the_contract_copy_is_what_roles_export_prints(capsys: pytest.CaptureFixture[str]) -> None:
    """bridge/contract/roles.json is the table the PHP side (CabinetAccess) is tested against."""
    contract = Path(__file__).resolve().parents[2] / "bridge" / "contract" / "roles.json"
    assert json.loads(contract.read_text(encoding="utf-8")) == export_table()
    assert main(["roles", "export"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(contract.read_text(encoding="utf-8"))
