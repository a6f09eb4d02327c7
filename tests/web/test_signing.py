"""``b2bsync.web._signing`` reproduces ``bridge/contract/signing.json`` and ``events.json``: the
same vectors the PHP module (``LinkSignerTest``, ``WakePingTest``) and the Python fake pass."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from b2bsync.web import event_signature, link_url, sign_link, verify_event, verify_link
from bitrix_client.fake._bridge_notify import link_signature
from bitrix_client.fake._bridge_pings import event_signature as fake_event_signature
from workflows import Expired, LinkInvalid

CONTRACT = Path(__file__).resolve().parents[2] / "bridge" / "contract"
LINKS = json.loads((CONTRACT / "signing.json").read_text(encoding="utf-8"))
EVENTS = json.loads((CONTRACT / "events.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("vector", LINKS["vectors"], ids=lambda v: v["signature"][:8])
def test_link_vectors(vector: dict[str, Any]):
    doc, user, exp = vector["document_id"], vector["user_id"], vector["expires"]
    assert sign_link(vector["secret"], doc, user, exp) == vector["signature"]
    assert link_signature(vector["secret"], doc, user, exp) == vector["signature"]
    assert link_url(vector["base_url"], vector["secret"], doc, user, exp) == vector["url"]
    link = verify_link(vector["secret"], doc, str(user), str(exp), vector["signature"], exp)
    assert (link.document_id, link.user_id, link.expires) == (doc, user, exp)


@pytest.mark.parametrize("case", LINKS["invalid"], ids=lambda c: c["why"])
def test_invalid_links(case: dict[str, Any]):
    with pytest.raises(LinkInvalid):
        verify_link(
            case["secret"],
            case["document_id"],
            str(case["user_id"]),
            str(case["expires"]),
            case["signature"],
            0,
        )


@pytest.mark.parametrize("case", LINKS["expiry_checks"], ids=lambda c: str(c["now"]))
def test_link_expiry_is_inclusive(case: dict[str, Any]):
    vector = LINKS["vectors"][0]
    secret, doc, user = vector["secret"], vector["document_id"], vector["user_id"]
    sig = sign_link(secret, doc, user, case["expires"])
    if case["valid"]:
        verify_link(secret, doc, str(user), str(case["expires"]), sig, case["now"])
    else:
        with pytest.raises(Expired):
            verify_link(secret, doc, str(user), str(case["expires"]), sig, case["now"])


@pytest.mark.parametrize(
    ("doc", "user", "exp", "sig"),
    [
        (None, "2", "1", "x" * 43),
        ("17", "02", "1", "x" * 43),  # leading zero
        ("17", "0", "1", "x" * 43),
        ("17", "2", "-1", "x" * 43),
        ("17", "2", "01", "x" * 43),
        ("17", "2", "1", "x" * 42),
        ("x" * 65, "2", "1", "x" * 43),
    ],
)
def test_malformed_links_fail_before_any_mac(doc, user, exp, sig):
    with pytest.raises(LinkInvalid, match="malformed"):
        verify_link("secret", doc, user, exp, sig, 0)


@pytest.mark.parametrize("vector", EVENTS["vectors"], ids=lambda v: v["block"])
def test_ping_vectors(vector: dict[str, Any]):
    body = vector["body"].encode()
    assert event_signature(vector["secret"], vector["timestamp"], body) == vector["signature"]
    assert fake_event_signature(vector["secret"], vector["timestamp"], body) == vector["signature"]
    stamp = verify_event(
        vector["secret"], str(vector["timestamp"]), body, vector["signature"], vector["timestamp"]
    )
    assert stamp == vector["timestamp"]


@pytest.mark.parametrize("case", EVENTS["invalid"], ids=lambda c: c["why"])
def test_invalid_pings(case: dict[str, Any]):
    with pytest.raises(LinkInvalid):
        verify_event(
            case["secret"],
            str(case["timestamp"]),
            case["body"].encode(),
            case["signature"],
            case["timestamp"],
        )


@pytest.mark.parametrize("case", EVENTS["window_checks"], ids=lambda c: str(c["now"]))
def test_ping_window(case: dict[str, Any]):
    vector = EVENTS["vectors"][0]
    body, secret = vector["body"].encode(), vector["secret"]
    sig = event_signature(secret, case["timestamp"], body)
    args = (secret, str(case["timestamp"]), body, sig, case["now"], EVENTS["window_seconds"])
    if case["valid"]:
        assert verify_event(*args) == case["timestamp"]
    else:
        with pytest.raises(Expired):
            verify_event(*args)
