"""The fake site's HTTP face: a raw ASGI app serving ``/rest/…`` and ``/oauth/token/``.

Request pipeline: decode params (query + body, PHP rules) → fault draw → a PHP worker (at most
``limits.workers`` at once) → authenticate → leaky bucket → dispatch (lookup, scope, auth type,
operating budget, handler; ``batch`` fans out) → the simulated processing time waited out (with
``limits.row_cost``) → the module's wake-up pings the writes queued
(:attr:`FakeBitrixApp.pinger`) → envelope (JSON or ``.xml``) → late faults (answer lost after the
write was applied).

In-process (``httpx.ASGITransport``) a timeout or dropped connection is raised from the app as
``httpx.ReadTimeout`` / ``httpx.RemoteProtocolError``: the transport re-raises app exceptions, so
the client sees what a real network failure looks like. On loopback (:mod:`._server`) the
connection is really stalled or aborted instead.
"""

from __future__ import annotations

import asyncio
import importlib
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from ._api import FakeRestError, MethodRegistry
from ._auth import TokenError, authenticate, token_answer
from ._batch import run_batch
from ._bridge_pages import answer as answer_page
from ._bridge_pings import Pinger
from ._core_methods import CORE_METHODS
from ._decode import decode_request
from ._dispatch import Dispatcher, OperationTimeLimit, Outcome
from ._envelope import encode_json, error_body, success_body
from ._faults import Fault, FaultInjector, Faults
from ._limits import Limiter, Limits
from ._php import PhpArray
from ._site import FakeSite
from ._stats import FakeStats
from ._xml import encode_xml

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Sleep = Callable[[float], Awaitable[None]]
#: Called with (method, params, "before" | "after") around the processing of each REST call.
Observer = Callable[[str, PhpArray, str], None]

JSON_TYPE = b"application/json; charset=utf-8"
XML_TYPE = b"text/xml; charset=utf-8"
HTML_500 = (
    b"<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>"
    b"<body><h1>Internal Server Error</h1></body></html>"
)


class ConnectionControl(Protocol):
    """What a loopback server offers the app to really break a connection."""

    def abort(self, client: tuple[str, int] | None) -> bool: ...


@dataclass
class _Response:
    status: int
    body: bytes
    content_type: bytes | None = JSON_TYPE
    headers: tuple[tuple[bytes, bytes], ...] = ()


@dataclass
class _Route:
    webhook: tuple[str, str] | None
    method: str
    xml: bool


class FakeBitrixApp:
    """A stateful fake Bitrix site as an ASGI app. Inspect ``site`` and ``stats`` in tests."""

    def __init__(
        self,
        site: FakeSite,
        *,
        limits: Limits | None = None,
        faults: Faults | None = None,
        registries: Sequence[MethodRegistry] = (),
        bridge_registry: MethodRegistry | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.site = site
        self.limiter = Limiter(limits or Limits())
        self.faults = FaultInjector(faults or Faults())
        self.stats = FakeStats()
        self.connections: ConnectionControl | None = None
        #: Tests that must act at an exact moment (the crash proof kills its client right
        #: before a write is applied, or after it was applied and before the answer leaves).
        self.observers: list[Observer] = []
        #: Sends the wake-up pings writes queued (set its ``transport`` to reach b2bsync in
        #: process); see :mod:`._bridge_pings`.
        self.pinger = Pinger()
        self._sleep = sleep
        self._workers: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None
        self._base = CORE_METHODS.merged(*registries)
        self._bridge = bridge_registry
        self._with_bridge = self._base.merged(bridge_registry) if bridge_registry else self._base
        self.dispatcher = Dispatcher(site, self.limiter, self.stats, self.methods, run_batch)

    def methods(self) -> MethodRegistry:
        """The registry in force: the bridge's methods exist only while it is installed."""
        return self._with_bridge if self.site.bridge_installed else self._base

    @property
    def limits(self) -> Limits:
        return self.limiter.limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        body = await _read_body(receive)
        self.stats.http_requests += 1
        path: str = scope["path"]
        if path.rstrip("/") == "/oauth/token":
            response = self._token_endpoint(scope, body)
        elif path.startswith("/rest/"):
            answered = await self._rest(scope, receive, body)
            if answered is None:
                return
            response = answered
        else:
            response = self._page(scope, body)
        self.stats.statuses[response.status] += 1
        await _send(send, response)

    async def _rest(self, scope: Scope, receive: Receive, body: bytes) -> _Response | None:
        route = _route(scope["path"])
        headers = _headers(scope)
        params = decode_request(
            scope.get("query_string", b"").decode("latin-1"), headers.get("content-type"), body
        )
        token = _token(params, headers)
        fault = self.faults.draw(route.method if route else "")
        if fault is not None and not fault.after_processing:
            early = await self._early_fault(fault, scope, receive, token)
            if early is not None or fault in (Fault.TIMEOUT_BEFORE, Fault.DROP_BEFORE):
                return early
        self._observe(route, params, "before")
        response = await self._in_worker(route, params, token)
        self._observe(route, params, "after")
        await self.pinger.flush(self.site)
        if fault is not None and fault.after_processing:
            await self._break_connection(fault, scope, receive)
            return None
        return response

    def _page(self, scope: Scope, body: bytes) -> _Response:
        """The module's invite pages and the store's pages (:mod:`._bridge_pages`)."""
        page = None
        if self.site.bridge_installed:
            page = answer_page(
                self.site,
                scope["method"],
                scope["path"],
                scope.get("query_string", b"").decode("latin-1"),
                _headers(scope),
                body,
            )
        if page is None:
            return _Response(404, b"Not Found", b"text/plain; charset=utf-8")
        headers = tuple((k.encode("latin-1"), v.encode("latin-1")) for k, v in page.headers)
        kind = b"text/html; charset=utf-8" if page.body else None
        return _Response(page.status, page.body.encode(), kind, headers)

    def _observe(self, route: _Route | None, params: PhpArray, moment: str) -> None:
        if route is not None:
            for observer in self.observers:
                observer(route.method, params, moment)

    async def _in_worker(
        self, route: _Route | None, params: PhpArray, token: str | None
    ) -> _Response:
        """Answer in one of the site's PHP workers, as slowly as its per-row cost says."""
        limits = self.limits
        gate = self._worker_gate() if limits.workers else None
        if gate is not None:
            await gate.acquire()
        self.stats.enter()
        try:
            started = time.perf_counter()
            response, processing = self._answer(route, params, token)
            if limits.row_cost is not None:
                remaining = processing - (time.perf_counter() - started)
                if remaining > 0:
                    await self._sleep(remaining)
            return response
        finally:
            self.stats.leave()
            if gate is not None:
                gate.release()

    def _worker_gate(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._workers is None or self._workers[0] is not loop:
            self._workers = (loop, asyncio.Semaphore(self.limits.workers or 1))
        return self._workers[1]

    def _answer(
        self, route: _Route | None, params: PhpArray, token: str | None
    ) -> tuple[_Response, float]:
        now = self.site.timestamp()
        if route is None:
            error = FakeRestError("ERROR_METHOD_NOT_FOUND", "Method not found!", 404)
            return _error(error, False), 0.0
        try:
            principal = authenticate(self.site, webhook=route.webhook, token=token, now=now)
        except FakeRestError as exc:
            return _error(exc, route.xml), 0.0
        if not self.limiter.admit(principal.client_key, now):
            self.stats.query_limit_sent += 1
            return _error(_query_limit(), route.xml), 0.0
        outcome = self.dispatcher.call(principal, route.method, params, start=now)
        return self._envelope(outcome, route.xml), outcome.processing

    def _envelope(self, outcome: Outcome, xml: bool) -> _Response:
        if outcome.error is not None:
            extra: dict[str, Any] = {}
            if isinstance(outcome.error, OperationTimeLimit):
                extra["time"] = outcome.time(self.site) | {
                    "operating_reset_at": outcome.error.reset_at
                }
            return _error(outcome.error, xml, extra)
        body = success_body(
            outcome.result, next_=outcome.next, total=outcome.total, time=outcome.time(self.site)
        )
        return _Response(200, *_encode(body, xml))

    async def _early_fault(
        self, fault: Fault, scope: Scope, receive: Receive, token: str | None
    ) -> _Response | None:
        if fault is Fault.EXPIRED_TOKEN:
            found = self.site.oauth.lookup(token) if token else None
            if found is None:
                return None
            self.site.expire_token(found.access_token)
        self.stats.faults[fault.value] += 1
        if fault is Fault.ERROR_500_HTML:
            return _Response(500, HTML_500, b"text/html; charset=utf-8")
        if fault is Fault.ERROR_500_EMPTY:
            return _Response(500, b"", None)
        if fault is Fault.QUERY_LIMIT:
            self.stats.query_limit_sent += 1
            return _error(_query_limit(), False)
        if fault is Fault.SLOW:
            await self._sleep(self.faults.config.slow_seconds)
        if fault in (Fault.TIMEOUT_BEFORE, Fault.DROP_BEFORE):
            await self._break_connection(fault, scope, receive, counted=True)
        return None

    async def _break_connection(
        self, fault: Fault, scope: Scope, receive: Receive, *, counted: bool = False
    ) -> None:
        if not counted:
            self.stats.faults[fault.value] += 1
        timeout = fault in (Fault.TIMEOUT_BEFORE, Fault.TIMEOUT_AFTER)
        if self.connections is None:
            if timeout:
                raise httpx.ReadTimeout("The read operation timed out (fake Bitrix fault)")
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
        if timeout:
            await _stall(receive, self.faults.config.stall_seconds)
        self.connections.abort(scope.get("client"))
        await asyncio.sleep(0)
        await asyncio.sleep(0)

    def _token_endpoint(self, scope: Scope, body: bytes) -> _Response:
        self.stats.token_requests += 1
        headers = _headers(scope)
        params = decode_request(
            scope.get("query_string", b"").decode("latin-1"), headers.get("content-type"), body
        )
        try:
            token = self.site.oauth.exchange(
                {str(k): v for k, v in params.items()}, self.site.timestamp()
            )
        except TokenError as exc:
            return _Response(exc.status, encode_json(exc.body()))
        return _Response(200, encode_json(token_answer(self.site, token, _rest_base(scope))))


def create_app(
    site: FakeSite,
    *,
    limits: Limits | None = None,
    faults: Faults | None = None,
    sleep: Sleep = asyncio.sleep,
) -> FakeBitrixApp:
    """The fake with every method family: core + ``sale.*`` + the bridge's ``b2bsync.*``
    (the latter answering only while ``site.bridge_installed``)."""
    registries, bridge = _families()
    return FakeBitrixApp(
        site,
        limits=limits,
        faults=faults,
        registries=registries,
        bridge_registry=bridge,
        sleep=sleep,
    )


def _families() -> tuple[list[MethodRegistry], MethodRegistry | None]:
    """The sale and bridge families, when their modules are present."""
    found: dict[str, MethodRegistry] = {}
    for module, name in (("_sale_methods", "SALE_METHODS"), ("_bridge_methods", "BRIDGE_METHODS")):
        try:
            loaded = importlib.import_module(f"{__package__}.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{module}":
                raise
            continue
        found[name] = getattr(loaded, name)
    registries = [found["SALE_METHODS"]] if "SALE_METHODS" in found else []
    return registries, found.get("BRIDGE_METHODS")


def _route(path: str) -> _Route | None:
    segments = [s for s in path[len("/rest/") :].split("/")]
    while segments and segments[-1] == "":
        segments.pop()
    if len(segments) == 3:
        webhook: tuple[str, str] | None = (segments[0], segments[1])
        method = segments[2]
    elif len(segments) == 1:
        webhook = None
        method = segments[0]
    else:
        return None
    xml = False
    lowered = method.lower()
    if lowered.endswith(".json"):
        method = method[: -len(".json")]
    elif lowered.endswith(".xml"):
        method = method[: -len(".xml")]
        xml = True
    return _Route(webhook, method, xml)


def _headers(scope: Scope) -> dict[str, str]:
    return {
        key.decode("latin-1").lower(): value.decode("latin-1")
        for key, value in scope.get("headers", [])
    }


def _token(params: PhpArray, headers: dict[str, str]) -> str | None:
    auth = params.pop("auth", None)
    if isinstance(auth, str) and auth:
        return auth
    header = headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _query_limit() -> FakeRestError:
    return FakeRestError("QUERY_LIMIT_EXCEEDED", "Too many requests", 503)


def _error(exc: FakeRestError, xml: bool, extra: dict[str, Any] | None = None) -> _Response:
    body = error_body(exc.code, exc.description) | (extra or {})
    return _Response(exc.status, *_encode(body, xml))


def _encode(body: dict[str, Any], xml: bool) -> tuple[bytes, bytes]:
    if xml:
        return encode_xml(body), XML_TYPE
    return encode_json(body), JSON_TYPE


def _rest_base(scope: Scope) -> str:
    host = _headers(scope).get("host")
    if not host:
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}/rest/"


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _stall(receive: Receive, limit: float) -> None:
    """Say nothing until the client gives up (or ``limit`` passes)."""
    try:
        async with asyncio.timeout(limit):
            while (await receive())["type"] != "http.disconnect":
                pass
    except TimeoutError:
        return


async def _send(send: Send, response: _Response) -> None:
    headers = [(b"content-length", str(len(response.body)).encode())]
    if response.content_type is not None:
        headers.append((b"content-type", response.content_type))
    headers.extend(response.headers)
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
