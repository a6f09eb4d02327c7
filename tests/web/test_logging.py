"""What the app logs: one dotted ``http.request`` line per request with the status, and never the
shared secret, a link's signature or its query string."""

from __future__ import annotations

import io
import json

from b2bsync._logging import REDACTOR, configure_logging

from .conftest import SECRET, Web


async def test_requests_are_logged_without_secrets_or_signatures(web: Web):
    out = io.StringIO()
    REDACTOR.add(SECRET)
    configure_logging("info", "json", stream=out)
    row = web.document(0)
    link = web.link(row["ID"], web.cab.user(0, "owner"))
    signature = link.rsplit("sig=", 1)[1]
    await web.client.get(link)
    await web.client.get(link.replace(signature, "A" * 43))
    await web.client.post("/events", **web.ping("b2b_order_events", 3))
    text = out.getvalue()
    assert SECRET not in text
    assert signature not in text
    lines = [json.loads(line) for line in text.splitlines()]
    requests = [line for line in lines if line["event"] == "http.request"]
    assert [(r["path"], r["status"]) for r in requests] == [
        ("/documents/download", 200),
        ("/documents/download", 403),
        ("/events", 202),
    ]
    assert all("request_id" in r and "duration_ms" in r for r in requests)
    assert {line["event"] for line in lines} >= {"http.download", "http.events.ping"}


def test_a_signature_in_a_url_is_redacted():
    assert REDACTOR.scrub("GET /documents/download?doc=1&user=2&exp=3&sig=abc-DEF_123") == (
        "GET /documents/download?doc=1&user=2&exp=3&sig=***"
    )
