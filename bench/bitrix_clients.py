"""Our client against fast_bitrix24 under the standard rate limit, in the same run.

Each client upserts N rows into an HL-block and lists M rows of another, through the fake
running in a separate process with the cloud's standard bucket (50 requests, draining 2/s) and
no per-row cost (the bucket alone limits). Our client sends the rows as bulk upserts (``ROWS``,
up to 500 a request); fast_bitrix24 knows only single upserts, 50 a batch. Printed per client:
rows/s, HTTP requests, 503s, errors surfaced, and the ratio of the bucket's theoretical minimum
time to the measured time. The minimum assumes the least requests that client's way of writing
needs — 500 rows per bulk upsert (ours) or 50 rows per write batch (fast_bitrix24), 2,500 rows
per read batch — sent at burst 50 then 2 a second.

The rows/s a site's own speed allows: ``bench/bitrix_throughput.py``.

    python bench/bitrix_clients.py --quick      # about a minute
    python bench/bitrix_clients.py              # N=10,000 writes, M=100,000 reads

The last line holds the figures as key=value pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import structlog  # noqa: E402

from bitrix_client import BitrixClient, RateLimit  # noqa: E402
from bitrix_client._bridge import ROWS_PER_CALL  # noqa: E402

STANDARD = RateLimit(burst=50, per_second=2.0)


@dataclass
class Result:
    name: str
    seconds: float
    rows: int
    requests: int
    rejected_503: int
    errors: int

    rows_per_write: int = 50

    def minimum(self, writes: int, reads: int) -> float:
        needed = math.ceil(writes / self.rows_per_write) + math.ceil(reads / 2500)
        return STANDARD.minimum_seconds(needed)


class FakeProcess:
    def __init__(self, read_rows: int) -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "bench" / "_bitrix_server.py"),
                "--read-rows",
                str(read_rows),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self.proc.stdout is not None
        self.urls = self.proc.stdout.readline().split()
        if len(self.urls) != 2:
            raise SystemExit("the fake did not start")

    def command(self, text: str) -> dict[str, Any]:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())  # type: ignore[no-any-return]

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        self.proc.wait(timeout=30)


def rows_for(prefix: str, count: int) -> list[dict[str, Any]]:
    return [
        {"UF_XML_ID": f"{prefix}-{i:07d}", "UF_NAME": f"Контрагент {i}", "UF_AMOUNT": i * 2.5}
        for i in range(count)
    ]


async def run_ours(url: str, writes: int, reads: int) -> Result:
    async with BitrixClient.from_webhook(url, rate_limit="standard") as client:
        started = time.perf_counter()
        outcomes = await client.bridge.upsert_many(
            "BenchWrite", ["UF_XML_ID"], rows_for("ours", writes)
        )
        errors = sum(isinstance(o, BaseException) for o in outcomes)
        read = 0
        async for _ in client.bridge.items("BenchRead", select=["ID", "UF_XML_ID"]):
            read += 1
        seconds = time.perf_counter() - started
        stats = client.stats
    return Result(
        "b2bsync", seconds, writes + read, stats.requests, stats.rate_limited, errors, ROWS_PER_CALL
    )


def run_fast_bitrix24(url: str, writes: int, reads: int) -> Result:
    from fast_bitrix24 import Bitrix

    # its failed requests leave orphaned tasks; their tracebacks are not our figures
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    bitrix = Bitrix(url, verbose=False)
    started = time.perf_counter()
    errors = 0
    try:
        params = [
            {"HLBLOCK": "BenchWrite", "KEY": ["UF_XML_ID"], "FIELDS": row}
            for row in rows_for("fb24", writes)
        ]
        outcomes = bitrix.call("b2bsync.item.upsert", params)
        errors += sum(1 for o in outcomes if not (isinstance(o, dict) and "ID" in o))
        rows = bitrix.get_all("b2bsync.item.list", {"HLBLOCK": "BenchRead", "select": ["ID"]})
        read = len(rows)
    except Exception as exc:
        print(f"fast_bitrix24 failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        errors += 1
        read = 0
    return Result("fast_bitrix24", time.perf_counter() - started, writes + read, 0, 0, errors)


def report(result: Result, writes: int, reads: int) -> dict[str, float | int]:
    minimum = result.minimum(writes, reads)
    ratio = minimum / result.seconds if result.seconds > 0 else 0.0
    rate = result.rows / result.seconds if result.seconds > 0 else 0.0
    against = (
        f"min/measured {ratio:.2f} (bucket minimum {minimum:.1f} s)"
        if minimum > 0
        else "within the burst (bucket minimum 0 s)"
    )
    print(
        f"{result.name:>14}: {result.seconds:7.1f} s  {rate:8.0f} rows/s  "
        f"{result.requests:5d} requests  {result.rejected_503:3d} × 503  "
        f"{result.errors} errors  {against}"
    )
    return {
        "seconds": round(result.seconds, 2),
        "rows_per_s": round(rate),
        "ratio": round(ratio, 3),
    }


def main() -> None:
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(40),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, about a minute")
    parser.add_argument("--writes", type=int, help="rows to upsert (N)")
    parser.add_argument("--reads", type=int, help="rows to list (M)")
    parser.add_argument("--skip-fast-bitrix24", action="store_true")
    args = parser.parse_args()
    writes = args.writes or (4_000 if args.quick else 10_000)
    reads = args.reads or (20_000 if args.quick else 100_000)
    print(f"N={writes} upserts, M={reads} rows listed, standard bucket (50, 2/s)")
    fake = FakeProcess(reads)
    try:
        ours = asyncio.run(run_ours(fake.urls[0], writes, reads))
        server = fake.command("stats")
        ours.rejected_503 = max(ours.rejected_503, server["query_limit_sent"])
        mine = report(ours, writes, reads)
        figures: dict[str, Any] = {f"ours_{k}": v for k, v in mine.items()}
        figures |= {
            "ours_requests": ours.requests,
            "ours_503": ours.rejected_503,
            "ours_errors": ours.errors,
        }
        if not args.skip_fast_bitrix24:
            fake.command("reset")
            theirs = run_fast_bitrix24(fake.urls[1], writes, reads)
            server = fake.command("stats")
            theirs.requests = server["http_requests"]
            theirs.rejected_503 = server["query_limit_sent"]
            other = report(theirs, writes, reads)
            figures |= {f"fb24_{k}": v for k, v in other.items()}
            figures |= {
                "fb24_requests": theirs.requests,
                "fb24_503": theirs.rejected_503,
                "fb24_errors": theirs.errors,
            }
            if theirs.errors == 0 and ours.seconds:
                figures["speedup"] = round(theirs.seconds / ours.seconds, 2)
            else:
                figures["speedup"] = "fast_bitrix24-failed"
    finally:
        fake.close()
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
