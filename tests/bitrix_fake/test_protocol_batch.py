"""``batch`` as recorded (seq 149–164)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bitrix_client.fake import FakeBitrixApp, FakeSite, Limits

from ._demo import demo_app, rows
from .conftest import WEBHOOK_URL


@pytest.fixture
def app(fake_site: FakeSite) -> FakeBitrixApp:
    return demo_app(fake_site)


@pytest.fixture
async def client(app: FakeBitrixApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=WEBHOOK_URL) as c:
        yield c


async def batch(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    answer = await client.post("batch.json", json=params)
    assert answer.status_code == 200
    body = answer.json()
    assert list(body) == ["result", "time"]
    inner: dict[str, Any] = body["result"]
    assert list(inner) == ["result", "result_error", "result_total", "result_next", "result_time"]
    return inner


async def test_fifty_commands_run_the_rest_are_refused(client: httpx.AsyncClient) -> None:
    cmd = {f"c{i:02d}": f"demo.item.get?id={i + 1}" for i in range(52)}
    out = await batch(client, halt=0, cmd=cmd)
    assert list(out["result"]) == [f"c{i:02d}" for i in range(50)]
    assert out["result_error"] == {
        key: {
            "error": "ERROR_BATCH_LENGTH_EXCEEDED",
            "error_description": "Max batch length exceeded",
        }
        for key in ("c50", "c51")
    }
    assert out["result_total"] == []
    assert list(out["result_time"]) == list(out["result"])


async def test_empty_or_missing_cmd_gives_five_empty_lists(client: httpx.AsyncClient) -> None:
    for params in ({}, {"cmd": []}, {"cmd": "server.time"}):
        assert await batch(client, **params) == {
            "result": [],
            "result_error": [],
            "result_total": [],
            "result_next": [],
            "result_time": [],
        }


async def test_list_cmd_gives_list_shaped_maps(client: httpx.AsyncClient) -> None:
    out = await batch(
        client, cmd=["demo.item.list?start=100", "demo.item.get?id=999", "server.time"]
    )
    assert isinstance(out["result"], dict)  # keys 0 and 2: not a list any more
    assert list(out["result"]) == ["0", "2"]
    assert out["result_total"] == [120]
    assert out["result_error"] == {
        "1": {"error": 201340400001, "error_description": "item is not exists"}
    }
    full = await batch(client, cmd=["server.time", "server.time"])
    assert isinstance(full["result"], list)
    assert isinstance(full["result_time"], list)


async def test_totals_and_nexts_only_where_present(client: httpx.AsyncClient) -> None:
    out = await batch(
        client,
        cmd={
            "p0": "demo.item.list?start=0",
            "p2": "demo.item.list?start=100",
            "k": "demo.item.list?start=-1",
        },
    )
    assert out["result_total"] == {"p0": 120, "p2": 120}
    assert out["result_next"] == {"p0": 50}


@pytest.mark.parametrize(
    ("halt", "stops"),
    [
        (0, False),
        (1, True),
        ("0", False),
        ("false", True),
        ("", False),
        (True, True),
        (False, False),
    ],
)
async def test_halt_is_php_truthiness(client: httpx.AsyncClient, halt: Any, stops: bool) -> None:
    cmd = {"a": "demo.item.get?id=1", "b": "demo.item.get?id=999", "c": "server.time"}
    out = await batch(client, halt=halt, cmd=cmd)
    assert list(out["result_error"]) == ["b"]
    assert list(out["result"]) == (["a"] if stops else ["a", "c"])
    assert list(out["result_time"]) == list(out["result"])


async def test_form_string_false_halts(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "batch.json",
        content="halt=false&cmd%5Ba%5D=nope&cmd%5Bb%5D=server.time",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    out = answer.json()["result"]
    assert out["result"] == []
    assert list(out["result_error"]) == ["a"]


async def test_nested_batch_refused_but_upper_case_runs(client: httpx.AsyncClient) -> None:
    out = await batch(client, cmd={"inner": "batch?cmd[x]=server.time", "t": "server.time"})
    assert out["result_error"] == {
        "inner": {
            "error": "ERROR_BATCH_METHOD_NOT_ALLOWED",
            "error_description": "Method is not allowed for batch usage",
        }
    }
    upper = await batch(client, cmd={"inner": "BATCH?cmd[x]=server.time", "t": "server.time"})
    nested = upper["result"]["inner"]
    assert list(nested) == ["result", "result_error", "result_total", "result_next", "result_time"]
    assert list(nested["result"]) == ["x"]
    assert list(upper["result_time"]) == ["inner", "t"]


async def test_sub_call_scope_error_has_an_empty_description(client: httpx.AsyncClient) -> None:
    out = await batch(client, cmd={"e": "entity.get", "t": "server.time", "n": "no.such.method"})
    assert out["result_error"] == {
        "e": {"error": "insufficient_scope", "error_description": ""},
        "n": {"error": "ERROR_METHOD_NOT_FOUND", "error_description": "Method not found!"},
    }


async def test_result_references(client: httpx.AsyncClient) -> None:
    out = await batch(
        client,
        cmd={
            "first": "demo.item.list?start=100",
            "second": "demo.item.get?id=$result[first][items][0][id]",
            "third": "test.echo?x=$result[second][item][name]!&all=$result[first][items][1]",
            "fourth": "test.echo?missing=$result[nope][0]",
        },
    )
    assert out["result"]["second"] == {"item": {"id": 101, "name": "item 101"}}
    assert out["result"]["third"] == {"x": "item 101!", "all": {"id": 102, "name": "item 102"}}
    assert out["result"]["fourth"] == {"missing": ""}


async def test_cmd_queries_use_php_decoding(client: httpx.AsyncClient) -> None:
    out = await batch(
        client,
        cmd={
            "raw": "test.echo?filter[>=id]=118&select[]=id",
            "encoded": "test.echo?filter%5B%3E%3Did%5D=118&select[]=id",
        },
    )
    assert out["result"]["raw"] == {"filter_>": "id]=118", "select": ["id"]}
    assert out["result"]["encoded"] == {"filter": {">=id": "118"}, "select": ["id"]}


async def test_writes_inside_a_batch_apply_in_order(
    app: FakeBitrixApp, client: httpx.AsyncClient
) -> None:
    out = await batch(
        client, cmd={"a": "demo.item.add?name=x", "b": "demo.item.get?id=$result[a][item][id]"}
    )
    assert out["result"]["b"]["item"]["name"] == "x"
    assert rows(app.site)[-1]["name"] == "x"
    assert app.stats.calls["demo.item.add"] == 1


async def test_batch_counts_once_against_the_bucket(fake_site: FakeSite) -> None:
    app = demo_app(fake_site, limits=Limits.custom(capacity=2, drain_per_second=1))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=WEBHOOK_URL) as client:
        first = await client.post("batch", json={"cmd": ["server.time"] * 50})
        second = await client.post("batch", json={"cmd": ["server.time"] * 50})
        third = await client.post("server.time")
    assert [first.status_code, second.status_code, third.status_code] == [200, 200, 503]
    assert app.stats.calls["server.time"] == 100
