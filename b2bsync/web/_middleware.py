"""Pure ASGI middleware (no ``BaseHTTPMiddleware``: that one runs the app in another task, so
structlog's bound context and ``contextvars`` would not reach the handlers). Each is stateless
and wraps ``send`` only to see the status or add headers.

Order (outermost first), as ``create_app`` lists them:

1. :class:`RequestLog` — binds ``request_id``, method and path into structlog's context, logs one
   ``http.request`` line with the status and duration, counts answers for ``/metrics``; the
   query string is never logged (a download link's ``sig`` is a credential);
2. :class:`Guard` — any exception becomes a short page (500) if nothing was sent yet, and is
   logged once with its traceback; after the response started it is logged and the connection
   closes (a 200 MB download cut short by 1C cannot turn into an error page);
3. :class:`SecurityHeaders` — ``nosniff``, ``no-referrer`` (a signed link must not leak to other
   sites through ``Referer``), ``DENY`` framing.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import structlog
from starlette.requests import Request

from ._pages import message_page
from ._state import AppState

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = structlog.get_logger("b2bsync.web")

SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)


def _state(scope: Scope) -> AppState | None:
    found = scope.get("state", {}).get("b2bsync")
    return found if isinstance(found, AppState) else None


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        with structlog.contextvars.bound_contextvars(
            request_id=uuid.uuid4().hex[:12], method=scope["method"], path=scope["path"]
        ):
            try:
                await self.app(scope, receive, sending)
            finally:
                state = _state(scope)
                if state is not None:
                    state.counters.responses[status] += 1
                log.info(
                    "http.request",
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 1),
                )


class Guard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception:
            log.exception("http.failed", response_started=started)
            if started:
                return
            state = _state(scope)
            language = state.config.language if state is not None else "ru"
            page = message_page(Request(scope), 500, "error", default_language=language)
            await page(scope, receive, send)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, sending)


__all__ = ["Guard", "RequestLog", "SecurityHeaders"]
