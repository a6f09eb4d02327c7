"""The webhook secret, tokens and passwords never reach the logs."""

import io
import json

import httpx
import pytest
import respx
import structlog

from b2bsync._logging import REDACTED, Redactor, configure_logging
from bitrix_client import BitrixClient, RetryPolicy, TransportError

SECRET = "q1w2e3r4t5y6u7i8"
BASE = f"https://shop.example.ru/rest/1/{SECRET}/"


def test_redactor_scrubs_urls_keys_and_registered_values():
    redact = Redactor(["Пароль-1С-42"])
    event = {
        "event": "x",
        "url": f"{BASE}sale.order.list.json",
        "password": "hunter2",
        "refresh_token": "r-123",
        "note": "login failed for user with Пароль-1С-42",
        "nested": {"access_token": "abc", "list": [f"GET /rest/7/{SECRET}/x?auth=zzz9"]},
        "exc": ValueError(f"cannot reach {BASE}"),
    }
    out = redact(None, "info", dict(event))
    text = json.dumps(out, ensure_ascii=False)
    for secret in (SECRET, "hunter2", "r-123", "Пароль-1С-42", "abc", "zzz9"):
        assert secret not in text
    assert out["password"] == REDACTED
    assert out["url"] == f"https://shop.example.ru/rest/1/{REDACTED}/sale.order.list.json"


@pytest.fixture
def captured():
    stream = io.StringIO()
    configure_logging(level="debug", fmt="json", stream=stream)
    yield stream
    structlog.reset_defaults()


@respx.mock
async def test_client_logs_never_contain_the_webhook_secret(captured):
    respx.post(f"{BASE}sale.order.get.json").mock(
        side_effect=httpx.ConnectError(f"connection to {BASE}sale.order.get.json refused")
    )
    respx.post(f"{BASE}server.time.json").mock(
        return_value=httpx.Response(200, json={"result": "now"})
    )
    async with BitrixClient.from_webhook(BASE, retry=RetryPolicy.no_wait(attempts=2)) as c:
        await c.call("server.time")
        with pytest.raises(TransportError) as info:
            await c.call("sale.order.get", {"id": 1})
        structlog.get_logger().error("sync.failed", error=info.value, url=BASE)
    lines = [json.loads(line) for line in captured.getvalue().splitlines()]
    assert {line["event"] for line in lines} >= {"bitrix.request", "sync.failed"}
    assert SECRET not in captured.getvalue()
    requests = [line for line in lines if line["event"] == "bitrix.request"]
    assert requests[0]["method"] == "server.time"
    assert requests[0]["status"] == 200
    assert "duration_ms" in requests[0]
