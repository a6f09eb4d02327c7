"""Both fakes (a linked ``World``) in their own process for ``bench/outbox.py``.

Prints ``<webhook URL> <1C URL> <1C user> <1C password>`` on the first line, then answers stdin
commands, one per line, each with one JSON line:

- ``stats`` — the Bitrix fake's counters, bell rows and queued mails;
- ``option NAME VALUE`` — set a module option (``sidecar_url``, ``link_secret``…; ``-`` = empty);
- ``wait TYPE COUNT SECONDS`` — wait until the site holds ``COUNT`` bell rows of ``TYPE``; answers
  the wall-clock time (``time.time()``) when it saw them (the fake runs in threads of this
  process, so its state is read here directly, with no REST request);
- ``pings`` — the pings the module sent and b2bsync's answers;
- ``quit``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import time

import structlog

from bitrix_client.fake import Limits
from jobs.testing import World


def _bell(world: World, kind: str) -> int:
    block = world.site.bridge.block_by_name("B2bNotifications")
    if block is None:
        return 0
    return sum(1 for row in block.rows.values() if row.get("UF_TYPE") == kind)


def main() -> None:
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(40),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )
    parser = argparse.ArgumentParser()
    parser.add_argument("--companies", type=int, default=20)
    parser.add_argument("--documents", type=int, default=2)
    parser.add_argument("--orders", type=int, default=400)
    parser.add_argument("--file-size", type=int, default=0)
    parser.add_argument("--profile", default="standard", choices=["off", "standard"])
    args = parser.parse_args()
    world = World.build(
        seed=17,
        companies=args.companies,
        documents=args.documents,
        orders=args.orders,
        real_time=True,
        limits=Limits.standard() if args.profile == "standard" else Limits.off(),
        file_size=args.file_size,
    )
    asyncio.run(world.apply_schema())
    gc.freeze()
    with world.serve() as ends:
        print(ends.webhook_url, ends.onec_url, ends.onec_user, ends.onec_password, flush=True)
        for line in sys.stdin:
            command, *rest = line.split()
            answer: object = None
            if command == "stats":
                stats = world.app.stats
                answer = {
                    "http_requests": stats.http_requests,
                    "query_limit_sent": stats.query_limit_sent,
                    "bell": len(world.rows("B2bNotifications")),
                    "mails": len(world.site.bridge.mails()),
                }
            elif command == "option":
                name, value = rest
                world.site.bridge.options[name] = "" if value == "-" else value
                answer = True
            elif command == "wait":
                kind, count, seconds = rest[0], int(rest[1]), float(rest[2])
                deadline = time.monotonic() + seconds
                while _bell(world, kind) < count and time.monotonic() < deadline:
                    time.sleep(0.002)
                answer = {"at": time.time(), "count": _bell(world, kind)}
            elif command == "pings":
                answer = [[p.block, p.status, p.error] for p in world.site.bridge.pings]
            elif command == "quit":
                break
            print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
