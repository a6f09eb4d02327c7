"""The members watcher against the Bitrix fake: membership rows the site *updates* (as the
cabinet's company page writes them, or the admin panel), compared with the snapshot; a change
that leaves a company without an active owner is written back and reported, once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bitrix_client import iso_datetime
from workflows import MEMBERS_WATCH, MemberRows
from workflows.member_watch import NO_OWNER, REVERTED

from .conftest import Cabinet

BLOCK = "B2bCompanyUsers"


@pytest.fixture(params=["memory", "sql"])
def cab(request: pytest.FixtureRequest, cabinet: Cabinet, sql_cabinet: Cabinet) -> Cabinet:
    return cabinet if request.param == "memory" else sql_cabinet


def _row(cab: Cabinet, index: int, role: str) -> dict[str, Any]:
    found = cab.world.row(
        BLOCK, UF_COMPANY_ID=cab.company_id(index), UF_USER_ID=cab.user(index, role)
    )
    assert found is not None
    return found


async def _cabinet_writes(cab: Cabinet, row_id: int, **fields: Any) -> None:
    """What the cabinet's company page writes: the change and UF_UPDATED_AT."""
    roles = await MemberRows(cab.bitrix).role_ids()
    values: dict[str, Any] = {"UF_UPDATED_AT": iso_datetime(cab.world.now())}
    if "role" in fields:
        values["UF_ROLE"] = roles[fields["role"]]
    if "active" in fields:
        values["UF_ACTIVE"] = 1 if fields["active"] else 0
    await cab.bitrix.bridge.item_update(BLOCK, row_id, values)


async def _state(cab: Cabinet, index: int) -> dict[int, tuple[str, bool]]:
    rows = await MemberRows(cab.bitrix).of_company(cab.company_id(index))
    return {r.user_id: (r.role, r.active) for r in rows}


async def test_the_first_poll_learns_every_row_and_changes_nothing(cab: Cabinet):
    before = [dict(r) for r in cab.world.rows(BLOCK)]
    result = await cab.service.sweep(MEMBERS_WATCH)
    assert (result.full, result.read, result.reverted) == (True, len(before), 0)
    assert cab.world.rows(BLOCK) == before
    snapshot = cab.store.member_snapshot()
    assert sum(len(rows) for rows in snapshot.values()) == len(before)


async def test_a_quiet_poll_costs_one_request(cab: Cabinet):
    await cab.service.sweep(MEMBERS_WATCH)
    cab.world.app.stats.reset()
    result = await cab.service.sweep(MEMBERS_WATCH)
    assert (result.full, result.read) == (False, 0)
    assert cab.world.app.stats.http_requests == 1


async def test_the_last_owner_deactivated_on_the_site_is_reverted_and_reported(cab: Cabinet):
    await cab.service.sweep(MEMBERS_WATCH)
    owner = _row(cab, 0, "owner")
    cab.world.advance(30)
    await _cabinet_writes(cab, owner["ID"], active=False)
    result = await cab.service.sweep(MEMBERS_WATCH)
    assert result.reverted == 1
    assert (await _state(cab, 0))[cab.user(0, "owner")] == ("owner", True)
    (report,) = cab.store.reports()
    assert report.kind == REVERTED
    assert report.data == {"company_id": cab.company_id(0), "user_id": cab.user(0, "owner")}
    assert "lost its last active owner" in report.message
    # the revert was stamped and is read back once more: it equals the snapshot, nothing moves
    writes = cab.world.app.stats.calls["b2bsync.item.update"]
    again = await cab.service.sweep(MEMBERS_WATCH)
    assert again.reverted == 0
    assert cab.world.app.stats.calls["b2bsync.item.update"] == writes
    assert len(cab.store.reports()) == 1


async def test_a_role_change_of_the_last_owner_is_reverted(cab: Cabinet):
    await cab.service.sweep(MEMBERS_WATCH)
    cab.world.advance(5)
    await _cabinet_writes(cab, _row(cab, 1, "owner")["ID"], role="viewer")
    assert (await cab.service.sweep(MEMBERS_WATCH)).reverted == 1
    assert (await _state(cab, 1))[cab.user(1, "owner")] == ("owner", True)


async def test_a_handover_is_kept(cab: Cabinet):
    await cab.service.sweep(MEMBERS_WATCH)
    cab.world.advance(5)
    await _cabinet_writes(cab, _row(cab, 0, "buyer")["ID"], role="owner")
    cab.world.advance(5)
    await _cabinet_writes(cab, _row(cab, 0, "owner")["ID"], active=False)
    result = await cab.service.sweep(MEMBERS_WATCH)
    assert (result.read, result.reverted) == (2, 0)
    state = await _state(cab, 0)
    assert state[cab.user(0, "buyer")] == ("owner", True)
    assert state[cab.user(0, "owner")] == ("owner", False)
    assert cab.store.reports() == []


async def test_two_owners_stepping_down_at_once_keep_the_later_one(cab: Cabinet):
    """Two owners' tabs each saw the other as owner and stepped down (the cabinet's own check
    passes both): the newer change breaks the rule and is undone."""
    await cab.service.sweep(MEMBERS_WATCH)
    buyer = _row(cab, 0, "buyer")
    cab.world.advance(5)
    await _cabinet_writes(cab, buyer["ID"], role="owner")
    await cab.service.sweep(MEMBERS_WATCH)
    cab.world.advance(5)
    await _cabinet_writes(cab, _row(cab, 0, "owner")["ID"], active=False)
    cab.world.advance(1)
    await _cabinet_writes(cab, buyer["ID"], role="buyer")
    assert (await cab.service.sweep(MEMBERS_WATCH)).reverted == 1
    state = await _state(cab, 0)
    assert state[cab.user(0, "buyer")] == ("owner", True)  # the later change undone
    assert state[cab.user(0, "owner")] == ("owner", False)


async def test_an_unstamped_change_is_caught_by_the_full_scan(cabinet: Cabinet):
    """The admin panel's editor writes no UF_UPDATED_AT, and may delete rows: the hourly full
    scan sees both."""
    cab = cabinet
    assert cab.service.config.members.full_every == timedelta(hours=1)
    await cab.service.sweep(MEMBERS_WATCH)
    owner0 = _row(cab, 0, "owner")
    await cab.bitrix.bridge.item_update(BLOCK, owner0["ID"], {"UF_ACTIVE": 0})
    owner1 = _row(cab, 1, "owner")
    await cab.bitrix.bridge.item_delete(BLOCK, owner1["ID"])
    cab.world.advance(60)
    assert (await cab.service.sweep(MEMBERS_WATCH)).reverted == 0  # unseen by the quick poll
    cab.world.advance(3600)
    result = await cab.service.sweep(MEMBERS_WATCH)
    assert (result.full, result.reverted) == (True, 2)
    assert (await _state(cab, 0))[cab.user(0, "owner")] == ("owner", True)
    assert (await _state(cab, 1))[cab.user(1, "owner")] == ("owner", True)  # written again
    assert sorted(r.kind for r in cab.store.reports()) == [REVERTED, REVERTED]


async def test_a_company_found_without_an_owner_is_reported_not_changed(cabinet: Cabinet):
    cab = cabinet
    owner = _row(cab, 2, "owner")
    await cab.bitrix.bridge.item_update(BLOCK, owner["ID"], {"UF_ACTIVE": 0})
    await cab.service.sweep(MEMBERS_WATCH)
    assert (await _state(cab, 2))[cab.user(2, "owner")] == ("owner", False)
    (report,) = cab.store.reports()
    assert report.kind == NO_OWNER
    assert report.data == {"company_id": cab.company_id(2)}
