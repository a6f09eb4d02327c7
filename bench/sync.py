"""A full 1C → Bitrix sync under the cloud's standard rate limit, then two resyncs, then search.

1. ``sync companies`` + ``sync documents`` of N documents over C companies into a fresh store
   (the emulators run in a separate process with the standard bucket: 50 requests, 2/s):
   rows/s, Bitrix requests, 503s, and the ratio of the bucket's minimum time for the least
   requests the writes need (500 rows a bulk upsert) to the measured time;
2. a no-change resync: Bitrix requests and writes (the goal is zero writes);
3. a ``--full`` reconciliation: the same (zero writes);
4. order search over an index of O orders: p50/p95 latency (goal: p95 under 50 ms).

    python bench/sync.py --quick    # 5,000 documents over 100 companies, 20,000 orders: ~1 min
    python bench/sync.py            # 100,000 documents over 1,000 companies, 100,000 orders

The last line repeats the figures as key=value pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import structlog  # noqa: E402

from b2bsync.runner import run_jobs  # noqa: E402
from b2bsync.settings import Settings  # noqa: E402
from b2bsync.store import Store, load_synthetic_orders, measure_search  # noqa: E402
from bitrix_client import RateLimit  # noqa: E402
from bitrix_client._bridge import ROWS_PER_CALL  # noqa: E402

STANDARD = RateLimit(burst=50, per_second=2.0)


class Fakes:
    def __init__(self, companies: int, documents: int) -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "bench" / "_world_server.py"),
                "--companies",
                str(companies),
                "--documents",
                str(documents),
            ],
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

    def stats(self) -> dict[str, Any]:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write("stats\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())  # type: ignore[no-any-return]

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        self.proc.wait(timeout=60)


def settings_for(fakes: Fakes, state: str) -> Settings:
    return Settings(
        bitrix={"webhook_url": fakes.webhook, "rate_limit": "standard"},
        onec={
            "kind": "http",
            "url": fakes.onec_url,
            "username": fakes.user,
            "password": fakes.password,
        },
        state={"url": state},
        sync={
            "download_base_url": "https://shop.example.ru/b2bsync",
            "documents_read": "feed",
            # the figures are the documents' writes; linking the world's orders to the new
            # companies (the companies run does it) is the orders' cost, not measured here
            "link_orders_by_inn": False,
        },
    )


async def run(settings: Settings, store: Store, jobs: list[str], *, full: bool = False) -> float:
    started = time.perf_counter()
    outcomes = await run_jobs(settings, jobs, store=store, full=full)
    bad = [o for o in outcomes if o.status != "ok"]
    if bad:
        raise SystemExit(f"sync failed: {bad[0].job}: {bad[0].reason}")
    return time.perf_counter() - started


def phase(fakes: Fakes, before: dict[str, Any]) -> dict[str, int]:
    now = fakes.stats()
    return {
        "requests": now["http_requests"] - before["http_requests"],
        "writes": now["upserts"] - before["upserts"],
        "rejected": now["query_limit_sent"] - before["query_limit_sent"],
    }


def main() -> None:
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(40),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--companies", type=int)
    parser.add_argument("--documents", type=int, help="documents per company")
    parser.add_argument("--orders", type=int, help="orders in the search index")
    args = parser.parse_args()
    companies = args.companies or (100 if args.quick else 1000)
    per_company = args.documents or (50 if args.quick else 100)
    orders = args.orders or (20_000 if args.quick else 100_000)
    total = companies * per_company
    print(f"{total} documents over {companies} companies; standard bucket (50, 2/s)")
    figures: dict[str, Any] = {}
    fakes = Fakes(companies, per_company)
    with tempfile.TemporaryDirectory() as tmp:
        state = f"sqlite:///{Path(tmp) / 'state.sqlite3'}"
        settings = settings_for(fakes, state)
        store = Store.open(state)
        try:
            before = fakes.stats()
            seconds = asyncio.run(run(settings, store, ["companies", "documents"]))
            first = phase(fakes, before)
            rows = fakes.stats()["rows"]
            least = math.ceil(companies / ROWS_PER_CALL) + math.ceil(total / ROWS_PER_CALL)
            minimum = STANDARD.minimum_seconds(least)
            ratio = minimum / seconds if seconds else 0.0
            against = (
                f"min/measured {ratio:.2f} (bucket minimum {minimum:.1f} s)"
                if minimum > 0
                else "within the burst (bucket minimum 0 s)"
            )
            print(
                f"full sync:   {seconds:7.1f} s  {total / seconds:7.0f} documents/s  "
                f"{first['requests']} requests ({least} writes needed)  {first['rejected']} × 503  "
                f"{against}  rows {rows}"
            )
            figures |= {
                "sync_s": round(seconds, 1),
                "docs_per_s": round(total / seconds),
                "sync_requests": first["requests"],
                "sync_503": first["rejected"],
                "ratio": round(ratio, 3),
                "rows": rows,
            }
            for label, key, full in (("resync", "resync", False), ("--full", "full", True)):
                before = fakes.stats()
                spent = asyncio.run(run(settings, store, ["companies", "documents"], full=full))
                again = phase(fakes, before)
                print(
                    f"{label:<12} {spent:7.1f} s  {again['requests']} requests  "
                    f"{again['writes']} writes"
                )
                figures |= {
                    f"{key}_s": round(spent, 1),
                    f"{key}_requests": again["requests"],
                    f"{key}_writes": again["writes"],
                }
        finally:
            store.close()
        search = Store.open(f"sqlite:///{Path(tmp) / 'search.sqlite3'}")
        try:
            loading = time.perf_counter()
            load_synthetic_orders(search, orders)
            loaded = time.perf_counter() - loading
            latency = measure_search(search, 1000)
        finally:
            search.close()
        print(
            f"search:      {orders} orders indexed in {loaded:.1f} s; "
            f"p50 {latency.p50:.1f} ms, p95 {latency.p95:.1f} ms over {latency.samples} searches"
        )
        figures |= {
            "orders": orders,
            "search_p50_ms": round(latency.p50, 2),
            "search_p95_ms": round(latency.p95, 2),
        }
    fakes.close()
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
