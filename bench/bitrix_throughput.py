"""HL writes at the site's speed: rows/s of ``upsert_many`` under the ``auto`` rate profile.

Two sites, each the Bitrix fake in a process of its own answering at a real site's measured
speed (a per-row cost: 2.8 ms per new row, 1.7 ms per unchanged upsert, as a Business 25.550
site wrote them with one PHP worker):

- **boxed**: no REST limit (its answers carry no ``time.operating``), 4 PHP workers; ``auto``
  finds no bucket and sends at most 2 requests at once;
- **cloud**: the standard leaky bucket (50 requests, draining 2/s) and ``time.operating`` in
  every answer; ``auto`` finds the bucket and sends up to 4 requests at once.

On each, the client upserts N new rows, then the same N again (nothing changes). A pass's floor
is the fake's own: per-row cost × N / the requests at once; the ratio floor / measured says how
close the client comes (1.0: nothing lost to HTTP, JSON or waiting). Under the cloud bucket the
figure is also compared with 100 rows/s, the ceiling of single upserts in 50-command batches
(2 requests/s × 50).

    python bench/bitrix_throughput.py --quick      # N=3,000, under a minute
    python bench/bitrix_throughput.py              # N=10,000

The last line holds the figures as key=value pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import structlog  # noqa: E402

from bitrix_client import BitrixClient, UpsertResult  # noqa: E402
from bitrix_client.fake import RowCost  # noqa: E402

COST = RowCost()
#: Single upserts, 50 a batch, at the standard bucket's 2 requests/s.
BATCHED_CEILING = 100.0


@dataclass(frozen=True)
class Site:
    name: str
    profile: str
    workers: int
    concurrency: int  # what auto allows at once there


SITES = (
    Site("boxed", "off", workers=4, concurrency=2),
    Site("cloud", "standard", workers=0, concurrency=4),
)


@dataclass
class Pass:
    site: Site
    kind: str  # "new" or "unchanged"
    rows: int
    seconds: float
    requests: int
    errors: int
    mode: str

    @property
    def floor(self) -> float:
        per_row = COST.added if self.kind == "new" else COST.unchanged
        return per_row * self.rows / self.site.concurrency

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    @property
    def ratio(self) -> float:
        return self.floor / self.seconds if self.seconds > 0 else 0.0


class FakeProcess:
    def __init__(self, site: Site) -> None:
        command = [
            sys.executable,
            str(ROOT / "bench" / "_bitrix_server.py"),
            "--profile",
            site.profile,
            "--read-rows",
            "0",
            "--row-cost",
            "--workers",
            str(site.workers),
        ]
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        assert self.proc.stdout is not None
        urls = self.proc.stdout.readline().split()
        if not urls:
            raise SystemExit("the fake did not start")
        self.url = urls[0]

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


def rows_for(count: int) -> list[dict[str, Any]]:
    return [
        {"UF_XML_ID": f"row-{i:07d}", "UF_NAME": f"Контрагент {i}", "UF_AMOUNT": i * 2.5}
        for i in range(count)
    ]


async def measure(site: Site, url: str, count: int) -> list[Pass]:
    rows = rows_for(count)
    out = []
    async with BitrixClient.from_webhook(url) as client:  # rate_limit="auto", the default
        await client.call("server.time")  # the first answer tells auto what the site is
        await client.bridge.ensure_compatible()
        for kind, wanted in (("new", "added"), ("unchanged", "unchanged")):
            before = client.stats.requests
            started = time.perf_counter()
            outcomes = await client.bridge.upsert_many("BenchWrite", ["UF_XML_ID"], rows)
            seconds = time.perf_counter() - started
            errors = sum(not (isinstance(o, UpsertResult) and o.action == wanted) for o in outcomes)
            requests = client.stats.requests - before
            out.append(Pass(site, kind, count, seconds, requests, errors, client.limiter.mode))
    return out


def report(p: Pass) -> dict[str, float | int]:
    vs = (
        f"  {p.rows_per_s / BATCHED_CEILING:4.1f}× the batched 100 rows/s"
        if p.site.name == "cloud"
        else ""
    )
    print(
        f"{p.site.name:>5} {p.kind:>9}: {p.seconds:6.2f} s  {p.rows_per_s:6.0f} rows/s  "
        f"{p.requests:3d} requests  {p.errors} errors  auto→{p.mode}  "
        f"floor {p.floor:5.2f} s ({p.site.concurrency} at once)  floor/measured {p.ratio:.2f}{vs}"
    )
    figures: dict[str, float | int] = {
        f"{p.site.name}_{p.kind}_rows_per_s": round(p.rows_per_s),
        f"{p.site.name}_{p.kind}_ratio": round(p.ratio, 3),
        f"{p.site.name}_{p.kind}_requests": p.requests,
        f"{p.site.name}_{p.kind}_errors": p.errors,
    }
    if p.site.name == "cloud":
        figures[f"cloud_{p.kind}_vs_batched"] = round(p.rows_per_s / BATCHED_CEILING, 2)
    return figures


def main() -> None:
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(40),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="N=3,000 rows")
    parser.add_argument("--rows", type=int, help="rows to upsert (N)")
    args = parser.parse_args()
    count = args.rows or (3_000 if args.quick else 10_000)
    print(
        f"N={count} rows; per-row cost {COST.added * 1000:.1f} ms new, "
        f"{COST.unchanged * 1000:.1f} ms unchanged; rate profile auto"
    )
    figures: dict[str, Any] = {"rows": count}
    for site in SITES:
        fake = FakeProcess(site)
        try:
            passes = asyncio.run(measure(site, fake.url, count))
            server = fake.command("stats")
        finally:
            fake.close()
        for p in passes:
            figures |= report(p)
        figures[f"{site.name}_max_in_flight"] = server["max_in_flight"]
        figures[f"{site.name}_503"] = server["query_limit_sent"]
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
