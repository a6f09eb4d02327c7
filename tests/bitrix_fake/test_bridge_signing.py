"""``bridge/contract/signing.json`` is self-consistent: every vector is HMAC-SHA256 over the
documented canonical string, base64url without padding, and the invalid cases do not verify.
(The PHP signer is checked against the same file by ``bridge/tests``.)"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

SIGNING = json.loads(
    (Path(__file__).resolve().parents[2] / "bridge" / "contract" / "signing.json").read_text(
        encoding="utf-8"
    )
)
DOCUMENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
DECIMAL = re.compile(r"0|[1-9][0-9]*")


def sign(secret: str, document_id: str, user_id: int, expires: int) -> str:
    canonical = SIGNING["canonical_template"].format(
        document_id=document_id, user_id=user_id, expires=expires
    )
    mac = hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def verify(case: dict[str, Any]) -> bool:
    if not DOCUMENT_ID.fullmatch(case["document_id"]):
        return False
    if not DECIMAL.fullmatch(str(case["user_id"])) or case["user_id"] < 1:
        return False
    expected = sign(case["secret"], case["document_id"], case["user_id"], case["expires"])
    return hmac.compare_digest(expected, case["signature"])


@pytest.mark.parametrize("vector", SIGNING["vectors"], ids=lambda v: v["signature"][:8])
def test_vectors_reproduce(vector: dict[str, Any]) -> None:
    assert vector["canonical"] == (
        f"b2bsync-doc-v1\n{vector['document_id']}\n{vector['user_id']}\n{vector['expires']}"
    )
    assert (
        sign(vector["secret"], vector["document_id"], vector["user_id"], vector["expires"])
        == (vector["signature"])
    )
    assert len(vector["signature"]) == 43
    query = dict(parse_qsl(urlsplit(vector["url"]).query))
    assert vector["url"].startswith(vector["base_url"])
    assert query["doc"] == vector["document_id"]
    assert (query["user"], query["exp"], query["sig"]) == (
        str(vector["user_id"]),
        str(vector["expires"]),
        vector["signature"],
    )
    assert verify(vector)


@pytest.mark.parametrize("case", SIGNING["invalid"], ids=lambda c: c["why"])
def test_invalid_cases_fail(case: dict[str, Any]) -> None:
    assert not verify(case)


@pytest.mark.parametrize("case", SIGNING["expiry_checks"], ids=lambda c: str(c["now"]))
def test_expiry_is_inclusive(case: dict[str, Any]) -> None:
    assert (case["now"] <= case["expires"]) is case["valid"]
