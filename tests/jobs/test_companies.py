"""The companies job against the fakes: created, unchanged, changed, deactivated, quarantined."""

from __future__ import annotations

from datetime import timedelta

from .conftest import Harness


def name_of(h: Harness, guid: str) -> str:
    row = h.world.row("B2bCompanies", UF_XML_ID=guid)
    assert row is not None
    return str(row["UF_NAME"])


async def test_first_sync_creates_every_company_in_one_request(h: Harness) -> None:
    result = await h.ok("companies", link_orders_by_inn=False)

    rows = h.world.rows("B2bCompanies")
    assert len(rows) == 6
    assert h.upserts() == 6
    assert (h.upsert_calls(), h.calls("batch")) == (1, 0), "one ROWS call, no batch"
    assert result.counts == {"read": 6, "added": 6}
    for index, company in enumerate(h.world.shop.companies):
        row = h.world.row("B2bCompanies", UF_XML_ID=h.world.guids[index])
        assert row is not None
        assert (row["UF_NAME"], row["UF_INN"], row["UF_KPP"]) == (
            company.name,
            company.inn,
            company.kpp,
        )
        assert row["UF_ACTIVE"] == 1
    known = h.world.store.known_in_scope("companies", "")
    assert {k: v.bitrix_id for k, v in known.items()} == {r["UF_XML_ID"]: r["ID"] for r in rows}
    newest = max(c.changed_at for c in h.world.onec.data.counterparties.values())
    cursor = h.world.store.cursor("companies")
    assert cursor is not None
    assert cursor.replace(tzinfo=None) == newest


async def test_second_sync_writes_nothing_and_a_change_writes_one_row(h: Harness) -> None:
    await h.ok("companies")
    before = h.upserts()

    again = await h.ok("companies", full=True)
    assert h.upserts() == before
    assert again.counts["unchanged"] == 6

    party = h.world.counterparty(2)
    party.name = "ООО «Переименованная»"
    party.changed_at = h.world.onec_now()
    changed = await h.ok("companies")

    assert h.upserts() == before + 1
    assert changed.counts["updated"] == 1
    row = h.world.row("B2bCompanies", UF_XML_ID=party.guid)
    assert row is not None
    assert row["UF_NAME"] == "ООО «Переименованная»"


async def test_cabinet_managed_fields_survive_a_sync(h: Harness) -> None:
    await h.ok("companies")
    party = h.world.counterparty(1)
    row = h.world.row("B2bCompanies", UF_XML_ID=party.guid)
    assert row is not None
    await h.bitrix.bridge.item_update(
        "B2bCompanies", row["ID"], {"UF_MANAGER_ID": 7, "UF_OVERDUE_LIMIT": "15000.50"}
    )
    party.kpp = "770101001"
    party.changed_at = h.world.onec_now()

    await h.ok("companies")

    after = h.world.row("B2bCompanies", UF_XML_ID=party.guid)
    assert after is not None
    assert after["UF_KPP"] == "770101001"
    assert after["UF_MANAGER_ID"] == 7
    assert after["UF_OVERDUE_LIMIT"] == 15000.5


async def test_a_deletion_mark_in_1c_deactivates_incrementally(h: Harness) -> None:
    await h.ok("companies")
    party = h.world.counterparty(3)
    party.deleted = True
    party.changed_at = h.world.onec_now()

    result = await h.ok("companies")

    row = h.world.row("B2bCompanies", UF_XML_ID=party.guid)
    assert row is not None
    assert row["UF_ACTIVE"] == 0
    assert result.counts["inactive"] == 1
    assert h.world.store.known("companies", [party.guid])[party.guid].deleted


async def test_vanished_counterparty_is_deactivated_by_full_only(h: Harness) -> None:
    await h.ok("companies")
    gone = h.world.guids[4]
    del h.world.onec.data.counterparties[gone]

    await h.ok("companies")
    row = h.world.row("B2bCompanies", UF_XML_ID=gone)
    assert row is not None
    assert row["UF_ACTIVE"] == 1

    before = h.upserts()
    result = await h.ok("companies", full=True)
    assert result.counts["deactivated"] == 1
    assert h.upserts() == before + 1
    row = h.world.row("B2bCompanies", UF_XML_ID=gone)
    assert row is not None
    assert row["UF_ACTIVE"] == 0
    assert len(h.world.rows("B2bCompanies")) == 6

    await h.ok("companies", full=True)
    assert h.upserts() == before + 1


async def test_bad_record_is_quarantined_then_retried_after_the_fix(h: Harness) -> None:
    party = h.world.counterparty(0)
    party.changed_at = h.world.onec_now() - timedelta(days=90)
    party.overrides["name"] = ""

    first = await h.ok("companies")
    assert first.counts["quarantined"] == 1
    [entry] = h.world.store.quarantined("companies")
    assert entry.key == party.guid
    assert "name" in entry.reason
    assert h.world.row("B2bCompanies", UF_XML_ID=party.guid) is None

    del party.overrides["name"]
    await h.ok("companies")
    assert h.world.row("B2bCompanies", UF_XML_ID=party.guid) is None, "outside the look-back"

    assert h.world.store.request_retry("companies") == 1
    await h.ok("companies")
    row = h.world.row("B2bCompanies", UF_XML_ID=party.guid)
    assert row is not None
    assert row["UF_NAME"] == party.name
    assert h.world.store.quarantined("companies") == []


async def test_one_company_run_touches_only_it_and_moves_no_cursor(h: Harness) -> None:
    guid = h.world.guids[2]
    result = await h.ok("companies", company=guid.upper())

    assert [r["UF_XML_ID"] for r in h.world.rows("B2bCompanies")] == [guid]
    assert result.counts["added"] == 1
    assert h.world.store.cursor("companies") is None


async def test_rows_bitrix_refuses_are_quarantined_and_the_rest_written(h: Harness) -> None:
    await h.ok("companies")
    party = h.world.counterparty(5)
    block = h.world.site.bridge.block_by_name("B2bCompanies")
    assert block is not None
    original = next(r for r in block.rows.values() if r["UF_XML_ID"] == party.guid)
    block.rows[99] = {**original, "ID": 99}  # a hand-made duplicate, from before the index
    for index in (4, 5):
        h.world.counterparty(index).name += " (изм.)"
        h.world.counterparty(index).changed_at = h.world.onec_now()

    result = await h.run("companies")

    assert result.ok
    assert result.counts["updated"] == 1
    assert result.counts["quarantined"] == 1
    [entry] = h.world.store.quarantined("companies")
    assert entry.key == party.guid
    assert "ERROR_UPSERT_AMBIGUOUS" in entry.reason
    assert entry.raw["name"] == party.name
    assert name_of(h, h.world.guids[4]).endswith("(изм.)")


async def test_a_company_can_be_named_by_its_row_id(h: Harness) -> None:
    await h.ok("companies")
    party = h.world.counterparty(3)
    other = h.world.counterparty(4)
    for changed in (party, other):
        changed.name += " (изм.)"
        changed.changed_at = h.world.onec_now()
    row = h.world.row("B2bCompanies", UF_XML_ID=party.guid)
    assert row is not None

    result = await h.ok("companies", company=str(row["ID"]))

    assert result.counts["updated"] == 1
    assert name_of(h, party.guid) == party.name
    assert name_of(h, other.guid) != other.name
    unknown = await h.run("companies", company="999")
    assert unknown.errors == ["company '999': no b2b_companies row with that ID is known"]
