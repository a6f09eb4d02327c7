"""Plan and apply against the Bitrix fake; assertions on the fake's state and request counts."""

from __future__ import annotations

import pytest

from bitrix_client import BridgeIncompatibleError
from bitrix_client.fake import Language
from hl_schemas import (
    BLOCKS,
    MAIL_EVENTS,
    AddField,
    AddStatusLang,
    SchemaConfig,
    SchemaConfigError,
    apply_schema,
    plan_schema,
)

from ._shop import LEGAL_TYPE, Shop, make_shop

FIELD_COUNT = sum(len(b.fields) for b in BLOCKS)
INDEX_COUNT = sum(len(b.indexes) for b in BLOCKS)


def block(shop: Shop, name: str):
    found = shop.site.bridge.block_by_name(name)
    assert found is not None, name
    return found


def field(shop: Shop, block_name: str, field_name: str):
    found = shop.site.bridge.field_named(block(shop, block_name).id, field_name)
    assert found is not None, field_name
    return found


@pytest.mark.parametrize("body", ["json", "form"])
async def test_apply_on_an_empty_site_creates_everything_in_five_requests(body):
    shop = make_shop(body=body)
    async with shop.client:
        run = await apply_schema(shop.client)
    assert run.plan.drift == ()
    assert run.report is not None
    assert run.report.ok, [r.line() for r in run.report.results if r.outcome != "done"]
    # one batch to read; then blocks+statuses+mail types, fields+names+property+templates
    # (91 commands: two requests), indexes
    assert (run.read_requests, run.report.requests) == (1, 4)
    assert shop.app.stats.http_requests == 5

    bridge = shop.site.bridge
    assert {b.name: b.table_name for b in bridge.blocks.values()} == {
        b.name: b.table for b in BLOCKS
    }
    assert len(bridge.fields) == FIELD_COUNT
    for declared in BLOCKS:
        live = block(shop, declared.name)
        assert live.lang == declared.title.as_dict()
        for f in declared.fields:
            uf = field(shop, declared.name, f.name)
            assert (uf.type, uf.mandatory, uf.multiple) == (f.type, f.mandatory, f.multiple)
            assert uf.labels["EDIT_FORM_LABEL"] == f.label.as_dict()
            assert [(i.xml_id, i.value) for i in uf.items] == [
                (v.xml_id, v.value.ru) for v in f.enum
            ]
        assert {(i.name, i.fields, i.unique) for i in live.indexes.values()} == {
            (i.name, i.fields, i.unique) for i in declared.indexes
        }
    assert sum(len(b.indexes) for b in bridge.blocks.values()) == INDEX_COUNT
    approval = field(shop, "B2bCompanies", "UF_APPROVAL_MODE")
    assert [i.xml_id for i in approval.items if i.default] == ["none"]

    sale = shop.site.sale
    for code, xml_id, color in (
        ("PA", "APPROVAL_PENDING", "#FFAA00"),
        ("AP", "APPROVED", "#00AA00"),
        ("RJ", "REJECTED", "#AA0000"),
    ):
        status = sale.statuses[code]
        assert (status["type"], status["xmlId"], status["color"]) == ("O", xml_id, color)
        assert status["notify"] == "N"
        assert {lid for (sid, lid) in sale.status_langs if sid == code} == {"ru", "en"}
    assert sale.status_langs[("PA", "ru")]["name"] == "Ожидает согласования"
    assert sale.status_langs[("RJ", "en")]["name"] == "Rejected"

    props = [p for p in sale.properties.values() if p["code"] == "B2B_COMPANY_ID"]
    assert len(props) == 1
    prop = props[0]
    assert (prop["personTypeId"], prop["type"], prop["util"], prop["active"]) == (
        LEGAL_TYPE,
        "STRING",
        "Y",
        "Y",
    )
    # the legal payer type's first group ("Данные компании", sort 300); none was added
    assert sale.property_groups[prop["propsGroupId"]]["personTypeId"] == LEGAL_TYPE
    assert len(sale.property_groups) == 4

    assert len(bridge.mail_types) == 2 * len(MAIL_EVENTS)
    assert sorted((t.event_name, t.language_id) for t in bridge.mail_templates.values()) == sorted(
        (e.name, lang) for e in MAIL_EVENTS for lang in ("ru", "en")
    )
    invite = next(
        t
        for t in bridge.mail_templates.values()
        if (t.event_name, t.language_id) == ("B2B_COMPANY_INVITE", "ru")
    )
    assert invite.sites == ["s1"]
    assert "#INVITE_URL#" in invite.message
    assert invite.email_to == "#EMAIL_TO#"


async def test_second_plan_is_empty_and_second_apply_writes_nothing(shop):
    await apply_schema(shop.client)
    before = shop.app.stats.http_requests
    run = await apply_schema(shop.client)
    assert run.plan.in_sync
    assert run.report is not None
    assert (run.report.commands, run.report.requests) == (0, 0)
    assert run.read_requests == 2  # the batch of lists, then fields and indexes of 8 blocks
    assert shop.app.stats.http_requests - before == 2


async def test_a_missing_field_gets_exactly_that_step(shop):
    await apply_schema(shop.client)
    lost = field(shop, "B2bDocuments", "UF_HASH")
    del shop.site.bridge.fields[lost.id]
    run = await apply_schema(shop.client)
    assert run.plan.drift == ()
    assert [type(s) for s in run.plan.steps] == [AddField]
    assert run.report is not None
    assert run.report.ok
    assert run.report.requests == 1
    restored = field(shop, "B2bDocuments", "UF_HASH")
    assert (restored.type, str(restored.settings["MAX_LENGTH"])) == ("string", "64")  # batch: text
    assert (await plan_schema(shop.client)).plan.in_sync


async def test_a_missing_status_language_gets_exactly_that_step(shop):
    await apply_schema(shop.client)
    del shop.site.sale.status_langs[("AP", "en")]
    run = await apply_schema(shop.client)
    assert [(type(s), s.key) for s in run.plan.steps] == [(AddStatusLang, "status_lang:AP:en")]
    assert run.report is not None
    assert run.report.ok
    assert shop.site.sale.status_langs[("AP", "en")]["name"] == "Approved"


async def test_a_renamed_status_is_deleted_and_added_again(shop):
    await apply_schema(shop.client)
    shop.site.sale.status_langs[("RJ", "ru")]["name"] = "Отказ"
    run = await apply_schema(shop.client)
    assert [s.kind for s in run.plan.steps] == ["replace_status_lang"]
    assert run.report is not None
    assert run.report.ok
    assert shop.site.sale.status_langs[("RJ", "ru")]["name"] == "Отклонён"
    assert {lid for (sid, lid) in shop.site.sale.status_langs if sid == "RJ"} == {"ru", "en"}


async def test_a_field_of_the_wrong_type_is_reported_and_kept(shop):
    await apply_schema(shop.client)
    inn = field(shop, "B2bCompanies", "UF_INN")
    inn.type = "integer"
    run = await apply_schema(shop.client)
    assert run.plan.steps == ()
    assert [(d.kind, d.target) for d in run.plan.drift] == [("field_type", "B2bCompanies.UF_INN")]
    assert run.report is not None
    assert run.report.commands == 0
    assert field(shop, "B2bCompanies", "UF_INN").type == "integer"
    assert len(shop.site.bridge.fields) == FIELD_COUNT


async def test_a_three_letter_status_code_fails_before_any_request(shop):
    config = SchemaConfig(status_codes={"pending": "PND", "approved": "AP", "rejected": "RJ"})
    with pytest.raises(SchemaConfigError, match="PND"):
        await plan_schema(shop.client, config)
    assert shop.client.stats.requests == 0
    assert shop.app.stats.http_requests == 0


async def test_labels_changed_on_the_site_are_restored_others_kept(shop):
    await apply_schema(shop.client)
    name = field(shop, "B2bCompanies", "UF_NAME")
    name.labels["EDIT_FORM_LABEL"] = {"ru": "Наименование", "en": "Name", "de": "Name"}
    name.settings["SIZE"] = 99
    run = await apply_schema(shop.client)
    assert [s.kind for s in run.plan.steps] == ["update_field"]
    assert run.report is not None
    assert run.report.ok
    assert name.labels["EDIT_FORM_LABEL"] == {"ru": "Название", "en": "Name", "de": "Name"}
    assert str(name.settings["SIZE"]) == "60"


async def test_a_template_edited_by_a_human_is_never_touched(shop):
    await apply_schema(shop.client)
    template = next(
        t
        for t in shop.site.bridge.mail_templates.values()
        if (t.event_name, t.language_id) == ("B2B_ORDER_APPROVED", "ru")
    )
    template.subject = "Ура, заказ #ORDER_NUMBER# согласован"
    run = await apply_schema(shop.client)
    assert run.plan.in_sync
    assert template.subject == "Ура, заказ #ORDER_NUMBER# согласован"


async def test_a_failed_step_skips_what_depends_on_it_and_a_rerun_converges(shop):
    shop.site.bridge.existing_tables.add("b2b_invites")  # a leftover table of an old install
    run = await apply_schema(shop.client)
    assert run.report is not None
    failed = [r.step.key for r in run.report.of("failed")]
    skipped = {r.step.key for r in run.report.of("skipped")}
    assert failed == ["hlblock:B2bInvites"]
    assert "ERROR_HLBLOCK_EXISTS" in run.report.of("failed")[0].detail
    invites = next(b for b in BLOCKS if b.name == "B2bInvites")
    assert skipped == {f"field:B2bInvites.{f.name}" for f in invites.fields} | {
        f"index:B2bInvites.{i.name}" for i in invites.indexes
    }
    assert shop.site.bridge.block_by_name("B2bInvites") is None
    assert shop.site.bridge.block_by_name("B2bDocuments") is not None

    shop.site.bridge.existing_tables.discard("b2b_invites")
    again = await apply_schema(shop.client)
    assert again.report is not None
    assert again.report.ok
    assert len(again.plan.steps) == 1 + len(invites.fields) + len(invites.indexes)
    assert (await plan_schema(shop.client)).plan.in_sync


async def test_active_languages_decide_status_names(shop):
    shop.site.languages.append(Language("kk", "Kazakh", active=True))
    run = await apply_schema(shop.client)
    assert run.report is not None
    assert run.report.ok
    assert shop.site.sale.status_langs[("PA", "kk")]["name"] == "Approval pending"
    assert ("PA", "de") not in shop.site.sale.status_langs


async def test_payer_types_from_config(shop):
    run = await apply_schema(shop.client, SchemaConfig(person_type_ids=(1, 2)))
    assert run.report is not None
    assert run.report.ok
    owners = sorted(
        p["personTypeId"]
        for p in shop.site.sale.properties.values()
        if p["code"] == "B2B_COMPANY_ID"
    )
    assert owners == [1, 2]


async def test_without_the_bridge_nothing_is_planned():
    shop = make_shop(bridge=False, scopes=frozenset({"sale", "b2bsync"}))
    async with shop.client:
        with pytest.raises(BridgeIncompatibleError, match="not installed"):
            await plan_schema(shop.client)
    assert shop.site.sale.statuses.keys() == {"N", "F", "DN", "DF"}


async def test_sale_lists_longer_than_a_page_are_read_to_the_end(shop):
    await apply_schema(shop.client)
    sale = shop.site.sale
    for n in range(40):  # a shop with many statuses: 40 × 2 names push ours past row 50
        code = f"Z{n:x}"
        sale.statuses[code] = {
            "color": None, "id": code, "notify": "N", "sort": 10 + n, "type": "O", "xmlId": code,
        }  # fmt: skip
        for lid in ("ru", "en"):
            sale.status_langs[(code, lid)] = {
                "description": None, "lid": lid, "name": f"Статус {n}", "statusId": code,
            }  # fmt: skip
    run = await plan_schema(shop.client)
    assert run.plan.in_sync, run.plan.lines()
    assert run.read_requests == 3  # the batch, the rest of sale.statusLang.list, fields/indexes
