"""What each refreshing process runs (imported by name in spawned processes)."""

from __future__ import annotations

import asyncio
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

from b2bsync._wiring import bitrix_client
from b2bsync.settings import BitrixSettings
from bitrix_client import BitrixError


def call_with_expired_token(
    settings: dict[str, Any], start: Barrier, results: Queue[tuple[str, str]]
) -> None:
    """One timer's process: builds its client from the settings (reading the token file), waits
    for the others, then makes one call with the expired access token."""

    async def main() -> str:
        async with bitrix_client(BitrixSettings(**settings)) as client:
            start.wait(timeout=60)
            try:
                await client.call("server.time")
            except BitrixError as exc:
                return f"{type(exc).__name__}: {exc}"
            return f"ok, {client.stats.token_refreshes} refresh(es)"

    results.put(("result", asyncio.run(main())))
