"""The HTTP-service adapter against the 1C fake, in process: contract, quirks and faults."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from onec_client import (
    Counterparty,
    CreditStatus,
    DocType,
    Document,
    FieldMapping,
    FieldPaths,
    FileMapping,
    HttpServiceConfig,
    HttpServiceSource,
    ListMapping,
    OneCAuthError,
    OneCEndpointNotFound,
    OneCFileUnavailable,
    OneCNetworkError,
    OneCNotFound,
    OneCProtocolError,
    OneCServerError,
    OneCTimeoutError,
    Quarantined,
)
from onec_client.fake import KINDS_1C, FakeOneC

from .conftest import BASE, MSK, NO_WAIT, collect

ZERO = "00000000-0000-0000-0000-000000000000"


def _valid(items):
    return [i for i in items if not isinstance(i, Quarantined)]


async def test_reads_every_record_page_by_page(fake, http_source):
    async with http_source(page_size=4) as source:
        parties = await collect(source.counterparties())
        docs = await collect(source.documents())
        credit = await collect(source.credit())
    assert {p.guid for p in parties} == set(fake.data.counterparties)
    assert all(isinstance(p, Counterparty) for p in parties)
    assert {d.guid for d in docs} == set(fake.data.documents)
    assert {c.counterparty_guid for c in credit} == set(fake.data.credit)
    assert fake.requests["counterparties"] == math.ceil(6 / 4)
    assert fake.requests["documents"] == math.ceil(30 / 4)
    by_guid = {d.guid: d for d in docs}
    for guid, original in fake.data.documents.items():
        doc = by_guid[guid]
        assert doc.type == DocType(original.type)
        assert doc.amount == original.amount
        assert doc.date == original.date.replace(tzinfo=MSK)
        assert doc.has_file == original.has_file


async def test_credit_positions_show_overdue_and_over_limit(fake, http_source):
    async with http_source() as source:
        credit = await collect(source.credit())
    assert all(isinstance(c, CreditStatus) for c in credit)
    assert any(c.over_limit for c in credit)
    assert any(c.overdue and not c.over_limit for c in credit)
    assert any(c.limit is None for c in credit)
    assert all(c.as_of == datetime(2024, 7, 1, 8, tzinfo=MSK) for c in credit)


async def test_one_counterparty_and_changed_since_in_1c_local_time(fake, http_source):
    owner = next(iter(fake.data.counterparties))
    mine = [d for d in fake.data.documents.values() if d.counterparty == owner]
    pivot = sorted(d.changed_at for d in mine)[2]
    cursor = pivot.replace(tzinfo=MSK).astimezone(UTC)
    async with http_source() as source:
        docs = await collect(source.documents(owner, cursor))
    expected = {d.guid for d in mine if d.changed_at >= pivot}
    assert {d.guid for d in docs} == expected
    assert len(expected) < len(mine)


async def test_amounts_stay_exact(fake, http_source):
    doc = next(iter(fake.data.documents.values()))
    doc.amount = Decimal("1234567890.123456789")
    async with http_source() as source:
        docs = {d.guid: d for d in await collect(source.documents())}
    assert docs[doc.guid].amount == Decimal("1234567890.123456789")


# --- quirks -----------------------------------------------------------------------------------


async def test_bom_before_json(fake, http_source):
    fake.quirks.bom = True
    async with http_source() as source:
        parties = await collect(source.counterparties())
    assert len(_valid(parties)) == 6


async def test_padded_numbers(fake, http_source):
    fake.quirks.padded_numbers = True
    async with http_source() as source:
        docs = await collect(source.documents())
    assert docs
    for doc in docs:
        original = fake.data.documents[doc.guid].number
        assert doc.number == original
        assert doc.number_display == original.ljust(11)
        assert len(doc.number_display) == 11


async def test_zero_guids_and_empty_dates_mean_nothing(fake, http_source):
    fake.quirks.empty_values = True
    async with http_source() as source:
        docs = await collect(source.documents())
        credit = await collect(source.credit())
    assert len(_valid(docs)) == 30
    for doc in docs:
        assert doc.order_ref == fake.data.documents[doc.guid].order_ref
    assert any(d.order_ref is None for d in docs)
    no_overdue = [c for c in credit if not c.overdue]
    assert no_overdue
    assert all(c.overdue_since is None for c in no_overdue)


async def test_windows_1251_bodies(fake, http_source):
    fake.quirks.windows1251 = True
    async with http_source() as source:
        parties = await collect(source.counterparties())
    names = {p.guid: p.name for p in parties}
    assert names == {g: c.name for g, c in fake.data.counterparties.items()}


async def test_slow_first_call_times_out_then_succeeds(fake, http_source, sleeps):
    fake.quirks.slow_first_call = True
    async with http_source() as source:
        parties = await collect(source.counterparties())
    assert len(parties) == 6
    assert fake.log[0].status is None
    assert fake.requests["counterparties"] == 3
    assert sleeps.waits == [0.0]


async def test_file_as_binary_body(fake, http_source):
    doc = next(d for d in fake.data.documents.values() if d.has_file)
    async with http_source() as source, source.open_file(doc.guid) as file:
        data = await file.read()
        assert file.content_type == "application/pdf"
        assert file.size == len(data)
        assert file.filename == f"{doc.kind_1c} {doc.number}.pdf"
    assert data == fake.pdf(doc)
    assert data.startswith(b"%PDF-1.4")


async def test_file_as_base64_in_json_is_decoded_in_chunks(http_source):
    fake = FakeOneC(seed=3, counterparties=1, documents=2, file_size=3_000_000)
    fake.quirks.file_base64 = True
    fake.quirks.bom = True
    doc = next(d for d in fake.data.documents.values() if d.has_file)
    chunks = []
    async with http_source(app=fake) as source, source.open_file(doc.guid) as file:
        async for chunk in file.iter_bytes():
            chunks.append(chunk)
        assert file.content_type == "application/pdf"
        assert file.size == len(fake.pdf(doc))
    assert len(chunks) > 10
    assert max(map(len, chunks)) <= 64 * 1024
    assert b"".join(chunks) == fake.pdf(doc)


# --- faults -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["500", "html", "drop", "timeout"])
async def test_transient_faults_are_retried(fake, http_source, sleeps, kind):
    fake.faults.inject(kind, times=2, route="documents")
    async with http_source() as source:
        docs = await collect(source.documents())
    assert len(docs) == 30
    assert fake.faults.fired == [("documents", kind), ("documents", kind)]
    assert fake.requests["documents"] == math.ceil(30 / 4) + 2
    assert len(sleeps.waits) == 2


@pytest.mark.parametrize(
    ("kind", "error", "cause"),
    [
        ("500", OneCServerError, None),
        ("html", OneCServerError, None),
        ("drop", OneCNetworkError, httpx.RemoteProtocolError),
        ("timeout", OneCTimeoutError, httpx.ReadTimeout),
    ],
)
async def test_persistent_faults_surface_as_retryable_errors(fake, http_source, kind, error, cause):
    fake.faults.inject(kind, times=10, route="credit")
    async with http_source() as source:
        with pytest.raises(error) as caught:
            await collect(source.credit())
    assert caught.value.retryable
    assert fake.requests["credit"] == NO_WAIT.attempts
    if cause is not None:
        assert isinstance(caught.value.__cause__, cause)


async def test_500_text_and_html_page_become_readable_reasons(fake, http_source):
    fake.faults.inject("500", times=10)
    async with http_source() as source:
        with pytest.raises(OneCServerError, match=r"HTTP 500\): \{ОбщийМодуль"):
            await collect(source.counterparties())
    fake.faults.clear()
    fake.faults.inject("html", times=10)
    async with http_source() as source:
        with pytest.raises(OneCServerError, match=r"HTML page.*Информационная база"):
            await collect(source.counterparties())


async def test_wrong_password_is_fatal_and_not_retried(fake, http_source):
    async with http_source(password="wrong") as source:
        with pytest.raises(OneCAuthError, match="Обмен_B2B") as caught:
            await collect(source.counterparties())
    assert not caught.value.retryable
    assert caught.value.status == 401
    assert fake.requests["counterparties"] == 1


async def test_cyrillic_user_names_are_sent_as_utf8(fake, http_source):
    fake.users = {"Бухгалтерия Главная": "пароль-ё"}
    async with http_source(username="Бухгалтерия Главная", password="пароль-ё") as source:
        assert len(await collect(source.counterparties())) == 6
    assert fake.log[-1].user == "Бухгалтерия Главная"


async def test_unpublished_service_is_fatal(fake, http_source):
    async with http_source(url=BASE + "/ut11/hs/b2b/v2") as source:
        with pytest.raises(OneCEndpointNotFound, match="HTTP 404") as caught:
            await collect(source.documents())
    assert not caught.value.retryable
    assert fake.requests["unknown"] == 1


async def test_unknown_counterparty_is_skippable(http_source):
    async with http_source() as source:
        with pytest.raises(OneCNotFound, match="Контрагент не найден") as caught:
            await collect(source.documents("11111111-2222-4333-8444-555555555555"))
        with pytest.raises(OneCNotFound):
            await collect(source.credit("11111111-2222-4333-8444-555555555555"))
    assert caught.value.skippable


async def test_document_without_file_is_skippable(fake, http_source):
    doc = next(iter(fake.data.documents.values()))
    doc.has_file = False
    async with http_source() as source:
        with pytest.raises(OneCFileUnavailable, match="Печатная форма"):
            async with source.open_file(doc.guid):
                pass
        with pytest.raises(OneCFileUnavailable, match="Документ не найден"):
            async with source.open_file("11111111-2222-4333-8444-555555555555"):
                pass


# --- malformed and hostile records ------------------------------------------------------------


async def test_bad_records_are_quarantined_and_the_rest_arrive(fake, http_source):
    docs = list(fake.data.documents.values())
    docs[0].overrides["counterparty"] = ZERO
    docs[1].overrides["date"] = "0001-01-01T00:00:00"
    docs[2].overrides["amount"] = "abc"
    docs[3].overrides["amount"] = [1, 2]
    docs[4].overrides["number"] = "../../etc/passwd"
    docs[5].overrides["number"] = "a/b\x00c"
    docs[6].overrides["type"] = "ЗаказКлиента"
    async with http_source() as source:
        items = await collect(source.documents())
    quarantined = {q.key: q.reason for q in items if isinstance(q, Quarantined)}
    assert quarantined == {
        docs[0].guid: "counterparty: document's counterparty is missing (empty or all-zero GUID)",
        docs[1].guid: "date: document date is missing (empty or 0001-01-01)",
        docs[2].guid: "amount: not an amount: 'abc'",
        docs[3].guid: "amount: expected an amount, got a list",
        docs[6].guid: "type: unknown document type 'ЗаказКлиента'",
    }
    valid = {d.guid: d for d in _valid(items)}
    assert len(valid) == 25
    assert valid[docs[4].guid].number == "../../etc/passwd"
    assert not valid[docs[4].guid].number_is_path_safe
    assert valid[docs[5].guid].file_stem.startswith("a_b_c-")
    raw = next(q.raw for q in items if isinstance(q, Quarantined) and q.key == docs[2].guid)
    assert '"СуммаДокумента": "abc"' in raw


def _static(body: bytes, content_type: str = "application/json") -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": content_type})

    return httpx.MockTransport(handler)


def _source(transport: httpx.AsyncBaseTransport, **fields) -> HttpServiceSource:
    config = HttpServiceConfig(url=BASE + "/hs/b2b/v1", retry=NO_WAIT, **fields)
    return HttpServiceSource(config, transport=transport)


async def test_items_that_are_not_objects_are_quarantined():
    party = '{"Ссылка": "e4b06ce6-0741-47a8-bce4-2c8218072e8c", "Наименование": "X"}'
    body = '{"Данные": ["строка", 5, ' + party + "]}"
    async with _source(_static(body.encode())) as source:
        items = await collect(source.counterparties())
    assert [type(i) for i in items] == [Quarantined, Quarantined, Counterparty]
    assert items[0].reason == "record is a JSON str, not an object"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"Result": []}', "no list at 'Данные'"),
        ("not json at all", "not JSON"),
        ('{"Данные": [], "Продолжение": "same"}', "repeated the continuation"),
    ],
)
async def test_answers_off_contract_are_protocol_errors(body, message):
    async with _source(_static(body.encode())) as source:
        with pytest.raises(OneCProtocolError, match=message) as caught:
            await collect(source.counterparties())
    assert not caught.value.retryable


async def test_file_json_with_metadata_after_the_data_and_escaped_line_breaks():
    pdf = b"%PDF-1.4 binary \x00\x01\x02 " * 50
    import base64

    encoded = base64.encodebytes(pdf).decode().replace("\n", "\\r\\n").replace("/", "\\/")
    body = f'{{"Данные": "{encoded}", "ИмяФайла": "x.pdf"}}'.encode()
    async with (
        _source(_static(body, "application/octet-stream")) as source,
        source.open_file("e4b06ce6-0741-47a8-bce4-2c8218072e8c") as file,
    ):
        assert file.content_type == "application/pdf"
        assert file.filename is None
        assert await file.read() == pdf


async def test_broken_base64_in_a_file_answer_is_a_protocol_error():
    body = b'{"\xd0\x94\xd0\xb0\xd0\xbd\xd0\xbd\xd1\x8b\xd0\xb5": "JVBERi0x##"}'
    async with _source(_static(body)) as source:
        with pytest.raises(OneCProtocolError, match="not base64"):
            async with source.open_file("e4b06ce6-0741-47a8-bce4-2c8218072e8c") as file:
                await file.read()


# --- a differently shaped service, read with configuration only --------------------------------

LEGACY = FieldMapping(
    counterparties=ListMapping(
        path="clients",
        items="result.items",
        next="paging.next",
        param_changed_since="modified_from",
        param_date_format="%d.%m.%Y %H:%M:%S",
        param_limit="size",
        param_counterparty="",
        fields=FieldPaths(
            guid="id",
            name="title",
            inn="requisites.inn",
            kpp="requisites.kpp",
            active="active",
            changed_at="modified",
        ),
    ),
    documents=ListMapping(
        path="docs",
        items="result.items",
        next="paging.next",
        param_counterparty="client",
        param_changed_since="modified_from",
        param_date_format="%d.%m.%Y %H:%M:%S",
        param_limit="size",
        fields=FieldPaths(
            guid="uid",
            counterparty="client.id",
            type="kind",
            number="num",
            date="date",
            amount="sum",
            currency="cur",
            order_ref="order",
            has_file="pdf",
            deleted="deleted",
            changed_at="modified",
        ),
    ),
    credit=ListMapping(
        path="debts",
        items="",
        next="",
        param_counterparty="client",
        param_limit="",
        fields=FieldPaths(
            counterparty="client_id",
            limit="credit_limit",
            used="debt",
            overdue_amount="overdue",
            overdue_since="overdue_from",
            currency="cur",
            as_of="calculated",
        ),
    ),
    file=FileMapping(path="docs/{guid}/pdf"),
    date_formats=("%d.%m.%Y %H:%M:%S",),
    doc_types={"Отгрузка": DocType.waybill},
)


async def test_differently_shaped_service_reads_the_same_with_a_mapping(fake, http_source):
    fake.quirks.padded_numbers = True
    async with http_source() as source:
        standard = (
            await collect(source.counterparties()),
            await collect(source.documents()),
            await collect(source.credit()),
        )
    async with http_source(url=BASE + "/ut11/hs/exchange", mapping=LEGACY) as source:
        legacy = (
            await collect(source.counterparties()),
            await collect(source.documents()),
            await collect(source.credit()),
        )
        doc = next(d for d in legacy[1] if d.has_file)
        async with source.open_file(doc) as file:
            assert await file.read() == fake.pdf(fake.data.documents[doc.guid])
            assert file.content_type == "application/pdf"
    for ours, theirs in zip(standard, legacy, strict=True):
        assert sorted(ours, key=lambda r: r.key) == sorted(theirs, key=lambda r: r.key)
    assert fake.requests["legacy:docs"] == math.ceil(30 / 4)
    assert {DocType.waybill} <= {d.type for d in legacy[1]}
    assert set(KINDS_1C) >= {d.type.value for d in legacy[1]}


async def test_legacy_changed_since_uses_the_configured_date_format(fake, http_source):
    pivot = sorted(c.changed_at for c in fake.data.counterparties.values())[3]
    async with http_source(url=BASE + "/ut11/hs/exchange", mapping=LEGACY) as source:
        parties = await collect(source.counterparties(pivot.replace(tzinfo=MSK) + timedelta(0)))
    assert len(parties) == 3


async def test_check_reports_what_it_verified(http_source):
    async with http_source() as source:
        report = await source.check()
    assert report.source == "http"
    assert any("Обмен_B2B" in line for line in report.lines)


async def test_deleted_documents_are_flagged_not_dropped(fake, http_source):
    doc = next(iter(fake.data.documents.values()))
    doc.deleted = True
    async with http_source() as source:
        docs = {d.guid: d for d in await collect(source.documents())}
    assert isinstance(docs[doc.guid], Document)
    assert docs[doc.guid].deleted
