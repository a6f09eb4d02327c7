"""Fixtures: ``shop`` — the real client over the in-process fake of a seeded store."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import structlog

from ._shop import Shop, make_shop


@pytest.fixture
async def shop() -> AsyncIterator[Shop]:
    s = make_shop()
    async with s.client:
        yield s


@pytest.fixture(autouse=True)
def _quiet_logs() -> None:
    """A CLI test elsewhere may have left structlog writing to its closed capture stream."""
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())
