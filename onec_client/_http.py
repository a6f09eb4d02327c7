"""Adapter for a 1C HTTP service (``/hs/…``) speaking JSON; see ``onec_client/README.md``.

httpx exceptions and HTTP statuses become :mod:`onec_client` errors in :meth:`_send` and
:meth:`_check_status`, nowhere else.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from functools import partial
from typing import Any

import anyio
import httpx
import structlog

from . import _habits as h
from ._config import HttpServiceConfig, ListMapping
from ._errors import (
    OneCAuthError,
    OneCConfigError,
    OneCEndpointNotFound,
    OneCFileUnavailable,
    OneCNetworkError,
    OneCNotFound,
    OneCProtocolError,
    OneCServerError,
    OneCTimeoutError,
)
from ._mapping import extract, resolve
from ._models import (
    CounterpartyItem,
    CreditItem,
    Document,
    DocumentFile,
    DocumentItem,
    Quarantined,
    RecordKind,
    document_guid,
)
from ._records import Normaliser, json_raw
from ._source import CheckReport, OneCSource, Sleep, with_retries
from ._stream import GENERIC_TYPES, StreamFormatError, json_file_stream, prepend, sniff_content_type

log = structlog.get_logger()
_ERROR_BODY_LIMIT = 64 * 1024
_CHUNK = 64 * 1024
_FILENAME_STAR = re.compile(r"filename\*\s*=\s*([^']*)'[^']*'([^;]+)", re.I)
_FILENAME = re.compile(r'filename\s*=\s*"?([^";]+)"?', re.I)


async def _bounded_body(response: httpx.Response) -> bytes:
    parts: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        parts.append(chunk)
        size += len(chunk)
        if size >= _ERROR_BODY_LIMIT:
            break
    return b"".join(parts)[:_ERROR_BODY_LIMIT]


def _error_detail(body: bytes, content_type: str, charset: str | None) -> tuple[str, bool]:
    """The message of an error answer, and whether it was the service's own JSON error."""
    if h.looks_like_html(body, content_type):
        return h.html_summary(body), False
    text = h.text_of(body, charset)
    try:
        data = h.loads_json(text)
    except ValueError:
        return h.first_line(text) or "(empty body)", False
    if isinstance(data, Mapping):
        for key in ("Ошибка", "ОписаниеОшибки", "error", "error_description", "message"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                return h.first_line(value), True
        return h.first_line(json_raw(data)), True
    return h.first_line(text), False


class HttpServiceSource(OneCSource):
    kind = "http"

    def __init__(
        self,
        config: HttpServiceConfig,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self._config = config
        mapping = config.mapping
        self._norm = Normaliser(config.tz, mapping.date_formats, mapping.doc_types)
        self._sleep: Sleep = sleep or anyio.sleep
        t = config.timeouts
        self._timeout = httpx.Timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool)
        self._first_timeout = httpx.Timeout(
            connect=t.connect, read=t.first_call, write=t.write, pool=t.pool
        )
        self._first_call = True
        auth = None
        if config.username:
            password = config.password.get_secret_value() if config.password else ""
            auth = httpx.BasicAuth(config.username, password)
        try:
            self._client = httpx.AsyncClient(
                base_url=config.url.rstrip("/") + "/",
                auth=auth,
                timeout=self._timeout,
                transport=transport,
                verify=config.verify_tls,
                follow_redirects=True,
                headers={"Accept": "application/json, */*;q=0.5"},
            )
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            raise OneCConfigError(f"bad 1C HTTP service URL {config.url!r}: {exc}") from exc

    # --- the boundary -------------------------------------------------------------------------

    async def _send(self, url: str, params: Mapping[str, str] | None, route: str) -> httpx.Response:
        """GET with the stream open; statuses checked. The caller closes the response."""
        timeout = self._first_timeout if self._first_call else self._timeout
        try:
            request = self._client.build_request("GET", url, params=params, timeout=timeout)
            response = await self._client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise OneCTimeoutError(
                f"1C did not answer within {timeout.read:g} s ({route})", url=url
            ) from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise OneCConfigError(f"bad 1C URL for {route}: {exc}", url=url) from exc
        except httpx.TransportError as exc:
            raise OneCNetworkError(
                f"connection to 1C failed ({route}): {type(exc).__name__}: {exc}", url=url
            ) from exc
        self._first_call = False
        log.debug("onec.request", route=route, status=response.status_code)
        try:
            await self._check_status(response, route)
        except BaseException:
            await response.aclose()
            raise
        return response

    async def _check_status(self, response: httpx.Response, route: str) -> None:
        status = response.status_code
        url = str(response.url.copy_with(query=None))
        content_type = response.headers.get("content-type", "")
        try:
            if 200 <= status < 300:
                if "html" not in content_type.lower():
                    return
                body = await _bounded_body(response)
                raise OneCServerError(
                    f"1C answered an HTML page instead of data ({route}): {h.html_summary(body)}",
                    status=status,
                    url=url,
                )
            body = await _bounded_body(response)
        except httpx.TransportError as exc:
            raise OneCNetworkError(f"connection to 1C broke ({route}): {exc}", url=url) from exc
        detail, own_error = _error_detail(body, content_type, response.charset_encoding)
        if status in (401, 403):
            raise OneCAuthError(
                f"1C refused the credentials of user {self._config.username!r} (HTTP {status})",
                status=status,
                url=url,
            )
        if status == 404:
            if own_error:
                kind = OneCFileUnavailable if route == "file" else OneCNotFound
                raise kind(f"1C: {detail}", status=status, url=url)
            raise OneCEndpointNotFound(
                f"no 1C HTTP service at {url} (HTTP 404: {detail})", status=status, url=url
            )
        if status in (408, 425, 429) or status >= 500:
            raise OneCServerError(f"1C error (HTTP {status}): {detail}", status=status, url=url)
        raise OneCProtocolError(
            f"1C rejected the request (HTTP {status}): {detail}", status=status, url=url
        )

    async def _get_json(
        self, url: str, params: Mapping[str, str] | None, route: str
    ) -> tuple[Any, httpx.Response]:
        response = await self._send(url, params, route)
        try:
            body = await response.aread()
        except httpx.TransportError as exc:
            raise OneCNetworkError(f"connection to 1C broke ({route}): {exc}", url=url) from exc
        finally:
            await response.aclose()
        if h.looks_like_html(body):
            raise OneCServerError(
                f"1C answered an HTML page instead of JSON ({route}): {h.html_summary(body)}",
                status=response.status_code,
                url=url,
            )
        try:
            text = h.strip_bom(body).decode(response.charset_encoding or "utf-8")
            return h.loads_json(text), response
        except (LookupError, ValueError) as exc:
            raise OneCProtocolError(
                f"1C answered something that is not JSON ({route}): {h.first_line(str(exc))}",
                url=url,
            ) from exc

    # --- lists --------------------------------------------------------------------------------

    async def _items(
        self, mapping: ListMapping, params: dict[str, str]
    ) -> AsyncIterator[tuple[Any, str]]:
        url: str = mapping.path
        query: dict[str, str] | None = params
        seen: set[str] = set()
        policy = self._config.retry
        while True:
            fetch = partial(self._get_json, url, query, mapping.path)
            body, response = await with_retries(fetch, policy, self._sleep, mapping.path)
            items = resolve(body, mapping.items)
            if not isinstance(items, list):
                where = f"'{mapping.items}'" if mapping.items else "the root"
                raise OneCProtocolError(
                    f"1C answer of {mapping.path} has no list at {where}", url=str(response.url)
                )
            log.debug("onec.page", route=mapping.path, items=len(items))
            origin = f"{response.url.path}?{response.url.query.decode()}"
            for index, item in enumerate(items):
                yield item, f"{origin}#{index}"
            token = resolve(body, mapping.next) if mapping.next else None
            if token is None or token == "" or token is False:
                return
            token = str(token)
            if token in seen:
                raise OneCProtocolError(
                    f"1C repeated the continuation of {mapping.path}; stopping to avoid a loop"
                )
            seen.add(token)
            if token.startswith(("http://", "https://", "/")):
                url, query = urllib.parse.urljoin(str(response.url), token), None
            else:
                query = {**params, mapping.param_cursor: token}

    def _params(
        self,
        mapping: ListMapping,
        changed_since: datetime | None = None,
        counterparty: str | None = None,
        paged: bool = True,
    ) -> dict[str, str]:
        params: dict[str, str] = {}
        if counterparty is not None and mapping.param_counterparty:
            params[mapping.param_counterparty] = counterparty
        if changed_since is not None and mapping.param_changed_since:
            params[mapping.param_changed_since] = h.local_naive(
                changed_since, self._config.tz
            ).strftime(mapping.param_date_format)
        if paged and mapping.param_limit:
            params[mapping.param_limit] = str(self._config.page_size)
        return params

    @staticmethod
    def _not_object(kind: RecordKind, item: Any, origin: str) -> Quarantined:
        return Quarantined(
            kind=kind,
            raw=json_raw(item),
            reason=f"record is a JSON {type(item).__name__}, not an object",
            origin=origin,
        )

    async def counterparties(
        self, changed_since: datetime | None = None
    ) -> AsyncIterator[CounterpartyItem]:
        mapping = self._config.mapping.counterparties
        async for item, origin in self._items(mapping, self._params(mapping, changed_since)):
            if not isinstance(item, Mapping):
                yield self._not_object("counterparty", item, origin)
                continue
            yield self._norm.counterparty(
                extract(item, mapping.fields), partial(json_raw, item), origin
            )

    async def documents(
        self, counterparty: str | None = None, changed_since: datetime | None = None
    ) -> AsyncIterator[DocumentItem]:
        mapping = self._config.mapping.documents
        owner = None if counterparty is None else h.require_guid(counterparty, "counterparty")
        params = self._params(mapping, changed_since, owner)
        async for item, origin in self._items(mapping, params):
            if not isinstance(item, Mapping):
                yield self._not_object("document", item, origin)
                continue
            yield self._norm.document(
                extract(item, mapping.fields),
                partial(json_raw, item),
                origin,
                expected_counterparty=owner,
            )

    async def credit(self, counterparty: str | None = None) -> AsyncIterator[CreditItem]:
        mapping = self._config.mapping.credit
        owner = None if counterparty is None else h.require_guid(counterparty, "counterparty")
        async for item, origin in self._items(mapping, self._params(mapping, None, owner)):
            if not isinstance(item, Mapping):
                yield self._not_object("credit", item, origin)
                continue
            yield self._norm.credit(
                extract(item, mapping.fields),
                partial(json_raw, item),
                origin,
                expected_counterparty=owner,
            )

    # --- files --------------------------------------------------------------------------------

    def open_file(self, document: Document | str) -> AbstractAsyncContextManager[DocumentFile]:
        return self._open_file(document_guid(document))

    @asynccontextmanager
    async def _open_file(self, guid: str) -> AsyncIterator[DocumentFile]:
        path = self._config.mapping.file.path.format(guid=guid)
        fetch = partial(self._send, path, None, "file")
        response = await with_retries(fetch, self._config.retry, self._sleep, "file")
        try:
            yield await self._file_from(response, guid)
        finally:
            await response.aclose()

    @staticmethod
    async def _bytes(response: httpx.Response) -> AsyncIterator[bytes]:
        try:
            async for chunk in response.aiter_bytes(_CHUNK):
                yield chunk
        except httpx.TransportError as exc:
            raise OneCNetworkError(
                f"connection to 1C broke while downloading a file: {type(exc).__name__}: {exc}",
                url=str(response.url),
            ) from exc

    @staticmethod
    async def _decoded(chunks: AsyncIterator[bytes], url: str) -> AsyncIterator[bytes]:
        try:
            async for chunk in chunks:
                yield chunk
        except StreamFormatError as exc:
            raise OneCProtocolError(f"1C sent a broken file: {exc}", url=url) from exc

    async def _file_from(self, response: httpx.Response, guid: str) -> DocumentFile:
        url = str(response.url)
        chunks = self._bytes(response)
        first = await anext(chunks, b"")
        declared = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if h.looks_like_html(first) and declared in (*GENERIC_TYPES, "text/plain"):
            raise OneCServerError(
                f"1C answered an HTML page instead of the file: {h.html_summary(first)}", url=url
            )
        looks_json = h.strip_bom(first).lstrip().startswith(b"{")
        if declared in ("application/json", "text/json") or (
            declared in GENERIC_TYPES and looks_json
        ):
            names = self._config.mapping.file
            try:
                meta, data = await json_file_stream(
                    prepend(first, chunks), names.data, response.charset_encoding or "utf-8"
                )
            except StreamFormatError as exc:
                raise OneCProtocolError(f"1C sent a broken file answer: {exc}", url=url) from exc
            decoded = self._decoded(data, url)
            head = await anext(decoded, b"")
            size = meta.get(names.size)
            name = meta.get(names.name)
            return DocumentFile.streaming(
                prepend(head, decoded),
                document_guid=guid,
                content_type=sniff_content_type(head, _str_or_none(meta.get(names.content_type))),
                size=int(size) if isinstance(size, int) and size >= 0 else None,
                filename=name if isinstance(name, str) and name else None,
            )
        length = response.headers.get("content-length")
        return DocumentFile.streaming(
            prepend(first, chunks),
            document_guid=guid,
            content_type=sniff_content_type(first, declared),
            size=int(length) if length and length.isdigit() else None,
            filename=_filename(response.headers.get("content-disposition", "")),
        )

    # --- lifecycle ----------------------------------------------------------------------------

    async def check(self) -> CheckReport:
        mapping = self._config.mapping.counterparties
        params = self._params(mapping)
        if mapping.param_limit:
            params[mapping.param_limit] = "1"
        fetch = partial(self._get_json, mapping.path, params, mapping.path)
        body, response = await with_retries(fetch, self._config.retry, self._sleep, "check")
        items = resolve(body, mapping.items)
        if not isinstance(items, list):
            raise OneCProtocolError(
                f"1C answer of {mapping.path} has no list at '{mapping.items}'",
                url=str(response.url),
            )
        user = self._config.username or "(no auth)"
        return CheckReport(
            source="http",
            lines=[
                f"1C HTTP service answers at {self._config.url}",
                f"credentials accepted for user {user}",
                f"{mapping.path}: list readable ({len(items)} record(s) on a 1-record page)",
            ],
        )

    async def aclose(self) -> None:
        await self._client.aclose()


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _filename(disposition: str) -> str | None:
    found = _FILENAME_STAR.search(disposition)
    if found:
        return urllib.parse.unquote(found.group(2).strip(), encoding=found.group(1) or "utf-8")
    found = _FILENAME.search(disposition)
    return found.group(1).strip() if found else None
