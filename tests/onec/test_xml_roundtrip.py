"""Generated documents → export file → parsed back: equal, in every format and encoding."""

from __future__ import annotations

import io
import tempfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onec_client import Counterparty, CreditStatus, DocType, Document, Quarantined, read_export
from onec_client.fake import (
    ExportStyle,
    FakeCounterparty,
    FakeCredit,
    FakeDocument,
    write_commerceml,
    write_plain,
)

from .conftest import MSK

GENERATED = datetime(2024, 7, 1, 8, 0, 0)
_LETTERS = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюяABCXYZabcxyz"
_NUMBER_CHARS = _LETTERS + "0123456789-/._\\№ &<>\"'"
_NAME_CHARS = _LETTERS + "0123456789 -.,\"'&<>«»()"

guids = st.uuids(version=4).map(str)
moments = st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2035, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)


def _with_a_letter(chars: str, size: int) -> st.SearchStrategy[str]:
    """Text that is never blank: some characters, one letter, some characters."""
    part = st.text(chars, max_size=size)
    return st.tuples(part, st.sampled_from(_LETTERS), part).map("".join)


numbers = _with_a_letter(_NUMBER_CHARS, 10)
names = _with_a_letter(_NAME_CHARS, 20)


def _decimals(low: str) -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=Decimal(low),
        max_value=Decimal("999999999999"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )


amounts = st.one_of(st.none(), _decimals("-1000000"))
positive = _decimals("0")
inns = st.one_of(st.from_regex(r"\A[1-9][0-9]{9}\Z"), st.from_regex(r"\A[1-9][0-9]{11}\Z"))


@st.composite
def datasets(draw):
    parties = [
        FakeCounterparty(
            guid=draw(guids),
            name=draw(names),
            inn=draw(st.one_of(st.none(), inns)),
            kpp=draw(st.one_of(st.none(), st.from_regex(r"\A[0-9]{9}\Z"))),
            deleted=draw(st.booleans()),
            changed_at=draw(moments),
        )
        for _ in range(draw(st.integers(1, 3)))
    ]
    docs = []
    for _ in range(draw(st.integers(0, 6))):
        docs.append(
            FakeDocument(
                guid=draw(guids),
                counterparty=draw(st.sampled_from(parties)).guid,
                type=draw(st.sampled_from([t.value for t in DocType])),
                number=draw(numbers),
                date=draw(moments),
                amount=draw(amounts),
                currency=draw(st.sampled_from(["RUB", "USD", "EUR"])),
                order_ref=draw(st.one_of(st.none(), guids, st.from_regex(r"\AЗК-[0-9]{6}\Z"))),
                has_file=draw(st.booleans()),
                deleted=draw(st.booleans()),
                changed_at=draw(moments),
            )
        )
    credit = [
        FakeCredit(
            counterparty=p.guid,
            limit=draw(st.one_of(st.none(), positive)),
            used=draw(positive),
            overdue_amount=draw(positive),
            overdue_since=draw(st.one_of(st.none(), moments.map(lambda d: d.replace(hour=0)))),
            currency="RUB",
            as_of=draw(moments),
        )
        for p in parties
    ]
    style = ExportStyle(
        encoding=draw(st.sampled_from(["utf-8", "cp1251"])),
        bom=draw(st.booleans()),
        padded_numbers=draw(st.booleans()),
        empty_values=draw(st.booleans()),
        deletion_mark=draw(st.sampled_from(["requisite", "element", "both"])),
    )
    return parties, docs, credit, style


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=MSK)


def _expected_document(doc: FakeDocument, style: ExportStyle, cml: bool) -> Document:
    display = doc.number.ljust(11) if style.padded_numbers else doc.number
    return Document(
        guid=doc.guid,
        counterparty_guid=doc.counterparty,
        type=DocType(doc.type),
        number=doc.number.strip(),
        number_display=display,
        date=_aware(doc.date),
        amount=doc.amount,
        currency=doc.currency,
        order_ref=doc.order_ref,
        has_file=False if cml else doc.has_file,
        deleted=doc.deleted,
        changed_at=_aware(GENERATED if cml else doc.changed_at),
    )


def _parse(write, style: ExportStyle) -> list:
    buffer = io.BytesIO()
    write(buffer, style)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xml"
        path.write_bytes(buffer.getvalue())
        return list(read_export(path, MSK))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_plain_export_round_trips(data):
    parties, docs, credit, style = data
    items = _parse(
        lambda out, s: write_plain(
            out,
            counterparties=parties,
            documents=docs,
            credit=credit,
            generated_at=GENERATED,
            style=s,
        ),
        style,
    )
    assert not [i for i in items if isinstance(i, Quarantined)]
    assert [i for i in items if isinstance(i, Counterparty)] == [
        Counterparty(
            guid=p.guid,
            name=" ".join(p.name.split()),
            inn=p.inn,
            kpp=p.kpp,
            active=not p.deleted,
            changed_at=_aware(p.changed_at),
        )
        for p in parties
    ]
    assert [i for i in items if isinstance(i, Document)] == [
        _expected_document(d, style, cml=False) for d in docs
    ]
    assert [i for i in items if isinstance(i, CreditStatus)] == [
        CreditStatus(
            counterparty_guid=c.counterparty,
            limit=c.limit,
            used=c.used,
            overdue_amount=c.overdue_amount,
            overdue_since=None if c.overdue_since is None else c.overdue_since.date(),
            currency="RUB",
            as_of=_aware(c.as_of),
        )
        for c in credit
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_commerceml_export_round_trips(data):
    parties, docs, _, style = data
    by_guid = {p.guid: p for p in parties}
    items = _parse(
        lambda out, s: write_commerceml(out, docs, by_guid, generated_at=GENERATED, style=s),
        style,
    )
    assert not [i for i in items if isinstance(i, Quarantined)]
    assert [i for i in items if isinstance(i, Document)] == [
        _expected_document(d, style, cml=True) for d in docs
    ]
    seen: list[str] = []
    for doc in docs:
        if doc.counterparty not in seen:
            seen.append(doc.counterparty)
    assert [i for i in items if isinstance(i, Counterparty)] == [
        Counterparty(
            guid=guid,
            name=" ".join(by_guid[guid].name.split()),
            inn=by_guid[guid].inn,
            kpp=by_guid[guid].kpp,
            active=True,
            changed_at=_aware(GENERATED),
        )
        for guid in seen
    ]
