"""Fixtures: a ``World`` (Bitrix fake + 1C fake describing the same companies) and the real
clients wired to it in process, with a harness that runs jobs and counts writes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import structlog

from bitrix_client import BitrixClient
from jobs import ALL_ORDER, JOBS, JobResult
from jobs.testing import RecordingProgress, World
from onec_client import OneCSource

DOWNLOAD = "https://b2b.example.ru/dl"
VOLATILE = frozenset({"ID", "UF_SYNCED_AT", "UF_UPDATED_AT"})


@dataclass
class Harness:
    world: World
    bitrix: BitrixClient
    onec: OneCSource

    async def run(
        self, name: str, *, progress: RecordingProgress | None = None, **config: Any
    ) -> JobResult:
        config.setdefault("download_base_url", DOWNLOAD)
        ctx = self.world.context(self.bitrix, self.onec, progress=progress, **config)
        return await JOBS[name](ctx)

    async def ok(self, name: str, **config: Any) -> JobResult:
        result = await self.run(name, **config)
        assert result.ok, result.errors
        return result

    async def all(self, **config: Any) -> dict[str, JobResult]:
        return {name: await self.ok(name, **config) for name in ALL_ORDER}

    def upserts(self) -> int:
        """Rows sent to ``b2bsync.item.upsert`` (a ``ROWS`` call carries many)."""
        return self.world.app.stats.work["upsert_rows"]

    def upsert_calls(self) -> int:
        return self.world.app.stats.calls["b2bsync.item.upsert"]

    def calls(self, method: str) -> int:
        return self.world.app.stats.calls[method]


async def harness(**options: Any) -> AsyncIterator[Harness]:
    world = await World.create(**options)
    async with world.bitrix() as bitrix, world.onec_source() as onec:
        yield Harness(world, bitrix, onec)


@pytest.fixture
async def h() -> AsyncIterator[Harness]:
    async for made in harness(seed=3, companies=6, documents=4, orders=150):
        yield made


@pytest.fixture(autouse=True)
def _quiet_logs() -> None:
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())


def content(rows: list[dict[str, Any]], *, drop: frozenset[str] = VOLATILE) -> list[dict[str, Any]]:
    """Rows without the moment-of-writing fields, keyed and ordered by UF_XML_ID/company."""
    cleaned = [{k: v for k, v in r.items() if k not in drop} for r in rows]
    return sorted(cleaned, key=lambda r: str(r.get("UF_XML_ID") or r.get("UF_COMPANY_ID")))
