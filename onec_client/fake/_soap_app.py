"""The fake's SOAP web service: requests parsed with a hardened parser, answers written the way
the 1C platform serialises XDTO objects and its own ``Structure``/``Array`` values."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from . import _paging as paging
from ._http_app import wire_number, wire_order_ref
from ._wire import xml_datetime
from ._wsdl import OPERATIONS, SERVICE, TNS, V8_NS, render_wsdl

if TYPE_CHECKING:
    from ._app import FakeOneC
    from ._dataset import FakeCredit

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True
)


class _Fault(Exception):
    def __init__(self, code: str, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


def operation_of(body: bytes) -> str:
    """The operation named by the first element of the SOAP body (``unknown`` if none)."""
    try:
        envelope = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError:
        return "unknown"
    for ns in (SOAP11, SOAP12):
        found = envelope.find(f"{{{ns}}}Body")
        if found is not None and len(found):
            return etree.QName(found[0]).localname
    return "unknown"


async def wsdl(fake: FakeOneC, _: Request, __: dict[str, str]) -> Response:
    return Response(render_wsdl(), 200, media_type="text/xml; charset=utf-8")


def soap_fault(code: str, text: str, version: str) -> Response:
    if version == "1.2":
        value = {"soap:Server": "soap:Receiver", "soap:Client": "soap:Sender"}.get(code, code)
        body = (
            f'<soap:Envelope xmlns:soap="{SOAP12}"><soap:Body><soap:Fault>'
            f"<soap:Code><soap:Value>{value}</soap:Value></soap:Code>"
            f'<soap:Reason><soap:Text xml:lang="ru">{escape(text)}</soap:Text></soap:Reason>'
            "</soap:Fault></soap:Body></soap:Envelope>"
        )
        media = "application/soap+xml; charset=utf-8"
    else:
        body = (
            f'<soap:Envelope xmlns:soap="{SOAP11}"><soap:Body><soap:Fault>'
            f"<faultcode>{code}</faultcode><faultstring>{escape(text)}</faultstring>"
            "</soap:Fault></soap:Body></soap:Envelope>"
        )
        media = "text/xml; charset=utf-8"
    return Response(body.encode(), 500, media_type=media)


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return xml_datetime(value)
    return escape(str(value))


def _element(name: str, value: Any, nillable: bool = True) -> str:
    if value is None and nillable:
        return f'<m:{name} xsi:nil="true"/>'
    return f"<m:{name}>{_value(value)}</m:{name}>"


def _v8_value(value: Any) -> str:
    if value is None:
        return '<Value xsi:nil="true"/>'
    if isinstance(value, bool):
        kind = "xs:boolean"
    elif isinstance(value, Decimal | int):
        kind = "xs:decimal"
    elif isinstance(value, datetime):
        kind = "xs:dateTime"
    else:
        kind = "xs:string"
    return f'<Value xsi:type="{kind}">{_value(value)}</Value>'


def _structure(props: Iterable[tuple[str, Any]]) -> str:
    inner = "".join(f"<Property name={quoteattr(k)}>{_v8_value(v)}</Property>" for k, v in props)
    return f'<Value xsi:type="Structure">{inner}</Value>'


def _params(operation: etree._Element) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for child in operation:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        nil = child.get(f"{{{XSI}}}nil") in ("true", "1")
        out[name] = None if nil else (child.text or "")
    return out


async def call(fake: FakeOneC, request: Request, _: dict[str, str]) -> Response:
    body = await request.body()
    try:
        envelope = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        return soap_fault("soap:Client", f"Ошибка разбора XML: {exc}", "1.1")
    version = "1.2" if envelope.tag == f"{{{SOAP12}}}Envelope" else "1.1"
    soap_ns = SOAP12 if version == "1.2" else SOAP11
    found = envelope.find(f"{{{soap_ns}}}Body")
    if found is None or not len(found):
        return soap_fault("soap:Client", "Пустое тело сообщения SOAP", version)
    operation = found[0]
    name = etree.QName(operation).localname
    if name not in OPERATIONS or etree.QName(operation).namespace != TNS:
        return soap_fault("soap:Client", f"Операция не найдена: {name}", version)
    try:
        result = _dispatch(fake, name, _params(operation))
    except _Fault as exc:
        return soap_fault(exc.code, exc.text, version)
    except paging.BadRequest as exc:
        return soap_fault("soap:Client", str(exc), version)
    charset = fake.quirks.charset
    text = (
        f'<?xml version="1.0" encoding="{charset.upper()}"?>\n'
        f'<soap:Envelope xmlns:soap="{soap_ns}"><soap:Header/><soap:Body>'
        f'<m:{name}Response xmlns:m="{TNS}">'
        f'<m:return xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="{XSI}"{result}'
        f"</m:{name}Response></soap:Body></soap:Envelope>"
    )
    media = "application/soap+xml" if version == "1.2" else "text/xml"
    body = text.encode(charset, "xmlcharrefreplace")
    if fake.quirks.bom and not fake.quirks.windows1251:
        body = b"\xef\xbb\xbf" + body
    return Response(body, 200, media_type=f"{media}; charset={charset}")


def _counterparty_of(fake: FakeOneC, value: str | None) -> str | None:
    if not value:
        return None
    key = value.strip().lower()
    if key not in fake.data.counterparties:
        raise _Fault("soap:Server", f"Контрагент не найден: {value}")
    return key


def _overdue_since(fake: FakeOneC, c: FakeCredit) -> Any:
    since = c.value("overdue_since")
    if since is None and "overdue_since" not in c.overrides and fake.quirks.empty_values:
        return datetime(1, 1, 1)
    return since


def _dispatch(fake: FakeOneC, name: str, params: dict[str, str | None]) -> str:
    """The ``return`` element's attributes-and-content (after ``<m:return …``)."""
    if name == "GetCounterparties":
        rows, token = paging.page(
            list(fake.data.counterparties.values()),
            lambda c: (c.changed_at, c.guid),
            paging.parse_since(params.get("ChangedSince")),
            paging.parse_limit(params.get("Limit")),
            params.get("Cursor"),
        )
        items = "".join(
            "<m:Items>"
            + _element("Guid", c.value("guid"), False)
            + _element("Name", c.value("name"), False)
            + _element("INN", c.value("inn"))
            + _element("KPP", c.value("kpp"))
            + _element("DeletionMark", c.value("deleted"), False)
            + _element("ChangedAt", c.value("changed_at"), False)
            + "</m:Items>"
            for c in rows
        )
        return ">" + items + _element("Next", token) + "</m:return>"
    if name == "GetDocuments":
        owner = _counterparty_of(fake, params.get("Counterparty"))
        docs, token = paging.page(
            fake.data.documents_of(owner),
            lambda d: (d.changed_at, d.guid),
            paging.parse_since(params.get("ChangedSince")),
            paging.parse_limit(params.get("Limit")),
            params.get("Cursor"),
        )
        items = "".join(
            "<m:Items>"
            + _element("Guid", d.value("guid"), False)
            + _element("Counterparty", d.value("counterparty"), False)
            + _element("Kind", d.overrides.get("type", d.kind_1c), False)
            + _element("Number", wire_number(fake, d), False)
            + _element("Date", d.value("date"), False)
            + _element("Amount", d.value("amount"))
            + _element("Currency", d.value("currency"))
            + _element("OrderRef", wire_order_ref(fake, d))
            + _element("HasFile", d.value("has_file"), False)
            + _element("DeletionMark", d.value("deleted"), False)
            + _element("ChangedAt", d.value("changed_at"), False)
            + "</m:Items>"
            for d in docs
        )
        return ">" + items + _element("Next", token) + "</m:return>"
    if name == "GetCredit":
        owner = _counterparty_of(fake, params.get("Counterparty"))
        positions = [
            c for c in fake.data.credit.values() if owner is None or c.counterparty == owner
        ]
        values = "".join(
            _structure(
                [
                    ("Контрагент", c.value("counterparty")),
                    ("ДопустимаяСуммаЗадолженности", c.value("limit")),
                    ("СуммаЗадолженности", c.value("used")),
                    ("СуммаПросроченнойЗадолженности", c.value("overdue_amount")),
                    ("ДатаВозникновенияПросрочки", _overdue_since(fake, c)),
                    ("Валюта", c.value("currency")),
                    ("НаДату", c.value("as_of")),
                ]
            )
            for c in positions
        )
        return f' xmlns="{V8_NS}">' + values + "</m:return>"
    if name == "GetDocumentFile":
        key = (params.get("Document") or "").strip().lower()
        doc = fake.data.documents.get(key)
        if doc is None:
            raise _Fault("soap:Server", f"Документ не найден: {params.get('Document')}")
        if not doc.has_file:
            raise _Fault("soap:Server", "Печатная форма документа не найдена")
        file = fake.file_of(doc)
        return (
            ">"
            + _element("Name", file.name, False)
            + _element("ContentType", file.content_type, False)
            + _element("Size", len(file.content))
            + f"<m:Data>{base64.b64encode(file.content).decode('ascii')}</m:Data>"
            + "</m:return>"
        )
    raise _Fault("soap:Client", f"Операция не поддерживается: {name} ({SERVICE})")
