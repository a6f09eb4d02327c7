"""CSRF protection for the app's forms (the invite pages, the one-click approval page): a pure
ASGI double-submit check, and the signed values it (and the invite pages' cookies) rely on.

As ``asgi-csrf`` does it: the page asks for a token (``scope["csrftoken"]()``); the middleware
takes it from the browser's ``b2bsync_csrf`` cookie when that cookie's signature verifies, or
makes a new random one and sets the cookie on the response. The token is the signed value
itself, so a cookie planted by someone without the shared secret never verifies. A ``POST``
under a protected prefix must carry the same value in its ``csrftoken`` form field: the body
(URL-encoded, at most 64 KiB — a larger one is a 413 page) is read once, compared in constant
time, and replayed to the app unchanged; anything else is a 403 page before the app sees the
request. The cookie is
``HttpOnly``, ``SameSite=Lax`` and ``Secure`` when serve's public URL is https.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from ._invite_texts import MESSAGES
from ._pages import message_page

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "b2bsync_csrf"
FIELD = "csrftoken"
MAX_BODY = 64 * 1024
_PREFIX = "b2bsync-cookie-v1"
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _mac(secret: str, name: str, value: str) -> str:
    digest = hmac.new(secret.encode(), f"{_PREFIX}\n{name}\n{value}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode("ascii")


def sign_value(secret: str, name: str, value: str) -> str:
    """``value.mac``: a cookie value only the holder of the secret can make (bound to the
    cookie's name, so one cookie's value is not another's)."""
    return f"{value}.{_mac(secret, name, value)}"


def unsign_value(secret: str, name: str, signed: str | None) -> str | None:
    """The value of a signed cookie, or ``None`` when missing or not verifying."""
    if not signed or "." not in signed:
        return None
    value, _, mac = signed.rpartition(".")
    return value if hmac.compare_digest(_mac(secret, name, value), mac) else None


def cookie_header(
    name: str, value: str, *, path: str, secure: bool, max_age: int | None = None
) -> bytes:
    parts = [f"{name}={value}", f"Path={path}", "HttpOnly", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


def read_cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            with contextlib.suppress(CookieError):  # a malformed header is as good as none
                jar.load(value.decode("latin-1"))
    return {key: morsel.value for key, morsel in jar.items()}


class CsrfProtect:
    def __init__(
        self,
        app: ASGIApp,
        *,
        secret: str,
        prefixes: tuple[str, ...] = ("/invites/",),
        cookie_path: str = "/",
        secure: bool = False,
        language: str = "ru",
    ) -> None:
        self.app = app
        self.secret = secret
        self.prefixes = prefixes
        self.cookie_path = cookie_path
        self.secure = secure
        self.language = language

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        given = read_cookies(scope).get(COOKIE)
        known = given if unsign_value(self.secret, COOKIE, given) is not None else None
        token = known or sign_value(self.secret, COOKIE, secrets.token_urlsafe(24))
        asked = False

        def csrftoken() -> str:
            nonlocal asked
            asked = True
            return token

        scope["csrftoken"] = csrftoken

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and asked and known is None:
                header = cookie_header(COOKIE, token, path=self.cookie_path, secure=self.secure)
                message["headers"] = [*message.get("headers", []), (b"set-cookie", header)]
            await send(message)

        if scope["method"] not in _UNSAFE:
            await self.app(scope, receive, sending)
            return
        body = await _read(receive)
        if body is _TOO_LARGE:
            await self._refuse(scope, receive, send, 413, "too_large")
            return
        if body is None or known is None or not _form_matches(scope, body, known):
            await self._refuse(scope, receive, send, 403, "csrf")
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, sending)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, status: int, code: str
    ) -> None:
        page = message_page(
            Request(scope, receive), status, code, default_language=self.language, texts=MESSAGES
        )
        await page(scope, receive, send)


_TOO_LARGE = b"\0too large"


async def _read(receive: Receive) -> bytes | None:
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk: bytes = message.get("body", b"")
        body += chunk
        if len(body) > MAX_BODY:
            return _TOO_LARGE
        if not message.get("more_body", False):
            return body


def _form_matches(scope: Scope, body: bytes, token: str) -> bool:
    content_type = ""
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            content_type = value.decode("latin-1").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return False
    try:
        fields = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=64)
    except (UnicodeDecodeError, ValueError):
        return False
    sent = [value for name, value in fields if name == FIELD]
    return len(sent) == 1 and hmac.compare_digest(sent[0].encode(), token.encode())


__all__ = [
    "COOKIE",
    "FIELD",
    "CsrfProtect",
    "cookie_header",
    "read_cookies",
    "sign_value",
    "unsign_value",
]
