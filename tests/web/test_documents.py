"""``GET /documents/download`` through the real app, with both fakes behind it: the file comes
through, byte for byte and in chunks; every refusal is a short page with the right status."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from workflows.testing import add_members

from .conftest import SECRET, Web, serving


def _page(response: Any) -> str:
    assert response.headers["content-type"].startswith("text/html")
    text: str = response.text
    assert "Traceback" not in text
    return text


async def test_a_signed_link_streams_the_pdf(web: Web):
    row = web.document(0)
    owner = web.cab.user(0, "owner")
    response = await web.client.get(web.link(row["ID"], owner))
    assert response.status_code == 200
    assert response.content == web.pdf(row)
    assert len(response.content) > 300_000
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    disposition = response.headers["content-disposition"]
    number = row["UF_NUMBER"]
    assert disposition.startswith('attachment; filename="document-')
    assert "filename*=UTF-8''" in disposition
    assert quote(number) in disposition
    assert disposition.isascii()


async def test_head_answers_without_fetching_the_file(web: Web):
    row = web.document(0)
    requests = sum(web.cab.world.onec.requests.values())
    response = await web.client.head(web.link(row["ID"], web.cab.user(0, "owner")))
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    assert sum(web.cab.world.onec.requests.values()) == requests


async def test_the_link_may_name_the_document_by_its_1c_guid(web: Web):
    row = web.document(0)
    accountant = web.cab.user(0, "accountant")
    response = await web.client.get(web.link(row["UF_XML_ID"], accountant))
    assert response.status_code == 200
    assert response.content == web.pdf(row)


async def test_the_body_goes_out_chunk_by_chunk(web: Web):
    sizes: list[int] = []

    async def spy(scope: dict[str, Any], receive: Any, send: Any) -> None:
        async def sending(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body":
                sizes.append(len(message.get("body", b"")))
            await send(message)

        await web.asgi(scope, receive, sending)

    import httpx

    row = web.document(0)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=spy)) as client:
        response = await client.get(web.link(row["ID"], web.cab.user(0, "owner")))
    assert response.status_code == 200
    assert sum(sizes) == len(web.pdf(row))
    assert len(sizes) > 3
    assert max(sizes) <= 64 * 1024


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ("expired", 403, "link_expired"),
        ("tampered", 403, "link_invalid"),
        ("other_secret", 403, "link_invalid"),
        ("missing_sig", 403, "link_invalid"),
        ("other_user", 403, "link_invalid"),
    ],
)
async def test_a_bad_link_is_a_short_page(web: Web, change: str, status: int, code: str):
    row = web.document(0)
    owner = web.cab.user(0, "owner")
    url = {
        "expired": lambda: web.link(row["ID"], owner, ttl=-1),
        "tampered": lambda: web.link(row["ID"], owner)[:-2] + "AA",
        "other_secret": lambda: web.link(row["ID"], owner, secret=SECRET + "!"),
        "missing_sig": lambda: web.link(row["ID"], owner).split("&sig=")[0],
        "other_user": lambda: web.link(row["ID"], owner).replace(
            f"&user={owner}&", f"&user={web.cab.user(0, 'accountant')}&"
        ),
    }[change]()
    response = await web.client.get(url)
    assert response.status_code == status
    assert f"{status} · {code}" in _page(response)


async def test_pages_speak_the_browsers_language(web: Web):
    url = web.link(web.document(0)["ID"], web.cab.user(0, "owner"), ttl=-1)
    russian = await web.client.get(url)
    assert "Срок действия ссылки истёк" in _page(russian)
    english = await web.client.get(url, headers={"Accept-Language": "en-US,en;q=0.9,ru;q=0.5"})
    assert "This link has expired" in _page(english)
    assert '<html lang="en">' in english.text


@pytest.mark.parametrize("who", ["buyer", "viewer", "other_company_owner", "inactive_owner"])
async def test_only_active_members_who_see_documents(web: Web, who: str):
    cab = web.cab
    row = web.document(0)
    if who == "other_company_owner":
        user = cab.user(1, "owner")
    elif who == "inactive_owner":
        user = await cab.add_person(0, "owner")
        await add_members(cab.bitrix, [(cab.company_id(0), user, "owner")], active=False)
    else:
        user = await cab.add_person(0, who)
    response = await web.client.get(web.link(row["ID"], user))
    assert response.status_code == 403
    assert "403 · not_allowed" in _page(response)


async def test_a_deleted_or_unknown_document_is_404(web: Web):
    row = web.document(0)
    owner = web.cab.user(0, "owner")
    await web.cab.bitrix.bridge.item_update("B2bDocuments", row["ID"], {"UF_DELETED": 1})
    response = await web.client.get(web.link(row["ID"], owner))
    assert response.status_code == 404
    assert "404 · not_found" in _page(response)
    missing = await web.client.get(web.link(999_999, owner))
    assert missing.status_code == 404


async def test_a_document_without_a_file_in_1c(web: Web):
    row = web.document(0, with_file=False)
    response = await web.client.get(web.link(row["ID"], web.cab.user(0, "owner")))
    assert response.status_code == 404
    assert "404 · no_file" in _page(response)


async def test_1c_down_is_503_with_retry_after(web: Web):
    web.cab.world.onec.faults.inject("500", times=10, route="file")
    response = await web.client.get(web.link(web.document(0)["ID"], web.cab.user(0, "owner")))
    assert response.status_code == 503
    assert response.headers["retry-after"] == "30"
    assert "503 · unavailable" in _page(response)


async def test_bitrix_down_is_503(web: Web):
    from bitrix_client.fake import Fault

    web.cab.world.app.faults.inject_next(Fault.ERROR_500_HTML, method="b2bsync.item.get", count=10)
    response = await web.client.get(web.link(web.document(0)["ID"], web.cab.user(0, "owner")))
    assert response.status_code == 503
    assert response.headers["retry-after"] == "30"


async def test_without_a_1c_source_downloads_are_503(synced, state_store):
    async with serving(synced, state_store, onec=None) as web:
        response = await web.client.get(web.link(web.document(0)["ID"], synced.user(0, "owner")))
    assert response.status_code == 503


async def test_an_unexpected_error_is_a_500_page_never_a_traceback(synced, state_store):
    class Broken:
        async def __aenter__(self) -> Broken:
            return self

        async def __aexit__(self, *_: object) -> None:
            return None

        def open_file(self, guid: str) -> Any:
            raise RuntimeError("boom")

    async with serving(synced, state_store, onec=Broken) as web:
        response = await web.client.get(web.link(web.document(0)["ID"], synced.user(0, "owner")))
    assert response.status_code == 500
    assert "boom" not in _page(response)


async def test_unknown_paths_and_methods_are_short_pages(web: Web):
    response = await web.client.get("/nothing-here")
    assert response.status_code == 404
    assert "404 · page_not_found" in _page(response)
    response = await web.client.post("/documents/download")
    assert response.status_code == 405


async def test_a_download_costs_two_site_requests_once_warm(web: Web):
    """The document row, and the company's memberships (one batch); document types are read
    once per process (an enumeration item's ID never changes)."""
    row = web.document(0)
    owner = web.cab.user(0, "owner")
    stats = web.cab.world.app.stats
    first = stats.http_requests
    assert (await web.client.get(web.link(row["ID"], owner))).status_code == 200
    cold = stats.http_requests - first
    second = stats.http_requests
    assert (await web.client.get(web.link(row["ID"], owner))).status_code == 200
    warm = stats.http_requests - second
    assert warm == 2
    assert cold == warm + 4  # roles and document types: block and fields, once each
