"""Body decoding: PHP ``parse_str`` semantics, JSON bodies, query + body merging."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bitrix_client.fake import (
    GLOBAL_SCOPE,
    CallContext,
    FakeBitrixApp,
    FakeSite,
    MethodRegistry,
    parse_str,
)
from bitrix_client.fake._decode import decode_request
from bitrix_client.fake._php import to_plain

from .conftest import WEBHOOK_URL

ECHO = MethodRegistry()


@ECHO.add("test.echo", GLOBAL_SCOPE)
def _echo(ctx: CallContext) -> Any:
    return ctx.params


def plain(query: str) -> Any:
    return to_plain(parse_str(query))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("a=1&b=2", {"a": "1", "b": "2"}),
        ("a[]=1&a[]=2", {"a": ["1", "2"]}),
        ("a[x][y]=1&a[x][z]=2", {"a": {"x": {"y": "1", "z": "2"}}}),
        # the recorded quirk (seq 119): the raw "=" inside the key ends the name at "filter[>"
        ("filter[>=id]=10&select[]=id", {"filter_>": "id]=10", "select": ["id"]}),
        ("filter%5B%3E%3Did%5D=10", {"filter": {">=id": "10"}}),
        ("filter[>id]=10", {"filter": {">id": "10"}}),
        ("a.b=1&c d=2& e=3", {"a_b": "1", "c_d": "2", "e": "3"}),
        ("a[b.c d]=1", {"a": {"b.c d": "1"}}),
        ("a[=1", {"a_": "1"}),
        ("a[b.c=1", {"a_b_c": "1"}),
        ("a[b][c=1", {"a": {"b": "1"}}),
        ("a[b]junk[c]=1", {"a": {"b": "1"}}),
        ("a[1]=x&a[]=y", {"a": {"1": "x", "2": "y"}}),
        ("a[0]=x&a[]=y", {"a": ["x", "y"]}),
        ("a=1&a=2", {"a": "2"}),
        ("a=1&a[]=2", {"a": ["2"]}),
        ("a[]=1&a=2", {"a": "2"}),
        ("a[b]=1&a[b][c]=2", {"a": {"b": {"c": "2"}}}),
        ("flag&x=", {"flag": "", "x": ""}),
        ("=1&&[x]=2&%5B=3", []),
        ("a+b=c+d%20e", {"a_b": "c d e"}),
        ("a[ ]=1&a[ ]=2", {"a": ["1", "2"]}),
        ("a[ b]=1", {"a": {" b": "1"}}),
        ("7=seven", {"7": "seven"}),
        ("0=zero&1=one", ["zero", "one"]),
        ("v=%ZZ%41", {"v": "%ZZA"}),
        ("a[b]=%E2%9C%93", {"a": {"b": "✓"}}),
    ],
)
def test_parse_str_matches_php(query: str, expected: Any) -> None:
    assert plain(query) == expected


def test_nesting_deeper_than_php_allows_drops_the_variable() -> None:
    assert plain("a" + "[x]" * 65 + "=1&b=2") == {"b": "2"}
    assert "a" in plain("a" + "[x]" * 64 + "=1")


def test_max_input_vars_cuts_the_rest() -> None:
    query = "&".join(f"v{i}=1" for i in range(1005))
    assert len(parse_str(query)) == 1000


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("application/json", b'{"id": "N"', {"q": "1"}),  # invalid JSON → body gives nothing
        ("application/json", b'[{"id": "N"}]', {"q": "1"}),  # a JSON list → nothing either
        ("application/json; charset=utf-8", b'{"id": "N", "q": "2"}', {"q": "2", "id": "N"}),
        ("application/json", b'{"cmd": {"0": "a", "1": "b"}}', {"q": "1", "cmd": ["a", "b"]}),
        ("application/x-www-form-urlencoded", b"id=N&q=3", {"q": "3", "id": "N"}),
        (None, b"id=N", {"q": "1", "id": "N"}),
        (None, b"", {"q": "1"}),
    ],
)
def test_decode_request(content_type: str | None, body: bytes, expected: Any) -> None:
    assert to_plain(decode_request("q=1", content_type, body)) == expected


def test_multipart_fields_are_decoded_like_form_fields() -> None:
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="filter[>id]"\r\n\r\n5\r\n'
        b'--XyZ\r\nContent-Disposition: form-data; name="select[]"\r\n\r\nid\r\n'
        b'--XyZ\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nx\r\n'
        b"--XyZ--\r\n"
    )
    params = decode_request("", "multipart/form-data; boundary=XyZ", body)
    assert to_plain(params) == {"filter": {">id": "5"}, "select": ["id"]}


@pytest.fixture
def echo_app(fake_site: FakeSite) -> FakeBitrixApp:
    return FakeBitrixApp(fake_site, registries=[ECHO])


async def test_handlers_see_the_same_params_for_form_and_json(echo_app: FakeBitrixApp) -> None:
    transport = httpx.ASGITransport(app=echo_app)
    async with httpx.AsyncClient(transport=transport, base_url=WEBHOOK_URL) as client:
        form = await client.post(
            "test.echo",
            content="filter%5B%3E%3Did%5D=10&select%5B%5D=id&order%5Bid%5D=asc",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        as_json = await client.post(
            "test.echo.json",
            json={"filter": {">=id": "10"}, "select": ["id"], "order": {"id": "asc"}},
        )
        query = await client.get("test.echo.json?select%5B%5D=id&start=50", params=None)
        merged = await client.post("test.echo.json?start=50&a=1", data={"start": "100"})
    assert form.json()["result"] == as_json.json()["result"]
    assert query.json()["result"] == {"select": ["id"], "start": "50"}
    assert merged.json()["result"] == {"start": "100", "a": "1"}
