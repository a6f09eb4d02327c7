"""The hand-written HTTP and WSDL fixtures read through the real adapters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx

from onec_client import (
    Counterparty,
    CreditStatus,
    DocType,
    Document,
    HttpServiceConfig,
    HttpServiceSource,
    Quarantined,
)
from onec_client.fake import render_wsdl

from .conftest import FIXTURES, MSK, NO_WAIT, collect

FILES = {
    "/hs/b2b/v1/counterparties": ("http-counterparties.json", "application/json"),
    "/hs/b2b/v1/documents": ("http-documents.json", "application/json"),
    "/hs/b2b/v1/credit": ("http-credit.json", "application/json"),
    "/hs/b2b/v1/documents/db7262bf-7193-4303-85b1-d68bc7cccf65/file": (
        "http-file.json",
        "application/json; charset=utf-8",
    ),
}


def _serve_fixtures(request: httpx.Request) -> httpx.Response:
    name, content_type = FILES[request.url.path]
    return httpx.Response(
        200, content=(FIXTURES / name).read_bytes(), headers={"content-type": content_type}
    )


def _source() -> HttpServiceSource:
    config = HttpServiceConfig(url="http://1c.test/hs/b2b/v1", retry=NO_WAIT)
    return HttpServiceSource(config, transport=httpx.MockTransport(_serve_fixtures))


async def test_http_samples_normalise():
    async with _source() as source:
        parties = await collect(source.counterparties())
        docs = await collect(source.documents())
        credit = await collect(source.credit())
        async with source.open_file("db7262bf-7193-4303-85b1-d68bc7cccf65") as file:
            data = await file.read()
            assert file.filename == "Счет на оплату ТДУТ-000123.pdf"
            assert file.size == len(data)
    assert all(isinstance(p, Counterparty) for p in parties)
    assert [p.active for p in parties] == [True, True, False]
    assert data == (FIXTURES / "sample.pdf").read_bytes()
    valid = [d for d in docs if isinstance(d, Document)]
    assert [d.number for d in valid] == ["ТДУТ-000123", "125", "СВ-000012"]
    assert [d.type for d in valid] == [DocType.invoice, DocType.upd, DocType.reconciliation]
    assert valid[1].order_ref is None
    assert valid[1].amount == Decimal("1250000.50")
    (bad,) = [d for d in docs if isinstance(d, Quarantined)]
    assert bad.key == "98ceb29a-f821-44c8-88fd-a9421023956f"
    assert bad.reason.startswith("counterparty:")
    assert all(isinstance(c, CreditStatus) for c in credit)
    assert credit[0].overdue_since is None
    assert credit[1].overdue_since == date(2024, 3, 15)
    assert credit[1].over_limit
    assert credit[0].as_of is not None
    assert credit[0].as_of.tzinfo == MSK


def test_wsdl_fixture_is_the_fakes_wsdl():
    assert (FIXTURES / "b2b.wsdl").read_text(encoding="utf-8") == render_wsdl()
