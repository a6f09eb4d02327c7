"""``GET /documents/download?doc=&user=&exp=&sig=``: a document's PDF, streamed from 1C.

In order, each step ending the request with a short page when it fails:

1. the link verifies exactly as ``bridge/contract/signing.json`` says (403 ``link_invalid``,
   403 ``link_expired``);
2. the document exists and is not marked deleted (404), and the link's user is an active member
   of its company with a role that sees documents (403), read from the site now
   (:func:`workflows.authorize_download`); Bitrix not answering → 503;
3. 1C opens the file (404 when 1C has none, 503 with ``Retry-After`` when 1C is down);
4. the body is passed on chunk by chunk as 1C sends it — nothing is written to disk and at most
   one chunk is held, so a 200 MB file costs the memory of a chunk.

``Content-Disposition`` names the file after the document (``Счёт 0000-000123.pdf``), as
RFC 6266 / RFC 5987 want it: an ASCII ``filename`` fallback and the UTF-8 ``filename*``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from urllib.parse import quote

import structlog
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from onec_client import DocumentFile, OneCError, OneCSkippableError
from workflows import (
    Directory,
    Download,
    Expired,
    LinkInvalid,
    NotAllowed,
    NotFound,
    Unavailable,
    authorize_download,
)

from ._pages import message_page
from ._signing import verify_link
from ._state import AppState, app_state

log = structlog.get_logger("b2bsync.web")


def content_disposition(download: Download) -> str:
    utf8 = quote(download.filename(), safe="")
    return f"attachment; filename=\"{download.ascii_filename()}\"; filename*=UTF-8''{utf8}"


def _page(request: Request, state: AppState, status: int, code: str) -> Response:
    state.counters.downloads[code] += 1
    headers = {"Retry-After": str(state.config.retry_after)} if status == 503 else None
    return message_page(
        request, status, code, default_language=state.config.language, headers=headers
    )


async def download(request: Request) -> Response:
    state = app_state(request)
    query = request.query_params
    now = state.deps.clock().timestamp()
    try:
        link = verify_link(
            state.config.secret,
            query.get("doc"),
            query.get("user"),
            query.get("exp"),
            query.get("sig"),
            now,
        )
    except Expired:
        return _page(request, state, 403, "link_expired")
    except LinkInvalid:
        log.warning("http.download.refused", reason="link invalid")
        return _page(request, state, 403, "link_invalid")
    try:
        directory = Directory(state.bitrix, enums=state.enums, languages=state.languages)
        grant = await authorize_download(directory, link.document_id, link.user_id)
    except NotFound:
        return _page(request, state, 404, "not_found")
    except NotAllowed:
        log.info("http.download.refused", reason="not allowed", user=link.user_id)
        return _page(request, state, 403, "not_allowed")
    except Unavailable as exc:
        log.warning("http.download.unavailable", side="bitrix", error=str(exc))
        return _page(request, state, 503, "unavailable")
    if request.method == "HEAD":  # what a GET would be, without asking 1C for the file
        return Response(
            status_code=200,
            media_type="application/pdf",
            headers={
                "Content-Disposition": content_disposition(grant),
                "Cache-Control": "no-store",
            },
        )
    if state.onec is None:
        log.warning("http.download.unavailable", side="1c", error="no 1C source is configured")
        return _page(request, state, 503, "unavailable")
    stack = AsyncExitStack()
    try:
        file = await stack.enter_async_context(state.onec.open_file(grant.guid))
    except OneCSkippableError:
        await stack.aclose()
        return _page(request, state, 404, "no_file")
    except OneCError as exc:
        await stack.aclose()
        log.warning("http.download.unavailable", side="1c", error=str(exc))
        return _page(request, state, 503, "unavailable")
    headers = {
        "Content-Disposition": content_disposition(grant),
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    }
    if file.size is not None:
        headers["Content-Length"] = str(file.size)
    state.counters.downloads["ok"] += 1
    log.info("http.download", document=grant.document_id, user=grant.user_id, size=file.size)
    return StreamingResponse(
        _stream(state, file, stack, grant), media_type="application/pdf", headers=headers
    )


async def _stream(
    state: AppState, file: DocumentFile, stack: AsyncExitStack, grant: Download
) -> AsyncIterator[bytes]:
    """The file's chunks as they come; the 1C response is closed however the stream ends
    (finished, the browser gone, 1C breaking off — then the download is cut short)."""
    sent = 0
    try:
        async for chunk in file.iter_bytes():
            sent += len(chunk)
            state.counters.download_bytes += len(chunk)
            yield chunk
    except OneCError as exc:
        log.warning("http.download.broken", document=grant.document_id, sent=sent, error=str(exc))
        raise
    finally:
        await stack.aclose()


__all__ = ["content_disposition", "download"]
