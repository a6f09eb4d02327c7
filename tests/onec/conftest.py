"""Fixtures for the 1C adapters: the fake in process and sources wired to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from onec_client import (
    HttpServiceConfig,
    HttpServiceSource,
    RetryPolicy,
    SoapConfig,
    SoapSource,
)
from onec_client.fake import DEFAULT_PASSWORD, DEFAULT_USER, HTTP_PREFIX, SOAP_PATH, FakeOneC

MSK = ZoneInfo("Europe/Moscow")
FIXTURES = Path(__file__).parents[2] / "fixtures" / "onec"
NO_WAIT = RetryPolicy(attempts=4, initial_wait=0.0, max_wait=0.0)
BASE = "http://1c.test"


class Sleeps:
    """Records retry waits instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def fake() -> FakeOneC:
    return FakeOneC(seed=7, counterparties=6, documents=5)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def http_source(fake: FakeOneC, sleeps: Sleeps) -> Callable[..., HttpServiceSource]:
    def make(**overrides: Any) -> HttpServiceSource:
        target = overrides.pop("app", fake)
        fields: dict[str, Any] = {
            "url": BASE + HTTP_PREFIX,
            "username": DEFAULT_USER,
            "password": DEFAULT_PASSWORD,
            "page_size": 4,
            "retry": NO_WAIT,
        }
        fields.update(overrides)
        return HttpServiceSource(
            HttpServiceConfig(**fields), transport=httpx.ASGITransport(target), sleep=sleeps
        )

    return make


@pytest.fixture
def soap_source(fake: FakeOneC, sleeps: Sleeps) -> Callable[..., SoapSource]:
    def make(**overrides: Any) -> SoapSource:
        fields: dict[str, Any] = {
            "wsdl_url": BASE + SOAP_PATH + "?wsdl",
            "username": DEFAULT_USER,
            "password": DEFAULT_PASSWORD,
            "page_size": 4,
            "retry": NO_WAIT,
        }
        fields.update(overrides)
        return SoapSource(SoapConfig(**fields), transport=httpx.ASGITransport(fake), sleep=sleeps)

    return make


async def collect(items: AsyncIterator[Any]) -> list[Any]:
    return [item async for item in items]
