"""CSRF protection of the app's forms: a signed double-submit token.

The page that shows a form sets a random cookie (HttpOnly, SameSite=Strict, Secure behind
HTTPS, no ``Path`` — so it is scoped to where the store's nginx mounts ``serve``) and puts into
the form a token: the HMAC, with the shared secret, of the cookie and the form's *purpose* (for
the approval page: the link's nonce). A POST is accepted only when both arrive and the token
matches, compared in constant time. Another site can make a browser submit a form, but it can
neither read the cookie nor compute the token, and a token made for one link is worthless for
another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from starlette.requests import Request
from starlette.responses import Response

COOKIE = "b2bsync_csrf"
FIELD = "csrf"
PREFIX = "b2bsync-csrf-v1"
_VALUE = re.compile(r"[A-Za-z0-9_-]{43}")


def _mac(secret: str, message: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def cookie_of(request: Request) -> str | None:
    """The browser's CSRF cookie when it has a well-formed one."""
    value = request.cookies.get(COOKIE)
    return value if value is not None and _VALUE.fullmatch(value) else None


def new_cookie() -> str:
    return secrets.token_urlsafe(32)


def token(secret: str, cookie: str, purpose: str) -> str:
    return _mac(secret, f"{PREFIX}\n{cookie}\n{purpose}")


def valid(secret: str, cookie: str | None, purpose: str, sent: str | None) -> bool:
    if cookie is None or sent is None or not _VALUE.fullmatch(sent):
        return False
    return hmac.compare_digest(token(secret, cookie, purpose), sent)


def set_cookie(response: Response, value: str, *, secure: bool) -> None:
    response.set_cookie(COOKIE, value, httponly=True, samesite="strict", secure=secure, path=None)


__all__ = ["COOKIE", "FIELD", "cookie_of", "new_cookie", "set_cookie", "token", "valid"]
