"""Paging stops with ProtocolError instead of looping when the server misbehaves (respx)."""

import json

import httpx
import pytest
import respx

from bitrix_client import BitrixClient, ProtocolError, RetryPolicy

BASE = "https://shop.example.ru/rest/1/l00pdet3ct10n/"


def page(rows, *, total=None, next_=None):
    body = {"result": {"items": rows}}
    if next_ is not None:
        body["next"] = next_
    if total is not None:
        body["total"] = total
    return body


def _batch_answer(request: httpx.Request, per_command) -> httpx.Response:
    cmd = json.loads(request.content)["cmd"]
    result, nexts = {}, {}
    for name, line in cmd.items():
        body = per_command(name, line)
        result[name] = body["result"]
        if "next" in body:
            nexts[name] = body["next"]
    return httpx.Response(
        200,
        json={"result": {"result": result, "result_error": [], "result_next": nexts or []}},
    )


@respx.mock
async def test_offset_paging_refuses_a_server_that_repeats_next():
    rows = [{"id": i} for i in range(50)]
    respx.post(f"{BASE}demo.item.list.json").mock(
        return_value=httpx.Response(200, json=page(rows, total=500, next_=50))
    )
    respx.post(f"{BASE}batch.json").mock(
        side_effect=lambda request: _batch_answer(
            request,
            lambda name, line: page(rows, next_=50),  # always "next": 50
        )
    )
    async with BitrixClient.from_webhook(BASE, retry=RetryPolicy.no_wait()) as client:
        with pytest.raises(ProtocolError, match="refusing to loop"):
            [r async for r in client.iterate("demo.item.list", items_key="items", keyset=False)]


@respx.mock
async def test_offset_paging_without_total_detects_a_repeated_next():
    rows = [{"id": i} for i in range(50)]
    route = respx.post(f"{BASE}demo.item.list.json").mock(
        return_value=httpx.Response(200, json=page(rows, next_=50))
    )
    async with BitrixClient.from_webhook(BASE, retry=RetryPolicy.no_wait()) as client:
        with pytest.raises(ProtocolError, match="next=50 does not advance"):
            [r async for r in client.iterate("demo.item.list", items_key="items", keyset=False)]
    assert route.call_count == 2


@respx.mock
async def test_keyset_paging_refuses_a_page_that_does_not_advance():
    first = [{"id": i} for i in range(1, 51)]
    respx.post(f"{BASE}demo.item.list.json").mock(
        return_value=httpx.Response(200, json=page(first, total=5000))
    )
    # every chained page answers the same rows again, as if the >id filter were ignored
    respx.post(f"{BASE}batch.json").mock(
        side_effect=lambda request: _batch_answer(request, lambda name, line: page(first))
    )
    async with BitrixClient.from_webhook(BASE, retry=RetryPolicy.no_wait()) as client:
        with pytest.raises(ProtocolError, match="did not advance"):
            [r async for r in client.iterate("demo.item.list", items_key="items")]


@respx.mock
async def test_offset_paging_follows_total_in_batches():
    def answer(request: httpx.Request, per=50, total=170):
        return _batch_answer(
            request,
            lambda name, line: page(
                [{"id": s} for s in range(int(name[1:]), min(int(name[1:]) + per, total))],
                next_=int(name[1:]) + per if int(name[1:]) + per < total else None,
            ),
        )

    respx.post(f"{BASE}demo.item.list.json").mock(
        return_value=httpx.Response(
            200, json=page([{"id": i} for i in range(50)], total=170, next_=50)
        )
    )
    batch = respx.post(f"{BASE}batch.json").mock(side_effect=answer)
    async with BitrixClient.from_webhook(BASE, retry=RetryPolicy.no_wait()) as client:
        rows = [r async for r in client.iterate("demo.item.list", items_key="items", keyset=False)]
    assert [r["id"] for r in rows] == list(range(170))
    assert batch.call_count == 1
