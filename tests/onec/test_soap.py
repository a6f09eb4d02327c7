"""The SOAP adapter (zeep over httpx) against the fake's 1C-style web service."""

from __future__ import annotations

import math

import httpx
import pytest
from lxml import etree

from onec_client import (
    Counterparty,
    CreditStatus,
    Document,
    OneCAuthError,
    OneCEndpointNotFound,
    OneCFileUnavailable,
    OneCNetworkError,
    OneCNotFound,
    OneCProtocolError,
    OneCServerError,
    Quarantined,
    SoapConfig,
    SoapSource,
)
from onec_client._soap import fault_error
from onec_client.fake import INTERNAL_ADDRESS, SOAP_PATH, TNS, FakeOneC, render_wsdl

from .conftest import BASE, MSK, NO_WAIT, collect

WSDL_NS = {"w": "http://schemas.xmlsoap.org/wsdl/"}


def test_the_wsdl_looks_like_what_1c_publishes():
    root = etree.fromstring(render_wsdl().encode())
    assert root.get("targetNamespace") == TNS
    bindings = [b.get("name") for b in root.findall("w:binding", WSDL_NS)]
    assert bindings == ["B2BExchangeSoapBinding", "B2BExchangeSoap12Binding"]
    ports = root.findall("w:service/w:port", WSDL_NS)
    assert [p.get("name") for p in ports] == ["B2BExchangeSoap", "B2BExchangeSoap12"]
    addresses = {p[-1].get("location") for p in ports}
    assert addresses == {INTERNAL_ADDRESS}
    parts = root.findall("w:message/w:part", WSDL_NS)
    assert parts
    assert {p.get("name") for p in parts} == {"parameters"}
    actions = root.xpath("//*[local-name()='operation'][@soapAction]/@soapAction")
    assert f"{TNS}#B2BExchange:GetDocuments" in actions
    schema_ns = root.xpath("//*[local-name()='schema']/@targetNamespace")
    assert "http://v8.1c.ru/8.1/data/core" in schema_ns
    response = root.xpath("//*[local-name()='element'][@name='GetCreditResponse']//@name")
    assert response == ["GetCreditResponse", "return"]
    data = root.xpath("//*[local-name()='element'][@name='Data']/@type")
    assert data == ["xs:base64Binary"]


@pytest.mark.parametrize("version", ["1.1", "1.2"])
async def test_reads_everything_over_both_soap_versions(fake, soap_source, version):
    async with soap_source(soap_version=version) as source:
        parties = await collect(source.counterparties())
        docs = await collect(source.documents())
        credit = await collect(source.credit())
    assert {p.guid for p in parties} == set(fake.data.counterparties)
    assert all(isinstance(p, Counterparty) for p in parties)
    assert {d.guid for d in docs} == set(fake.data.documents)
    assert all(isinstance(d, Document) for d in docs)
    assert all(isinstance(c, CreditStatus) for c in credit)
    assert {c.counterparty_guid for c in credit} == set(fake.data.credit)
    assert any(c.over_limit for c in credit)
    assert any(c.overdue for c in credit)
    assert fake.requests["soap:GetDocuments"] == math.ceil(30 / 4)
    assert fake.requests["wsdl"] == 1


async def test_calls_go_to_the_configured_endpoint_not_the_wsdl_address(fake, soap_source):
    async with soap_source(endpoint="http://1c-public.test" + SOAP_PATH) as source:
        await collect(source.counterparties())
    hosts = {(entry.route, entry.host) for entry in fake.log}
    assert ("wsdl", "1c.test") in hosts
    assert ("soap:GetCounterparties", "1c-public.test") in hosts
    assert not any("srv-1c-app01" in entry.host for entry in fake.log)


async def test_values_are_normalised_like_every_other_adapter(fake, soap_source):
    fake.quirks.padded_numbers = True
    fake.quirks.empty_values = True
    async with soap_source() as source:
        docs = {d.guid: d for d in await collect(source.documents())}
        credit = await collect(source.credit())
    for guid, original in fake.data.documents.items():
        doc = docs[guid]
        assert doc.number == original.number
        assert doc.number_display == original.number.ljust(11)
        assert doc.order_ref == original.order_ref
        assert doc.date == original.date.replace(tzinfo=MSK)
        assert doc.amount == original.amount
    assert all(c.overdue_since is None for c in credit if not c.overdue)


async def test_bom_before_soap_answers_and_files(fake, soap_source):
    fake.quirks.bom = True
    doc = next(d for d in fake.data.documents.values() if d.has_file)
    async with soap_source() as source:
        assert len(await collect(source.counterparties())) == 6
        async with source.open_file(doc.guid) as file:
            assert await file.read() == fake.pdf(doc)


async def test_windows_1251_answers(fake, soap_source):
    fake.quirks.windows1251 = True
    async with soap_source() as source:
        names = {p.guid: p.name for p in await collect(source.counterparties())}
    assert names == {g: c.name for g, c in fake.data.counterparties.items()}


async def test_slow_first_call_on_the_wsdl(fake, soap_source, sleeps):
    fake.quirks.slow_first_call = True
    async with soap_source() as source:
        assert len(await collect(source.counterparties())) == 6
    assert fake.log[0].route == "wsdl"
    assert fake.log[0].status is None
    assert fake.requests["wsdl"] == 2
    assert sleeps.waits == [0.0]


@pytest.mark.parametrize("kind", ["500", "html", "drop", "fault", "timeout"])
async def test_transient_faults_are_retried(fake, soap_source, kind):
    fake.faults.inject(kind, times=2, route="soap:GetCredit")
    async with soap_source() as source:
        credit = await collect(source.credit())
    assert len(credit) == 6
    assert fake.requests["soap:GetCredit"] == 3


async def test_server_fault_text_is_kept(fake, soap_source):
    fake.faults.inject("fault", times=10, route="soap")
    async with soap_source() as source:
        with pytest.raises(OneCServerError, match="SOAP fault: Ошибка при выполнении") as caught:
            await collect(source.documents())
    assert caught.value.retryable
    assert fake.requests["soap:GetDocuments"] == NO_WAIT.attempts


async def test_dropped_connection_exhausted_is_a_network_error(fake, soap_source):
    fake.faults.inject("drop", times=10, route="soap")
    async with soap_source() as source:
        with pytest.raises(OneCNetworkError) as caught:
            await collect(source.counterparties())
    assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError)


async def test_unknown_counterparty_fault_is_skippable(soap_source):
    async with soap_source() as source:
        with pytest.raises(OneCNotFound, match="Контрагент не найден"):
            await collect(source.credit("11111111-2222-4333-8444-555555555555"))
        with pytest.raises(OneCNotFound):
            await collect(source.documents("11111111-2222-4333-8444-555555555555"))


def test_fault_classification():
    assert isinstance(fault_error("soap:Client", "bad"), OneCProtocolError)
    sender = "{http://www.w3.org/2003/05/soap-envelope}Sender"
    assert isinstance(fault_error(sender, "x"), OneCProtocolError)
    assert isinstance(fault_error("soap:Server", "Документ не найден"), OneCNotFound)
    assert isinstance(fault_error("soap:Server", "не найден", file=True), OneCFileUnavailable)
    assert isinstance(fault_error("soap:Receiver", "Конфликт блокировок"), OneCServerError)


async def test_wsdl_sits_behind_the_same_auth(fake, soap_source):
    async with soap_source(password="nope") as source:
        with pytest.raises(OneCAuthError):
            await collect(source.counterparties())
    assert fake.requests["wsdl"] == 1
    assert fake.requests["soap:GetCounterparties"] == 0


async def test_cyrillic_user_for_wsdl_and_calls(fake, soap_source):
    fake.users = {"Сайт": "секрет"}
    async with soap_source(username="Сайт", password="секрет") as source:
        assert len(await collect(source.counterparties())) == 6
    assert {entry.user for entry in fake.log} == {"Сайт"}


async def test_wrong_wsdl_url_is_fatal(soap_source):
    async with soap_source(wsdl_url=BASE + "/ut11/ws/nothing.1cws?wsdl") as source:
        with pytest.raises(OneCEndpointNotFound):
            await collect(source.counterparties())


def _serving(wsdl: bytes) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=wsdl, headers={"content-type": "text/xml"})

    return httpx.MockTransport(handler)


@pytest.mark.parametrize(
    ("wsdl", "message"),
    [
        (b"<definitions", "not usable"),
        (render_wsdl().replace("GetDocumentFile", "GetPrintForm").encode(), "lacks operation"),
        (
            render_wsdl()
            .replace("B2BExchangeSoap12Binding", "Nothing")
            .replace('binding="tns:Nothing"', "")
            .encode(),
            "not usable|no SOAP 1.2 binding",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><definitions/>',
            "not usable",
        ),
    ],
)
async def test_unusable_wsdls_are_fatal(wsdl, message):
    config = SoapConfig(wsdl_url=BASE + "/ws/x?wsdl", retry=NO_WAIT, soap_version="1.2")
    async with SoapSource(config, transport=_serving(wsdl)) as source:
        with pytest.raises(OneCProtocolError, match=message) as caught:
            await collect(source.counterparties())
    assert not caught.value.retryable


async def test_file_streams_past_zeep_even_above_the_huge_tree_limit():
    fake = FakeOneC(seed=5, counterparties=1, documents=2, file_size=11 * 1024 * 1024)
    doc = next(d for d in fake.data.documents.values() if d.has_file)
    config = SoapConfig(
        wsdl_url=BASE + SOAP_PATH + "?wsdl",
        username="Обмен_B2B",
        password="b2b-exchange-2024",
        retry=NO_WAIT,
    )
    chunks = []
    async with (
        SoapSource(config, transport=httpx.ASGITransport(fake)) as source,
        source.open_file(doc.guid) as file,
    ):
        assert file.content_type == "application/pdf"
        assert file.filename == f"{doc.kind_1c} {doc.number}.pdf"
        assert file.size == len(fake.pdf(doc))
        async for chunk in file.iter_bytes():
            chunks.append(chunk)
    assert b"".join(chunks) == fake.pdf(doc)
    assert len(chunks) > 100


async def test_file_faults(fake, soap_source):
    doc = next(iter(fake.data.documents.values()))
    doc.has_file = False
    async with soap_source() as source:
        with pytest.raises(OneCFileUnavailable, match="не найдена"):
            async with source.open_file(doc.guid):
                pass
    fake.faults.inject("drop", route="soap:GetDocumentFile")
    other = next(d for d in fake.data.documents.values() if d.has_file)
    async with soap_source(soap_version="1.2") as source, source.open_file(other.guid) as file:
        assert await file.read() == fake.pdf(other)
    assert fake.requests["soap:GetDocumentFile"] == 3


async def test_records_that_cannot_be_made_valid_are_quarantined(fake, soap_source):
    docs = list(fake.data.documents.values())
    docs[0].overrides["counterparty"] = "00000000-0000-0000-0000-000000000000"
    docs[1].overrides["number"] = "../../etc/passwd"
    docs[2].overrides["type"] = "ПоступлениеТоваров"
    async with soap_source() as source:
        items = await collect(source.documents())
    bad = {q.key: q.reason for q in items if isinstance(q, Quarantined)}
    assert set(bad) == {docs[0].guid, docs[2].guid}
    assert len(items) == 30
    hostile = next(d for d in items if d.key == docs[1].guid)
    assert isinstance(hostile, Document)
    assert not hostile.number_is_path_safe


async def test_check(soap_source):
    async with soap_source() as source:
        report = await source.check()
    assert report.source == "soap"
    assert any("not the WSDL's own address" in line for line in report.lines)
