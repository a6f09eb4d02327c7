"""``sale.order.update`` changing a status writes the bridge's ``b2b_order_events`` row, as the
module's ``OnSaleStatusOrderChange`` handler does on a real site; b2bsync reads it by cursor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from bitrix_client.fake import FakeSite, ManualClock
from bitrix_client.fake._bridge_events import record_status_change
from bitrix_client.fake._seed import seed_recordings_dataset

NOW = datetime(2026, 11, 24, 1, 18, 38, tzinfo=UTC)
EVENT_FIELDS = [
    ("UF_ORDER_ID", "integer"),
    ("UF_OLD_STATUS", "string"),
    ("UF_NEW_STATUS", "string"),
    ("UF_USER_ID", "integer"),
    ("UF_CREATED_AT", "datetime"),
]


async def call(client: httpx.AsyncClient, method: str, **params: Any) -> Any:
    answer = await client.post(f"{method}.json", json=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def events_block(client: httpx.AsyncClient, fields: list[tuple[str, str]]) -> None:
    await call(client, "b2bsync.hlblock.declare", NAMES=["B2bOrderEvents"])
    block = (
        await call(
            client, "b2bsync.hlblock.add", NAME="B2bOrderEvents", TABLE_NAME="b2b_order_events"
        )
    )["result"]
    for name, kind in fields:
        await call(
            client,
            "b2bsync.hlblock.field.add",
            HLBLOCK_ID=block,
            FIELD={"FIELD_NAME": name, "USER_TYPE_ID": kind},
        )


async def test_status_change_through_rest_is_logged(
    fake_site: FakeSite, fake_clock: ManualClock, fake_client: httpx.AsyncClient
) -> None:
    seed_recordings_dataset(fake_site)
    fake_clock.set(NOW)
    await events_block(fake_client, EVENT_FIELDS)

    await call(fake_client, "sale.order.update", id=6, fields={"statusId": "PA"})
    await call(fake_client, "sale.order.update", id=6, fields={"comments": "no status change"})
    await call(fake_client, "sale.order.update", id=6, fields={"statusId": "PA"})

    rows = (
        await call(
            fake_client,
            "b2bsync.item.list",
            HLBLOCK="B2bOrderEvents",
            filter={">ID": 0},
            order={"ID": "ASC"},
            start=-1,
        )
    )["result"]
    assert rows == [
        {
            "ID": 1,
            "UF_ORDER_ID": 6,
            "UF_OLD_STATUS": "N",
            "UF_NEW_STATUS": "PA",
            "UF_USER_ID": 1,
            "UF_CREATED_AT": "2026-11-24T04:18:38+03:00",
        }
    ]


async def test_only_the_blocks_fields_are_written(
    fake_site: FakeSite, fake_client: httpx.AsyncClient
) -> None:
    await events_block(fake_client, EVENT_FIELDS[:3])
    row_id = record_status_change(fake_site, 7, "PA", "AP", None)
    block = fake_site.bridge.block_by_table("b2b_order_events")
    assert block is not None
    assert row_id is not None
    assert block.rows[row_id] == {
        "ID": row_id,
        "UF_ORDER_ID": 7,
        "UF_OLD_STATUS": "PA",
        "UF_NEW_STATUS": "AP",
    }


def test_nothing_is_written_without_the_block_or_the_module(fake_site: FakeSite) -> None:
    assert record_status_change(fake_site, 7, "PA", "AP", 1) is None
    fake_site.bridge_installed = False
    assert record_status_change(fake_site, 7, "PA", "AP", 1) is None
