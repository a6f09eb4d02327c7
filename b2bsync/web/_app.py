"""The HTTP app: routes, middleware, lifespan, in one place.

The lifespan opens the Bitrix client and the 1C source the app lives with (their connection
pools and the rate limiter are shared by every request) and holds them in :class:`AppState`,
reached by handlers as ``request.state.b2bsync``. Unknown paths and methods get the same short
pages as everything else; nothing ever answers with a traceback.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ._approvals import approvals
from ._config import WebConfig, WebDeps
from ._csrf import CsrfProtect
from ._documents import download
from ._events import events
from ._health import healthz, metrics
from ._invites import accept_page, accept_post, hello, login
from ._middleware import Guard, RequestLog, SecurityHeaders
from ._pages import message_page
from ._state import AppState, ReplayCache

ROUTES = [
    Route("/documents/download", download, methods=["GET", "HEAD"], name="download"),
    Route("/approvals", approvals, methods=["GET", "POST"], name="approvals"),
    Route("/events", events, methods=["POST"], name="events"),
    Route("/invites/accept", accept_page, methods=["GET"], name="invite"),
    Route("/invites/accept", accept_post, methods=["POST"], name="invite_accept"),
    Route("/invites/login", login, methods=["GET"], name="invite_login"),
    Route("/invites/hello", hello, methods=["GET"], name="invite_hello"),
    Route("/healthz", healthz, methods=["GET"], name="healthz"),
    Route("/metrics", metrics, methods=["GET"], name="metrics"),
]


def create_app(config: WebConfig, deps: WebDeps) -> Starlette:
    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[dict[str, Any]]:
        async with AsyncExitStack() as stack:
            bitrix = await stack.enter_async_context(deps.bitrix())
            onec = await stack.enter_async_context(deps.onec()) if deps.onec else None
            state = AppState(config, deps, bitrix, onec, ReplayCache(config.event_window))
            yield {"b2bsync": state}

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        code = "page_not_found" if status in (404, 405) else "error"
        return message_page(request, status, code, default_language=config.language)

    return Starlette(
        routes=ROUTES,
        # outermost first; see _middleware for why each sits where it does; CSRF innermost,
        # so its refusals are logged and get the security headers like any page
        middleware=[
            Middleware(RequestLog),
            Middleware(Guard),
            Middleware(SecurityHeaders),
            Middleware(
                CsrfProtect,
                secret=config.secret,
                prefixes=("/invites/", "/approvals"),
                cookie_path=config.invites.root_path,
                secure=config.invites.secure,
                language=config.language,
            ),
        ],
        exception_handlers={HTTPException: http_error},
        lifespan=lifespan,
    )


__all__ = ["ROUTES", "create_app"]
