"""The async REST client: one ``call``, ``batch`` of any size, and constant-memory listing."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import httpx
import structlog

from ._auth import Auth, WebhookAuth
from ._batch import run_batch
from ._classify import classify
from ._errors import (
    OperationTimeLimitError,
    OverloadError,
    RateLimitedError,
    TokenExpiredError,
    TransportError,
    WriteOutcomeUnknownError,
)
from ._guard import check_write
from ._limiter import BOXED_CONCURRENCY, PROFILES, RateLimit, RateLimiter
from ._paging import iterate_keyset, iterate_offset
from ._retry import RetryPolicy, is_idempotent
from ._types import BatchItem, Command, Response
from ._wire import encode_form, encode_json

if TYPE_CHECKING:
    from ._bridge import BridgeAPI
    from ._sale import SaleAPI

log = structlog.get_logger("bitrix_client")

BATCH_LIMIT = 50
PAGE_SIZE = 50


@dataclass
class ClientStats:
    """Exact counts for tests and benchmarks: HTTP requests sent, answers by kind."""

    requests: int = 0
    batch_commands: int = 0
    retries: int = 0
    rate_limited: int = 0
    time_limited: int = 0
    token_refreshes: int = 0


def _as_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class BitrixClient:
    """Talks to one Bitrix site. Share one instance between tasks: its limiter is process-wide.

    ``transport`` is the seam for tests (``httpx.ASGITransport`` over the fake) and for anything
    that wants its own HTTP stack.
    """

    def __init__(
        self,
        auth: Auth,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        rate_limit: RateLimit | str | None = "auto",
        limiter: RateLimiter | None = None,
        max_concurrency: int = 4,
        boxed_concurrency: int = BOXED_CONCURRENCY,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        body: Literal["json", "form"] = "json",
        verify: bool = True,
    ) -> None:
        self.auth = auth
        if limiter is None and rate_limit == "auto":
            limiter = RateLimiter.auto(
                max_concurrency=max_concurrency, boxed_concurrency=boxed_concurrency
            )
        elif limiter is None:
            limit = PROFILES[rate_limit] if isinstance(rate_limit, str) else rate_limit
            limiter = RateLimiter(limit, max_concurrency=max_concurrency)
        self.limiter = limiter
        self.retry = retry or RetryPolicy()
        self.body = body
        self.stats = ClientStats()
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            verify=verify,
            headers={"User-Agent": "b2bsync-bitrix-client"},
        )
        self._sale: SaleAPI | None = None
        self._bridge: BridgeAPI | None = None

    @classmethod
    def from_webhook(cls, url: str, **kwargs: Any) -> BitrixClient:
        return cls(WebhookAuth(url), **kwargs)

    async def __aenter__(self) -> BitrixClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def sale(self) -> SaleAPI:
        if self._sale is None:
            from ._sale import SaleAPI

            self._sale = SaleAPI(self)
        return self._sale

    @property
    def bridge(self) -> BridgeAPI:
        if self._bridge is None:
            from ._bridge import BridgeAPI

            self._bridge = BridgeAPI(self)
        return self._bridge

    # -- single calls -------------------------------------------------------------------------

    async def call(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        idempotent: bool | None = None,
    ) -> Response:
        """Call one method; retried per the rules of :mod:`bitrix_client._retry`."""
        params = dict(params or {})
        safe = is_idempotent(method, params) if idempotent is None else idempotent
        attempt = 0

        async def once() -> Response:
            nonlocal attempt
            attempt += 1
            if attempt > 1:
                self.stats.retries += 1
            return await self._send_authorised(method, params)

        try:
            return await self.retry.run(once, idempotent=safe)
        except TransportError as exc:
            if not safe and exc.sent is not False:
                raise WriteOutcomeUnknownError(
                    f"{method}: no answer to a non-idempotent write ({exc}); "
                    "look the record up by its idempotency key before writing it again",
                    method=method,
                ) from exc
            raise

    async def _send_authorised(self, method: str, params: Mapping[str, Any]) -> Response:
        generation = self.auth.generation
        try:
            return await self._send(method, params)
        except TokenExpiredError:
            if not await self.auth.refresh(self._http, generation):
                raise
            self.stats.token_refreshes += 1
            log.info("bitrix.token.refreshed", method=method)
            return await self._send(method, params)

    def _build(self, method: str, params: Mapping[str, Any]) -> httpx.Request:
        headers = self.auth.headers()
        if self.body == "form":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            content = encode_form(params).encode()
        else:
            headers["Content-Type"] = "application/json"
            content = encode_json(params)
        return self._http.build_request(
            "POST", self.auth.url_for(method), content=content, headers=headers
        )

    async def _send(self, method: str, params: Mapping[str, Any]) -> Response:
        await self.limiter.acquire(method)
        check_write(method, params)  # the last moment before the request leaves
        request = self._build(method, params)
        started = time.perf_counter()
        async with self.limiter.in_flight:
            self.stats.requests += 1
            try:
                answer = await self._http.send(request)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                raise self._transport_error(method, exc, sent=False) from exc
            except (httpx.WriteError, httpx.WriteTimeout) as exc:
                raise self._transport_error(method, exc, sent=False) from exc
            except httpx.HTTPError as exc:
                raise self._transport_error(method, exc, sent=None) from exc
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        try:
            body: Any = json.loads(answer.content) if answer.content else None
        except ValueError:
            body = None
        error = classify(answer.status_code, body, method=method)
        if error is not None:
            log.warning(
                "bitrix.request",
                method=method,
                status=answer.status_code,
                duration_ms=duration_ms,
                error=str(error.code) if error.code is not None else type(error).__name__,
            )
            self._note_limits(method, error)
            raise error
        log.debug(
            "bitrix.request", method=method, status=answer.status_code, duration_ms=duration_ms
        )
        timing = body.get("time") if isinstance(body.get("time"), dict) else None
        self.limiter.observe(method, timing, _work_units(method, params))
        return Response(
            result=body["result"],
            total=_as_int(body.get("total")),
            next=_as_int(body.get("next")),
            time=timing,
        )

    def _transport_error(
        self, method: str, exc: httpx.HTTPError, *, sent: bool | None
    ) -> TransportError:
        log.warning("bitrix.request", method=method, status=None, error=type(exc).__name__)
        return TransportError(f"{method}: {type(exc).__name__}: {exc}", sent=sent, method=method)

    def _note_limits(self, method: str, error: Exception) -> None:
        if isinstance(error, RateLimitedError):
            self.stats.rate_limited += 1
            self.limiter.full()
        elif isinstance(error, OperationTimeLimitError):
            self.stats.time_limited += 1
            reset = error.reset_at if error.reset_at is not None else time.time() + 60.0
            self.limiter.hold_method(method, reset)
        elif isinstance(error, OverloadError):
            self.limiter.hold_all(60.0)

    # -- batches and lists --------------------------------------------------------------------

    async def batch(
        self, commands: Iterable[Command | tuple[str, Mapping[str, Any]]], *, halt: bool = False
    ) -> list[BatchItem]:
        """Run any number of commands, 50 per request; outcomes come back in input order."""
        normalised = [c if isinstance(c, Command) else Command(c[0], c[1]) for c in commands]
        return await run_batch(self, normalised, halt=halt, chunk=BATCH_LIMIT)

    def iterate(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        items_key: str | None = None,
        id_field: str = "id",
        keyset: bool = True,
        pages_per_request: int = BATCH_LIMIT,
        count_first: bool = True,
        on_total: Callable[[int], None] | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """Every row of a list method, in constant memory.

        Keyset mode (default) orders by ``id_field`` and pages with ``>id`` and ``start=-1``,
        chaining several pages into one batch request; offset mode follows ``start``/``next``
        for methods that cannot order by id. ``on_total`` gets the count of matching rows the
        first page carries (keyset mode with ``count_first``), for progress bars.
        """
        if keyset:
            return iterate_keyset(
                self,
                method,
                dict(params or {}),
                items_key=items_key,
                id_field=id_field,
                pages_per_request=pages_per_request,
                count_first=count_first,
                on_total=on_total,
            )
        return iterate_offset(
            self,
            method,
            dict(params or {}),
            items_key=items_key,
            pages_per_request=pages_per_request,
        )

    async def list_all(
        self, method: str, params: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> list[dict[str, Any]]:
        return [row async for row in self.iterate(method, params, **kwargs)]


def _work_units(method: str, params: Mapping[str, Any]) -> int:
    """How much work a request asks of the site: the rows of an upsert chunk, the commands of a
    batch, else one (the ``auto`` limiter compares ``time.processing`` per unit)."""
    if method.lower() == "batch":
        commands = params.get("cmd")
        return len(commands) if isinstance(commands, Mapping | list) else 1
    rows = params.get("ROWS")
    return len(rows) if isinstance(rows, list) and rows else 1


def extract_rows(result: Any, items_key: str | None) -> Sequence[dict[str, Any]]:
    """The rows of a list answer: ``result[items_key]`` for ``sale.*``, ``result`` otherwise."""
    rows = result.get(items_key, []) if items_key and isinstance(result, dict) else result
    if isinstance(rows, dict):  # PHP arrays with non-sequential keys arrive as objects
        rows = list(rows.values())
    if not isinstance(rows, list):
        return []
    return rows
