"""The canonical strings of ``bridge/contract/`` and their checks: the signed document links
(``signing.json``) and the wake-up pings (``events.json``). The vectors in those files are this
module's tests; the PHP module and the Python fake pass the same files.

Every check fails closed with one of two errors and never says which part was wrong:
:class:`~workflows.LinkInvalid` (malformed, tampered, another secret) and
:class:`~workflows.Expired` (a link past ``exp``, a ping outside the time window). MACs are
compared in constant time, and fields are checked against their patterns before any MAC is
computed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import quote

from workflows import Expired, LinkInvalid

DOC_PREFIX = "b2bsync-doc-v1"
EVENT_PREFIX = "b2bsync-event-v1"
#: The shortest shared secret b2bsync accepts (32 characters: 256 bits when random).
MIN_SECRET = 32
EVENT_WINDOW = 300

_DOCUMENT = re.compile(r"[A-Za-z0-9_-]{1,64}")
_USER = re.compile(r"[1-9][0-9]{0,18}")
_EXPIRES = re.compile(r"0|[1-9][0-9]{0,18}")
_SIGNATURE = re.compile(r"[A-Za-z0-9_-]{43}")


def _mac(secret: str, message: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def link_canonical(document_id: str, user_id: int, expires: int) -> str:
    return f"{DOC_PREFIX}\n{document_id}\n{user_id}\n{expires}"


def sign_link(secret: str, document_id: str, user_id: int, expires: int) -> str:
    if not _DOCUMENT.fullmatch(document_id) or user_id < 1 or expires < 0:
        raise ValueError("document id must match ^[A-Za-z0-9_-]{1,64}$, user id be positive")
    return _mac(secret, link_canonical(document_id, user_id, expires).encode("utf-8"))


def link_url(base_url: str, secret: str, document_id: str, user_id: int, expires: int) -> str:
    """The link exactly as the module's ``LinkSigner::url`` makes it."""
    separator = "&" if "?" in base_url else "?"
    return (
        f"{base_url}{separator}doc={quote(document_id, safe='')}&user={user_id}"
        f"&exp={expires}&sig={sign_link(secret, document_id, user_id, expires)}"
    )


def probe_signature(secret: str, nonce: str) -> str:
    """What ``b2bsync.link.info`` signs: document ``probe-<nonce>``, user 1, expiring at 0."""
    return sign_link(secret, f"probe-{nonce}", 1, 0)


@dataclass(frozen=True)
class Link:
    document_id: str
    user_id: int
    expires: int


def verify_link(
    secret: str, doc: str | None, user: str | None, exp: str | None, sig: str | None, now: float
) -> Link:
    """The link's fields once pattern, MAC and expiry hold (``now <= exp``, in seconds)."""
    if not (
        doc is not None
        and user is not None
        and exp is not None
        and sig is not None
        and _DOCUMENT.fullmatch(doc)
        and _USER.fullmatch(user)
        and _EXPIRES.fullmatch(exp)
        and _SIGNATURE.fullmatch(sig)
    ):
        raise LinkInvalid("the link is malformed")
    expected = sign_link(secret, doc, int(user), int(exp))
    if not hmac.compare_digest(expected, sig):
        raise LinkInvalid("the link's signature does not match")
    if now > int(exp):
        raise Expired("the link has expired")
    return Link(doc, int(user), int(exp))


def event_signature(secret: str, timestamp: int, body: bytes) -> str:
    return _mac(secret, f"{EVENT_PREFIX}\n{timestamp}\n".encode() + body)


def verify_event(
    secret: str,
    timestamp: str | None,
    body: bytes,
    signature: str | None,
    now: float,
    window: int = EVENT_WINDOW,
) -> int:
    """The ping's timestamp once its MAC holds and it lies within ``window`` seconds of now."""
    if (
        timestamp is None
        or signature is None
        or not _EXPIRES.fullmatch(timestamp)
        or not _SIGNATURE.fullmatch(signature)
    ):
        raise LinkInvalid("the ping is not signed")
    if not hmac.compare_digest(event_signature(secret, int(timestamp), body), signature):
        raise LinkInvalid("the ping's signature does not match")
    if abs(now - int(timestamp)) > window:
        raise Expired("the ping is outside the time window")
    return int(timestamp)


__all__ = [
    "EVENT_WINDOW",
    "MIN_SECRET",
    "Link",
    "event_signature",
    "link_canonical",
    "link_url",
    "probe_signature",
    "sign_link",
    "verify_event",
    "verify_link",
]
