"""The one interface every 1C adapter implements, and the retry loop they share."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Self, TypeVar

import structlog

from ._config import RetryPolicy
from ._errors import OneCRetryableError
from ._models import CounterpartyItem, CreditItem, Document, DocumentFile, DocumentItem

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]
log = structlog.get_logger()


@dataclass(frozen=True)
class CheckReport:
    """What ``check()`` found: one line per thing verified, for ``b2bsync onec check``."""

    source: str
    lines: list[str] = field(default_factory=list)


class OneCSource(ABC):
    """Counterparties, documents, credit positions and document files from 1C.

    Iterators yield a normalised record or a :class:`~onec_client.Quarantined` item; both carry
    ``key`` (the natural key) and ``changed_at`` (usable as a ``changed_since`` cursor). A record
    that cannot be made valid never stops the others. Errors that stop an iteration are
    :class:`~onec_client.OneCError` subclasses: retryable, fatal or skippable.
    """

    kind: str

    @abstractmethod
    def counterparties(
        self, changed_since: datetime | None = None
    ) -> AsyncIterator[CounterpartyItem]:
        """Counterparties changed at or after ``changed_since`` (all when ``None``)."""

    @abstractmethod
    def documents(
        self, counterparty: str | None = None, changed_since: datetime | None = None
    ) -> AsyncIterator[DocumentItem]:
        """Documents of one counterparty (all when ``None``) changed at or after the cursor."""

    @abstractmethod
    def credit(self, counterparty: str | None = None) -> AsyncIterator[CreditItem]:
        """Credit positions of one counterparty, or of all."""

    @abstractmethod
    def open_file(self, document: Document | str) -> AbstractAsyncContextManager[DocumentFile]:
        """The document's printable file as a byte stream; leave the context to release it.

        Raises :class:`~onec_client.OneCFileUnavailable` when 1C has no file for it.
        """

    @abstractmethod
    async def check(self) -> CheckReport:
        """Verify reachability and credentials; raises :class:`~onec_client.OneCError`."""

    async def commit(self) -> None:  # noqa: B027  (a no-op is the right default)
        """Mark everything read so far as consumed (the XML drop moves files aside); remote
        sources have nothing to do. Call it after the records were stored."""

    async def aclose(self) -> None:  # noqa: B027
        """Release connections."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


async def with_retries(
    call: Callable[[], Awaitable[T]], policy: RetryPolicy, sleep: Sleep, what: str
) -> T:
    """Run an idempotent read, retrying :class:`OneCRetryableError` with exponential waits."""
    attempt = 1
    while True:
        try:
            return await call()
        except OneCRetryableError as exc:
            if attempt >= policy.attempts:
                raise
            wait = min(policy.max_wait, policy.initial_wait * 2 ** (attempt - 1))
            log.warning(
                "onec.retry",
                what=what,
                attempt=attempt,
                wait=wait,
                error=type(exc).__name__,
                reason=exc.message,
            )
            await sleep(wait)
            attempt += 1
