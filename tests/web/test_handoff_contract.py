"""``b2bsync.web._handoff`` and the Bitrix fake's module pages reproduce
``bridge/contract/handoff.json``: the same vectors the PHP module's ``LoginHandoff`` and
``WhoAmI`` pass (``bridge/tests/HandoffTest.php``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from b2bsync.web import (
    login_url,
    sign_login,
    sign_whoami,
    verify_login,
    verify_whoami,
    verify_whoami_request,
    whoami_answer_url,
    whoami_request_url,
)
from b2bsync.web._handoff import login_canonical, whoami_canonical, whoami_request_canonical
from bitrix_client.fake import FakeSite, FakeUser, ManualClock
from bitrix_client.fake._bridge_pages import handoff, whoami
from workflows import Expired, LinkInvalid

SPEC = json.loads(
    (Path(__file__).resolve().parents[2] / "bridge" / "contract" / "handoff.json").read_text(
        "utf-8"
    )
)


def _query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


@pytest.mark.parametrize("v", SPEC["login"]["vectors"], ids=lambda v: v["nonce"][:8])
def test_login_vectors(v: dict[str, Any]):
    args = (v["user_id"], v["expires"], v["nonce"], v["path"])
    assert login_canonical(*args) == v["canonical"]
    assert sign_login(v["secret"], *args) == v["signature"]
    assert login_url(v["base_url"], v["secret"], *args) == v["url"]
    q = _query(v["url"])
    found = verify_login(
        v["secret"], q["user"], q["exp"], q["nonce"], q["path"], q["sig"], v["expires"]
    )
    assert (found.user_id, found.path) == (v["user_id"], v["path"])


@pytest.mark.parametrize("case", SPEC["login"]["invalid"], ids=lambda c: c["why"])
def test_invalid_handoffs(case: dict[str, Any]):
    with pytest.raises(LinkInvalid):
        verify_login(
            case["secret"],
            case["user"],
            case["exp"],
            case["nonce"],
            case["path"],
            case["sig"],
            int(case["exp"]),
        )


@pytest.mark.parametrize("check", SPEC["login"]["time_checks"], ids=lambda c: c["why"])
def test_handoff_time(check: dict[str, Any]):
    v = SPEC["login"]["vectors"][0]
    q = _query(v["url"])
    args = (v["secret"], q["user"], q["exp"], q["nonce"], q["path"], q["sig"], check["now"])
    if check["valid"]:
        verify_login(*args)
    else:
        with pytest.raises(Expired if check["reason"] == "expired" else LinkInvalid):
            verify_login(*args)


@pytest.mark.parametrize("v", SPEC["whoami_request"]["vectors"], ids=lambda v: v["state"][:8])
def test_whoami_request_vectors(v: dict[str, Any]):
    assert whoami_request_canonical(v["return_url"], v["state"], v["expires"]) == v["canonical"]
    url = whoami_request_url(v["base_url"], v["secret"], v["return_url"], v["state"], v["expires"])
    assert url == v["url"]
    q = _query(url)
    back = verify_whoami_request(
        v["secret"], q["return"], q["state"], q["exp"], q["sig"], v["expires"]
    )
    assert back == v["return_url"]


@pytest.mark.parametrize("case", SPEC["whoami_request"]["invalid"], ids=lambda c: c["why"])
def test_invalid_whoami_requests(case: dict[str, Any]):
    with pytest.raises(LinkInvalid):
        verify_whoami_request(
            case["secret"],
            case["return_url"],
            case["state"],
            case["exp"],
            case["sig"],
            int(case["exp"]),
        )


@pytest.mark.parametrize("v", SPEC["whoami"]["vectors"], ids=lambda v: v["state"][:8])
def test_whoami_answer_vectors(v: dict[str, Any]):
    assert whoami_canonical(v["user_id"], v["state"], v["expires"]) == v["canonical"]
    assert sign_whoami(v["secret"], v["user_id"], v["state"], v["expires"]) == v["signature"]
    url = whoami_answer_url(v["return_url"], v["secret"], v["user_id"], v["state"], v["expires"])
    assert url == v["url"]
    q = _query(url)
    who = verify_whoami(v["secret"], q["user"], q["state"], q["exp"], q["sig"], v["expires"])
    assert who.user_id == v["user_id"]


@pytest.mark.parametrize("case", SPEC["whoami"]["invalid"], ids=lambda c: c["why"])
def test_invalid_whoami_answers(case: dict[str, Any]):
    with pytest.raises(LinkInvalid):
        verify_whoami(
            case["secret"], case["user"], case["state"], case["exp"], case["sig"], int(case["exp"])
        )


@pytest.mark.parametrize("check", SPEC["whoami"]["time_checks"], ids=lambda c: c["why"])
def test_whoami_answer_time(check: dict[str, Any]):
    v = SPEC["whoami"]["vectors"][0]
    q = _query(v["url"])
    args = (v["secret"], q["user"], q["state"], q["exp"], q["sig"], check["now"])
    if check["valid"]:
        verify_whoami(*args)
    else:
        with pytest.raises(Expired if check["reason"] == "expired" else LinkInvalid):
            verify_whoami(*args)


def _site(secret: str, at: int) -> FakeSite:
    from datetime import UTC, datetime

    site = FakeSite(clock=ManualClock(datetime.fromtimestamp(at, UTC)))
    site.bridge.options["link_secret"] = secret
    site.users[17] = FakeUser(id=17, login="buyer", email="b@example.ru")
    return site


def test_the_fakes_handoff_page_keeps_the_contract():
    v = SPEC["login"]["vectors"][0]
    site = _site(v["secret"], v["expires"] - 10)
    page = handoff(site, _query(v["url"]))
    assert page.status == 302
    assert ("location", v["path"]) in page.headers
    assert handoff(site, _query(v["url"])).status == 403  # once
    for case in SPEC["login"]["invalid"]:
        fresh = _site(case["secret"], int(case["exp"]))
        query = {k: case[k] for k in ("user", "exp", "nonce", "path", "sig")}
        assert handoff(fresh, query).status == 403, case["why"]
        assert fresh.bridge.pages.nonces == {}
    admin = _site(v["secret"], v["expires"])
    admin.users[17].admin = True
    assert handoff(admin, _query(v["url"])).status == 403
    assert admin.bridge.pages.refused == ["user"]


def test_the_fakes_whoami_page_keeps_the_contract():
    v = SPEC["whoami_request"]["vectors"][0]
    site = _site(v["secret"], v["expires"] - 100)
    session = site.bridge.pages.login(17)
    page = whoami(site, _query(v["url"]), {"PHPSESSID": session}, None, "/w")
    assert page.status == 302
    location = dict(page.headers)["location"]
    assert location.startswith(v["return_url"] + "?user=17&state=")
    q = _query(location)
    who = verify_whoami(v["secret"], q["user"], q["state"], q["exp"], q["sig"], v["expires"] - 100)
    assert who.user_id == 17
    assert whoami(site, _query(v["url"]), {}, None, "/w").status == 200  # the login form
    for case in SPEC["whoami_request"]["invalid"]:
        other = _site(case["secret"], int(case["exp"]))
        signed_in = other.bridge.pages.login(17)
        query = {"return": case["return_url"], "state": case["state"], "exp": case["exp"]}
        query["sig"] = case["sig"]
        assert whoami(other, query, {"PHPSESSID": signed_in}, None, "/w").status == 403, case["why"]
