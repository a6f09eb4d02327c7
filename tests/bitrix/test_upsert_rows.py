"""``BridgeAPI.upsert_many`` over ``b2bsync.item.upsert`` with ``ROWS``: hundreds of rows a
request, each row's outcome in its place, chunks sent side by side, and single upserts in
``batch`` for a bridge that predates ``ROWS``."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bitrix_client import (
    AccessDeniedError,
    RateLimit,
    RejectedError,
    UpsertResult,
)
from bitrix_client import _bridge as bridge_module
from bitrix_client.fake import Limits, RowCost, _bridge_info

from .fakesite import Harness, harness


def overlapping() -> Harness:
    """A harness whose fake spends its (simulated) processing time yielding to other requests,
    so requests sent side by side are answered side by side (``stats.max_in_flight``)."""
    h = harness(limits=Limits(row_cost=RowCost(), default_cost=1.0))

    async def yielding(seconds: float) -> None:
        for _ in range(5):
            await asyncio.sleep(0)

    h.app._sleep = yielding
    return h


async def _block(h: Harness, name: str = "B2bCompanies", unique: bool = True) -> int:
    bridge = h.client.bridge
    block = await bridge.hlblock_add(name, name.lower(), {"ru": name})
    await bridge.field_add(block, {"FIELD_NAME": "UF_XML_ID", "USER_TYPE_ID": "string"})
    await bridge.field_add(block, {"FIELD_NAME": "UF_NAME", "USER_TYPE_ID": "string"})
    await bridge.field_add(block, {"FIELD_NAME": "UF_LIMIT", "USER_TYPE_ID": "double"})
    if unique:
        await bridge.index_ensure(block, f"ux_{name.lower()}", ["UF_XML_ID"], unique=True)
    return block


def _rows(count: int, name: str = "n") -> list[dict[str, Any]]:
    return [{"UF_XML_ID": f"g-{i:05d}", "UF_NAME": f"{name} {i}"} for i in range(count)]


async def test_hundreds_of_rows_a_request() -> None:
    h = harness()
    async with h.client:
        block = await _block(h)
        h.app.stats.reset()
        outcomes = await h.client.bridge.upsert_many(block, ["UF_XML_ID"], _rows(1200))
        assert [o.action for o in outcomes if isinstance(o, UpsertResult)] == ["added"] * 1200
        assert [o.id for o in outcomes if isinstance(o, UpsertResult)] == list(range(1, 1201))
        # three chunks of at most 500 would leave a lane idle: four of 300 on four lanes
        assert h.app.stats.calls["b2bsync.item.upsert"] == 4
        assert h.app.stats.calls["batch"] == 0
        again = await h.client.bridge.upsert_many(block, ["UF_XML_ID"], _rows(1200, "m"))
        assert {o.action for o in again if isinstance(o, UpsertResult)} == {"updated"}
    assert len(h.site.bridge.blocks[block].rows) == 1200


async def test_each_rows_error_in_its_place() -> None:
    h = harness()
    async with h.client:
        block = await _block(h)
        rows = [*_rows(2), {"UF_XML_ID": "g-x", "UF_LIMIT": "abc"}, {"UF_NAME": "no key"}]
        outcomes = await h.client.bridge.upsert_many(block, ["UF_XML_ID"], rows)
    assert [type(o) for o in outcomes] == [UpsertResult, UpsertResult, RejectedError, RejectedError]
    assert [getattr(o, "code", None) for o in outcomes[2:]] == [
        "ERROR_VALIDATION",
        "ERROR_UPSERT_KEY",
    ]


async def test_a_block_the_bridge_does_not_serve_stops_the_writer() -> None:
    h = harness()
    async with h.client:
        block = await _block(h)
        h.site.bridge.access.declared = []
        with pytest.raises(AccessDeniedError):
            await h.client.bridge.upsert_many(block, ["UF_XML_ID"], _rows(3))


async def test_a_key_in_two_chunks_is_written_one_chunk_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bridge_module, "ROWS_PER_CALL", 2)
    h = overlapping()
    async with h.client:
        block = await _block(h, unique=False)
        rows = [*_rows(3), {"UF_XML_ID": "G-00000", "UF_NAME": "again"}]
        h.app.stats.reset()
        outcomes = await h.client.bridge.upsert_many(block, ["UF_XML_ID"], rows)
    assert [o.action for o in outcomes if isinstance(o, UpsertResult)] == [
        "added",
        "added",
        "added",
        "updated",
    ]
    assert h.app.stats.max_in_flight == 1
    assert len(h.site.bridge.blocks[block].rows) == 3, "no second row for the repeated key"


async def test_chunks_go_side_by_side(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bridge_module, "ROWS_PER_CALL", 10)
    h = overlapping()
    async with h.client:
        block = await _block(h)
        h.app.stats.reset()
        await h.client.bridge.upsert_many(block, ["UF_XML_ID"], _rows(100))
    # ten chunks of 10 on four lanes: three rounds, so twelve chunks of at most 9 rows
    assert h.app.stats.calls["b2bsync.item.upsert"] == 12
    assert h.app.stats.max_in_flight == 4, "as many at once as the client's limiter allows"


def test_a_form_body_stays_below_max_input_vars() -> None:
    rows = [{"UF_XML_ID": f"g-{i}", "UF_A": 1, "UF_B": [1, 2]} for i in range(1000)]
    chunks = bridge_module._chunks(rows, form=True)
    assert all((end - start) * 4 <= bridge_module.FORM_VARS_PER_CALL for start, end in chunks)
    assert chunks[0] == (0, 225)
    assert bridge_module._chunks(rows, form=False) == [(0, 500), (500, 1000)]


def test_large_rows_make_smaller_requests() -> None:
    big = "x" * 1_000_000
    rows = [{"UF_XML_ID": f"g-{i}", "UF_FILE_ID": {"fileData": ["a.pdf", big]}} for i in range(10)]
    assert bridge_module._chunks(rows, form=False) == [(0, 3), (3, 6), (6, 9), (9, 10)]


@pytest.mark.parametrize("body", ["json", "form"])
async def test_a_bridge_before_rows_gets_single_upserts_in_batches(
    body: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        _bridge_info, "FEATURES", tuple(f for f in _bridge_info.FEATURES if f != "upsert_rows")
    )
    h = harness(body=body)
    async with h.client:
        block = await _block(h)
        h.app.stats.reset()
        outcomes = await h.client.bridge.upsert_many(block, ["UF_XML_ID"], _rows(120))
    assert all(isinstance(o, UpsertResult) and o.action == "added" for o in outcomes)
    assert (h.app.stats.calls["batch"], h.app.stats.calls["b2bsync.item.upsert"]) == (3, 120)


async def test_an_empty_bucket_gets_fewer_larger_requests() -> None:
    h = harness(client_limit=RateLimit(burst=50, per_second=2.0))
    async with h.client:
        block = await _block(h)
        h.app.stats.reset()
        h.client.limiter.full()  # as if the bucket had just been filled
        outcomes = await h.client.bridge.upsert_many(block, ["UF_XML_ID"], _rows(1200))
    assert {o.action for o in outcomes if isinstance(o, UpsertResult)} == {"added"}
    # 500, 500, 200: spreading them over the four lanes would cost a fourth request
    assert h.app.stats.calls["b2bsync.item.upsert"] == 3
