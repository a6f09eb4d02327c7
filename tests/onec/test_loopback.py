"""Adapters against the fake on 127.0.0.1: real sockets, real timeouts, real dropped connections."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from onec_client import (
    HttpServiceConfig,
    OneCNetworkError,
    SoapConfig,
    Timeouts,
    open_source,
)
from onec_client.fake import DEFAULT_PASSWORD, DEFAULT_USER, FakeOneC, ServedFake, serve

from .conftest import NO_WAIT, Sleeps, collect

FAST = Timeouts(connect=2.0, read=2.0, first_call=2.0, write=2.0, pool=2.0)


@pytest.fixture
def served() -> Iterator[ServedFake]:
    fake = FakeOneC(seed=21, counterparties=3, documents=4, file_size=4_000_000)
    with serve(fake) as running:
        yield running


def _http(served: ServedFake, **fields) -> HttpServiceConfig:
    base = {
        "url": served.http_url,
        "username": DEFAULT_USER,
        "password": DEFAULT_PASSWORD,
        "retry": NO_WAIT,
        "timeouts": FAST,
        "page_size": 5,
    }
    base.update(fields)
    return HttpServiceConfig(**base)


async def test_slow_first_call_hits_the_first_call_timeout_then_goes_on(served):
    served.fake.quirks.slow_first_call = True
    served.fake.quirks.slow_seconds = 0.6
    sleeps = Sleeps()
    timeouts = Timeouts(connect=2.0, read=2.0, first_call=0.15, write=2.0, pool=2.0)
    async with open_source(_http(served, timeouts=timeouts), sleep=sleeps) as source:
        parties = await collect(source.counterparties())
    assert len(parties) == 3
    assert served.fake.requests["counterparties"] == 2
    assert sleeps.waits == [0.0]


async def test_a_connection_dropped_mid_file_is_a_network_error(served):
    fake = served.fake
    doc = next(d for d in fake.data.documents.values() if d.has_file)
    fake.faults.inject("drop", route="file")
    async with open_source(_http(served)) as source:
        with pytest.raises(OneCNetworkError) as caught:
            async with source.open_file(doc.guid) as file:
                await file.read()
        assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError)
        chunks = []
        async with source.open_file(doc.guid) as file:
            async for chunk in file.iter_bytes():
                chunks.append(chunk)
    assert b"".join(chunks) == fake.pdf(doc)
    assert len(chunks) > 1


async def test_a_connection_dropped_mid_list_is_retried(served):
    served.fake.faults.inject("drop", route="documents")
    async with open_source(_http(served)) as source:
        docs = await collect(source.documents())
    assert len(docs) == 12
    assert served.fake.requests["documents"] == 4


async def test_soap_over_a_real_socket(served):
    config = SoapConfig(
        wsdl_url=served.wsdl_url,
        endpoint=served.soap_endpoint,
        username=DEFAULT_USER,
        password=DEFAULT_PASSWORD,
        retry=NO_WAIT,
        timeouts=FAST,
    )
    fake = served.fake
    doc = next(d for d in fake.data.documents.values() if d.has_file)
    async with open_source(config) as source:
        assert len(await collect(source.documents())) == 12
        assert len(await collect(source.credit())) == 3
        async with source.open_file(doc.guid) as file:
            assert await file.read() == fake.pdf(doc)
