"""The 1C fake as one ASGI application: HTTP service, SOAP web service (and WSDL), auth, faults.

URLs mimic a 1C publication named ``ut11`` on the web server:

* ``/ut11/hs/b2b/v1/…`` — the HTTP service of b2bsync's contract,
* ``/ut11/hs/exchange/…`` — a differently shaped HTTP service (for the field mapping),
* ``/ut11/ws/b2b.1cws`` — the SOAP web service, ``?wsdl`` for its description.

Every request under the publication needs Basic auth; user names are UTF-8 (Cyrillic works).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import anyio
import httpx
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from ._dataset import Dataset, FakeDocument, FakeFile, generate
from ._faults import FaultKind, FaultPlan, Quirks
from ._pdf import make_pdf

PUBLICATION = "/ut11"
HTTP_PREFIX = f"{PUBLICATION}/hs/b2b/v1"
LEGACY_PREFIX = f"{PUBLICATION}/hs/exchange"
SOAP_PATH = f"{PUBLICATION}/ws/b2b.1cws"
DEFAULT_USER = "Обмен_B2B"
DEFAULT_PASSWORD = "b2b-exchange-2024"  # noqa: S105  (the fake's published test credential)

Handler = Callable[["FakeOneC", Request, dict[str, str]], Awaitable[Response]]

_ERROR_500 = (
    "{ОбщийМодуль.B2BОбменСервер.Модуль(214)}: Ошибка при вызове метода контекста (Выполнить)\r\n"
    "\t\tРезультат = Запрос.Выполнить();\r\n"
    "по причине:\r\n"
    "Конфликт блокировок при выполнении транзакции:\r\n"
    "Превышено максимальное время ожидания предоставления блокировки"
)
_HTML_PAGE = (
    '<!DOCTYPE html>\r\n<html>\r\n<head>\r\n<meta charset="utf-8">\r\n'
    "<title>Информационная база временно недоступна</title>\r\n</head>\r\n<body>\r\n"
    "<h1>Сеанс работы завершен администратором</h1>\r\n"
    "<p>Выполняется обновление конфигурации. Повторите попытку позже.</p>\r\n</body>\r\n</html>\r\n"
)
_NOT_FOUND_PAGE = (
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n'
    "<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n"
    "<p>The requested URL was not found on this server.</p>\n</body></html>\n"
)


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    host: str
    path: str
    route: str
    status: int | None
    user: str | None


class FakeOneC:
    """A stateful 1C fake. ``data`` holds the infobase; tests change it and the quirks/faults.

    ``requests`` counts requests per route (``counterparties``, ``documents``, ``file``,
    ``credit``, ``wsdl``, ``soap:<Operation>``, ``legacy:<name>``, ``unknown``); ``log`` keeps
    each request with the status it got.
    """

    def __init__(
        self,
        *,
        seed: int = 1,
        counterparties: int = 5,
        documents: int = 4,
        users: dict[str, str] | None = None,
        quirks: Quirks | None = None,
        file_size: int = 0,
        data: Dataset | None = None,
    ) -> None:
        self.data = data if data is not None else generate(seed, counterparties, documents)
        self.users = dict(users) if users is not None else {DEFAULT_USER: DEFAULT_PASSWORD}
        self.quirks = quirks or Quirks()
        self.faults = FaultPlan()
        self.file_size = file_size
        self.requests: Counter[str] = Counter()
        self.log: list[LoggedRequest] = []
        self.on_loopback = False
        self._slow_done = False
        self._pdf = lru_cache(maxsize=64)(self._make_pdf)

    # --- content ------------------------------------------------------------------------------

    def _make_pdf(self, guid: str) -> bytes:
        doc = self.data.documents[guid]
        number = str(doc.value("number"))
        return make_pdf(
            f"{doc.kind_1c} № {number}",
            [
                f"Document {doc.guid}",
                f"Number {number}",
                f"Date {doc.date:%d.%m.%Y}",
                f"Amount {doc.amount}",
            ],
            pad_to=self.file_size,
        )

    def pdf(self, doc: FakeDocument) -> bytes:
        return self._pdf(doc.guid)

    def file_of(self, doc: FakeDocument) -> FakeFile:
        """What 1C answers for the document's file: ``doc.file``, else its generated PDF."""
        if doc.file is not None:
            return doc.file
        name = f"{doc.kind_1c} {str(doc.value('number')).strip()}.pdf"
        return FakeFile(self.pdf(doc), name, "application/pdf")

    def reset_counters(self) -> None:
        self.requests.clear()
        self.log.clear()

    # --- ASGI ---------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        route, handler, params = await _resolve(request)
        self.requests[route] += 1
        user = _basic_user(request, self.users)
        if route == "unknown" and not request.url.path.startswith(PUBLICATION + "/"):
            response = Response(_NOT_FOUND_PAGE, 404, media_type="text/html")
        elif user is None:
            response = Response(
                "Unauthorized",
                401,
                headers={"WWW-Authenticate": 'Basic realm="1C:Enterprise"'},
                media_type="text/plain",
            )
        else:
            if self.quirks.slow_first_call and not self._slow_done:
                self._slow_done = True
                self._log(request, route, None, user)
                if not self.on_loopback:
                    raise httpx.ReadTimeout("1C fake: the first call is slow")
                await anyio.sleep(self.quirks.slow_seconds)
            fault = self.faults.take(route)
            if fault == "drop":
                self._log(request, route, None, user)
                await _drop(send)
                return
            if fault == "timeout":
                self._log(request, route, None, user)
                if not self.on_loopback:
                    raise httpx.ReadTimeout("1C fake: no answer")
                await anyio.sleep(self.quirks.slow_seconds)
                response = Response(b"", 504)
            elif fault is not None:
                soap12 = request.headers.get("content-type", "").startswith("application/soap")
                response = _fault_response(fault, route, self.quirks, "1.2" if soap12 else "1.1")
            elif handler is None:
                response = Response(_NOT_FOUND_PAGE, 404, media_type="text/html")
            else:
                response = await handler(self, request, params)
        self._log(request, route, response.status_code, user)
        await response(scope, receive, send)

    def _log(self, request: Request, route: str, status: int | None, user: str | None) -> None:
        self.log.append(
            LoggedRequest(
                request.method, request.url.hostname or "", request.url.path, route, status, user
            )
        )


async def _drop(send: Send) -> None:
    """Start an answer, send part of it and break: the client sees an incomplete body."""
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
        }
    )
    await send({"type": "http.response.body", "body": b'{"\xd0\x94\xd0\xb0', "more_body": True})
    raise httpx.RemoteProtocolError("1C fake: connection dropped mid-answer")


def _fault_response(kind: FaultKind, route: str, quirks: Quirks, version: str) -> Response:
    if kind == "html":
        return Response(_HTML_PAGE.encode(), 200, media_type="text/html; charset=utf-8")
    if kind == "fault" and route.startswith("soap"):
        from ._soap_app import soap_fault

        return soap_fault(
            "soap:Server",
            "Ошибка при выполнении операции над данными:\r\n"
            "Конфликт блокировок при выполнении транзакции",
            version,
        )
    charset = "windows-1251" if quirks.windows1251 else "utf-8"
    return Response(
        _ERROR_500.encode(charset, "replace"),
        500,
        media_type=f"text/plain; charset={charset}",
    )


def _basic_user(request: Request, users: dict[str, str]) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "basic" or not token:
        return None
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    name, sep, password = decoded.partition(":")
    if not sep or users.get(name) != password:
        return None
    return name


_ROUTES: list[tuple[str, str, re.Pattern[str]]] = [
    ("counterparties", "GET", re.compile(re.escape(HTTP_PREFIX) + r"/counterparties/?$")),
    ("documents", "GET", re.compile(re.escape(HTTP_PREFIX) + r"/documents/?$")),
    ("file", "GET", re.compile(re.escape(HTTP_PREFIX) + r"/documents/(?P<guid>[^/]+)/file/?$")),
    ("credit", "GET", re.compile(re.escape(HTTP_PREFIX) + r"/credit/?$")),
    ("legacy:clients", "GET", re.compile(re.escape(LEGACY_PREFIX) + r"/clients/?$")),
    ("legacy:docs", "GET", re.compile(re.escape(LEGACY_PREFIX) + r"/docs/?$")),
    ("legacy:pdf", "GET", re.compile(re.escape(LEGACY_PREFIX) + r"/docs/(?P<guid>[^/]+)/pdf/?$")),
    ("legacy:debts", "GET", re.compile(re.escape(LEGACY_PREFIX) + r"/debts/?$")),
]


@cache
def _handlers() -> dict[str, Handler]:
    from . import _http_app, _soap_app

    return {
        "counterparties": _http_app.counterparties,
        "documents": _http_app.documents,
        "file": _http_app.document_file,
        "credit": _http_app.credit,
        "legacy:clients": _http_app.legacy_clients,
        "legacy:docs": _http_app.legacy_docs,
        "legacy:pdf": _http_app.legacy_pdf,
        "legacy:debts": _http_app.legacy_debts,
        "wsdl": _soap_app.wsdl,
        "soap": _soap_app.call,
    }


async def _resolve(request: Request) -> tuple[str, Handler | None, dict[str, str]]:
    path = request.url.path
    handlers = _handlers()
    if path.rstrip("/") == SOAP_PATH:
        if request.method == "GET" and "wsdl" in request.url.query.lower():
            return "wsdl", handlers["wsdl"], {}
        if request.method == "POST":
            from ._soap_app import operation_of

            operation = operation_of(await request.body())
            return f"soap:{operation}", handlers["soap"], {}
    for name, method, pattern in _ROUTES:
        found = pattern.match(path)
        if found and request.method == method:
            return name, handlers[name], dict(found.groupdict())
    return "unknown", None, {}


def basic_header(user: str, password: str) -> dict[str, Any]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}
