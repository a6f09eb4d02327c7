"""The module's wake-up pings: after a row is added to a watched block (a status change logged
in ``b2b_order_events``, a comment, an invite), ``POST {sidecar_url}/events`` signed with the
shared secret, 1 s timeout, failures ignored — as ``lib/wakeups.php`` does on a real site.

The signature follows ``bridge/contract/events.json``: HMAC-SHA256 over
``b2bsync-event-v1 LF timestamp LF body`` with the ``link_secret`` option, base64url without
padding, in ``X-B2bsync-Signature``; the Unix time in ``X-B2bsync-Timestamp``; the body is
``{"block":"<table>","id":<row id>}``. Nothing is sent while ``sidecar_url`` or the secret is
empty.

The write only queues the ping (:func:`queue_ping`); the app sends what is queued before it
answers the request that made the change (:meth:`Pinger.flush`), as the PHP handler sends
during the save. Every ping and its outcome stays in ``site.bridge.pings``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import TYPE_CHECKING

import httpx

from ._bridge_state import BridgeState, Ping

if TYPE_CHECKING:
    from ._site import FakeSite

#: Blocks whose new rows wake b2bsync (their TABLE_NAMEs).
PINGED_TABLES = frozenset({"b2b_order_events", "order_comments", "b2b_invites"})
PREFIX = "b2bsync-event-v1"
TIMEOUT = 1.0


def event_signature(secret: str, timestamp: int, body: bytes) -> str:
    canonical = f"{PREFIX}\n{timestamp}\n".encode() + body
    mac = hmac.new(secret.encode(), canonical, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def events_url(sidecar: str) -> str:
    return sidecar.rstrip("/") + "/events"


def queue_ping(state: BridgeState, table: str, row_id: int) -> None:
    sidecar = state.options.get("sidecar_url", "")
    secret = state.options.get("link_secret", "")
    if table not in PINGED_TABLES or not sidecar or not secret:
        return
    body = json.dumps({"block": table, "id": row_id}, separators=(",", ":")).encode()
    state.pending_pings.append(Ping(table, row_id, events_url(sidecar), body, {}))


class Pinger:
    """Sends queued pings. ``transport`` reaches b2bsync in process (tests); without it, real
    HTTP on loopback."""

    def __init__(self, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.transport = transport

    async def flush(self, site: FakeSite) -> None:
        state = site.bridge
        queued, state.pending_pings = state.pending_pings, []
        if not queued:
            return
        secret = state.options.get("link_secret", "")
        async with httpx.AsyncClient(transport=self.transport, timeout=TIMEOUT) as http:
            for ping in queued:
                timestamp = int(site.timestamp())
                ping.headers = {
                    "Content-Type": "application/json",
                    "X-B2bsync-Timestamp": str(timestamp),
                    "X-B2bsync-Signature": event_signature(secret, timestamp, ping.body),
                }
                try:
                    answer = await http.post(ping.url, content=ping.body, headers=ping.headers)
                    ping.status = answer.status_code
                except httpx.HTTPError as exc:
                    ping.error = f"{type(exc).__name__}: {exc}"
                state.pings.append(ping)


__all__ = ["PINGED_TABLES", "Pinger", "event_signature", "events_url", "queue_ping"]
