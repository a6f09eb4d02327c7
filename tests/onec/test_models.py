"""Normalised models, the record builder and the file-name helper."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from onec_client import (
    Counterparty,
    CreditStatus,
    DocType,
    Document,
    DocumentFile,
    Normaliser,
    Quarantined,
    parse_doc_type,
    safe_file_stem,
)

from .conftest import MSK

GUID = "e4b06ce6-0741-47a8-bce4-2c8218072e8c"
OWNER = "5804f922-8386-4a29-a78a-5aa33b6fe507"
NORM = Normaliser(MSK)


def _doc_fields(**overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "guid": GUID,
        "counterparty": OWNER,
        "type": "СчетНаОплатуКлиенту",
        "number": "СЧ-00017   ",
        "date": "2024-03-01T10:15:00",
        "amount": Decimal("12345.60"),
        "currency": "руб.",
        "order_ref": "00000000-0000-0000-0000-000000000000",
        "has_file": True,
        "deleted": False,
        "changed_at": "2024-03-02T00:00:00",
    }
    fields.update(overrides)
    return fields


def test_a_document_with_every_1c_habit_normalises():
    item = NORM.document(_doc_fields(), "raw")
    assert isinstance(item, Document)
    assert item.number == "СЧ-00017"
    assert item.number_display == "СЧ-00017   "
    assert item.type is DocType.invoice
    assert item.date == datetime(2024, 3, 1, 10, 15, tzinfo=MSK)
    assert item.currency == "RUB"
    assert item.order_ref is None
    assert item.key == GUID
    assert item.changed_at == datetime(2024, 3, 2, tzinfo=MSK)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"counterparty": "00000000-0000-0000-0000-000000000000"}, "counterparty: document's"),
        ({"date": "0001-01-01T00:00:00"}, "date: document date is missing"),
        ({"amount": "сто рублей"}, "amount: not an amount"),
        ({"amount": [1, 2]}, "amount: expected an amount, got a list"),
        ({"type": "ЗаказКлиента"}, "type: unknown document type"),
        ({"number": "   "}, "number: document number is blank"),
        ({"guid": "not-a-guid"}, "guid: not a GUID"),
        ({"currency": {"Код": "643"}}, "currency: expected text"),
    ],
)
def test_bad_documents_are_quarantined_with_a_one_line_reason(overrides, reason):
    item = NORM.document(_doc_fields(**overrides), lambda: "<raw/>", "file.xml:12")
    assert isinstance(item, Quarantined)
    assert item.reason.startswith(reason)
    assert "\n" not in item.reason
    assert item.raw == "<raw/>"
    assert item.origin == "file.xml:12"
    assert item.kind == "document"
    assert item.changed_at == datetime(2024, 3, 2, tzinfo=MSK)


def test_quarantined_keeps_the_key_when_it_can_be_read():
    item = NORM.document(_doc_fields(amount="x"), "raw")
    assert isinstance(item, Quarantined)
    assert item.key == GUID
    item = NORM.document(_doc_fields(guid="НЕ-GUID"), "raw")
    assert isinstance(item, Quarantined)
    assert item.key == "НЕ-GUID"


def test_a_document_of_another_counterparty_is_quarantined():
    item = NORM.document(_doc_fields(), "raw", expected_counterparty=GUID)
    assert isinstance(item, Quarantined)
    assert "belongs to" in item.reason


def test_counterparty_active_comes_from_the_deletion_mark():
    item = NORM.counterparty(
        {"guid": GUID, "name": ' ООО  "Ромашка" ', "inn": "7707083893", "deleted": "true"}, "raw"
    )
    assert isinstance(item, Counterparty)
    assert item.active is False
    assert item.name == 'ООО "Ромашка"'
    bad = NORM.counterparty({"guid": GUID, "name": "X", "inn": "123"}, "raw")
    assert isinstance(bad, Quarantined)
    assert bad.reason.startswith("inn: ИНН must be 10 or 12 digits")


def test_credit_status_flags():
    item = NORM.credit(
        {
            "counterparty": OWNER,
            "limit": Decimal(300000),
            "used": "345 000,00",
            "overdue_amount": Decimal("86250.00"),
            "overdue_since": "0001-01-01T00:00:00",
            "currency": "643",
            "as_of": "2024-07-01T08:00:00",
        },
        "raw",
    )
    assert isinstance(item, CreditStatus)
    assert item.over_limit
    assert item.overdue
    assert item.available == Decimal("-45000.00")
    assert item.overdue_since is None
    assert item.key == OWNER
    assert item.changed_at == datetime(2024, 7, 1, 8, tzinfo=MSK)
    unlimited = NORM.credit({"counterparty": OWNER, "limit": None, "used": 5}, "raw")
    assert isinstance(unlimited, CreditStatus)
    assert not unlimited.over_limit
    assert unlimited.available is None
    advance = NORM.credit({"counterparty": OWNER, "limit": "100000", "used": "-15000,50"}, "raw")
    assert isinstance(advance, CreditStatus), "a negative debt is an advance payment"
    assert advance.used == Decimal("-15000.50")
    assert advance.prepaid == Decimal("15000.50")
    assert advance.available == Decimal("115000.50")
    assert not advance.over_limit
    assert not advance.overdue
    for name in ("limit", "overdue_amount"):
        negative = NORM.credit({"counterparty": OWNER, name: "-1"}, "raw")
        assert isinstance(negative, Quarantined)
        assert negative.reason == f"{name}: negative amount -1"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1e999999", "amount: amount '1e999999' is out of range"),
        (Decimal("1E+999999"), "amount: amount '1E+999999' is out of range"),
        ("10000000000000", "amount: amount '10000000000000' is out of range"),
        ("-1e13", "amount: amount '-1e13' is out of range"),
        ("NaN", "amount: not a finite amount: 'NaN'"),
        ("inf", "amount: not a finite amount: 'inf'"),
        (Decimal("-Infinity"), "amount: not a finite amount: '-Infinity'"),
    ],
)
def test_non_finite_and_absurd_amounts_are_quarantined(raw, reason):
    doc = NORM.document(
        {
            "guid": GUID,
            "counterparty": OWNER,
            "type": "Счет на оплату",
            "number": "12",
            "date": "2024-07-01T08:00:00",
            "amount": raw,
        },
        "raw",
    )
    assert isinstance(doc, Quarantined)
    assert doc.reason.startswith(reason)
    assert doc.key == GUID
    credit = NORM.credit({"counterparty": OWNER, "used": raw}, "raw")
    assert isinstance(credit, Quarantined)
    assert credit.reason.startswith(reason.replace("amount:", "used:", 1))
    top = NORM.credit({"counterparty": OWNER, "used": "9999999999999.99"}, "raw")
    assert isinstance(top, CreditStatus)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Счет на оплату", DocType.invoice),
        ("Отпуск товара", DocType.waybill),
        ("РеализацияТоваровУслуг", DocType.waybill),
        ("Сверка взаиморасчетов", DocType.reconciliation),
        ("УПД", DocType.upd),
        ("Счет-фактура", DocType.upd),
        ("АктВыполненныхРабот", DocType.act),
        ("waybill", DocType.waybill),
    ],
)
def test_document_kinds_from_1c_names(name, kind):
    assert parse_doc_type(name) is kind


def test_configured_document_kind_names_win():
    assert parse_doc_type("Отгрузка", {"отгрузка": DocType.waybill}) is DocType.waybill
    with pytest.raises(ValueError, match="unknown document type"):
        parse_doc_type("Отгрузка")


@pytest.mark.parametrize(
    "number", ["../../etc/passwd", "a/b", "a\\b", "..", ".", "x\x00y", "", "  ", "C:\\x", "a\nb"]
)
def test_path_like_numbers_are_representable_but_get_safe_stems(number):
    stem = safe_file_stem(number)
    assert stem
    assert "/" not in stem
    assert "\\" not in stem
    assert "\x00" not in stem
    assert not stem.startswith(".")
    assert stem not in (".", "..")
    assert len(stem) <= 100
    if number.strip():
        doc = NORM.document(_doc_fields(number=number), "raw")
        assert isinstance(doc, Document)
        assert doc.number == number.strip(" \t\r\n\u00a0")
        assert doc.number_is_path_safe is False
        assert doc.file_stem == stem


def test_safe_stems_keep_ordinary_numbers_and_never_collide_after_sanitising():
    assert safe_file_stem("СЧ-00017") == "СЧ-00017"
    assert safe_file_stem("ТД00.000123_1") == "ТД00.000123_1"
    assert safe_file_stem("a/b") != safe_file_stem("a_b")
    assert safe_file_stem("a/b") != safe_file_stem("a:b")
    assert safe_file_stem("x" * 500).startswith("x" * 80)


def test_models_refuse_naive_datetimes_and_zero_guids():
    with pytest.raises(ValidationError):
        Counterparty(guid=GUID, name="X", changed_at=datetime(2024, 1, 1))
    with pytest.raises(ValidationError):
        Counterparty(guid="00000000-0000-0000-0000-000000000000", name="X")


async def test_a_document_file_streams_once():
    async def chunks():
        yield b"%PDF-"
        yield b""
        yield b"1.4"

    file = DocumentFile.streaming(chunks(), document_guid=GUID, content_type="application/pdf")
    assert await file.read() == b"%PDF-1.4"
    with pytest.raises(RuntimeError, match="only once"):
        await file.read()


def test_json_forms():
    doc = NORM.document(_doc_fields(), "raw")
    assert isinstance(doc, Document)
    assert doc.as_json()["kind"] == "document"
    assert doc.as_json()["amount"] == "12345.60"
    bad = NORM.document(_doc_fields(amount="x"), "raw")
    assert bad.as_json()["quarantined"].startswith("amount:")
