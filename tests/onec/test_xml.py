"""The streaming reader of export files: CommerceML, plain XML, encodings and hostile input."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from onec_client import (
    Counterparty,
    CreditStatus,
    DocType,
    Document,
    ExportFileError,
    Quarantined,
    read_export,
    sniff_format,
)
from onec_client.fake import ExportStyle, generate, write_commerceml

from .conftest import FIXTURES, MSK

HOSTILE = FIXTURES / "hostile"


def _read(path: Path, **kwargs):
    return list(read_export(path, MSK, **kwargs))


def test_ut11_commerceml_with_bom():
    items = _read(FIXTURES / "ut11-documents.xml")
    assert sniff_format(FIXTURES / "ut11-documents.xml") == "commerceml"
    assert not [i for i in items if isinstance(i, Quarantined)]
    parties = [i for i in items if isinstance(i, Counterparty)]
    docs = {i.guid: i for i in items if isinstance(i, Document)}
    assert [p.name for p in parties] == [
        "Стройснаб-Урал ООО",
        "УЗМК АО",
        "Кузнецов Дмитрий Александрович ИП",
    ]
    assert parties[2].inn == "667102345678"
    assert parties[2].kpp is None
    assert all(p.changed_at == datetime(2024, 4, 1, 9, 30, 12, tzinfo=MSK) for p in parties)
    invoice = docs["db7262bf-7193-4303-85b1-d68bc7cccf65"]
    assert invoice.type is DocType.invoice
    assert invoice.number == "ТДУТ-000123"
    assert invoice.date == datetime(2024, 3, 4, 10, 12, 45, tzinfo=MSK)
    assert invoice.amount == Decimal("158400.00")
    assert invoice.currency == "RUB"
    assert invoice.order_ref == "ЗКУТ-000457"
    assert invoice.counterparty_guid == "28bae87c-4fa1-4824-a069-4dd36d73529e"
    waybill = docs["49957562-5323-48b9-a9a1-5a613f1ef21c"]
    assert waybill.type is DocType.waybill
    assert waybill.counterparty_guid == "28bae87c-4fa1-4824-a069-4dd36d73529e"
    upd = docs["a8477d46-8d72-4ff0-bda6-9a17f2651664"]
    assert upd.type is DocType.upd
    assert (upd.number, upd.number_display) == ("125", "125        ")
    assert upd.order_ref is None
    assert docs["98ceb29a-f821-44c8-88fd-a9421023956f"].deleted


def test_deletion_marks_directly_under_the_document_and_as_requisites():
    # 1C 3.1 through the exchange module (and 2.x) writes <ПометкаУдаления> as an element of
    # <Документ>; older processors as a requisite; a document marked either way is deleted
    items = _read(FIXTURES / "cml31-deletion-marks.xml", kinds={"document"})
    deleted = {i.number: i.deleted for i in items if isinstance(i, Document)}
    assert deleted == {"ТДУТ-000311": True, "ТДУТ-000312": False, "ТДУТ-000313": True}
    old = {i.guid: i.deleted for i in _read(FIXTURES / "ut11-documents.xml", kinds={"document"})}
    assert old["98ceb29a-f821-44c8-88fd-a9421023956f"] is True


@pytest.mark.parametrize("where", ["requisite", "element", "both"])
def test_the_fake_export_writes_the_mark_where_1c_does(where, tmp_path):
    data = generate(3, 2, 3)
    docs = list(data.documents.values())
    docs[0].deleted = True
    path = tmp_path / "export.xml"
    with path.open("wb") as out:
        write_commerceml(
            out,
            docs,
            data.counterparties,
            generated_at=datetime(2024, 5, 14, 7, 45),
            style=ExportStyle(deletion_mark=where),
        )
    text = path.read_text(encoding="utf-8")
    assert ("\t\t<ПометкаУдаления>true</ПометкаУдаления>" in text) is (where != "requisite")
    assert ("<Наименование>ПометкаУдаления</Наименование>" in text) is (where != "element")
    read = {i.guid: i.deleted for i in _read(path, kinds={"document"})}
    assert read == {d.guid: d.deleted for d in docs}


def test_commerceml_205_in_windows_1251_without_namespace():
    items = _read(FIXTURES / "ut11-documents-1251.xml")
    docs = [i for i in items if isinstance(i, Document)]
    assert [d.number for d in docs] == ["00000045", "00000046"]
    assert docs[0].type is DocType.waybill
    assert docs[0].date == datetime(2023, 12, 28, 16, 40, tzinfo=MSK)
    parties = [i for i in items if isinstance(i, Counterparty)]
    assert parties[0].name == "Кузнецов Дмитрий Александрович ИП"


def test_plain_documents_and_counterparties():
    items = _read(FIXTURES / "plain-documents.xml")
    assert sniff_format(FIXTURES / "plain-documents.xml") == "plain"
    parties = {i.guid: i for i in items if isinstance(i, Counterparty)}
    docs = {i.guid: i for i in items if isinstance(i, Document)}
    assert len(parties) == 3
    assert len(docs) == 3
    assert parties["8701a5fe-87fe-4e26-a6f6-dc7cdec70083"].active is False
    assert parties["ec8ac56e-a1ec-4d1e-bcd8-db1264498ebb"].kpp is None
    reconciliation = docs["82046806-fb03-491d-88af-b7f3166e5e3c"]
    assert reconciliation.type is DocType.reconciliation
    assert reconciliation.amount is None
    assert reconciliation.has_file
    assert reconciliation.changed_at == datetime(2024, 4, 1, 2, 40, 18, tzinfo=MSK)
    assert docs["ceeba002-edba-4757-a298-0e9f6cb92f80"].currency == "RUB"
    assert docs["ceeba002-edba-4757-a298-0e9f6cb92f80"].order_ref is None
    act = docs["8f3c40ab-c020-4432-9abd-d7cf27a62227"]
    assert (act.type, act.currency, act.has_file) == (DocType.act, "RUB", False)
    assert act.order_ref == "961da597-ef53-455d-9545-38b814b79c01"


def test_plain_credit_in_windows_1251():
    items = _read(FIXTURES / "plain-credit.xml")
    credit = {i.counterparty_guid: i for i in items if isinstance(i, CreditStatus)}
    assert len(credit) == 3
    fine = credit["28bae87c-4fa1-4824-a069-4dd36d73529e"]
    assert (fine.over_limit, fine.overdue, fine.overdue_since) == (False, False, None)
    assert fine.as_of == datetime(2024, 4, 1, 3, tzinfo=MSK)
    unlimited = credit["ec8ac56e-a1ec-4d1e-bcd8-db1264498ebb"]
    assert unlimited.limit is None
    assert unlimited.overdue_since == date(2024, 1, 28)
    assert unlimited.currency == "RUB"
    over = credit["8701a5fe-87fe-4e26-a6f6-dc7cdec70083"]
    assert over.over_limit
    assert over.overdue_amount == Decimal(250000)
    assert over.as_of == datetime(2024, 3, 31, 23, tzinfo=MSK)


def test_kinds_filter_reads_only_what_is_asked():
    items = _read(FIXTURES / "plain-documents.xml", kinds={"counterparty"})
    assert {i.kind for i in items} == {"counterparty"}
    items = _read(FIXTURES / "ut11-documents.xml", kinds={"document"})
    assert {i.kind for i in items} == {"document"}


def test_bad_records_are_quarantined_with_their_line_and_raw_form():
    items = _read(FIXTURES / "plain-quarantine.xml")
    bad = [i for i in items if isinstance(i, Quarantined)]
    good = [i for i in items if isinstance(i, Document)]
    assert len(good) == 2
    assert [(q.origin, q.reason) for q in bad] == [
        (
            "plain-quarantine.xml:14",
            "counterparty: document's counterparty is missing (empty or all-zero GUID)",
        ),
        ("plain-quarantine.xml:23", "date: document date is missing (empty or 0001-01-01)"),
        ("plain-quarantine.xml:32", "amount: not an amount: 'сто двадцать рублей'"),
        ("plain-quarantine.xml:41", "amount: expected an amount, got a structure"),
    ]
    assert bad[0].key == "0b198b4d-adf5-4dda-8b39-a1d937e50438"
    assert "<Номер>ТДУТ-000131</Номер>" in bad[0].raw
    hostile = next(d for d in good if d.number.startswith(".."))
    assert not hostile.number_is_path_safe


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [
        ("billion-laughs.xml", 1, "DOCTYPE with entity declarations (lol, lol1"),
        ("xxe.xml", 1, "DOCTYPE with entity declarations (xxe, remote)"),
        ("not-an-export.xml", 2, "not a 1C export: root element <html>"),
        ("deep.xml", 4, "malformed XML: Excessive depth in document: 256"),
        ("broken.xml", 27, "malformed XML: Opening and ending tag mismatch"),
    ],
)
def test_hostile_and_broken_files_stop_with_a_line_number(name, line, reason):
    with pytest.raises(ExportFileError) as caught:
        _read(HOSTILE / name)
    assert caught.value.line == line
    assert caught.value.reason.startswith(reason)
    assert str(caught.value).startswith(f"line {line}: ")


def test_records_before_a_break_are_yielded_first():
    reader = read_export(HOSTILE / "broken.xml", MSK)
    first, second = next(reader), next(reader)
    assert first.number == "СВ-000012"
    assert second.number == "УПД-0451"
    with pytest.raises(ExportFileError, match="line 27"):
        next(reader)


_DOC = (
    "<Документ><Ссылка>{guid}</Ссылка>"
    "<Контрагент>28bae87c-4fa1-4824-a069-4dd36d73529e</Контрагент>"
    "<ВидДокумента>СчетНаОплату</ВидДокумента><Номер>СЧ-{n:06d}</Номер>"
    "<Дата>2024-03-28T14:20:00</Дата><СуммаДокумента>{n}.50</СуммаДокумента>"
    "<Валюта>RUB</Валюта></Документ>\n"
)


@pytest.mark.parametrize("good", [3, 2003, 9000])
def test_every_record_complete_before_a_break_is_yielded(tmp_path, good):
    """Whatever chunk the break falls in (first, last, a middle one) and whichever libxml2 is
    installed: every record closed before the break comes out, then the break with its line."""
    body = "".join(_DOC.format(guid=f"00000000-0000-4000-8000-{n:012d}", n=n) for n in range(good))
    broken = "<Документ><Номер>X</Сумма></Документ>\n"
    path = tmp_path / "big-broken.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ВыгрузкаB2B xmlns="urn:b2bsync:1c-export:1" ДатаФормирования="2024-04-01T03:00:05">\n'
        "<Документы>\n" + body + broken + "</Документы></ВыгрузкаB2B>\n",
        encoding="utf-8",
    )
    seen = []
    with pytest.raises(ExportFileError) as caught:
        seen.extend(read_export(path, MSK))
    assert len(seen) == good
    assert [d.number for d in seen[-2:]] == [f"СЧ-{n:06d}" for n in range(good - 2, good)]
    assert caught.value.line == good + 4
    assert "Opening and ending tag mismatch" in caught.value.reason


def test_an_entity_bomb_in_the_root_is_refused_as_a_doctype(tmp_path):
    """The expansion breaks the parse before the root element is reported: the refusal names
    the DOCTYPE exactly as it does when the root is seen first."""
    lol = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    ]
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE ВыгрузкаB2B [\n'
        + "\n".join(lol)
        + '\n]>\n<ВыгрузкаB2B xmlns="urn:b2bsync:1c-export:1" ДатаФормирования="&lol9;"/>\n',
        encoding="utf-8",
    )
    with pytest.raises(ExportFileError) as caught:
        _read(path)
    assert str(caught.value) == (
        "line 1: DOCTYPE with entity declarations (lol, lol1, lol2, lol3, lol4) "
        "is not accepted in 1C exports"
    )


def test_an_empty_file_has_no_root(tmp_path):
    path = tmp_path / "empty.xml"
    path.write_bytes(b"")
    with pytest.raises(ExportFileError, match="empty file: no root element"):
        _read(path)


def test_entities_are_never_expanded_even_past_the_doctype_check(tmp_path):
    """A DOCTYPE after the root cannot exist; but a file with no DOCTYPE and an undeclared
    entity reference is a syntax error, not an expansion."""
    path = tmp_path / "x.xml"
    path.write_text(
        '<ВыгрузкаB2B xmlns="urn:b2bsync:1c-export:1"><Контрагенты><Контрагент>'
        "<Ссылка>&passwd;</Ссылка></Контрагент></Контрагенты></ВыгрузкаB2B>",
        encoding="utf-8",
    )
    with pytest.raises(ExportFileError, match="Entity 'passwd' not defined") as caught:
        _read(path)
    assert caught.value.line == 1


def test_unreadable_and_empty_files(tmp_path):
    with pytest.raises(ExportFileError, match="cannot open"):
        _read(tmp_path / "missing.xml")
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    with pytest.raises(ExportFileError):
        _read(empty)
    wrong = tmp_path / "cp.xml"
    wrong.write_bytes('<?xml version="1.0"?><ВыгрузкаB2B/>'.encode("cp1251"))
    with pytest.raises(ExportFileError, match="line 1"):
        _read(wrong)


def test_commerceml_3_container_and_unknown_operations(tmp_path):
    text = (FIXTURES / "ut11-documents.xml").read_text(encoding="utf-8-sig")
    text = text.replace("<Документ>", "<Контейнер><Документ>", 1).replace(
        "</Документ>", "</Документ></Контейнер>", 1
    )
    text = text.replace("Счет-фактура", "Заказ товара")
    path = tmp_path / "cml3.xml"
    path.write_text(text, encoding="utf-8")
    items = _read(path)
    docs = [i for i in items if isinstance(i, Document)]
    bad = [i for i in items if isinstance(i, Quarantined)]
    assert len(docs) == 3
    assert [b.reason for b in bad] == ["type: unknown document type 'Заказ товара'"]


def test_memory_is_released_as_records_go(tmp_path):
    """After each record the element is cleared and dropped from its parent."""
    src = FIXTURES / "plain-documents.xml"
    path = tmp_path / "many.xml"
    text = src.read_text(encoding="utf-8")
    head, _, rest = text.partition("<Документы>")
    block, _, tail = rest.partition("</Документы>")
    path.write_text(head + "<Документы>" + block * 200 + "</Документы>" + tail, "utf-8")
    count = sum(1 for item in read_export(path, MSK) if isinstance(item, Document))
    assert count == 600
    shutil.rmtree(tmp_path / "nothing", ignore_errors=True)
