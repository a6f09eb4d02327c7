"""Retry rules, driven through the real client against scripted transport failures (respx)."""

import httpx
import pytest
import respx

from bitrix_client import (
    BitrixClient,
    ProtocolError,
    RateLimit,
    RateLimiter,
    RetryPolicy,
    ServerError,
    TransportError,
    WriteOutcomeUnknownError,
    is_idempotent,
)

BASE = "https://shop.example.ru/rest/1/s3cr3tw3bh00k/"
OK = {"result": {"order": {"id": 7}}, "time": {}}


def client(clock=None, **kw):
    limiter = None
    if clock is not None:
        limiter = RateLimiter(
            RateLimit(50, 2.0), clock=clock, wall_clock=clock, sleep=clock.sleep, safety=0
        )
    return BitrixClient.from_webhook(BASE, retry=RetryPolicy.no_wait(), limiter=limiter, **kw)


@pytest.mark.parametrize(
    ("method", "params", "expected"),
    [
        ("sale.order.list", {}, True),
        ("sale.order.get", {}, True),
        ("sale.status.getFields", {}, True),
        ("server.time", {}, True),
        ("b2bsync.info", {}, True),
        ("b2bsync.user.find", {}, True),
        ("sale.order.update", {}, True),
        ("b2bsync.item.upsert", {}, True),
        ("b2bsync.item.delete", {}, True),
        ("sale.propertyvalue.modify", {}, True),
        ("b2bsync.mail.type.ensure", {}, True),
        ("sale.order.add", {}, False),
        ("b2bsync.item.add", {}, False),
        ("b2bsync.user.add", {}, False),
        ("b2bsync.mail.send", {}, False),
        ("b2bsync.mail.send", {"DEDUP_KEY": "invite:1"}, True),
        ("something.unknown", {}, False),
    ],
)
def test_idempotency_rules(method, params, expected):
    assert is_idempotent(method, params) is expected


@respx.mock
async def test_read_retries_server_errors():
    route = respx.post(f"{BASE}sale.order.get.json").mock(
        side_effect=[httpx.Response(500, text="<html>oops</html>"), httpx.Response(200, json=OK)]
    )
    async with client() as c:
        response = await c.call("sale.order.get", {"id": 7})
    assert response.result == {"order": {"id": 7}}
    assert route.call_count == 2
    assert c.stats.retries == 1


@respx.mock
async def test_timed_out_add_is_never_replayed():
    route = respx.post(f"{BASE}sale.order.add.json").mock(side_effect=httpx.ReadTimeout("slow"))
    async with client() as c:
        with pytest.raises(WriteOutcomeUnknownError, match="idempotency key") as info:
            await c.call("sale.order.add", {"fields": {}})
    assert route.call_count == 1
    assert isinstance(info.value.__cause__, TransportError)


@respx.mock
async def test_dropped_connection_after_send_is_not_replayed_for_add():
    route = respx.post(f"{BASE}b2bsync.item.add.json").mock(
        side_effect=httpx.RemoteProtocolError("peer closed connection")
    )
    async with client() as c:
        with pytest.raises(WriteOutcomeUnknownError):
            await c.call("b2bsync.item.add", {"HLBLOCK": "X", "FIELDS": {}})
    assert route.call_count == 1


@respx.mock
async def test_add_is_retried_when_the_server_never_got_it():
    route = respx.post(f"{BASE}sale.order.add.json").mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(200, json=OK)]
    )
    async with client() as c:
        response = await c.call("sale.order.add", {"fields": {}})
    assert response.result["order"]["id"] == 7
    assert route.call_count == 2


@respx.mock
async def test_add_is_not_retried_after_a_500():
    route = respx.post(f"{BASE}sale.order.add.json").mock(
        return_value=httpx.Response(500, json={"error": "INTERNAL_SERVER_ERROR"})
    )
    async with client() as c:
        with pytest.raises(ServerError):
            await c.call("sale.order.add", {"fields": {}})
    assert route.call_count == 1


@respx.mock
async def test_idempotent_write_retries_a_timeout():
    route = respx.post(f"{BASE}b2bsync.item.upsert.json").mock(
        side_effect=[
            httpx.ReadTimeout("slow"),
            httpx.Response(200, json={"result": {"ID": 3, "ACTION": "added"}}),
        ]
    )
    async with client() as c:
        result = await c.bridge.item_upsert("B2bCompanies", ["UF_XML_ID"], {"UF_XML_ID": "g"})
    assert (result.id, result.action) == (3, "added")
    assert route.call_count == 2


@respx.mock
async def test_mail_with_dedup_key_is_retried():
    route = respx.post(f"{BASE}b2bsync.mail.send.json").mock(
        side_effect=[
            httpx.ReadTimeout("slow"),
            httpx.Response(200, json={"result": {"ID": 1, "DUPLICATE": True}}),
        ]
    )
    async with client() as c:
        result = await c.bridge.mail_send("B2B_ORDER_CREATED", "s1", {}, dedup_key="order:1")
    assert result == {"ID": 1, "DUPLICATE": True}
    assert route.call_count == 2


@respx.mock
async def test_503_is_retried_even_for_add_and_fills_the_bucket(clock):
    limited = httpx.Response(503, json={"error": "QUERY_LIMIT_EXCEEDED"})
    route = respx.post(f"{BASE}sale.order.add.json").mock(
        side_effect=[limited, limited, httpx.Response(200, json=OK)]
    )
    async with client(clock) as c:
        await c.call("sale.order.add", {"fields": {}})
    assert route.call_count == 3
    assert c.stats.rate_limited == 2
    assert clock.slept == [pytest.approx(0.5), pytest.approx(0.5)]


@respx.mock
async def test_429_waits_until_the_method_budget_resets(clock):
    reset_at = clock.now + 42
    route = respx.post(f"{BASE}sale.order.list.json").mock(
        side_effect=[
            httpx.Response(
                429,
                json={
                    "error": "OPERATION_TIME_LIMIT",
                    "error_description": "Method is blocked due to operation time limit.",
                    "time": {"operating_reset_at": reset_at},
                },
            ),
            httpx.Response(200, json={"result": {"orders": []}, "total": 0}),
        ]
    )
    async with client(clock) as c:
        await c.call("sale.order.list", {})
    assert route.call_count == 2
    assert clock.now >= reset_at
    assert c.stats.time_limited == 1


@respx.mock
async def test_attempts_are_bounded():
    route = respx.post(f"{BASE}sale.order.get.json").mock(return_value=httpx.Response(502))
    c = BitrixClient.from_webhook(BASE, retry=RetryPolicy.no_wait(attempts=3))
    async with c:
        with pytest.raises(ServerError):
            await c.call("sale.order.get", {"id": 1})
    assert route.call_count == 3


@respx.mock
async def test_html_page_with_200_is_a_protocol_error_and_not_retried():
    route = respx.post(f"{BASE}sale.order.get.json").mock(
        return_value=httpx.Response(200, text="<html><body>Авторизация</body></html>")
    )
    async with client() as c:
        with pytest.raises(ProtocolError):
            await c.call("sale.order.get", {"id": 1})
    assert route.call_count == 1


@respx.mock
async def test_form_bodies_are_sent_with_encoded_keys():
    route = respx.post(f"{BASE}sale.order.list.json").mock(
        return_value=httpx.Response(200, json={"result": {"orders": []}, "total": 0})
    )
    async with client(body="form") as c:
        await c.call("sale.order.list", {"filter": {">=id": 10}})
    request = route.calls.last.request
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.content == b"filter%5B%3E%3Did%5D=10"
