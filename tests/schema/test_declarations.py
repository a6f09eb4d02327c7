"""The declarations themselves: valid for Bitrix, complete in ru and en, one source of truth."""

from __future__ import annotations

import re

import pytest

from hl_schemas import (
    BLOCKS,
    FIELD_TYPES,
    MAIL_EVENTS,
    ROLE_VALUES,
    AddBlock,
    SchemaConfig,
    SchemaConfigError,
    desired_state,
    is_legal_entity,
    mail_event,
    waves,
)

# DESIGN §3 / bridge/contract/README.md
BLOCK_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
TABLE_NAME = re.compile(r"^[a-z0-9_]{1,64}$")
FIELD_NAME = re.compile(r"^UF_[0-9A-Z_]{1,47}$")
INDEX_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")
PLACEHOLDER = re.compile(r"#([A-Z0-9_]+)#")
BITRIX_FIELDS = {"SITE_NAME", "SERVER_NAME", "DEFAULT_EMAIL_FROM"}

DESIGN_BLOCKS = {
    "B2bCompanies": "b2b_companies",
    "B2bCompanyUsers": "b2b_company_users",
    "B2bInvites": "b2b_invites",
    "B2bDocuments": "b2b_documents",
    "B2bCreditStatus": "b2b_credit_status",
    "OrderComments": "order_comments",
    "B2bNotifications": "b2b_notifications",
    "B2bOrderEvents": "b2b_order_events",
    # who asked to hear of an order's status changes (the cabinet's "follow")
    "B2bOrderFollowers": "b2b_order_followers",
}


def test_the_blocks_of_the_design():
    assert {b.name: b.table for b in BLOCKS} == DESIGN_BLOCKS


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.name)
def test_block_follows_bitrix_rules(block):
    assert BLOCK_NAME.match(block.name)
    assert len(block.name) <= 100
    assert not block.name.lower().endswith("table")
    assert TABLE_NAME.match(block.table)
    names = [f.name for f in block.fields]
    assert len(set(names)) == len(names)
    for f in block.fields:
        assert FIELD_NAME.match(f.name), f.name
        assert not f.name.endswith("_REF")
        assert f.type in FIELD_TYPES
        assert f.label.ru
        assert f.label.en
        assert bool(f.enum) == (f.type == "enumeration"), f.name
        xml_ids = [v.xml_id for v in f.enum]
        assert len(set(xml_ids)) == len(xml_ids)
        assert sum(v.default for v in f.enum) <= 1
        assert all(v.value.ru and v.value.en for v in f.enum)
    assert [f.sort for f in block.fields] == sorted({f.sort for f in block.fields})
    for ix in block.indexes:
        assert INDEX_NAME.match(ix.name)
        assert ix.name != "PRIMARY"
        assert ix.name.startswith(("ux_" if ix.unique else "ix_") + block.table)
        assert len(set(ix.fields)) == len(ix.fields)
        for name in ix.fields:
            assert not block.field(name).multiple


def test_mandatory_fields_of_the_design():
    mandatory = {(b.name, f.name) for b in BLOCKS for f in b.fields if f.mandatory}
    assert ("B2bCompanies", "UF_XML_ID") in mandatory
    assert ("B2bDocuments", "UF_DATE") in mandatory
    assert ("OrderComments", "UF_CREATED_AT") in mandatory
    assert ("B2bCompanies", "UF_INN") not in mandatory
    assert not any(b == "B2bOrderEvents" for b, _ in mandatory)  # written by the bridge's handler


def test_design_indexes():
    indexes = {(b.name, ix.fields, ix.unique) for b in BLOCKS for ix in b.indexes}
    assert ("B2bCompanyUsers", ("UF_COMPANY_ID", "UF_USER_ID"), True) in indexes
    assert ("B2bDocuments", ("UF_COMPANY_ID", "UF_DATE"), False) in indexes
    assert ("B2bNotifications", ("UF_USER_ID", "UF_IS_READ"), False) in indexes
    assert ("B2bNotifications", ("UF_DEDUP_KEY",), True) in indexes
    assert ("B2bCreditStatus", ("UF_COMPANY_ID",), True) in indexes
    assert ("OrderComments", ("UF_ORDER_ID",), False) in indexes


def test_roles_are_one_enumeration():
    users = next(b for b in BLOCKS if b.name == "B2bCompanyUsers").field("UF_ROLE")
    invites = next(b for b in BLOCKS if b.name == "B2bInvites").field("UF_ROLE")
    assert users.enum == invites.enum == ROLE_VALUES
    assert [v.xml_id for v in ROLE_VALUES] == ["owner", "buyer", "accountant", "viewer"]


def test_the_mail_events_of_the_design():
    assert [e.name for e in MAIL_EVENTS] == [
        "B2B_COMPANY_INVITE",
        "B2B_ORDER_CREATED",
        "B2B_ORDER_APPROVAL_REQUIRED",
        "B2B_ORDER_STATUS_CHANGED",
        "B2B_ORDER_APPROVED",
        "B2B_ORDER_REJECTED",
        "B2B_ORDER_COMMENT",
        "B2B_DOCUMENT_READY",
        "B2B_CREDIT_BLOCKED",
    ]


@pytest.mark.parametrize("event", MAIL_EVENTS, ids=lambda e: e.name)
def test_templates_use_only_documented_fields_and_every_field_is_described(event):
    declared = set(event.field_names())
    assert len(declared) == len(event.fields)
    assert "EMAIL_TO" in declared
    for lang in ("ru", "en"):
        template = event.templates[lang]
        used = set(PLACEHOLDER.findall(template.subject + template.body + event.email_to))
        assert used <= declared | BITRIX_FIELDS, (lang, used - declared - BITRIX_FIELDS)
        description = event.description(lang)
        for name in declared:
            assert f"#{name}#" in description
        assert event.title.get(lang)
    assert mail_event(event.name) is event


def test_config_errors_are_reported_before_anything_is_sent():
    with pytest.raises(SchemaConfigError, match="status_pending: status id 'PND' must be 1–2"):
        desired_state(
            SchemaConfig(status_codes={"pending": "PND", "approved": "AP", "rejected": "RJ"})
        )
    with pytest.raises(SchemaConfigError, match="must differ"):
        desired_state(
            SchemaConfig(status_codes={"pending": "PA", "approved": "pa", "rejected": "RJ"})
        )
    with pytest.raises(SchemaConfigError, match="system status"):
        desired_state(
            SchemaConfig(status_codes={"pending": "N", "approved": "AP", "rejected": "RJ"})
        )
    with pytest.raises(SchemaConfigError, match="Latin letters or digits"):
        desired_state(
            SchemaConfig(status_codes={"pending": "П", "approved": "AP", "rejected": "RJ"})
        )
    with pytest.raises(SchemaConfigError, match="language 'de'"):
        desired_state(SchemaConfig(language="de"))
    with pytest.raises(SchemaConfigError, match="'rejected' is missing"):
        desired_state(SchemaConfig(status_codes={"pending": "PA", "approved": "AP"}))


def test_default_config():
    desired = desired_state()
    assert [(s.key, s.code, s.xml_id) for s in desired.statuses] == [
        ("pending", "PA", "APPROVAL_PENDING"),
        ("approved", "AP", "APPROVED"),
        ("rejected", "RJ", "REJECTED"),
    ]
    assert desired.order_property.code == "B2B_COMPANY_ID"


@pytest.mark.parametrize(
    ("row", "legal"),
    [
        ({"name": "Юридическое лицо", "xmlId": "", "code": ""}, True),
        ({"name": "Юр. лицо", "xmlId": "", "code": ""}, True),
        ({"name": "Организация", "xmlId": "", "code": ""}, True),
        ({"name": "Legal entity", "xmlId": "", "code": ""}, True),
        ({"name": "Покупатели", "xmlId": "LEGAL", "code": ""}, True),
        ({"name": "Покупатели", "xmlId": "bx_1", "code": "b2b"}, True),
        ({"name": "Физическое лицо", "xmlId": "", "code": ""}, False),
        ({"name": "Individual", "xmlId": "PERSON", "code": "FL"}, False),
        ({"name": "Юридическое лицо", "xmlId": "", "code": "", "active": "N"}, False),
    ],
)
def test_legal_entity_rule(row, legal):
    assert is_legal_entity(row) is legal


def test_waves_keep_order_and_refuse_cycles():
    a = AddBlock(key="a")
    b = AddBlock(key="b", after=("a",))
    c = AddBlock(key="c", after=("b", "not-in-plan"))
    d = AddBlock(key="d")
    assert waves([a, b, c, d]) == [[a, d], [b], [c]]
    with pytest.raises(ValueError, match="cycle"):
        waves([AddBlock(key="x", after=("y",)), AddBlock(key="y", after=("x",))])
