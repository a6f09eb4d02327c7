"""``POST /events``: the module's pings verified, replay-protected, and only waking a watcher —
checked with hand-made pings, and with the pings the Bitrix fake itself sends after a status
change and a new comment, all the way to the notification row."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from bitrix_client.fake._bridge_pings import Pinger
from workflows import ServiceConfig, WorkflowService

from .conftest import SECRET, Web, serving


async def test_a_ping_wakes_its_watcher(web: Web):
    event = web.wakeups.event("order_events")
    response = await web.client.post("/events", **web.ping("b2b_order_events", 57))
    assert response.status_code == 202
    assert response.json() == {"woke": "order_events"}
    assert event.is_set()
    assert not web.wakeups.event("order_comments").is_set()


async def test_a_ping_for_another_process_is_left_in_the_store(synced, state_store):
    async with serving(synced, state_store, wake=False) as web:
        response = await web.client.post("/events", **web.ping("order_comments", 3))
    assert response.json() == {"woke": "order_comments"}
    assert web.tables.take_wakes() == {"order_comments"}


async def test_a_replayed_ping_is_refused(web: Web):
    ping = web.ping("b2b_order_events", 57)
    assert (await web.client.post("/events", **ping)).status_code == 202
    again = await web.client.post("/events", **ping)
    assert again.status_code == 409
    assert again.json() == {"error": "replayed"}


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ("no_signature", 401),
        ("bad_signature", 401),
        ("body_changed", 401),
        ("too_old", 401),
        ("from_the_future", 401),
        ("not_json", 400),
        ("no_block", 400),
        ("too_large", 413),
    ],
)
async def test_bad_pings(web: Web, change: str, status: int):
    now = int(web.cab.world.now().timestamp())
    ping = web.ping("b2b_order_events", 57)
    headers = ping["headers"]
    if change == "no_signature":
        del headers["X-B2bsync-Signature"]
    elif change == "bad_signature":
        headers["X-B2bsync-Signature"] = "A" * 43
    elif change == "body_changed":
        ping["content"] = b'{"block":"b2b_order_events","id":58}'
    elif change == "too_old":
        ping = web.ping("b2b_order_events", 57, at=now - 301)
    elif change == "from_the_future":
        ping = web.ping("b2b_order_events", 57, at=now + 301)
    elif change in ("not_json", "no_block", "too_large"):
        from b2bsync.web import event_signature

        body = {"not_json": b"{", "no_block": b'{"id":1}', "too_large": b" " * 5000}[change]
        ping["content"] = body
        headers["X-B2bsync-Signature"] = event_signature(SECRET, now, body)
    response = await web.client.post("/events", **ping)
    assert response.status_code == status
    assert not web.wakeups.event("order_events").is_set()


async def test_a_block_it_does_not_watch_is_accepted_and_ignored(web: Web):
    response = await web.client.post("/events", **web.ping("b2b_documents", 1))
    assert (response.status_code, response.json()) == (202, {"woke": None})


async def test_an_invite_row_wakes_the_invites_watcher(web: Web):
    response = await web.client.post("/events", **web.ping("b2b_invites", 1))
    assert (response.status_code, response.json()) == (202, {"woke": "invites"})
    assert web.wakeups.event("invites").is_set()


async def test_only_post(web: Web):
    assert (await web.client.get("/events")).status_code == 405


async def test_the_fakes_pings_reach_the_app_and_wake_the_watchers(web: Web):
    cab = web.cab
    site = cab.world.site
    site.bridge.options.update(sidecar_url="http://b2b.test/", link_secret=SECRET)
    cab.world.app.pinger = Pinger(transport=httpx.ASGITransport(app=web.asgi))
    orders = [o for o in site.sale.orders.values() if o.get("statusId") == "N"]
    assert orders
    await cab.bitrix.sale.order_update(orders[0]["id"], {"statusId": "F"})
    comment = await cab.bitrix.bridge.item_add(
        "OrderComments",
        {
            "UF_ORDER_ID": orders[0]["id"],
            "UF_USER_ID": 1,
            "UF_TEXT": "ok",
            "UF_CREATED_AT": cab.world.now().isoformat(),
        },
    )
    pings = site.bridge.pings
    assert [(p.block, p.status, p.error) for p in pings] == [
        ("b2b_order_events", 202, ""),
        ("order_comments", 202, ""),
    ]
    assert pings[1].row_id == comment
    assert json.loads(pings[0].body) == {"block": "b2b_order_events", "id": pings[0].row_id}
    assert web.wakeups.event("order_events").is_set()
    assert web.wakeups.event("order_comments").is_set()


async def test_no_pings_without_the_option_and_failures_are_ignored(web: Web):
    cab = web.cab
    site = cab.world.site
    order = next(iter(site.sale.orders))
    site.sale.orders[order]["statusId"] = "N"
    await cab.bitrix.sale.order_update(order, {"statusId": "F"})
    assert site.bridge.pings == []  # no sidecar URL: off
    site.bridge.options.update(sidecar_url="http://127.0.0.1:9/", link_secret=SECRET)
    await cab.bitrix.sale.order_update(order, {"statusId": "N"})  # the save still succeeds
    (ping,) = site.bridge.pings
    assert ping.status is None
    assert ping.error


async def test_a_ping_makes_the_running_service_act_at_once(web: Web):
    """The daemon's loop with a poll interval far away: only the ping can make it poll, and
    the notification row appears on the site."""
    cab = web.cab
    site = cab.world.site
    site.bridge.options.update(sidecar_url="http://b2b.test", link_secret=SECRET)
    cab.world.app.pinger = Pinger(transport=httpx.ASGITransport(app=web.asgi))
    buyer = await cab.add_person(0, "buyer")
    await cab.sync("orders")
    company = str(cab.company_id(0))
    order_id = next(
        int(v["orderId"])
        for v in site.sale.property_values.values()
        if v.get("code") == "B2B_COMPANY_ID" and str(v.get("value")) == company
    )
    site.sale.orders[order_id].update(userId=buyer, statusId="N")
    config = ServiceConfig(poll_every=ServiceConfig().poll_every * 240)  # one hour
    service = WorkflowService(cab.bitrix, web.tables, cab.world.now, config, wakeups=web.wakeups)
    stop = asyncio.Event()
    task = asyncio.create_task(service.run(stop))
    try:
        await _until(lambda: len(web.tables.watch_states()) == 4)
        await cab.bitrix.sale.order_update(order_id, {"statusId": "F"})
        await _until(lambda: any(r["UF_USER_ID"] == buyer for r in cab.bell()))
    finally:
        stop.set()
        await task
    (row,) = [r for r in cab.bell() if r["UF_USER_ID"] == buyer]
    assert row["UF_TYPE"] == "B2B_ORDER_STATUS_CHANGED"
    assert len(cab.mails("B2B_ORDER_STATUS_CHANGED")) == 1


async def _until(condition, rounds: int = 20_000) -> None:
    """Let the event loop run until ``condition`` holds (no sleeping: every step is in process)."""
    for _ in range(rounds):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition never held")
