"""The Bitrix fake in its own process for benchmarks (no GIL shared with the client measured).

Prints its webhook URLs (one per client) on the first line of stdout, then answers commands on
stdin, one per line: ``stats`` (a JSON line of counters), ``reset`` (zero them), ``quit``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import replace

import httpx
import structlog

from bitrix_client import BitrixClient
from bitrix_client.fake import FakeSite, Limits, LoopbackServer, RowCost, create_app

SECRET = "b3nchm4rks3cr3t0"
#: One webhook per client measured: each has a bucket of its own, as separate apps would.
SECRETS = ("b3nchm4rks3cr3t0", "b3nchm4rks3cr3t1")
FIELDS = [
    {"FIELD_NAME": "UF_XML_ID", "USER_TYPE_ID": "string", "MANDATORY": "Y"},
    {"FIELD_NAME": "UF_NAME", "USER_TYPE_ID": "string"},
    {"FIELD_NAME": "UF_AMOUNT", "USER_TYPE_ID": "double"},
]


async def prepare(site: FakeSite, read_rows: int) -> None:
    """Two blocks: BenchWrite (unique UF_XML_ID) for upserts, BenchRead preloaded for lists."""
    setup = create_app(site)  # no limits: setting up is not what is measured
    transport = httpx.ASGITransport(app=setup)
    url = f"http://setup/rest/1/{SECRET}/"
    async with BitrixClient.from_webhook(url, transport=transport, rate_limit="off") as client:
        bridge = client.bridge
        for name, table in (("BenchWrite", "bench_write"), ("BenchRead", "bench_read")):
            block = await bridge.hlblock_add(name, table, {"ru": name, "en": name})
            for field in FIELDS:
                await bridge.field_add(block, field)
            await bridge.index_ensure(block, f"ux_{table}_xml", ["UF_XML_ID"], unique=True)
        rows = [
            {"UF_XML_ID": f"read-{i:07d}", "UF_NAME": f"Строка {i}", "UF_AMOUNT": i * 1.5}
            for i in range(read_rows)
        ]
        for start in range(0, len(rows), 2500):
            await client.batch(
                ("b2bsync.item.add", {"HLBLOCK": "BenchRead", "FIELDS": row})
                for row in rows[start : start + 2500]
            )


def main() -> None:
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(40),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default="standard", choices=["off", "standard", "enterprise"])
    parser.add_argument("--read-rows", type=int, default=10_000)
    parser.add_argument(
        "--row-cost",
        action="store_true",
        help="answer at a real site's speed per HL row (2.8 ms new, 1.7 ms unchanged)",
    )
    parser.add_argument("--workers", type=int, default=0, help="PHP workers (0: unlimited)")
    args = parser.parse_args()
    site = FakeSite()
    for secret in SECRETS:
        site.add_webhook(1, secret, {"sale", "b2bsync"})
    asyncio.run(prepare(site, args.read_rows))
    profiles = {"off": Limits.off, "standard": Limits.standard, "enterprise": Limits.enterprise}
    limits = profiles[args.profile]()
    if args.row_cost:
        limits = replace(limits, row_cost=RowCost(), workers=args.workers or None)
    app = create_app(site, limits=limits)
    server = LoopbackServer(app)
    base = server.start()
    print(" ".join(f"{base}/rest/1/{secret}/" for secret in SECRETS), flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "stats":
            stats = app.stats
            print(
                json.dumps(
                    {
                        "http_requests": stats.http_requests,
                        "query_limit_sent": stats.query_limit_sent,
                        "calls": dict(stats.calls),
                        "work": dict(stats.work),
                        "max_in_flight": stats.max_in_flight,
                    }
                ),
                flush=True,
            )
        elif command == "reset":
            app.stats.reset()
            print("{}", flush=True)
        elif command == "quit":
            break
    server.stop()


if __name__ == "__main__":
    main()
