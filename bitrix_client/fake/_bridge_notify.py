"""``b2bsync.recipient.list`` and ``b2bsync.link.info``: what b2bsync needs to notify people and
to check that it shares the module's secret.

- ``recipient.list`` (``IDS``: 1-50 user IDs) — the users b2bsync writes to: ``ID``, ``EMAIL``,
  ``NAME``, ``LAST_NAME``, ``ACTIVE`` (Y/N), ``LANGUAGE_ID`` (``b_user.LANGUAGE_ID``, the
  user's own language; ``""`` when the user never chose one) and ``GROUP_IDS`` (the user's
  explicit, active group memberships, sorted: b2bsync checks ``[approval] override_groups``
  with them), by ID; unknown IDs are left out.
- ``link.info`` (``NONCE``: 8-58 characters of ``[A-Za-z0-9_-]``) — the module's link settings
  (``BASE_URL``, ``TTL``, ``EVENTS_URL`` where pings go, ``""`` when off) and ``SIGNATURE``: the
  link signature (``bridge/contract/signing.json``) of document ``probe-<NONCE>`` for user 1,
  expiring at 0 — a link that can never be used, whose signature b2bsync recomputes with its
  own secret. ``null`` when no secret is set. The secret itself never leaves the site.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from typing import Any

from ._api import CallContext, MethodRegistry
from ._bridge_params import ERROR_ARGUMENT, SCOPE, Params, fail, parse_positive_int, yn
from ._bridge_pings import events_url

NOTIFY_METHODS = MethodRegistry()
MAX_IDS = 50
_NONCE = re.compile(r"[A-Za-z0-9_-]{8,58}")


def link_signature(secret: str, document_id: str, user_id: int, expires: int) -> str:
    canonical = f"b2bsync-doc-v1\n{document_id}\n{user_id}\n{expires}"
    mac = hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


@NOTIFY_METHODS.add("b2bsync.recipient.list", SCOPE)
def recipient_list(ctx: CallContext) -> list[dict[str, Any]]:
    raw = Params(ctx.params).get("IDS")
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_IDS:
        raise fail(ERROR_ARGUMENT, f"IDS must be a list of 1-{MAX_IDS} user IDs")
    ids: set[int] = set()
    for item in raw:
        number = parse_positive_int(item)
        if number is None:
            raise fail(ERROR_ARGUMENT, "IDS must list user IDs")
        ids.add(number)
    users = ctx.site.users
    return [
        {
            "ID": user.id,
            "EMAIL": user.email,
            "NAME": user.name,
            "LAST_NAME": user.last_name,
            "ACTIVE": yn(user.active),
            "LANGUAGE_ID": user.language_id,
            "GROUP_IDS": sorted(set(user.group_ids)),
        }
        for number in sorted(ids)
        if (user := users.get(number)) is not None
    ]


@NOTIFY_METHODS.add("b2bsync.link.info", SCOPE)
def link_info(ctx: CallContext) -> dict[str, Any]:
    nonce = Params(ctx.params).string("NONCE")
    if not _NONCE.fullmatch(nonce):
        raise fail(ERROR_ARGUMENT, "NONCE must be 8-58 characters of A-Z, a-z, 0-9, _ and -")
    options = ctx.site.bridge.options
    secret = options.get("link_secret", "")
    sidecar = options.get("sidecar_url", "")
    return {
        "BASE_URL": options.get("link_base_url", ""),
        "TTL": int(options.get("link_ttl") or 0),
        "EVENTS_URL": events_url(sidecar) if sidecar else "",
        "SIGNATURE": link_signature(secret, f"probe-{nonce}", 1, 0) if secret else None,
    }


__all__ = ["NOTIFY_METHODS", "link_signature"]
