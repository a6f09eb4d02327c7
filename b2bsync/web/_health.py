"""``GET /healthz`` and ``GET /metrics``.

``/healthz`` answers readiness: the state store answers a query and Bitrix answers
``server.time`` (cached for ``health_cache`` seconds, since each check is a REST request under
the site's rate limit) — 200 with the checks, or 503 naming what failed. ``/healthz?probe=live``
is liveness only: 200 while the process serves requests, nothing else asked.

``/metrics`` is Prometheus text: job runs by status, records and quarantined records by feed,
Bitrix requests and 503s of this process, the outbox's depth (pending, parked) and the age of
its oldest pending notification, each watcher's lag (seconds since it last polled) and cursor,
and this process's HTTP answers, downloads and downloaded bytes. Figures from the state store
are read at scrape time, in a worker thread.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bitrix_client import BitrixError

from ..store import StoreError
from ..store._metrics import record_counts, run_counts
from ._state import AppState, app_state


async def _bitrix_ok(state: AppState) -> str:
    cached = state.health.get("bitrix")
    if cached is not None and time.monotonic() - cached[0] < state.config.health_cache:
        return str(cached[1])
    try:
        await state.bitrix.call("server.time")
        verdict = "ok"
    except BitrixError as exc:
        verdict = " ".join(str(exc).split())
    state.health["bitrix"] = (time.monotonic(), verdict)
    return verdict


def _store_ok(state: AppState) -> str:
    store = state.deps.store
    if store is None:
        return "not configured"
    try:
        store.quarantine_counts()
    except StoreError as exc:
        return str(exc)
    return "ok"


async def healthz(request: Request) -> Response:
    state = app_state(request)
    if request.query_params.get("probe") == "live":
        return JSONResponse({"live": True}, headers={"Cache-Control": "no-store"})
    checks = {
        "state_store": await asyncio.to_thread(_store_ok, state),
        "bitrix": await _bitrix_ok(state),
    }
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"live": True, "ready": ready, "checks": checks},
        status_code=200 if ready else 503,
        headers={"Cache-Control": "no-store"},
    )


class _Collector:
    def __init__(self, state: AppState) -> None:
        self.state = state

    def describe(self) -> list[Metric]:
        return []

    def collect(self) -> Iterator[Metric]:
        state = self.state
        stats = state.bitrix.stats
        counter = CounterMetricFamily
        yield _one(
            counter, "b2bsync_bitrix_requests", "REST requests sent by this process", stats.requests
        )
        yield _one(
            counter,
            "b2bsync_bitrix_rate_limited",
            "Bitrix answers 503 QUERY_LIMIT_EXCEEDED to this process",
            stats.rate_limited,
        )
        answers = counter("b2bsync_http_responses", "HTTP answers of this app", labels=["code"])
        for code, count in sorted(state.counters.responses.items()):
            answers.add_metric([str(code)], count)
        yield answers
        downloads = counter(
            "b2bsync_downloads", "Document downloads by outcome", labels=["outcome"]
        )
        for outcome, count in sorted(state.counters.downloads.items()):
            downloads.add_metric([outcome], count)
        yield downloads
        yield _one(
            counter,
            "b2bsync_download_bytes",
            "Bytes of documents streamed",
            state.counters.download_bytes,
        )
        pings = counter("b2bsync_pings", "Wake-up pings by outcome", labels=["outcome"])
        for outcome, count in sorted(state.counters.pings.items()):
            pings.add_metric([outcome], count)
        yield pings
        invites = counter(
            "b2bsync_invite_pages",
            "Invite accept page answers by outcome (form shown, accepted, refused and why)",
            labels=["outcome"],
        )
        for outcome, count in sorted(state.counters.invites.items()):
            invites.add_metric([outcome], count)
        yield invites
        yield from self._stored()

    def _stored(self) -> Iterator[Metric]:
        store = self.state.deps.store
        if store is not None:
            runs = CounterMetricFamily(
                "b2bsync_job_runs", "Sync job runs", labels=["job", "status"]
            )
            for (job, status), count in sorted(run_counts(store).items()):
                runs.add_metric([job, status], count)
            yield runs
            records = GaugeMetricFamily(
                "b2bsync_records", "Records written to Bitrix and remembered", labels=["feed"]
            )
            for feed, count in sorted(record_counts(store).items()):
                records.add_metric([feed], count)
            yield records
            quarantine = GaugeMetricFamily(
                "b2bsync_quarantined", "Records in quarantine", labels=["feed"]
            )
            for feed, count in sorted(store.quarantine_counts().items()):
                quarantine.add_metric([feed], count)
            yield quarantine
        workflows = self.state.deps.workflows
        if workflows is None:
            return
        now = self.state.deps.clock()
        stats = workflows.outbox_stats()
        depth = GaugeMetricFamily("b2bsync_outbox", "Outbox deliveries by state", labels=["state"])
        for name, value in (("pending", stats.pending), ("parked", stats.parked)):
            depth.add_metric([name], value)
        yield depth
        age = 0.0 if stats.oldest_pending is None else (now - stats.oldest_pending).total_seconds()
        yield _one(
            GaugeMetricFamily,
            "b2bsync_outbox_oldest_pending_seconds",
            "Age of the oldest notification not yet delivered on every channel",
            max(0.0, age),
        )
        lag = GaugeMetricFamily(
            "b2bsync_watcher_lag_seconds",
            "Seconds since each watcher last polled",
            labels=["watcher"],
        )
        cursor = GaugeMetricFamily(
            "b2bsync_watcher_cursor", "Each watcher's cursor", labels=["watcher"]
        )
        for watch in workflows.watch_states():
            lag.add_metric([watch.watcher], max(0.0, (now - watch.polled_at).total_seconds()))
            cursor.add_metric([watch.watcher], watch.cursor)
        yield lag
        yield cursor


def _one(kind: Any, name: str, documentation: str, value: float) -> Metric:
    family: Metric = kind(name, documentation, value=value)
    return family


async def metrics(request: Request) -> Response:
    state = app_state(request)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector(state))
    try:
        body = await asyncio.to_thread(generate_latest, registry)
    except StoreError as exc:
        return Response(f"state store: {exc}\n", status_code=503, media_type="text/plain")
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


__all__ = ["healthz", "metrics"]
