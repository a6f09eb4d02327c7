"""``make demo``: b2bsync end to end on embedded defaults — the sandbox emulators on loopback.

Starts the store emulator (Bitrix REST + the bridge scope, with the cloud's standard rate
limit), checks it with the doctor, applies the schema, checks again, and stops. Nothing outside
this process is touched; the environment is not read.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from ._logging import configure_logging
from ._wiring import bitrix_client
from .doctor import run_doctor
from .sandbox import Sandbox, SandboxOptions
from .schema import ensure_schema
from .settings import BitrixSettings, RateLimitProfile, Settings


def _settings(box: Sandbox) -> Settings:
    return Settings(
        bitrix=BitrixSettings(webhook_url=box.bitrix_url, rate_limit=RateLimitProfile.standard)
    )


async def run_demo(box: Sandbox, out: TextIO) -> bool:
    settings = _settings(box)

    def say(text: str = "") -> None:
        out.write(text + "\n")
        out.flush()

    say(f"Store emulator: {box.bitrix_url}  ({len(box.store.order_ids)} orders)")
    say()
    say("1. b2bsync doctor — a store without the B2B schema")
    for check in await run_doctor(settings):
        say(f"   {check.line()}")
    say()
    say("2. b2bsync schema apply")
    async with bitrix_client(settings.bitrix) as client:
        run = await ensure_schema(client, settings.bitrix)
    report = run.report
    done = sum(1 for r in report.results if r.outcome == "done") if report else 0
    say(f"   {done} step(s) applied in {run.requests} REST requests")
    for drift in run.plan.drift:
        say(f"   ! {drift.describe()}")
    say()
    say("3. b2bsync doctor — after apply")
    results = await run_doctor(settings)
    for check in results:
        say(f"   {check.line()}")
    ok = all(check.ok for check in results)
    say()
    say("demo: OK" if ok else "demo: FAILED")
    return ok


def main(out: TextIO = sys.stdout) -> int:
    configure_logging(level="warning")
    with Sandbox(SandboxOptions(orders=300, companies=12, seed=42)) as box:
        ok = asyncio.run(run_demo(box, out))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
