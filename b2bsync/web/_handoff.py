"""The signed strings between ``serve`` and the store's bridge module around an invite, exactly
as ``bridge/contract/handoff.json`` defines them (its vectors are this module's tests; the PHP
module's ``LoginHandoff`` and ``WhoAmI`` pass the same file):

- **the login hand-off** (serve → store): after an invite is accepted the browser goes to the
  module's hand-off page with ``user``, ``exp`` (at most :data:`HANDOFF_TTL` = 60 s ahead),
  ``nonce`` (single use: the module keeps the nonces it accepted), ``path`` (where on the store
  to land) and ``sig`` over ``b2bsync-login-v1 LF user LF exp LF nonce LF path``; the module
  logs that user in (never an administrator) and redirects to ``path``;
- **the who-am-I request** (serve → store): for an invitee who has an account, serve sends the
  browser to the module's page with ``return`` (serve's own URL to come back to), ``state`` and
  ``exp``, signed over ``b2bsync-whoami-req-v1 LF return LF state LF exp`` — so the module
  redirects only where serve said (no open redirect);
- **the who-am-I answer** (store → serve): the module, for its logged-in user (it shows its
  login form first otherwise), redirects to ``return`` with ``user``, ``state``, ``exp`` (60 s)
  and ``sig`` over ``b2bsync-whoami-v1 LF user LF state LF exp``. Serve checks ``state``
  against the cookie it set before leaving, so an answer is good only in the browser that asked.

MACs are HMAC-SHA256 with the shared secret, base64url without padding, compared in constant
time after every field matched its pattern; failures raise :class:`~workflows.LinkInvalid` or
:class:`~workflows.Expired`, never saying which part was wrong.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import TypeGuard
from urllib.parse import quote, urlencode

from workflows import Expired, LinkInvalid

LOGIN_PREFIX = "b2bsync-login-v1"
WHOAMI_REQUEST_PREFIX = "b2bsync-whoami-req-v1"
WHOAMI_PREFIX = "b2bsync-whoami-v1"
HANDOFF_TTL = 60
WHOAMI_TTL = 60
#: How long an invitee may take to log in on the store before the request expires.
WHOAMI_REQUEST_TTL = 900
MAX_PATH = 512
MAX_RETURN = 1024

_USER = re.compile(r"[1-9][0-9]{0,18}")
_TIME = re.compile(r"0|[1-9][0-9]{0,18}")
_NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}")
_PATH = re.compile(r"/(?![/\\])[^\s\x00-\x1f\\]*")
_RETURN = re.compile(r"https?://[^\s\x00-\x1f]+")
_SIGNATURE = re.compile(r"[A-Za-z0-9_-]{43}")


def _mac(secret: str, message: str) -> str:
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _fits(value: str | None, pattern: re.Pattern[str], limit: int = 1024) -> TypeGuard[str]:
    return value is not None and len(value) <= limit and pattern.fullmatch(value) is not None


def _check(secret: str, message: str, signature: str | None) -> None:
    if signature is None or not _SIGNATURE.fullmatch(signature):
        raise LinkInvalid("not signed")
    if not hmac.compare_digest(_mac(secret, message), signature):
        raise LinkInvalid("the signature does not match")


# the login hand-off
def login_canonical(user_id: int, expires: int, nonce: str, path: str) -> str:
    return f"{LOGIN_PREFIX}\n{user_id}\n{expires}\n{nonce}\n{path}"


def sign_login(secret: str, user_id: int, expires: int, nonce: str, path: str) -> str:
    if user_id < 1 or expires < 0 or not _NONCE.fullmatch(nonce):
        raise ValueError("user id positive, nonce of 16-64 [A-Za-z0-9_-]")
    if not _fits(path, _PATH, MAX_PATH):
        raise ValueError("the path must be a path on the store (a single leading /)")
    return _mac(secret, login_canonical(user_id, expires, nonce, path))


def login_url(base_url: str, secret: str, user_id: int, expires: int, nonce: str, path: str) -> str:
    """The hand-off link exactly as the contract's vectors show it."""
    query = urlencode(
        {
            "user": user_id,
            "exp": expires,
            "nonce": nonce,
            "path": path,
            "sig": sign_login(secret, user_id, expires, nonce, path),
        },
        quote_via=quote,
        safe="",
    )
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}{query}"


@dataclass(frozen=True)
class Login:
    user_id: int
    expires: int
    nonce: str
    path: str


def verify_login(
    secret: str,
    user: str | None,
    exp: str | None,
    nonce: str | None,
    path: str | None,
    sig: str | None,
    now: float,
) -> Login:
    """What the module checks (here for the contract's sake): patterns, MAC, ``now <= exp``
    and ``exp - now <= 60`` (a hand-off is never made for longer). Single use is the module's
    nonce table."""
    if not (
        _fits(user, _USER)
        and _fits(exp, _TIME)
        and _fits(nonce, _NONCE)
        and _fits(path, _PATH, MAX_PATH)
    ):
        raise LinkInvalid("the hand-off is malformed")
    _check(secret, login_canonical(int(user), int(exp), nonce, path), sig)
    if now > int(exp):
        raise Expired("the hand-off has expired")
    if int(exp) - now > HANDOFF_TTL:
        raise LinkInvalid("the hand-off lives too long")
    return Login(int(user), int(exp), nonce, path)


# who am I: the request
def whoami_request_canonical(return_url: str, state: str, expires: int) -> str:
    return f"{WHOAMI_REQUEST_PREFIX}\n{return_url}\n{state}\n{expires}"


def sign_whoami_request(secret: str, return_url: str, state: str, expires: int) -> str:
    if not _fits(return_url, _RETURN, MAX_RETURN) or not _NONCE.fullmatch(state) or expires < 0:
        raise ValueError("an http(s) return URL, a state of 16-64 [A-Za-z0-9_-]")
    return _mac(secret, whoami_request_canonical(return_url, state, expires))


def whoami_request_url(
    base_url: str, secret: str, return_url: str, state: str, expires: int
) -> str:
    query = urlencode(
        {
            "return": return_url,
            "state": state,
            "exp": expires,
            "sig": sign_whoami_request(secret, return_url, state, expires),
        },
        quote_via=quote,
        safe="",
    )
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}{query}"


def verify_whoami_request(
    secret: str,
    return_url: str | None,
    state: str | None,
    exp: str | None,
    sig: str | None,
    now: float,
) -> str:
    """The return URL once the request verifies (the module's side, for the contract)."""
    if not (_fits(return_url, _RETURN, MAX_RETURN) and _fits(state, _NONCE) and _fits(exp, _TIME)):
        raise LinkInvalid("the request is malformed")
    _check(secret, whoami_request_canonical(return_url, state, int(exp)), sig)
    if now > int(exp):
        raise Expired("the request has expired")
    return return_url


# who am I: the answer
def whoami_canonical(user_id: int, state: str, expires: int) -> str:
    return f"{WHOAMI_PREFIX}\n{user_id}\n{state}\n{expires}"


def sign_whoami(secret: str, user_id: int, state: str, expires: int) -> str:
    if user_id < 1 or expires < 0 or not _NONCE.fullmatch(state):
        raise ValueError("user id positive, state of 16-64 [A-Za-z0-9_-]")
    return _mac(secret, whoami_canonical(user_id, state, expires))


def whoami_answer_url(return_url: str, secret: str, user_id: int, state: str, expires: int) -> str:
    """Where the module sends the browser back (as ``WhoAmI::answerUrl`` builds it)."""
    query = urlencode(
        {
            "user": user_id,
            "state": state,
            "exp": expires,
            "sig": sign_whoami(secret, user_id, state, expires),
        },
        quote_via=quote,
        safe="",
    )
    separator = "&" if "?" in return_url else "?"
    return f"{return_url}{separator}{query}"


@dataclass(frozen=True)
class WhoAmI:
    user_id: int
    state: str
    expires: int


def verify_whoami(
    secret: str,
    user: str | None,
    state: str | None,
    exp: str | None,
    sig: str | None,
    now: float,
) -> WhoAmI:
    """The logged-in user the module vouches for: patterns, MAC, ``now <= exp``, and no more
    than 60 s ahead."""
    if not (_fits(user, _USER) and _fits(state, _NONCE) and _fits(exp, _TIME)):
        raise LinkInvalid("the answer is malformed")
    _check(secret, whoami_canonical(int(user), state, int(exp)), sig)
    if now > int(exp):
        raise Expired("the answer has expired")
    if int(exp) - now > WHOAMI_TTL:
        raise LinkInvalid("the answer lives too long")
    return WhoAmI(int(user), state, int(exp))


__all__ = [
    "HANDOFF_TTL",
    "LOGIN_PREFIX",
    "WHOAMI_PREFIX",
    "WHOAMI_REQUEST_PREFIX",
    "WHOAMI_REQUEST_TTL",
    "WHOAMI_TTL",
    "Login",
    "WhoAmI",
    "login_canonical",
    "login_url",
    "sign_login",
    "sign_whoami",
    "sign_whoami_request",
    "verify_login",
    "verify_whoami",
    "verify_whoami_request",
    "whoami_answer_url",
    "whoami_canonical",
    "whoami_request_canonical",
    "whoami_request_url",
]
