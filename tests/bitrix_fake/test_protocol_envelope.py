"""Envelopes (JSON and XML) and the rest module's own methods, compared with recorded answers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bitrix_client.fake import FakeSite, ManualClock
from bitrix_client.fake._core_methods import GLOBAL_METHOD_LIST
from bitrix_client.fake._envelope import encode_json
from bitrix_client.fake._site import SITE_SCOPES
from bitrix_client.fake._xml import encode_xml, php_float

from ._demo import DEMO, demo_app
from .conftest import WEBHOOK_URL


@pytest.fixture
async def client(fake_site: FakeSite) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=demo_app(fake_site))
    async with httpx.AsyncClient(transport=transport, base_url=WEBHOOK_URL) as c:
        yield c


def test_json_is_php_json_encode() -> None:
    assert encode_json({"a": {}, "b": [], "c": "Гайка М8 ✓", "d": None}) == (
        '{"a":[],"b":[],"c":"Гайка М8 ✓","d":null}'.encode()
    )
    assert encode_json({"m": {0: "x", 1: "y"}, "n": {"1": "x"}, "o": {"0": 1, "2": 2}}) == (
        b'{"m":["x","y"],"n":{"1":"x"},"o":{"0":1,"2":2}}'
    )
    assert encode_json({"price": 3.2, "whole": 48, "f": 0.0}) == b'{"price":3.2,"whole":48,"f":0.0}'


def test_xml_matches_recorded_shape() -> None:
    body = {
        "result": {"status": {"color": None, "id": "N", "notify": "Y", "sort": 100}},
        "time": {"start": 1795483078.8217, "duration": 0.012946844100952447, "p": 1.5e-05},
    }
    assert encode_xml(body) == (
        b"<response><result><status><color></color><id>N</id><notify>Y</notify>"
        b"<sort>100</sort></status></result><time><start>1795483078.8217</start>"
        b"<duration>0.012946844100952</duration><p>1.5E-5</p></time></response>"
    )
    assert encode_xml({"result": ["a", True, False, "<&>"]}) == (
        b"<response><result><item>a</item><item>1</item><item></item>"
        b"<item>&lt;&amp;&gt;</item></result></response>"
    )
    assert php_float(1795483122.858691) == "1795483122.8587"


async def test_time_block_follows_the_site_clock(
    client: httpx.AsyncClient, fake_clock: ManualClock
) -> None:
    body = (await client.post("server.time.json")).json()
    assert body["result"] == "2026-11-24T04:17:58+03:00"
    assert list(body) == ["result", "time"]
    time = body["time"]
    assert list(time) == ["start", "finish", "duration", "processing", "date_start", "date_finish"]
    assert time["start"] == fake_clock().timestamp()
    assert time["date_start"] == "2026-11-24T04:17:58+03:00"
    assert time["duration"] == pytest.approx(time["finish"] - time["start"])
    fake_clock.advance(61)
    later = (await client.post("server.time")).json()
    assert later["result"] == "2026-11-24T04:18:59+03:00"


async def test_list_envelope_orders_next_before_total(client: httpx.AsyncClient) -> None:
    first = (await client.post("demo.item.list", json={})).json()
    assert list(first) == ["result", "next", "total", "time"]
    assert (first["next"], first["total"]) == (50, 120)
    last = (await client.post("demo.item.list", json={"start": 100})).json()
    assert list(last) == ["result", "total", "time"]
    uncounted = (await client.post("demo.item.list", json={"start": -1})).json()
    assert list(uncounted) == ["result", "time"]


async def test_xml_transport(client: httpx.AsyncClient) -> None:
    answer = await client.post("demo.item.get.xml", json={"id": 3})
    assert answer.headers["content-type"] == "text/xml; charset=utf-8"
    assert answer.text.startswith(
        "<response><result><item><id>3</id><name>item 3</name></item></result><time><start>"
    )
    missing = await client.post("demo.item.get.xml", json={"id": 999})
    assert missing.status_code == 400
    assert missing.text == (
        "<response><error>201340400001</error>"
        "<error_description>item is not exists</error_description></response>"
    )


async def test_core_methods_as_recorded(client: httpx.AsyncClient) -> None:
    async def result(method: str, **params: object) -> object:
        answer = await client.post(f"{method}.json", json=params)
        assert answer.status_code == 200, answer.text
        return answer.json()["result"]

    assert await result("profile") == {
        "ID": "1",
        "ADMIN": True,
        "NAME": "Admin",
        "LAST_NAME": "Local",
        "PERSONAL_GENDER": "",
        "TIME_ZONE": None,
    }
    assert await result("scope") == ["b2bsync", "catalog", "sale", "user"]
    assert await result("scope", full=True) == [*SITE_SCOPES, "b2bsync"]
    assert await result("methods") == list(GLOBAL_METHOD_LIST)
    assert (await client.get("methods.json?scope=sale")).json()["result"] == []
    assert await result("method.get", name="sale.order.list") in (
        {"isExisting": True, "isAvailable": True},
        {"isExisting": False, "isAvailable": False},  # before the sale family is wired
    )
    assert await result("method.get", name="demo.item.list") == {
        "isExisting": True,
        "isAvailable": True,
    }
    assert await result("method.get", name="no.such.method") == {
        "isExisting": False,
        "isAvailable": False,
    }
    answer = (await client.post("catalog.catalog.list.json", json={})).json()
    assert (answer["result"], answer["total"]) == ({"catalogs": []}, 0)


async def test_method_get_without_the_scope_is_not_available(fake_site: FakeSite) -> None:
    app = demo_app(fake_site)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=WEBHOOK_URL.replace("k3y4recordings01", "c4talog0nly00002"),
    ) as client:
        answer = await client.post("method.get", json={"name": "demo.item.get"})
    assert answer.json()["result"] == {"isExisting": True, "isAvailable": False}
    assert DEMO.get("demo.item.get") is not None


async def test_options_round_trip(client: httpx.AsyncClient) -> None:
    await client.post("user.option.set", json={"options": {"cursor": "42"}})
    answer = await client.post("user.option.get", json={"option": "cursor"})
    assert answer.json()["result"] == "42"
    assert (await client.post("user.admin")).json()["result"] is True
    denied = await client.post("app.option.set", json={"options": {"a": 1}})
    assert denied.status_code == 403
