"""Both fakes (a linked ``World``) in their own process for ``bench/sync.py``.

Prints ``<webhook URL> <1C URL> <1C user> <1C password>`` on the first line, then answers stdin
commands, one per line: ``stats`` (a JSON line of the Bitrix fake's counters), ``quit``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys

import structlog

from bitrix_client.fake import Limits
from jobs.testing import World


def main() -> None:
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(40),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )
    parser = argparse.ArgumentParser()
    parser.add_argument("--companies", type=int, required=True)
    parser.add_argument("--documents", type=int, required=True)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--profile", default="standard", choices=["off", "standard"])
    args = parser.parse_args()
    world = World.build(
        seed=11,
        companies=args.companies,
        documents=args.documents,
        orders=args.orders,
        real_time=True,
        limits=Limits.standard() if args.profile == "standard" else Limits.off(),
    )
    asyncio.run(world.apply_schema())
    gc.freeze()  # millions of seeded objects: keep full collections out of the timings
    with world.serve() as ends:
        print(ends.webhook_url, ends.onec_url, ends.onec_user, ends.onec_password, flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "stats":
                stats = world.app.stats
                print(
                    json.dumps(
                        {
                            "http_requests": stats.http_requests,
                            "query_limit_sent": stats.query_limit_sent,
                            "upserts": stats.calls["b2bsync.item.upsert"],
                            "calls": dict(stats.calls),
                            "rows": len(world.rows("B2bDocuments")),
                        }
                    ),
                    flush=True,
                )
            elif command == "quit":
                break


if __name__ == "__main__":
    main()
