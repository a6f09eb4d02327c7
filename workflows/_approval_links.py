"""The one-click approve / reject links of an approval mail: signed, expiring, single use.

A link names the order, the owner it was sent to, the action, a nonce and its expiry, and is
signed with the secret b2bsync shares with the bridge (HMAC-SHA256, URL-safe base64 without
padding) over ``b2bsync-approval-v1\\n<order>\\n<user>\\n<action>\\n<nonce>\\n<exp>``. Only b2bsync
makes and checks these links, so the canonical string lives here, beside the policy that puts
them into mails; ``b2bsync serve`` verifies them (``/approvals``).

**The nonce** is derived from the notification's dedup key (an HMAC of it, so it cannot be
guessed from the key): the approve and the reject link of one mail share it, so using either
uses both, and a mail made twice (a replayed poll) carries the same links. A reminder is another
notification, with links of its own. Single use is enforced where the link is used: the state
store records each nonce once.

Every check fails closed with :class:`~workflows.LinkInvalid` (malformed, tampered, another
secret) or :class:`~workflows.Expired`, and never says which part was wrong; fields are checked
against their patterns before a MAC is computed, and MACs compared in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from ._errors import Expired, LinkInvalid

PREFIX = "b2bsync-approval-v1"
NONCE_PREFIX = "b2bsync-approval-nonce-v1"
APPROVE, REJECT = "approve", "reject"
ACTIONS = (APPROVE, REJECT)
PATH = "/approvals"

_ID = re.compile(r"[1-9][0-9]{0,18}")
_NONCE = re.compile(r"[A-Za-z0-9_-]{22}")
_EXPIRES = re.compile(r"0|[1-9][0-9]{0,18}")
_SIGNATURE = re.compile(r"[A-Za-z0-9_-]{43}")


def _mac(secret: str, message: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class ApprovalLink:
    order_id: int
    user_id: int
    action: str
    nonce: str
    expires: int

    def canonical(self) -> str:
        return (
            f"{PREFIX}\n{self.order_id}\n{self.user_id}\n{self.action}\n{self.nonce}\n"
            f"{self.expires}"
        )

    def query(self, signature: str) -> dict[str, str]:
        return {
            "o": str(self.order_id),
            "u": str(self.user_id),
            "a": self.action,
            "n": self.nonce,
            "exp": str(self.expires),
            "sig": signature,
        }


@dataclass(frozen=True)
class ApprovalLinks:
    """Makes links under ``base_url`` (where the store reaches ``b2bsync serve``)."""

    secret: str
    base_url: str

    def nonce(self, fact: str) -> str:
        return _mac(self.secret, f"{NONCE_PREFIX}\n{fact}")[:22]

    def sign(self, link: ApprovalLink) -> str:
        if link.action not in ACTIONS or link.order_id < 1 or link.user_id < 1:
            raise ValueError(f"not a valid approval link: {link}")
        return _mac(self.secret, link.canonical())

    def url(self, link: ApprovalLink) -> str:
        return f"{self.base_url.rstrip('/')}{PATH}?{urlencode(link.query(self.sign(link)))}"

    def pair(self, order_id: int, user_id: int, fact: str, expires: int) -> tuple[str, str]:
        """The approve and the reject link of one mail (``fact``: its dedup key)."""
        nonce = self.nonce(fact)
        return (
            self.url(ApprovalLink(order_id, user_id, APPROVE, nonce, expires)),
            self.url(ApprovalLink(order_id, user_id, REJECT, nonce, expires)),
        )


def verify_approval_link(secret: str, fields: Mapping[str, str | None], now: float) -> ApprovalLink:
    """The link of these query (or form) fields once pattern, MAC and expiry hold."""
    order, user, action = fields.get("o"), fields.get("u"), fields.get("a")
    nonce, expires, signature = fields.get("n"), fields.get("exp"), fields.get("sig")
    if not (
        order is not None
        and user is not None
        and action in ACTIONS
        and nonce is not None
        and expires is not None
        and signature is not None
        and _ID.fullmatch(order)
        and _ID.fullmatch(user)
        and _NONCE.fullmatch(nonce)
        and _EXPIRES.fullmatch(expires)
        and _SIGNATURE.fullmatch(signature)
    ):
        raise LinkInvalid("the link is malformed")
    assert action is not None
    link = ApprovalLink(int(order), int(user), action, nonce, int(expires))
    if not hmac.compare_digest(_mac(secret, link.canonical()), signature):
        raise LinkInvalid("the link's signature does not match")
    if now > link.expires:
        raise Expired("the link has expired")
    return link


__all__ = [
    "ACTIONS",
    "APPROVE",
    "PATH",
    "PREFIX",
    "REJECT",
    "ApprovalLink",
    "ApprovalLinks",
    "verify_approval_link",
]
