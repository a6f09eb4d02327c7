"""``write_guard``: the application's check runs before every write a task sends, never before a
read, and what it raises stops the request before it leaves."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bitrix_client import Command, is_write, write_guard

from .fakesite import harness


class Refused(Exception):
    pass


def status(code: str) -> Any:
    return {"id": code, "type": "O", "sort": 500, "notify": "N", "color": "#000000"}


async def test_writes_are_checked_reads_are_not():
    h = harness()
    checked: list[str] = []
    async with h.client as client:
        await client.bridge.ensure_compatible()
        with write_guard(checked.append):
            await client.call("server.time")
            await client.sale.statuses()
            await client.batch([Command("sale.status.list", {}), Command("scope", {})])
            await client.sale.status_add(status("ZZ"))
            await client.batch([Command("sale.status.get", {"id": "ZZ"}), Command("x.add", {})])
    assert checked == ["sale.status.add", "batch"]


async def test_what_the_check_raises_keeps_the_write_off_the_site():
    h = harness()

    def refuse(method: str) -> None:
        raise Refused(f"no more writes ({method})")

    async with h.client as client:
        with write_guard(refuse), pytest.raises(Refused, match=r"sale\.status\.add"):
            await client.sale.status_add(status("ZZ"))
        assert client.stats.requests == 0
        assert client.stats.retries == 0
        assert "ZZ" not in {s["id"] for s in await client.sale.statuses()}  # unguarded again
    assert h.app.stats.calls["sale.status.add"] == 0


async def test_each_task_is_checked_by_its_own_guard():
    """The daemon shares one client between runs: each run's writes ask that run."""
    h = harness()
    seen: dict[str, list[str]] = {"a": [], "b": []}

    async def run(name: str) -> None:
        with write_guard(seen[name].append):
            await asyncio.sleep(0)
            await client.sale.status_add(status(f"Z{name.upper()}"))

    async with h.client as client:
        await asyncio.gather(run("a"), run("b"))
        await client.sale.status_add(status("ZC"))  # outside every run
    assert seen == {"a": ["sale.status.add"], "b": ["sale.status.add"]}
    assert h.app.stats.calls["sale.status.add"] == 3


@pytest.mark.parametrize(
    ("method", "params", "write"),
    [
        ("b2bsync.item.upsert", {}, True),
        ("b2bsync.item.list", {}, False),
        ("batch", {"cmd": {"a": "sale.order.list?x=1", "b": "scope"}}, False),
        ("batch", {"cmd": {"a": "sale.order.list?x=1", "b": "sale.propertyvalue.modify?y"}}, True),
        ("batch", {}, True),
    ],
)
def test_what_counts_as_a_write(method: str, params: dict[str, object], write: bool):
    assert is_write(method, params) is write
