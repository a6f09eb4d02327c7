"""The planner on hand-built live states: what it adds, updates, and leaves to a human."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from hl_schemas import (
    BLOCKS,
    MAIL_EVENTS,
    AddBlock,
    AddField,
    AddOrderProperty,
    AddPropertyGroup,
    AddStatus,
    AddStatusLang,
    DeclareBlocks,
    EnsureIndex,
    EnsureMailTemplate,
    EnsureMailType,
    LiveEnumValue,
    LiveIndex,
    LiveLanguage,
    LiveMailTemplate,
    LivePersonType,
    LiveProperty,
    LivePropertyGroup,
    LiveStatus,
    LiveStatusLang,
    ReplaceStatusLang,
    SchemaConfig,
    UpdateBlockLang,
    UpdateField,
    desired_state,
    plan,
)

from ._live import block_of, empty_site, synced_site, with_block, with_field, without_field

DESIRED = desired_state()
FIELD_COUNT = sum(len(b.fields) for b in BLOCKS)
INDEX_COUNT = sum(len(b.indexes) for b in BLOCKS)


def kinds(steps) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in steps:
        out[s.kind] = out.get(s.kind, 0) + 1
    return out


def test_an_empty_site_gets_everything_and_no_drift():
    result = plan(DESIRED, empty_site())
    assert result.drift == ()
    assert kinds(result.steps) == {
        "add_hlblock": 9,
        "add_field": FIELD_COUNT,
        "ensure_index": INDEX_COUNT,
        "add_status": 3,
        "add_status_lang": 6,  # ru and en are active, de is not
        "add_property_group": 1,
        "add_order_property": 1,
        "ensure_mail_type": 2 * len(MAIL_EVENTS),
        "ensure_mail_template": 2 * len(MAIL_EVENTS),
    }
    assert len({s.key for s in result.steps}) == len(result.steps)


def test_new_things_wait_for_what_they_belong_to():
    result = plan(DESIRED, empty_site())
    field = result.step("field:B2bCompanies.UF_XML_ID")
    assert isinstance(field, AddField)
    assert field.after == ("hlblock:B2bCompanies",)
    assert field.block_id == 0
    index = result.step("index:B2bCompanyUsers.ux_b2b_company_users_company_user")
    assert index.after == (
        "hlblock:B2bCompanyUsers",
        "field:B2bCompanyUsers.UF_COMPANY_ID",
        "field:B2bCompanyUsers.UF_USER_ID",
    )
    assert result.step("status_lang:PA:ru").after == ("status:PA",)
    prop = result.step("order_property:1")
    assert isinstance(prop, AddOrderProperty)
    assert prop.after == ("property_group:1",)
    assert prop.fields["util"] == "Y"
    assert prop.fields["type"] == "STRING"
    assert result.step("mail_template:B2B_COMPANY_INVITE:s1:ru").after == (
        "mail_type:B2B_COMPANY_INVITE:ru",
        "mail_type:B2B_COMPANY_INVITE:en",
    )


def test_field_spec_carries_type_flags_labels_settings_and_values():
    step = plan(DESIRED, empty_site()).step("field:B2bCompanyUsers.UF_ROLE")
    assert isinstance(step, AddField)
    spec = step.spec
    assert spec["USER_TYPE_ID"] == "enumeration"
    assert spec["MANDATORY"] == "Y"
    assert spec["MULTIPLE"] == "N"
    assert spec["EDIT_FORM_LABEL"] == {"ru": "Роль", "en": "Role"}
    assert spec["LIST_COLUMN_LABEL"] == {"ru": "Роль", "en": "Role"}
    assert spec["LIST_FILTER_LABEL"] == {"ru": "Роль", "en": "Role"}
    assert [(i["XML_ID"], i["VALUE"]) for i in spec["LIST"]] == [
        ("owner", "Владелец"),
        ("buyer", "Закупщик"),
        ("accountant", "Бухгалтер"),
        ("viewer", "Наблюдатель"),
    ]
    english = desired_state(SchemaConfig(language="en"))
    spec_en = plan(english, empty_site()).step("field:B2bCompanyUsers.UF_ROLE").spec
    assert [i["VALUE"] for i in spec_en["LIST"]] == ["Owner", "Buyer", "Accountant", "Viewer"]


def test_a_synced_site_plans_nothing():
    live = synced_site(DESIRED)
    result = plan(DESIRED, live)
    assert result.in_sync, result.lines()
    assert plan(DESIRED, live) == result


def test_one_missing_field_is_exactly_one_step():
    live = without_field(synced_site(DESIRED), "B2bDocuments", "UF_HASH")
    result = plan(DESIRED, live)
    assert result.drift == ()
    assert len(result.steps) == 1
    step = result.steps[0]
    assert isinstance(step, AddField)
    assert (step.block, step.block_id, step.after) == ("B2bDocuments", 4, ())
    assert step.spec["FIELD_NAME"] == "UF_HASH"


def test_a_missing_index_field_brings_the_field_then_the_index():
    live = synced_site(DESIRED)
    lb = block_of(live, "B2bDocuments")
    live = with_block(
        live,
        replace(
            lb,
            fields=tuple(f for f in lb.fields if f.name != "UF_DATE"),
            indexes=tuple(i for i in lb.indexes if "UF_DATE" not in i.fields),
        ),
    )
    result = plan(DESIRED, live)
    assert [s.key for s in result.steps] == [
        "field:B2bDocuments.UF_DATE",
        "index:B2bDocuments.ix_b2b_documents_company_date",
    ]
    assert result.steps[1].after == ("field:B2bDocuments.UF_DATE",)


def test_one_missing_status_language_is_exactly_one_step():
    live = synced_site(DESIRED)
    live = replace(
        live,
        status_langs=tuple(s for s in live.status_langs if (s.status_id, s.lid) != ("AP", "en")),
    )
    result = plan(DESIRED, live)
    assert result.drift == ()
    assert len(result.steps) == 1
    step = result.steps[0]
    assert isinstance(step, AddStatusLang)
    assert (step.status_id, step.lid, step.name, step.after) == ("AP", "en", "Approved", ())


def test_a_changed_status_name_is_replaced():
    live = synced_site(DESIRED)
    names = tuple(
        replace(s, name="Ждёт") if (s.status_id, s.lid) == ("PA", "ru") else s
        for s in live.status_langs
    )
    result = plan(DESIRED, replace(live, status_langs=names))
    assert len(result.steps) == 1
    step = result.steps[0]
    assert isinstance(step, ReplaceStatusLang)
    assert (step.old_name, step.name) == ("Ждёт", "Ожидает согласования")
    assert "delete + add" in step.describe()


def test_status_names_only_for_active_languages_other_languages_get_english():
    live = synced_site(DESIRED)
    live = replace(
        live, languages=(LiveLanguage("de"), LiveLanguage("en", active=False), LiveLanguage("ru"))
    )
    result = plan(DESIRED, live)
    assert {(s.status_id, s.lid) for s in result.steps if isinstance(s, AddStatusLang)} == {
        ("PA", "de"),
        ("AP", "de"),
        ("RJ", "de"),
    }
    assert result.step("status_lang:PA:de").name == "Approval pending"


def test_wrong_field_type_is_drift_and_nothing_is_planned_for_it():
    live = with_field(synced_site(DESIRED), "B2bCompanies", "UF_INN", type="integer")
    result = plan(DESIRED, live)
    assert result.steps == ()
    assert [(d.kind, d.target) for d in result.drift] == [("field_type", "B2bCompanies.UF_INN")]
    assert "is integer, b2bsync needs string" in result.drift[0].message


def test_an_index_over_a_retyped_field_is_blocked_not_attempted():
    live = with_field(synced_site(DESIRED), "B2bCompanies", "UF_XML_ID", type="integer")
    lb = block_of(live, "B2bCompanies")
    live = with_block(live, replace(lb, indexes=()))
    result = plan(DESIRED, live)
    assert result.steps == ()
    assert [d.kind for d in result.drift] == ["field_type", "index_blocked"]


def test_multiple_and_mandatory_mismatches_are_drift():
    live = with_field(
        synced_site(DESIRED), "B2bInvites", "UF_EMAIL", multiple=True, mandatory=False
    )
    result = plan(DESIRED, live)
    assert result.steps == ()
    assert sorted(d.kind for d in result.drift) == ["field_mandatory", "field_multiple"]


def test_changed_labels_and_settings_are_updated_keeping_the_sites_other_settings():
    live = synced_site(DESIRED)
    lf = next(f for f in block_of(live, "B2bCompanies").fields if f.name == "UF_ACTIVE")
    labels = {**lf.labels, "LIST_COLUMN_LABEL": {"ru": "Активна", "en": "On"}}
    settings = {**lf.settings, "DEFAULT_VALUE": "0"}
    live = with_field(live, "B2bCompanies", "UF_ACTIVE", labels=labels, settings=settings)
    result = plan(DESIRED, live)
    assert result.drift == ()
    (step,) = result.steps
    assert isinstance(step, UpdateField)
    assert step.field_id == lf.id
    assert dict(step.changes) == {
        "LIST_COLUMN_LABEL": {"ru": "Активна", "en": "Active"},
        "SETTINGS": {"DEFAULT_VALUE": 1, "DISPLAY": "CHECKBOX", "EXTRA_DEFAULT": 7},
    }


def test_php_style_setting_values_compare_equal():
    live = synced_site(DESIRED)
    php = {"SIZE": "12", "ROWS": 1.0, "MAX_LENGTH": "12", "REGEXP": ""}
    live = with_field(live, "B2bCompanies", "UF_INN", settings=php)
    assert plan(DESIRED, live).in_sync


def test_enumeration_values_are_added_and_renamed_never_removed():
    live = synced_site(DESIRED)
    lf = next(f for f in block_of(live, "B2bInvites").fields if f.name == "UF_STATUS")
    enum = (
        *(
            replace(v, value="В ожидании") if v.xml_id == "pending" else v
            for v in lf.enum
            if v.xml_id != "expired"
        ),
        LiveEnumValue(99, "archived", "Архив", 90),
    )
    live = with_field(live, "B2bInvites", "UF_STATUS", enum=enum)
    result = plan(DESIRED, live)
    (step,) = result.steps
    assert isinstance(step, UpdateField)
    assert list(step.changes["LIST"]) == [
        {"XML_ID": "pending", "VALUE": "Ожидает"},
        {"XML_ID": "expired", "VALUE": "Истекло", "SORT": 40, "DEF": "N"},
    ]
    assert result.drift == ()


def test_unknown_fields_blocks_and_enum_values_are_not_drift():
    live = synced_site(DESIRED)
    lb = block_of(live, "B2bCompanies")
    extra = replace(lb.fields[0], id=500, name="UF_SHOP_NOTE", type="string")
    live = with_block(live, replace(lb, fields=(*lb.fields, extra)))
    other = replace(lb, id=77, name="ShopBanners", table="shop_banners", fields=(), indexes=())
    live = replace(live, blocks=(*live.blocks, other))
    assert plan(DESIRED, live).in_sync


def test_block_names_are_updated():
    live = synced_site(DESIRED)
    lb = block_of(live, "OrderComments")
    live = with_block(live, replace(lb, lang={"ru": "Комментарии", "en": "Order comments"}))
    (step,) = plan(DESIRED, live).steps
    assert isinstance(step, UpdateBlockLang)
    assert (step.block_id, dict(step.lang)) == (lb.id, {"ru": "Комментарии к заказам"})


def test_a_table_taken_by_another_block_is_drift():
    live = synced_site(DESIRED)
    blocks = tuple(
        replace(b, name="Invitations", fields=()) if b.name == "B2bInvites" else b
        for b in live.blocks
    )
    result = plan(DESIRED, replace(live, blocks=blocks))
    assert result.steps == ()
    assert [(d.kind, d.target) for d in result.drift] == [("hlblock_table", "B2bInvites")]


def test_index_conflicts_are_drift_and_an_equal_index_under_another_name_counts():
    live = synced_site(DESIRED)
    lb = block_of(live, "B2bCompanyUsers")
    indexes = (
        LiveIndex("ux_b2b_company_users_company_user", ("UF_USER_ID", "UF_COMPANY_ID"), True),
        LiveIndex("my_user_index", ("UF_USER_ID",), False),
        LiveIndex("ix_b2b_company_users_updated", ("UF_UPDATED_AT",), False),
    )
    result = plan(DESIRED, with_block(live, replace(lb, indexes=indexes)))
    assert result.steps == ()
    assert [(d.kind, d.target) for d in result.drift] == [
        ("index_conflict", "B2bCompanyUsers.ux_b2b_company_users_company_user")
    ]


def test_missing_index_on_existing_fields():
    live = synced_site(DESIRED)
    lb = block_of(live, "OrderComments")
    (step,) = plan(DESIRED, with_block(live, replace(lb, indexes=()))).steps
    assert isinstance(step, EnsureIndex)
    assert (step.block_id, step.name, step.fields, step.unique, step.after) == (
        lb.id,
        "ix_order_comments_order",
        ("UF_ORDER_ID",),
        False,
        (),
    )


# -- statuses --------------------------------------------------------------------------------


def test_configured_codes_are_used():
    desired = desired_state(
        SchemaConfig(status_codes={"pending": "WA", "approved": "OK", "rejected": "NO"})
    )
    result = plan(desired, empty_site())
    added = [s for s in result.steps if isinstance(s, AddStatus)]
    assert [(s.fields["id"], s.fields["xmlId"]) for s in added] == [
        ("WA", "APPROVAL_PENDING"),
        ("OK", "APPROVED"),
        ("NO", "REJECTED"),
    ]
    assert added[0].fields["notify"] == "N"
    assert added[0].fields["color"] == "#FFAA00"


def test_a_status_of_another_type_is_drift():
    live = synced_site(DESIRED)
    statuses = tuple(replace(s, type="D") if s.id == "RJ" else s for s in live.statuses)
    result = plan(DESIRED, replace(live, statuses=statuses))
    assert result.steps == ()
    assert [(d.kind, d.target) for d in result.drift] == [("status_type", "status RJ")]


def test_a_code_taken_by_someone_elses_status_is_drift():
    live = synced_site(DESIRED)
    statuses = tuple(replace(s, xml_id="bx_65af") if s.id == "AP" else s for s in live.statuses)
    result = plan(DESIRED, replace(live, statuses=statuses))
    assert result.steps == ()
    assert [(d.kind, d.target) for d in result.drift] == [("status_xml_id", "status AP")]


def test_a_symbolic_name_already_under_another_code_is_not_duplicated():
    live = synced_site(DESIRED)
    desired = desired_state(
        SchemaConfig(status_codes={"pending": "WA", "approved": "AP", "rejected": "RJ"})
    )
    result = plan(desired, live)
    assert result.steps == ()
    (drift,) = result.drift
    assert (drift.kind, drift.target) == ("status_xml_id", "status WA")
    assert "set bitrix.status_pending = 'PA'" in drift.message


def test_status_codes_compare_case_insensitively():
    live = synced_site(DESIRED)
    desired = desired_state(
        SchemaConfig(status_codes={"pending": "pa", "approved": "AP", "rejected": "RJ"})
    )
    assert plan(desired, live).in_sync


# -- the order property ----------------------------------------------------------------------


def test_an_existing_group_is_used_for_the_property():
    live = empty_site(
        property_groups=(
            LivePropertyGroup(7, 1, "Реквизиты", 200),
            LivePropertyGroup(3, 1, "Контакты", 300),
        )
    )
    result = plan(DESIRED, live)
    assert not [s for s in result.steps if isinstance(s, AddPropertyGroup)]
    prop = result.step("order_property:1")
    assert prop.after == ()
    assert prop.fields["propsGroupId"] == 7


def test_configured_payer_types_and_unknown_ones():
    desired = desired_state(SchemaConfig(person_type_ids=(2, 9)))
    result = plan(desired, empty_site())
    assert [s.person_type_id for s in result.steps if isinstance(s, AddOrderProperty)] == [2]
    assert [(d.kind, d.target) for d in result.drift] == [("payer_type", "payer type 9")]


def test_no_legal_entity_payer_type_is_drift():
    result = plan(DESIRED, empty_site(person_types=(LivePersonType(2, "Физическое лицо"),)))
    assert not [s for s in result.steps if isinstance(s, AddOrderProperty)]
    assert [d.kind for d in result.drift] == ["payer_type"]


def test_property_problems_are_drift_never_fixed():
    live = synced_site(DESIRED)
    live = replace(
        live,
        properties=(
            LiveProperty(4, 1, "B2B_COMPANY_ID", type="NUMBER", active=False, util=False),
            LiveProperty(9, 1, "B2B_COMPANY_ID"),
        ),
    )
    result = plan(DESIRED, live)
    assert result.steps == ()
    assert [d.kind for d in result.drift] == [
        "property_duplicate",
        "property_type",
        "property_inactive",
        "property_visible",
    ]
    assert "uses ID 4" in result.drift[0].message


# -- mail ------------------------------------------------------------------------------------


def test_an_edited_or_foreign_template_is_left_alone():
    live = synced_site(DESIRED)
    templates = []
    for t in live.mail_templates:
        if (t.event_name, t.language_id) == ("B2B_ORDER_CREATED", "ru"):
            templates.append(replace(t, content={**t.content, "SUBJECT": "правка"}, edited=True))
        elif (t.event_name, t.language_id) == ("B2B_ORDER_APPROVED", "en"):
            templates.append(replace(t, content={**t.content, "SUBJECT": "mine"}, managed=False))
        else:
            templates.append(t)
    assert plan(DESIRED, replace(live, mail_templates=tuple(templates))).in_sync


def test_our_unedited_template_with_old_text_is_updated():
    live = synced_site(DESIRED)
    templates = tuple(
        replace(t, content={**t.content, "MESSAGE": "old text"})
        if (t.event_name, t.language_id) == ("B2B_DOCUMENT_READY", "en")
        else t
        for t in live.mail_templates
    )
    (step,) = plan(DESIRED, replace(live, mail_templates=templates)).steps
    assert isinstance(step, EnsureMailTemplate)
    assert step.update
    assert (step.fields["EVENT_NAME"], step.fields["LANGUAGE_ID"]) == ("B2B_DOCUMENT_READY", "en")


def test_a_template_without_language_covers_every_language():
    live = synced_site(DESIRED)
    kept = tuple(t for t in live.mail_templates if t.event_name != "B2B_CREDIT_BLOCKED")
    shared = LiveMailTemplate(500, "B2B_CREDIT_BLOCKED", ("s1",), None, {"SUBJECT": "x"})
    assert plan(DESIRED, replace(live, mail_templates=(*kept, shared))).in_sync
    other_site = replace(shared, sites=("s2",))
    result = plan(DESIRED, replace(live, mail_templates=(*kept, other_site)))
    assert [s.key for s in result.steps] == [
        "mail_template:B2B_CREDIT_BLOCKED:s1:ru",
        "mail_template:B2B_CREDIT_BLOCKED:s1:en",
    ]
    assert all(s.after == () for s in result.steps)


def test_mail_type_descriptions_document_the_fields_and_are_updated():
    live = synced_site(DESIRED)
    types = tuple(
        replace(t, description="старое")
        if (t.event_name, t.lid) == ("B2B_ORDER_COMMENT", "ru")
        else t
        for t in live.mail_types
    )
    (step,) = plan(DESIRED, replace(live, mail_types=types)).steps
    assert isinstance(step, EnsureMailType)
    assert step.update
    description = step.fields["DESCRIPTION"]
    for name in ("EMAIL_TO", "ORDER_NUMBER", "AUTHOR_NAME", "COMMENT_TEXT", "ORDER_URL"):
        assert f"#{name}#" in description


def test_mail_only_for_languages_the_site_has():
    live = empty_site(languages=(LiveLanguage("ru"),))
    result = plan(DESIRED, live)
    mail = [s for s in result.steps if isinstance(s, EnsureMailType | EnsureMailTemplate)]
    assert {
        s.fields.get("LID") if isinstance(s, EnsureMailType) else s.fields["LANGUAGE_ID"]
        for s in mail
    } == {"ru"}


def test_template_site_comes_from_config_or_the_bridge():
    desired = desired_state(SchemaConfig(site_id="b2"))
    step = plan(desired, empty_site()).step("mail_template:B2B_COMPANY_INVITE:b2:ru")
    assert step.fields["LID"] == "b2"


# -- output ----------------------------------------------------------------------------------


def test_plan_is_json_and_lines():
    live = with_field(synced_site(DESIRED), "B2bCompanies", "UF_INN", type="integer")
    live = without_field(live, "B2bCompanies", "UF_KPP")
    result = plan(DESIRED, live)
    data = json.loads(json.dumps(result.to_json(), ensure_ascii=False))
    assert data["in_sync"] is False
    assert data["steps"][0]["kind"] == "add_field"
    assert data["steps"][0]["field"]["FIELD_NAME"] == "UF_KPP"
    assert data["drift"] == [
        {
            "kind": "field_type",
            "target": "B2bCompanies.UF_INN",
            "message": result.drift[0].message,
        }
    ]
    assert result.lines() == [
        "+ field B2bCompanies.UF_KPP string",
        f"! B2bCompanies.UF_INN: {result.drift[0].message}",
    ]


def test_block_adds_are_json():
    step = plan(DESIRED, empty_site()).step("hlblock:B2bCompanies")
    assert isinstance(step, AddBlock)
    assert step.to_json() == {
        "kind": "add_hlblock",
        "key": "hlblock:B2bCompanies",
        "after": [],
        "description": "+ hlblock B2bCompanies (table b2b_companies)",
        "name": "B2bCompanies",
        "table": "b2b_companies",
        "lang": {"ru": "B2B: компании", "en": "B2B: companies"},
    }


@pytest.mark.parametrize(
    "status", [LiveStatus("PA", "O", "APPROVAL_PENDING"), LiveStatus("pa", "O", "APPROVAL_PENDING")]
)
def test_status_names_go_to_the_live_id(status):
    live = empty_site(statuses=(status,), status_langs=(LiveStatusLang(status.id, "ru", "x"),))
    result = plan(DESIRED, live)
    assert result.step("status_lang:PA:ru").status_id == status.id
    assert result.step("status_lang:PA:en").status_id == status.id


def test_a_bridge_with_access_control_is_told_the_blocks_first():
    result = plan(DESIRED, empty_site(usable_blocks=()))
    first = result.steps[0]
    assert isinstance(first, DeclareBlocks)
    assert first.names == tuple(b.name for b in BLOCKS)
    assert kinds(result.steps)["declare_hlblocks"] == 1
    assert result.drift == ()


def test_declared_blocks_are_not_declared_again():
    synced = synced_site(DESIRED)
    names = tuple(b.name for b in BLOCKS)
    assert plan(DESIRED, replace(synced, usable_blocks=names)).steps == ()
    gone = replace(synced, usable_blocks=names, blocks=synced.blocks[1:])
    result = plan(DESIRED, gone)
    assert isinstance(result.steps[0], AddBlock), "B2bCompanies was declared already"


def test_an_existing_block_the_bridge_does_not_serve_is_drift():
    synced = synced_site(DESIRED)
    others = tuple(b.name for b in BLOCKS if b.name != "B2bCompanies")
    result = plan(DESIRED, replace(synced, usable_blocks=others))
    assert result.steps == ()
    (drift,) = result.drift
    assert (drift.kind, drift.target) == ("hlblock_access", "B2bCompanies")
    assert "module settings page (Access tab)" in drift.message
