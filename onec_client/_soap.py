"""Adapter for a 1C web service (SOAP), read through zeep over httpx.

The WSDL is fetched with the same credentials (1C puts it behind the same auth), parsed by zeep
from memory with DTDs, entities and external fetches forbidden, and the endpoint is taken from
configuration: 1C writes its own idea of its host name into the WSDL, usually an internal one.

Every HTTP exchange goes through :meth:`SoapSource._post` / :meth:`_get` (httpx errors and
statuses), every zeep call through :meth:`_call` (faults and parse errors). The file operation
is streamed past zeep: its ``xs:base64Binary`` is decoded as the answer arrives.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from functools import partial
from typing import Any

import anyio
import httpx
import structlog
import zeep.exceptions
from lxml import etree
from zeep.transports import AsyncTransport
from zeep.wsdl.bindings.soap import Soap11Binding, Soap12Binding

from . import _habits as h
from . import _v8
from ._config import SoapConfig
from ._errors import (
    OneCAuthError,
    OneCConfigError,
    OneCEndpointNotFound,
    OneCError,
    OneCFileUnavailable,
    OneCNetworkError,
    OneCNotFound,
    OneCProtocolError,
    OneCServerError,
    OneCTimeoutError,
)
from ._models import (
    CounterpartyItem,
    CreditItem,
    Document,
    DocumentFile,
    DocumentItem,
    Quarantined,
    document_guid,
)
from ._records import Normaliser, json_raw
from ._source import CheckReport, OneCSource, Sleep, with_retries
from ._stream import Base64Decoder, StreamFormatError, prepend, sniff_content_type
from ._zeep import AsyncClient, AsyncServiceProxy, Settings, serialize_object

log = structlog.get_logger()
OPERATIONS = ("GetCounterparties", "GetDocuments", "GetCredit", "GetDocumentFile")
_COUNTERPARTY_FIELDS = {
    "Guid": "guid",
    "Name": "name",
    "INN": "inn",
    "KPP": "kpp",
    "DeletionMark": "deleted",
    "ChangedAt": "changed_at",
}
_DOCUMENT_FIELDS = {
    "Guid": "guid",
    "Counterparty": "counterparty",
    "Kind": "type",
    "Number": "number",
    "Date": "date",
    "Amount": "amount",
    "Currency": "currency",
    "OrderRef": "order_ref",
    "HasFile": "has_file",
    "DeletionMark": "deleted",
    "ChangedAt": "changed_at",
}
_CREDIT_FIELDS = {
    "Контрагент": "counterparty",
    "ДопустимаяСуммаЗадолженности": "limit",
    "СуммаЗадолженности": "used",
    "СуммаПросроченнойЗадолженности": "overdue_amount",
    "ДатаВозникновенияПросрочки": "overdue_since",
    "Валюта": "currency",
    "НаДату": "as_of",
}
_FAULT_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)
_NOT_FOUND = ("не найден", "not found", "не существует")


def fault_error(code: str | None, message: str | None, *, file: bool = False) -> OneCError:
    """A SOAP fault by what the caller can do: Client/Sender faults are our request's fault
    (fatal); "не найден" means the object is missing (skippable); other Server/Receiver faults
    are 1C's trouble (retryable)."""
    text = h.first_line(message or "") or "(no fault text)"
    folded = text.casefold()
    code_name = (code or "").rpartition("}")[2].rpartition(":")[2]
    if code_name in ("Client", "Sender"):
        return OneCProtocolError(f"1C rejected the SOAP request: {text}")
    if any(marker in folded for marker in _NOT_FOUND):
        return (OneCFileUnavailable if file else OneCNotFound)(f"1C: {text}")
    return OneCServerError(f"1C SOAP fault: {text}")


def _looks_xml(body: bytes) -> bool:
    return h.strip_bom(body).lstrip().startswith(b"<") and not h.looks_like_html(body)


def _fault_of(body: bytes) -> tuple[str | None, str | None] | None:
    """(code, text) of a SOAP 1.1 or 1.2 fault body, or ``None`` if it is not one."""
    try:
        root = etree.fromstring(h.strip_bom(body), _FAULT_PARSER)
    except etree.XMLSyntaxError:
        return None
    fault = next((e for e in root.iter() if _v8._local(e.tag) == "Fault"), None)
    if fault is None:
        return None
    code = text = None
    for elem in fault.iter():
        name = _v8._local(elem.tag)
        if name == "faultcode" or (name == "Value" and code is None):
            code = (elem.text or "").strip()
        elif name in ("faultstring", "Text") and text is None:
            text = elem.text
    return code, text


class _Transport(AsyncTransport):
    """zeep's async transport with our HTTP boundary in front of it."""

    def __init__(self, source: SoapSource, client: httpx.AsyncClient) -> None:
        self.refusing = _refusing_client()
        super().__init__(client=client, wsdl_client=self.refusing)  # type: ignore[no-untyped-call]
        self._source = source

    async def post(self, address: str, message: bytes, headers: dict[str, str]) -> httpx.Response:
        return await self._source._post(address, message, headers)


class _Refuse(httpx.BaseTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"b2bsync loads no WSDL imports from the network ({request.url})")


def _refusing_client() -> httpx.Client:
    return httpx.Client(transport=_Refuse())


class _FileTarget:
    """lxml parser target: decodes ``return/Data`` as it streams, keeps small fields."""

    def __init__(self) -> None:
        self.path: list[str] = []
        self.decoder = Base64Decoder()
        self.out: list[bytes] = []
        self.meta: dict[str, str] = {}
        self.fault: dict[str, str] = {}
        self.nil_return = False
        self._text: list[str] = []

    def start(self, tag: str | bytes, attrib: Any, nsmap: Any = None) -> None:
        name = _v8._local(tag)
        self.path.append(name)
        self._text = []
        if name == "return" and attrib.get(_v8.XSI_NIL) in ("true", "1"):
            self.nil_return = True

    def end(self, tag: str | bytes) -> None:
        name = self.path.pop()
        text = "".join(self._text)
        self._text = []
        if self.path and self.path[-1] == "return" and name in ("Name", "ContentType", "Size"):
            self.meta[name] = text.strip()
        elif "Fault" in self.path and name in ("faultcode", "faultstring", "Value", "Text"):
            self.fault.setdefault(name, text.strip())

    def data(self, data: str | bytes) -> None:
        if isinstance(data, bytes):
            data = data.decode("utf-8")
        if len(self.path) >= 2 and self.path[-1] == "Data" and self.path[-2] == "return":
            block = self.decoder.feed(data)
            if block:
                self.out.append(block)
        elif sum(map(len, self._text)) < 1 << 16:
            self._text.append(data)

    def comment(self, text: str | bytes) -> None:
        return None

    def close(self) -> None:
        return None


class SoapSource(OneCSource):
    kind = "soap"

    def __init__(
        self,
        config: SoapConfig,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self._config = config
        self._norm = Normaliser(config.tz)
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
        self._http = httpx.AsyncClient(
            auth=auth,
            timeout=self._timeout,
            transport=transport,
            verify=config.verify_tls,
            follow_redirects=True,
        )
        self._endpoint = config.endpoint or config.wsdl_url.split("?", 1)[0]
        self._client: Any = None
        self._transport: _Transport | None = None
        self._service: Any = None
        self._binding: Any = None

    # --- HTTP boundary ------------------------------------------------------------------------

    def _timeout_now(self) -> httpx.Timeout:
        return self._first_timeout if self._first_call else self._timeout

    async def _exchange(self, request: httpx.Request, what: str) -> httpx.Response:
        try:
            response = await self._http.send(request, stream=True)
        except httpx.TimeoutException as exc:
            read = self._timeout_now().read
            raise OneCTimeoutError(
                f"1C did not answer within {read:g} s ({what})", url=str(request.url)
            ) from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise OneCConfigError(f"bad 1C URL for {what}: {exc}", url=str(request.url)) from exc
        except httpx.TransportError as exc:
            raise OneCNetworkError(
                f"connection to 1C failed ({what}): {type(exc).__name__}: {exc}",
                url=str(request.url),
            ) from exc
        self._first_call = False
        log.debug("onec.request", route=what, status=response.status_code)
        return response

    async def _read(self, response: httpx.Response, what: str) -> bytes:
        try:
            return await response.aread()
        except httpx.TransportError as exc:
            raise OneCNetworkError(
                f"connection to 1C broke ({what}): {exc}", url=str(response.url)
            ) from exc
        finally:
            await response.aclose()

    def _status_error(self, response: httpx.Response, body: bytes, what: str) -> OneCError | None:
        """The error for an answer zeep should not see; ``None`` lets zeep read it."""
        status = response.status_code
        url = str(response.url.copy_with(query=None))
        ctype = response.headers.get("content-type", "")
        if status in (401, 403):
            return OneCAuthError(
                f"1C refused the credentials of user {self._config.username!r} (HTTP {status})",
                status=status,
                url=url,
            )
        if h.looks_like_html(body, ctype):
            if status == 404:
                return OneCEndpointNotFound(f"no 1C web service at {url} (HTTP 404)", url=url)
            return OneCServerError(
                f"1C answered an HTML page ({what}, HTTP {status}): {h.html_summary(body)}",
                status=status,
                url=url,
            )
        if status == 404:
            return OneCEndpointNotFound(f"no 1C web service at {url} (HTTP 404)", url=url)
        if status == 200 and _looks_xml(body):
            return None
        if status == 500 and _looks_xml(body):
            return None
        detail = h.first_line(h.text_of(body, response.charset_encoding)) or "(empty body)"
        if status >= 500 or status in (408, 429):
            return OneCServerError(f"1C error (HTTP {status}): {detail}", status=status, url=url)
        return OneCProtocolError(
            f"1C answered {what} with HTTP {status}: {detail}", status=status, url=url
        )

    async def _post(self, address: str, message: bytes, headers: dict[str, str]) -> httpx.Response:
        what = headers.get("SOAPAction", "").strip('"').rpartition(":")[2] or "SOAP call"
        request = self._http.build_request(
            "POST", address, content=message, headers=headers, timeout=self._timeout_now()
        )
        response = await self._exchange(request, what)
        body = await self._read(response, what)
        error = self._status_error(response, body, what)
        if error is not None:
            raise error
        return response

    async def _get_wsdl(self) -> bytes:
        request = self._http.build_request(
            "GET", self._config.wsdl_url, timeout=self._timeout_now()
        )
        response = await self._exchange(request, "WSDL")
        body = await self._read(response, "WSDL")
        error = self._status_error(response, body, "WSDL")
        if error is not None:
            raise error
        if response.status_code != 200:
            raise OneCProtocolError(
                f"the WSDL at {self._config.wsdl_url} answered HTTP {response.status_code}"
            )
        return body

    # --- zeep boundary ------------------------------------------------------------------------

    async def _ensure(self) -> Any:
        if self._service is not None:
            return self._service
        wsdl = await with_retries(self._get_wsdl, self._config.retry, self._sleep, "WSDL")
        settings = Settings(
            strict=True,
            xml_huge_tree=False,
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        try:
            self._transport = _Transport(self, self._http)
            client = AsyncClient(io.BytesIO(wsdl), transport=self._transport, settings=settings)
        except (zeep.exceptions.Error, etree.Error, ValueError, KeyError, AttributeError) as exc:
            raise OneCProtocolError(
                f"the WSDL at {self._config.wsdl_url} is not usable: "
                f"{type(exc).__name__}: {h.first_line(str(exc))}"
            ) from exc
        wanted = Soap12Binding if self._config.soap_version == "1.2" else Soap11Binding
        bindings = [b for b in client.wsdl.bindings.values() if type(b) is wanted]
        if not bindings:
            raise OneCProtocolError(
                f"the WSDL has no SOAP {self._config.soap_version} binding "
                f"(found: {', '.join(str(k) for k in client.wsdl.bindings) or 'none'})"
            )
        binding: Any = bindings[0]
        present: Any = binding.all()
        missing = [op for op in OPERATIONS if op not in present]
        if missing:
            raise OneCProtocolError(f"the WSDL lacks operation(s): {', '.join(missing)}")
        self._client = client
        self._binding = binding
        self._service = AsyncServiceProxy(client, binding, address=self._endpoint)
        log.info("onec.wsdl.loaded", binding=binding.name.localname, endpoint=self._endpoint)
        return self._service

    async def _call_once(self, operation: str, kwargs: dict[str, Any]) -> Any:
        service = await self._ensure()
        try:
            return await service[operation](**kwargs)
        except OneCError:
            raise
        except zeep.exceptions.Fault as exc:
            raise fault_error(exc.code, exc.message) from exc
        except zeep.exceptions.TransportError as exc:
            raise OneCServerError(
                f"1C answered {operation} with HTTP {exc.status_code}", status=exc.status_code
            ) from exc
        except (zeep.exceptions.Error, etree.Error, ValueError, TypeError) as exc:
            raise OneCProtocolError(
                f"1C answered {operation} with something zeep cannot read: "
                f"{type(exc).__name__}: {h.first_line(str(exc))}"
            ) from exc

    async def _call(self, operation: str, **kwargs: Any) -> Any:
        return await with_retries(
            partial(self._call_once, operation, kwargs), self._config.retry, self._sleep, operation
        )

    # --- lists --------------------------------------------------------------------------------

    async def _pages(
        self, operation: str, **kwargs: Any
    ) -> AsyncIterator[tuple[dict[str, Any], str]]:
        cursor: str | None = None
        seen: set[str] = set()
        while True:
            result = await self._call(
                operation, Limit=self._config.page_size, Cursor=cursor, **kwargs
            )
            page = serialize_object(result, dict) if result is not None else {}
            if not isinstance(page, Mapping):
                raise OneCProtocolError(f"1C answered {operation} with no page structure")
            items = page.get("Items") or []
            for index, item in enumerate(items if isinstance(items, list) else [items]):
                yield item, f"{operation}#{len(seen)}.{index}"
            token = page.get("Next")
            if not token:
                return
            if token in seen:
                raise OneCProtocolError(f"1C repeated the continuation of {operation}")
            seen.add(token)
            cursor = str(token)

    @staticmethod
    def _fields(item: Any, names: Mapping[str, str]) -> dict[str, Any]:
        if not isinstance(item, Mapping):
            return {}
        return {canonical: item.get(name) for name, canonical in names.items()}

    def _since(self, changed_since: datetime | None) -> datetime | None:
        if changed_since is None:
            return None
        return h.local_naive(changed_since, self._config.tz)

    async def counterparties(
        self, changed_since: datetime | None = None
    ) -> AsyncIterator[CounterpartyItem]:
        async for item, origin in self._pages(
            "GetCounterparties", ChangedSince=self._since(changed_since)
        ):
            yield self._norm.counterparty(
                self._fields(item, _COUNTERPARTY_FIELDS), partial(json_raw, item), origin
            )

    async def documents(
        self, counterparty: str | None = None, changed_since: datetime | None = None
    ) -> AsyncIterator[DocumentItem]:
        owner = None if counterparty is None else h.require_guid(counterparty, "counterparty")
        async for item, origin in self._pages(
            "GetDocuments", Counterparty=owner, ChangedSince=self._since(changed_since)
        ):
            yield self._norm.document(
                self._fields(item, _DOCUMENT_FIELDS),
                partial(json_raw, item),
                origin,
                expected_counterparty=owner,
            )

    async def credit(self, counterparty: str | None = None) -> AsyncIterator[CreditItem]:
        owner = None if counterparty is None else h.require_guid(counterparty, "counterparty")
        result = await self._call("GetCredit", Counterparty=owner)
        for index, value in enumerate(_v8.array_items(result)):
            origin = f"GetCredit#{index}"
            props = _v8.structure(value)
            if props is None:
                yield Quarantined(
                    kind="credit",
                    raw=json_raw(serialize_object(value, dict)),
                    reason="credit row is not a 1C Structure",
                    origin=origin,
                )
                continue
            fields = {canonical: props.get(name) for name, canonical in _CREDIT_FIELDS.items()}
            yield self._norm.credit(
                fields, partial(json_raw, props), origin, expected_counterparty=owner
            )

    # --- files --------------------------------------------------------------------------------

    def open_file(self, document: Document | str) -> AbstractAsyncContextManager[DocumentFile]:
        return self._open_file(document_guid(document))

    async def _post_file(self, body: bytes, headers: dict[str, str]) -> httpx.Response:
        request = self._http.build_request(
            "POST", self._endpoint, content=body, headers=headers, timeout=self._timeout_now()
        )
        response = await self._exchange(request, "GetDocumentFile")
        if response.status_code == 200 and "html" not in response.headers.get("content-type", ""):
            return response
        payload = await self._read(response, "GetDocumentFile")
        fault = _fault_of(payload)
        if fault is not None:
            raise fault_error(*fault, file=True)
        error = self._status_error(response, payload, "GetDocumentFile")
        raise error or OneCProtocolError(
            f"1C answered GetDocumentFile with HTTP {response.status_code}"
        )

    def _file_request(self, guid: str) -> tuple[bytes, dict[str, str]]:
        assert self._client is not None
        envelope = self._client.create_message(self._service, "GetDocumentFile", Document=guid)
        body = etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
        action = self._binding.get("GetDocumentFile").soapaction or ""
        if self._config.soap_version == "1.2":
            headers = {"Content-Type": f'application/soap+xml; charset=utf-8; action="{action}"'}
        else:
            headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{action}"'}
        return body, headers

    @asynccontextmanager
    async def _open_file(self, guid: str) -> AsyncIterator[DocumentFile]:
        await with_retries(self._ensure, self._config.retry, self._sleep, "WSDL")
        body, headers = self._file_request(guid)
        response = await with_retries(
            partial(self._post_file, body, headers), self._config.retry, self._sleep, "file"
        )
        try:
            target = _FileTarget()
            chunks = self._file_chunks(response, target)
            head = await anext(chunks, b"")
            size = target.meta.get("Size", "")
            yield DocumentFile.streaming(
                prepend(head, chunks),
                document_guid=guid,
                content_type=sniff_content_type(head, target.meta.get("ContentType")),
                size=int(size) if size.isdigit() else None,
                filename=target.meta.get("Name") or None,
            )
        finally:
            await response.aclose()

    async def _file_chunks(
        self, response: httpx.Response, target: _FileTarget
    ) -> AsyncIterator[bytes]:
        parser = etree.XMLParser(
            target=target, resolve_entities=False, no_network=True, load_dtd=False
        )
        url = str(response.url)
        try:
            async for chunk in response.aiter_bytes(64 * 1024):
                parser.feed(chunk)
                if target.out:
                    block = b"".join(target.out)
                    target.out.clear()
                    yield block
            parser.close()
            target.decoder.finish()
        except httpx.TransportError as exc:
            raise OneCNetworkError(
                f"connection to 1C broke while downloading a file: {type(exc).__name__}: {exc}",
                url=url,
            ) from exc
        except (etree.XMLSyntaxError, StreamFormatError) as exc:
            raise OneCProtocolError(f"1C sent a broken file answer: {exc}", url=url) from exc
        if target.fault:
            code = target.fault.get("faultcode") or target.fault.get("Value")
            text = target.fault.get("faultstring") or target.fault.get("Text")
            raise fault_error(code, text, file=True)
        if target.nil_return:
            raise OneCFileUnavailable("1C returned no file for the document", url=url)

    # --- lifecycle ----------------------------------------------------------------------------

    async def check(self) -> CheckReport:
        await self._ensure()
        result = await self._call("GetCounterparties", ChangedSince=None, Limit=1, Cursor=None)
        page = serialize_object(result, dict) if result is not None else {}
        items = page.get("Items") if isinstance(page, Mapping) else None
        count = len(items) if isinstance(items, list) else 0
        return CheckReport(
            source="soap",
            lines=[
                f"WSDL loaded from {self._config.wsdl_url} "
                f"(SOAP {self._config.soap_version}, {len(OPERATIONS)} operations present)",
                f"calls go to {self._endpoint} (not the WSDL's own address)",
                f"credentials accepted for user {self._config.username or '(no auth)'}",
                f"GetCounterparties answers ({count} record(s) on a 1-record page)",
            ],
        )

    async def aclose(self) -> None:
        if self._transport is not None:
            self._transport.refusing.close()
        await self._http.aclose()
