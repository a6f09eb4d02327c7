"""When a failed call may be sent again, and how long to wait: every retry rule lives here.

Reads always retry. A write retries only when repeating it cannot duplicate anything (update,
upsert, delete, ensure, a full-set modify, a mail with a dedup key) or when the failure proves the
server never processed it (connection refused, bucket full, time budget spent). A timed-out
``add`` is never replayed blindly: it surfaces as :class:`WriteOutcomeUnknownError`.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
)

from ._errors import (
    OperationTimeLimitError,
    OverloadError,
    RateLimitedError,
    ServerError,
    TransportError,
)

T = TypeVar("T")

_READ_VERBS = frozenset(
    {
        "list", "get", "getfields", "getlistlangs", "getfieldsbytype", "fields", "find", "info",
        "time", "current", "search", "count",
    }
)  # fmt: skip
_IDEMPOTENT_WRITE_VERBS = frozenset(
    {"update", "upsert", "delete", "deletebyfilter", "ensure", "modify", "set", "tryupdate"}
)
_READ_METHODS = frozenset({"scope", "methods", "method.get", "profile", "server.time", "app.info"})


def is_read(method: str) -> bool:
    name = method.lower()
    return name in _READ_METHODS or name.rsplit(".", 1)[-1] in _READ_VERBS


def is_idempotent(method: str, params: Mapping[str, Any] | None = None) -> bool:
    """Whether sending this call twice leaves the site as sending it once."""
    name = method.lower()
    if is_read(name):
        return True
    if name.rsplit(".", 1)[-1] in _IDEMPOTENT_WRITE_VERBS:
        return True
    return name == "b2bsync.mail.send" and bool((params or {}).get("DEDUP_KEY"))


def never_processed(exc: BaseException) -> bool:
    if isinstance(exc, RateLimitedError | OperationTimeLimitError | OverloadError):
        return True
    return isinstance(exc, TransportError) and exc.sent is False


def may_retry(exc: BaseException, *, idempotent: bool) -> bool:
    if never_processed(exc):
        return True
    if isinstance(exc, TransportError | ServerError):
        return idempotent
    return False


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    initial_wait: float = 0.5
    max_wait: float = 30.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    @classmethod
    def no_wait(cls, attempts: int = 6) -> RetryPolicy:
        async def _no_sleep(_: float) -> None:
            return None

        return cls(attempts=attempts, initial_wait=0.0, max_wait=0.0, sleep=_no_sleep)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RateLimitedError | OperationTimeLimitError | OverloadError):
            return 0.0  # the rate limiter itself holds the next attempt as long as needed
        if self.max_wait <= 0:
            return 0.0
        backoff: float = self.initial_wait * 2.0 ** max(0, state.attempt_number - 1)
        return min(self.max_wait, backoff) + random.uniform(0, self.initial_wait)  # noqa: S311

    async def run(self, attempt: Callable[[], Awaitable[T]], *, idempotent: bool) -> T:
        retrying = AsyncRetrying(
            retry=retry_if_exception(lambda exc: may_retry(exc, idempotent=idempotent)),
            stop=stop_after_attempt(max(1, self.attempts)),
            wait=self._wait,
            sleep=self.sleep,
            reraise=True,
        )
        async for trying in retrying:
            with trying:
                return await attempt()
        raise AssertionError("tenacity ended without an outcome")  # pragma: no cover
