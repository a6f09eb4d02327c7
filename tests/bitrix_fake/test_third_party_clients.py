"""Wire fidelity: two independent public Bitrix clients against the fake on loopback.

``fast_bitrix24`` (aiohttp, JSON bodies, batched paging) and ``b24pysdk`` (requests, JSON bodies,
``start``/keyset paging) were written against real Bitrix sites; if either fails here where a
real site works, the fake is wrong. b24pysdk hard-codes ``https://{domain}/rest``; the test swaps
only that scheme for ``http`` (the loopback server speaks plain HTTP).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from b24pysdk import BitrixWebhook, Client
from b24pysdk.api.callers.call_method import _MethodCaller
from fast_bitrix24 import Bitrix

from bitrix_client.fake import FakeBitrixApp, FakeSite, ManualClock, create_app, serve_sync

from .conftest import RECORDED_SCOPES, SECRET

ORDERS = 2345
SYSTEM_STATUSES = {"N", "F", "DN", "DF"}


async def _seed_orders(app: FakeBitrixApp, count: int) -> None:
    """Orders through the fake's own REST API, 50 per batch, as a real seeding script would."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=f"http://shop.example.ru/rest/1/{SECRET}/"
    ) as client:
        person = await client.post(
            "sale.persontype.add",
            json={"fields": {"name": "Юридическое лицо", "lid": "s1", "xmlId": "LEGAL"}},
        )
        person_type = person.json()["result"]["personType"]["id"]
        fields = {"lid": "s1", "personTypeId": person_type, "currency": "RUB", "userId": 1}
        query = str(httpx.QueryParams({f"fields[{k}]": v for k, v in fields.items()}))
        for first in range(0, count, 50):
            cmd = {f"o{n}": f"sale.order.add?{query}" for n in range(first, min(count, first + 50))}
            answer = (await client.post("batch", json={"cmd": cmd})).json()["result"]
            assert answer["result_error"] == [], answer["result_error"]


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakeBitrixApp, str]]:
    site = FakeSite(clock=ManualClock())
    site.add_webhook(1, SECRET, RECORDED_SCOPES)
    app = create_app(site)
    asyncio.run(_seed_orders(app, ORDERS))
    with serve_sync(app) as url:
        yield app, url


@pytest.fixture
def b24(served: tuple[FakeBitrixApp, str], monkeypatch: pytest.MonkeyPatch) -> Client:
    _, url = served
    monkeypatch.setattr(
        _MethodCaller, "_base_url", property(lambda self: f"http://{self._domain}/rest")
    )
    return Client(BitrixWebhook(domain=url.removeprefix("http://"), webhook_token=f"1/{SECRET}"))


def _ids(rows: Any) -> list[int]:
    return [int(row["id"]) for row in rows]


def test_fast_bitrix24_reads_every_order(served: tuple[FakeBitrixApp, str]) -> None:
    app, url = served
    before = app.stats.http_requests
    bitrix = Bitrix(f"{url}/rest/1/{SECRET}/", verbose=False)
    orders = bitrix.get_all("sale.order.list", {"select": ["id", "statusId"]})
    assert sorted(_ids(orders)) == list(range(1, ORDERS + 1))
    assert {order["statusId"] for order in orders} == {"N"}
    # one counting request, then 50-command batches of pages: far fewer requests than pages
    assert app.stats.http_requests - before < ORDERS // 50


def test_fast_bitrix24_statuses_and_batch(served: tuple[FakeBitrixApp, str]) -> None:
    _, url = served
    bitrix = Bitrix(f"{url}/rest/1/{SECRET}/", verbose=False)
    statuses = bitrix.get_all("sale.status.list")
    assert {status["id"] for status in statuses} >= SYSTEM_STATUSES
    answer = bitrix.call_batch(
        {
            "halt": 0,
            "cmd": {
                "first": "sale.order.list?select[]=id&order[id]=desc&start=-1",
                "get": "sale.order.get?id=$result[first][orders][0][id]",
            },
        }
    )
    assert answer["get"]["order"]["id"] == ORDERS


def test_b24pysdk_reads_every_order(b24: Client) -> None:
    orders = b24.sale.order.list(select=["id"]).as_list().result
    assert _ids(orders) == list(range(1, ORDERS + 1))
    fast = list(b24.sale.order.list(select=["id"]).as_list_fast().result)
    assert sorted(_ids(fast)) == list(range(1, ORDERS + 1))


def test_b24pysdk_statuses_and_batch(b24: Client) -> None:
    statuses = b24.sale.status.list().result["statuses"]
    assert {status["id"] for status in statuses} >= SYSTEM_STATUSES
    batch = b24.call_batch(
        {
            "statuses": b24.sale.status.list(),
            "tail": b24.sale.order.list(select=["id"], filter={">id": ORDERS - 3}),
        }
    ).result
    assert _ids(batch.result["tail"]["orders"]) == [ORDERS - 2, ORDERS - 1, ORDERS]
    assert batch.result_total["tail"] == 3
    assert batch.result_error == []
