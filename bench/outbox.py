"""The outbox, the wake-ups and the download endpoint, measured.

1. **Delivery**: N notifications for U users (bell row and mail each) delivered through the
   cloud's standard bucket (50 requests, draining 2/s; the emulators in a separate process):
   notifications/s, requests used against the least the batches need (49 notifications a
   request), 503s, and the ratio of the bucket's minimum time for those requests to the
   measured time (goal ≥ 0.9). Every bell row and mail is counted on the emulator.
2. **Latency** of a status change on the site to the notification row on the site, with the
   bridge's ping and without it (bounded by the poll interval). ``b2bsync run --serve`` runs as
   its own process against the store emulator (a boxed site: no REST limit); p50/p95 (goal with
   the ping: p95 < 2 s).
3. **Download**: a 200 MB PDF streamed from the 1C emulator through ``b2bsync serve`` (its own
   process): MB/s, and the server's peak RSS before and after (constant memory: the file is
   never held whole).

    python bench/outbox.py --quick   # 4,000 notifications, 10 + 6 samples, 200 MB: ~1 min
    python bench/outbox.py           # 10,000 notifications for 1,000 users, 30 + 10 samples

The last line repeats the figures as key=value pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import structlog  # noqa: E402

from b2bsync._wiring import bitrix_client, service_config  # noqa: E402
from b2bsync.runner import run_jobs  # noqa: E402
from b2bsync.settings import Settings  # noqa: E402
from b2bsync.store import SqlWorkflowStore, Store  # noqa: E402
from b2bsync.web import link_url  # noqa: E402
from bitrix_client import BitrixClient, RateLimit  # noqa: E402
from workflows import Notification, Recipient, WorkflowService, dedup_key  # noqa: E402
from workflows.testing import add_members  # noqa: E402

STANDARD = RateLimit(burst=50, per_second=2.0)
SECRET = "bench-s3cr3t-0123456789abcdefghijklmnop"
PER_REQUEST = 49  # notifications that go both ways in one batch of 50 commands
STATUS = "B2B_ORDER_STATUS_CHANGED"
JOBS = ("companies", "orders", "documents", "credit")


class Fakes:
    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "_outbox_server.py"), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self.proc.stdout is not None
        parts = self.proc.stdout.readline().split()
        if len(parts) != 4:
            raise SystemExit("the emulators did not start")
        self.webhook, self.onec_url, self.user, self.password = parts

    def ask(self, command: str) -> Any:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        self.proc.wait(timeout=60)

    def env(self, state: str, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "B2BSYNC_BITRIX__WEBHOOK_URL": self.webhook,
                "B2BSYNC_BITRIX__RATE_LIMIT": "off",
                "B2BSYNC_ONEC__KIND": "http",
                "B2BSYNC_ONEC__URL": self.onec_url,
                "B2BSYNC_ONEC__USERNAME": self.user,
                "B2BSYNC_ONEC__PASSWORD": self.password,
                "B2BSYNC_STATE__URL": state,
                "B2BSYNC_WEB__SECRET": SECRET,
                "B2BSYNC_LOG__LEVEL": "error",
                **extra,
            }
        )
        return env

    def settings(self, state: str, rate_limit: str = "off") -> Settings:
        return Settings(
            bitrix={"webhook_url": self.webhook, "rate_limit": rate_limit},
            onec={
                "kind": "http",
                "url": self.onec_url,
                "username": self.user,
                "password": self.password,
            },
            state={"url": state},
            sync={"download_base_url": "http://127.0.0.1/b2bsync"},
            web={"secret": SECRET},
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    with httpx.Client(timeout=5) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise SystemExit(f"the b2bsync process exited with {proc.returncode}")
            try:
                if client.get(f"{base}/healthz?probe=live").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
    raise SystemExit("b2bsync did not start")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


# -- 1. delivery --------------------------------------------------------------------------------


def notifications(count: int, users: int, at: Any) -> list[Notification]:
    out = []
    for i in range(count):
        user = 1000 + i % users
        out.append(
            Notification(
                key=dedup_key("B2B_DOCUMENT_READY", f"doc:bench-{i}", user),
                type="B2B_DOCUMENT_READY",
                recipient=Recipient(user, f"user{user}@example.ru", f"User {user}", "ru"),
                fields={
                    "DOC_TYPE_NAME": "Счёт",
                    "DOC_NUMBER": f"{i:06d}",
                    "DOC_DATE": "05.03.2025",
                },
                created_at=at,
            )
        )
    return out


async def deliver(settings: Settings, tables: SqlWorkflowStore) -> float:
    async with bitrix_client(settings.bitrix) as client:
        service = WorkflowService(client, tables, tables.store.now, service_config(settings))
        await service.start()
        started = time.perf_counter()
        report = await service.deliver()
        elapsed = time.perf_counter() - started
    if report.stopped or report.parked or report.retrying:
        raise SystemExit(f"delivery failed: {report}")
    return elapsed


def bench_delivery(count: int, users: int, tmp: Path, figures: dict[str, Any]) -> None:
    fakes = Fakes("--companies", "2", "--documents", "1", "--orders", "10", "--profile", "standard")
    try:
        state = f"sqlite:///{tmp / 'delivery.sqlite3'}"
        store = Store.open(state)
        tables = SqlWorkflowStore(store)
        tables.enqueue(notifications(count, users, store.now()))
        before = fakes.ask("stats")
        seconds = asyncio.run(deliver(fakes.settings(state, "standard"), tables))
        after = fakes.ask("stats")
        store.close()
    finally:
        fakes.close()
    requests = after["http_requests"] - before["http_requests"]
    needed = math.ceil(count / PER_REQUEST)
    minimum = STANDARD.minimum_seconds(needed + 1) - STANDARD.minimum_seconds(1)
    ratio = minimum / seconds if seconds else 0.0
    if after["bell"] != count or after["mails"] != count:
        raise SystemExit(f"delivered {after['bell']} bell rows and {after['mails']} mails")
    print(
        f"delivery:  {count} notifications for {users} users in {seconds:.1f} s "
        f"({count / seconds:.0f}/s), {requests} requests ({needed} needed), "
        f"{after['query_limit_sent']} × 503, min/measured {ratio:.2f} "
        f"(bucket minimum {minimum:.1f} s); {after['bell']} bell rows, {after['mails']} mails"
    )
    figures |= {
        "notifications": count,
        "delivered_per_s": round(count / seconds),
        "delivery_requests": requests,
        "delivery_needed": needed,
        "delivery_503": after["query_limit_sent"],
        "delivery_ratio": round(ratio, 3),
    }


# -- 2. latency ---------------------------------------------------------------------------------


async def prepare_cabinet(settings: Settings, store: Store) -> list[int]:
    """Companies and order links synced, every employee a member: company orders to change."""
    outcomes = await run_jobs(settings, ["companies", "orders"], store=store)
    bad = [o for o in outcomes if o.status != "ok"]
    if bad:
        raise SystemExit(f"sync failed: {bad[0].job}: {bad[0].reason}")
    async with bitrix_client(settings.bitrix) as client:
        companies = [row async for row in client.bridge.items("B2bCompanies", {})]
        orders = await client.list_all(
            "sale.propertyvalue.list",
            {"filter": {"code": "B2B_COMPANY_ID"}, "select": ["orderId", "value"]},
            items_key="propertyValues",
        )
        linked = {int(o["orderId"]): int(o["value"]) for o in orders if o.get("value")}
        authors = await client.sale.orders_by_ids(sorted(linked), ["id", "userId"])
        members = {(linked[int(o["id"])], int(o["userId"])) for o in authors}
        await add_members(client, [(company, user, "buyer") for company, user in members])
    if not companies or not linked:
        raise SystemExit("no company orders to change")
    return sorted(linked)


async def change(client: BitrixClient, order: int, status: str) -> float:
    started = time.time()
    await client.sale.order_update(order, {"statusId": status})
    return started


def bench_latency(
    samples: int, quiet_samples: int, interval: int, tmp: Path, figures: dict[str, Any]
) -> None:
    fakes = Fakes("--companies", "10", "--documents", "1", "--orders", "300", "--profile", "off")
    daemon: subprocess.Popen[bytes] | None = None
    try:
        state = f"sqlite:///{tmp / 'latency.sqlite3'}"
        store = Store.open(state)
        settings = fakes.settings(state)
        orders = asyncio.run(prepare_cabinet(settings, store))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = fakes.env(
            state,
            B2BSYNC_WEB__PORT=str(port),
            B2BSYNC_WATCH__INTERVAL=str(interval),
            **{f"B2BSYNC_SCHEDULE__{job.upper()}": "0" for job in JOBS},
        )
        daemon = subprocess.Popen(
            [sys.executable, "-m", "b2bsync", "run", "--serve"], env=env, cwd=ROOT
        )
        wait_ready(base, daemon)
        tables = SqlWorkflowStore(store)
        deadline = time.monotonic() + 60
        while len(tables.watch_states()) < 3:  # every watcher has taken its starting cursor
            if time.monotonic() > deadline:
                raise SystemExit("the watchers did not start")
            time.sleep(0.05)
        store.close()
        fakes.ask(f"option sidecar_url {base}")
        fakes.ask(f"option link_secret {SECRET}")

        counted = [fakes.ask("stats")["bell"]]

        rng = random.Random(5)

        async def measure(count: int, first: int, wait: float, spread: float) -> list[float]:
            """``spread``: a random pause before each change, so that without the ping the
            changes fall anywhere in the poll interval (not just after a poll)."""
            out = []
            async with bitrix_client(settings.bitrix) as client:
                for i in range(count):
                    await asyncio.sleep(rng.uniform(0, spread))
                    order = orders[(first + i) % len(orders)]
                    current = (await client.sale.order_get(order)).get("statusId")
                    started = await change(client, order, "N" if current == "F" else "F")
                    answer = fakes.ask(f"wait {STATUS} {counted[0] + 1} {wait}")
                    if answer["count"] <= counted[0]:
                        raise SystemExit(f"no notification within {wait} s")
                    counted[0] = answer["count"]
                    out.append(answer["at"] - started)
            return out

        with_ping = asyncio.run(measure(samples, 0, 30, 0.2))
        pings = fakes.ask("pings")
        fakes.ask("option sidecar_url -")
        without = asyncio.run(measure(quiet_samples, samples, interval * 2 + 30, interval))
    finally:
        if daemon is not None:
            stop(daemon)
        fakes.close()
    ok_pings = sum(1 for p in pings if p[1] == 202)
    p50, p95 = statistics.median(with_ping), percentile(with_ping, 0.95)
    q50, q95 = statistics.median(without), percentile(without, 0.95)
    print(
        f"latency:   status change → bell row, with the ping: p50 {p50 * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms over {len(with_ping)} changes ({ok_pings} pings answered 202); "
        f"without: p50 {q50:.1f} s, p95 {q95:.1f} s over {len(without)} (poll every {interval} s)"
    )
    figures |= {
        "ping_p50_ms": round(p50 * 1000),
        "ping_p95_ms": round(p95 * 1000),
        "poll_p50_s": round(q50, 2),
        "poll_p95_s": round(q95, 2),
        "poll_interval_s": interval,
    }


# -- 3. download --------------------------------------------------------------------------------


def memory(pid: int) -> dict[str, float]:
    """Resident and peak resident memory of ``pid`` in MiB (Linux /proc)."""
    out: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            out[name] = int(value.split()[0]) / 1024
    return out


async def prepare_download(settings: Settings, store: Store) -> tuple[int, int]:
    outcomes = await run_jobs(settings, ["companies", "documents"], store=store)
    bad = [o for o in outcomes if o.status != "ok"]
    if bad:
        raise SystemExit(f"sync failed: {bad[0].job}: {bad[0].reason}")
    async with bitrix_client(settings.bitrix) as client:
        docs = [row async for row in client.bridge.items("B2bDocuments", {"!UF_EXTERNAL_URL": ""})]
        doc = docs[0]
        await add_members(client, [(int(doc["UF_COMPANY_ID"]), 1, "owner")])
    return int(doc["ID"]), 1


def bench_download(size: int, tmp: Path, figures: dict[str, Any]) -> None:
    fakes = Fakes(
        "--companies", "2", "--documents", "2", "--orders", "10",
        "--profile", "off", "--file-size", str(size),
    )  # fmt: skip
    server: subprocess.Popen[bytes] | None = None
    try:
        state = f"sqlite:///{tmp / 'download.sqlite3'}"
        store = Store.open(state)
        doc, user = asyncio.run(prepare_download(fakes.settings(state), store))
        store.close()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "b2bsync", "serve", "--port", str(port)],
            env=fakes.env(state),
            cwd=ROOT,
        )
        wait_ready(base, server)
        idle = memory(server.pid)
        url = link_url(
            f"{base}/documents/download", SECRET, str(doc), user, int(time.time()) + 3600
        )
        received = 0
        started = time.perf_counter()
        with httpx.Client(timeout=120) as client, client.stream("GET", url) as response:
            if response.status_code != 200:
                raise SystemExit(f"download answered {response.status_code}")
            first = None
            for chunk in response.iter_bytes():
                if first is None:
                    first = time.perf_counter()
                received += len(chunk)
        elapsed = time.perf_counter() - started
        streaming = time.perf_counter() - (first or started)
        after = memory(server.pid)
    finally:
        if server is not None:
            stop(server)
        fakes.close()
    mb = received / 1e6
    print(
        f"download:  {mb:.0f} MB in {elapsed:.1f} s ({mb / elapsed:.0f} MB/s overall, "
        f"{mb / streaming:.0f} MB/s once 1C sends); b2bsync serve peak RSS "
        f"{idle['VmHWM']:.0f} MiB before, {after['VmHWM']:.0f} MiB after"
    )
    figures |= {
        "download_mb": round(mb),
        "download_mb_per_s": round(mb / elapsed, 1),
        "serve_peak_rss_before_mib": round(idle["VmHWM"]),
        "serve_peak_rss_after_mib": round(after["VmHWM"]),
    }


def main() -> None:
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(40),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--notifications", type=int)
    parser.add_argument("--users", type=int)
    parser.add_argument("--samples", type=int, help="status changes measured with the ping")
    parser.add_argument("--file-mb", type=int, default=200)
    args = parser.parse_args()
    count = args.notifications or (4000 if args.quick else 10_000)
    users = args.users or (400 if args.quick else 1000)
    samples = args.samples or (10 if args.quick else 30)
    quiet, interval = (6, 3) if args.quick else (10, 15)
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        bench_delivery(count, users, tmp, figures)
        bench_latency(samples, quiet, interval, tmp, figures)
        bench_download(args.file_mb * 1_000_000, tmp, figures)
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
