"""Handlers of the fake's HTTP services: b2bsync's contract and a differently shaped one."""

from __future__ import annotations

import urllib.parse
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from . import _paging as paging
from ._dataset import FakeCounterparty, FakeCredit, FakeDocument
from ._wire import EMPTY_DATE, ZERO_GUID, base64_lines, dump_json, encode_text, xml_datetime

if TYPE_CHECKING:
    from ._app import FakeOneC


def _json(fake: FakeOneC, body: Any, status: int = 200) -> Response:
    charset = fake.quirks.charset
    return Response(
        encode_text(dump_json(body), fake.quirks),
        status,
        media_type=f"application/json; charset={charset}",
    )


def _error(fake: FakeOneC, status: int, text: str, **extra: Any) -> Response:
    return _json(fake, {"Ошибка": text, **extra}, status)


def _when(value: Any) -> Any:
    return xml_datetime(value) if isinstance(value, datetime) or value is None else value


def _counterparty_json(fake: FakeOneC, c: FakeCounterparty) -> dict[str, Any]:
    return {
        "Ссылка": c.value("guid"),
        "Наименование": c.value("name"),
        "ИНН": c.value("inn") or "",
        "КПП": c.value("kpp") or "",
        "ПометкаУдаления": c.value("deleted"),
        "ДатаИзменения": _when(c.value("changed_at")),
    }


def wire_number(fake: FakeOneC, d: FakeDocument) -> Any:
    number = d.value("number")
    if "number" not in d.overrides and fake.quirks.padded_numbers and isinstance(number, str):
        return number.ljust(11)
    return number


def wire_order_ref(fake: FakeOneC, d: FakeDocument) -> Any:
    ref = d.value("order_ref")
    if ref is None and "order_ref" not in d.overrides and fake.quirks.empty_values:
        return ZERO_GUID
    return ref


def wire_overdue_since(fake: FakeOneC, c: FakeCredit) -> Any:
    since = c.value("overdue_since")
    if since is None and "overdue_since" not in c.overrides:
        return EMPTY_DATE if fake.quirks.empty_values else None
    return _when(since)


def _document_json(fake: FakeOneC, d: FakeDocument) -> dict[str, Any]:
    kind = d.overrides.get("type", d.kind_1c)
    return {
        "Ссылка": d.value("guid"),
        "Контрагент": d.value("counterparty"),
        "ВидДокумента": kind,
        "Номер": wire_number(fake, d),
        "Дата": _when(d.value("date")),
        "СуммаДокумента": d.value("amount"),
        "Валюта": d.value("currency"),
        "ЗаказКлиента": wire_order_ref(fake, d),
        "ЕстьФайл": d.value("has_file"),
        "ПометкаУдаления": d.value("deleted"),
        "ДатаИзменения": _when(d.value("changed_at")),
    }


def _credit_json(fake: FakeOneC, c: FakeCredit) -> dict[str, Any]:
    return {
        "Контрагент": c.value("counterparty"),
        "ДопустимаяСуммаЗадолженности": c.value("limit"),
        "СуммаЗадолженности": c.value("used"),
        "СуммаПросроченнойЗадолженности": c.value("overdue_amount"),
        "ДатаВозникновенияПросрочки": wire_overdue_since(fake, c),
        "Валюта": c.value("currency"),
        "НаДату": _when(c.value("as_of")),
    }


def _counterparty_param(fake: FakeOneC, request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    if value is None or value == "":
        return None
    value = value.strip().lower()
    if value not in fake.data.counterparties:
        raise _NotFound("Контрагент не найден", value)
    return value


class _NotFound(Exception):
    def __init__(self, text: str, key: str) -> None:
        super().__init__(text)
        self.text = text
        self.key = key


async def counterparties(fake: FakeOneC, request: Request, _: dict[str, str]) -> Response:
    q = request.query_params
    try:
        rows, token = paging.page(
            list(fake.data.counterparties.values()),
            lambda c: (c.changed_at, c.guid),
            paging.parse_since(q.get("changed_since")),
            paging.parse_limit(q.get("limit")),
            q.get("cursor"),
        )
    except paging.BadRequest as exc:
        return _error(fake, 400, str(exc))
    return _json(
        fake, {"Данные": [_counterparty_json(fake, c) for c in rows], "Продолжение": token}
    )


async def documents(fake: FakeOneC, request: Request, _: dict[str, str]) -> Response:
    q = request.query_params
    try:
        owner = _counterparty_param(fake, request, "counterparty")
        rows, token = paging.page(
            fake.data.documents_of(owner),
            lambda d: (d.changed_at, d.guid),
            paging.parse_since(q.get("changed_since")),
            paging.parse_limit(q.get("limit")),
            q.get("cursor"),
        )
    except paging.BadRequest as exc:
        return _error(fake, 400, str(exc))
    except _NotFound as exc:
        return _error(fake, 404, exc.text, Контрагент=exc.key)
    return _json(fake, {"Данные": [_document_json(fake, d) for d in rows], "Продолжение": token})


async def credit(fake: FakeOneC, request: Request, _: dict[str, str]) -> Response:
    q = request.query_params
    try:
        owner = _counterparty_param(fake, request, "counterparty")
        rows = [c for c in fake.data.credit.values() if owner is None or c.counterparty == owner]
        chunk, token = paging.page(
            rows,
            lambda c: (c.as_of, c.counterparty),
            None,
            paging.parse_limit(q.get("limit")),
            q.get("cursor"),
        )
    except paging.BadRequest as exc:
        return _error(fake, 400, str(exc))
    except _NotFound as exc:
        return _error(fake, 404, exc.text, Контрагент=exc.key)
    return _json(fake, {"Данные": [_credit_json(fake, c) for c in chunk], "Продолжение": token})


async def document_file(fake: FakeOneC, _: Request, params: dict[str, str]) -> Response:
    doc = fake.data.documents.get(params["guid"].lower())
    if doc is None:
        return _error(fake, 404, "Документ не найден", Ссылка=params["guid"])
    if not doc.has_file:
        return _error(fake, 404, "Печатная форма документа не сформирована", Ссылка=doc.guid)
    file = fake.file_of(doc)
    if fake.quirks.file_base64:
        return _json(
            fake,
            {
                "ИмяФайла": file.name,
                "ТипСодержимого": file.content_type,
                "Размер": len(file.content),
                "Данные": base64_lines(file.content),
            },
        )
    quoted = urllib.parse.quote(file.name)
    return Response(
        file.content,
        200,
        media_type=file.content_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quoted}"},
    )


# --- the differently shaped service (/hs/exchange) ---------------------------------------------

_LEGACY_KINDS = {
    "invoice": "Счет",
    "waybill": "Отгрузка",
    "reconciliation": "Акт сверки",
    "upd": "УПД",
    "act": "Акт",
}


def _ru(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%d.%m.%Y %H:%M:%S")


def _ru_amount(value: Decimal | None) -> str:
    if value is None:
        return ""
    whole, _, frac = f"{value:.2f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return "\u00a0".join(groups) + "," + frac


def _legacy_page(request: Request, total: int) -> tuple[int, int, str | None]:
    try:
        number = max(1, int(request.query_params.get("page", "1")))
        size = max(1, min(1000, int(request.query_params.get("size", "100"))))
    except ValueError as exc:
        raise paging.BadRequest("page/size must be integers") from exc
    start = (number - 1) * size
    if start + size < total:
        query = dict(request.query_params)
        query["page"] = str(number + 1)
        next_url = f"{request.url.path}?{urllib.parse.urlencode(query)}"
    else:
        next_url = None
    return start, size, next_url


def _legacy_since(request: Request) -> datetime | None:
    text = request.query_params.get("modified_from")
    if not text:
        return None
    try:
        return datetime.strptime(text, "%d.%m.%Y %H:%M:%S")
    except ValueError as exc:
        raise paging.BadRequest("modified_from must be dd.mm.yyyy HH:MM:SS") from exc


async def legacy_clients(fake: FakeOneC, request: Request, _: dict[str, str]) -> Response:
    try:
        since = _legacy_since(request)
        rows = sorted(fake.data.counterparties.values(), key=lambda c: (c.changed_at, c.guid))
        rows = [c for c in rows if since is None or c.changed_at >= since]
        start, size, next_url = _legacy_page(request, len(rows))
    except paging.BadRequest as exc:
        return _json(fake, {"error": str(exc)}, 400)
    items = [
        {
            "id": c.value("guid"),
            "title": c.value("name"),
            "requisites": {"inn": c.value("inn"), "kpp": c.value("kpp")},
            "active": "Нет" if c.value("deleted") else "Да",
            "modified": _ru(c.changed_at),
        }
        for c in rows[start : start + size]
    ]
    return _json(fake, {"result": {"items": items}, "paging": {"next": next_url}})


async def legacy_docs(fake: FakeOneC, request: Request, _: dict[str, str]) -> Response:
    try:
        since = _legacy_since(request)
        client = request.query_params.get("client") or None
        rows = sorted(fake.data.documents_of(client), key=lambda d: (d.changed_at, d.guid))
        rows = [d for d in rows if since is None or d.changed_at >= since]
        start, size, next_url = _legacy_page(request, len(rows))
    except paging.BadRequest as exc:
        return _json(fake, {"error": str(exc)}, 400)
    items = [
        {
            "uid": d.value("guid"),
            "client": {"id": d.value("counterparty")},
            "kind": _LEGACY_KINDS.get(d.type, d.type),
            "num": wire_number(fake, d),
            "date": _ru(d.value("date")),
            "sum": _ru_amount(d.value("amount")),
            "cur": "643",
            "order": d.value("order_ref") or "",
            "pdf": "Да" if d.value("has_file") else "Нет",
            "deleted": d.value("deleted"),
            "modified": _ru(d.changed_at),
        }
        for d in rows[start : start + size]
    ]
    return _json(fake, {"result": {"items": items}, "paging": {"next": next_url}})


async def legacy_debts(fake: FakeOneC, request: Request, _: dict[str, str]) -> Response:
    client = request.query_params.get("client") or None
    rows = [c for c in fake.data.credit.values() if client is None or c.counterparty == client]
    items = [
        {
            "client_id": c.value("counterparty"),
            "credit_limit": "" if c.value("limit") is None else str(c.value("limit")),
            "debt": c.value("used"),
            "overdue": c.value("overdue_amount"),
            "overdue_from": "" if c.overdue_since is None else c.overdue_since.strftime("%d.%m.%Y"),
            "cur": "руб.",
            "calculated": f"/Date({_moscow_ms(c.as_of)})/",
        }
        for c in rows
    ]
    return _json(fake, items)


def _moscow_ms(naive: datetime) -> int:
    """Milliseconds since the epoch of a Moscow wall-clock time (UTC+3, no DST since 2014)."""
    return int(naive.replace(tzinfo=UTC).timestamp() * 1000) - 3 * 3600 * 1000


async def legacy_pdf(fake: FakeOneC, _: Request, params: dict[str, str]) -> Response:
    doc = fake.data.documents.get(params["guid"].lower())
    if doc is None or not doc.has_file:
        return _json(fake, {"error": "not found"}, 404)
    return Response(fake.pdf(doc), 200, media_type="application/octet-stream")
