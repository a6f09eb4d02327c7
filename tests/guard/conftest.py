"""The order guard's tests: the contract in Python and on the Bitrix fake, checkouts and REST
order creation on a store with the schema applied (:mod:`._shop`), the option through
``schema apply``. Logs stay out of captured output."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import structlog


@pytest.fixture(autouse=True)
def _quiet_logs() -> Iterator[None]:
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())
    yield
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())
