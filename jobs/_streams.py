"""Closing a record stream when a job stops reading it early (stop flag, failure).

Adapters and list helpers return async generators typed as ``AsyncIterator``; leaving one
half-read would keep its HTTP response (or export file) open until garbage collection.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypeVar

T = TypeVar("T")


@asynccontextmanager
async def closing(stream: AsyncIterator[T]) -> AsyncIterator[AsyncIterator[T]]:
    try:
        yield stream
    finally:
        close = getattr(stream, "aclose", None)
        if close is not None:
            await close()
