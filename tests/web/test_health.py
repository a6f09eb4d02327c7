"""``/healthz`` (liveness, readiness of the state store and Bitrix) and ``/metrics``."""

from __future__ import annotations

from bitrix_client.fake import Fault
from workflows import Notification, Recipient, dedup_key

from .conftest import Web, serving


async def test_ready_when_the_store_and_bitrix_answer(web: Web):
    response = await web.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "live": True,
        "ready": True,
        "checks": {"state_store": "ok", "bitrix": "ok"},
    }
    assert response.headers["cache-control"] == "no-store"


async def test_not_ready_names_what_failed(synced, state_store):
    async with serving(synced, state_store) as web:
        synced.world.app.faults.inject_next(Fault.ERROR_500_HTML, method="server.time", count=10)
        response = await web.client.get("/healthz")
        assert response.status_code == 503
        body = response.json()
        assert body["ready"] is False
        assert body["checks"]["state_store"] == "ok"
        assert "500" in body["checks"]["bitrix"]
        live = await web.client.get("/healthz?probe=live")
        assert (live.status_code, live.json()) == (200, {"live": True})
        requests = synced.world.app.stats.calls["server.time"]
        await web.client.get("/healthz")  # the verdict is reused for a while
        assert synced.world.app.stats.calls["server.time"] == requests


async def test_metrics(web: Web):
    now = web.cab.world.now()
    web.tables.enqueue(
        [
            Notification(
                dedup_key("B2B_DOCUMENT_READY", "doc:x", 5),
                "B2B_DOCUMENT_READY",
                Recipient(5, "a@example.ru", "A", "ru"),
                created_at=now,
            )
        ]
    )
    web.tables.advance("order_events", 4, [], now)
    web.cab.world.advance(90)
    row = web.document(0)
    ok = await web.client.get(web.link(row["ID"], web.cab.user(0, "owner")))
    assert ok.status_code == 200
    await web.client.get(web.link(row["ID"], web.cab.user(0, "owner"), ttl=-1))
    await web.client.post("/events", **web.ping("order_comments", 1))
    response = await web.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    expected = [
        f"b2bsync_download_bytes_total {float(len(ok.content))}",
        'b2bsync_downloads_total{outcome="ok"} 1.0',
        'b2bsync_downloads_total{outcome="link_expired"} 1.0',
        'b2bsync_pings_total{outcome="woke"} 1.0',
        'b2bsync_outbox{state="pending"} 2.0',
        'b2bsync_outbox{state="parked"} 0.0',
        "b2bsync_outbox_oldest_pending_seconds 90.0",
        'b2bsync_watcher_lag_seconds{watcher="order_events"} 90.0',
        'b2bsync_watcher_cursor{watcher="order_events"} 4.0',
        'b2bsync_http_responses_total{code="200"}',
        'b2bsync_http_responses_total{code="403"} 1.0',
        "b2bsync_bitrix_requests_total",
        "b2bsync_bitrix_rate_limited_total 0.0",
        "b2bsync_quarantined",
        "b2bsync_records",
        "b2bsync_job_runs",
    ]
    for line in expected:
        assert line in text, line
