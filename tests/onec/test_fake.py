"""The 1C fake itself: deterministic data, valid PDFs, auth, faults, loopback serving."""

from __future__ import annotations

import base64
import re

import httpx
import pytest

from onec_client.fake import (
    DEFAULT_PASSWORD,
    DEFAULT_USER,
    HTTP_PREFIX,
    FakeOneC,
    FaultPlan,
    env_lines,
    generate,
    make_pdf,
    serve,
)

from .conftest import BASE


def test_same_seed_same_data_other_seed_other_data():
    first, again, other = generate(3, 5, 4), generate(3, 5, 4), generate(4, 5, 4)
    assert first == again
    assert list(first.documents) != list(other.documents)
    assert len(first.documents) == 20


def test_credit_positions_cover_every_case():
    data = generate(9, 8, 1)
    positions = list(data.credit.values())
    assert any(c.limit is not None and c.used > c.limit for c in positions)
    assert any(c.overdue_amount > 0 and c.overdue_since is not None for c in positions)
    assert any(c.limit is None for c in positions)
    assert any(
        c.overdue_amount == 0 and c.limit is not None and c.used <= c.limit for c in positions
    )


def test_inns_have_valid_check_digits():
    for party in generate(2, 12, 0).counterparties.values():
        digits = [int(d) for d in party.inn or ""]
        if len(digits) == 10:
            weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
            assert sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10 == digits[9]
        else:
            assert len(digits) == 12


def test_pdfs_are_valid_and_deterministic():
    pdf = make_pdf("Счёт № СЧ-1", ["Number SCH-1"], pad_to=5000)
    assert pdf == make_pdf("Счёт № СЧ-1", ["Number SCH-1"], pad_to=5000)
    assert pdf.startswith(b"%PDF-1.4")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 5000
    startxref = int(re.search(rb"startxref\n(\d+)", pdf).group(1))
    assert pdf[startxref:].startswith(b"xref")
    offsets = [int(m) for m in re.findall(rb"(\d{10}) 00000 n", pdf)]
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(b"%d 0 obj" % number)
    assert "Счёт № СЧ-1".encode("utf-16-be").hex().upper().encode() in pdf


def test_fault_plan_is_deterministic_and_route_scoped():
    plan = FaultPlan()
    plan.inject("500", times=2, route="file")
    assert plan.take("documents") is None
    assert plan.take("file") == "500"
    assert plan.take("file") == "500"
    assert plan.take("file") is None
    draws = []
    for _ in range(2):
        plan = FaultPlan()
        plan.chaos(seed=42, rate=0.3)
        draws.append([plan.take("documents") for _ in range(50)])
    assert draws[0] == draws[1]
    assert 5 < sum(1 for d in draws[0] if d) < 30
    with pytest.raises(ValueError, match="unknown fault"):
        plan.inject("teapot")  # type: ignore[arg-type]


async def test_basic_auth_is_required_and_utf8(fake):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(fake), base_url=BASE) as client:
        assert (await client.get(HTTP_PREFIX + "/counterparties")).status_code == 401
        latin1 = base64.b64encode(f"{DEFAULT_USER}:{DEFAULT_PASSWORD}".encode()).decode()
        ok = await client.get(
            HTTP_PREFIX + "/counterparties", headers={"Authorization": f"Basic {latin1}"}
        )
        assert ok.status_code == 200
        broken = base64.b64encode("Обмен:x".encode("cp1251")).decode()
        bad = await client.get(
            HTTP_PREFIX + "/counterparties", headers={"Authorization": f"Basic {broken}"}
        )
        assert bad.status_code == 401
        assert (await client.get("/favicon.ico")).status_code == 404
    assert fake.requests["counterparties"] == 3


async def test_bad_parameters_are_400_with_a_1c_style_message(fake):
    auth = (DEFAULT_USER, DEFAULT_PASSWORD)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(fake), base_url=BASE, auth=auth
    ) as client:
        answer = await client.get(HTTP_PREFIX + "/documents", params={"changed_since": "вчера"})
        assert answer.status_code == 400
        assert answer.json()["Ошибка"].startswith("Неверный формат даты")
        answer = await client.get(HTTP_PREFIX + "/documents", params={"cursor": "###"})
        assert answer.status_code == 400


def test_env_lines_for_each_source(tmp_path):
    assert env_lines("http://127.0.0.1:5000") == [
        "B2BSYNC_ONEC__KIND=http",
        "B2BSYNC_ONEC__URL=http://127.0.0.1:5000/ut11/hs/b2b/v1",
        f"B2BSYNC_ONEC__USERNAME={DEFAULT_USER}",
        f"B2BSYNC_ONEC__PASSWORD={DEFAULT_PASSWORD}",
        "B2BSYNC_ONEC__TIMEZONE=Europe/Moscow",
    ]
    soap = env_lines("http://127.0.0.1:5000", "soap")
    assert "B2BSYNC_ONEC__WSDL_URL=http://127.0.0.1:5000/ut11/ws/b2b.1cws?wsdl" in soap
    assert "B2BSYNC_ONEC__ENDPOINT=http://127.0.0.1:5000/ut11/ws/b2b.1cws" in soap
    xml = env_lines("", "xml", directory=tmp_path)
    assert f"B2BSYNC_ONEC__DIRECTORY={tmp_path}" in xml
    with pytest.raises(ValueError, match="drop directory"):
        env_lines("", "xml")


def test_serves_on_loopback_and_stops():
    fake = FakeOneC(counterparties=2, documents=1)
    with serve(fake) as served:
        assert served.base_url.startswith("http://127.0.0.1:")
        answer = httpx.get(
            served.http_url + "/counterparties", auth=(DEFAULT_USER, DEFAULT_PASSWORD)
        )
        assert answer.status_code == 200
        assert len(answer.json()["Данные"]) == 2
        assert fake.on_loopback
    assert not fake.on_loopback
    with pytest.raises(httpx.ConnectError):
        httpx.get(served.http_url + "/counterparties", timeout=2)
