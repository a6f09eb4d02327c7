"""Export files as a 1C exchange would drop them: CommerceML 2.x documents and b2bsync's plain XML.

Writers stream: they take iterables and write element by element, so a benchmark can produce a
file of any size without holding it. Text is escaped for XML 1.0; in windows-1251 files, what
the code page lacks becomes a character reference, as 1C's ``ЗаписьXML`` does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Literal, TypeVar

from ._dataset import CML_OPERATIONS, Dataset, FakeCounterparty, FakeCredit, FakeDocument
from ._wire import EMPTY_DATE, ZERO_GUID, xml_datetime

T = TypeVar("T")
CML_NS = "urn:1C.ru:commerceml_2"
PLAIN_NS = "urn:b2bsync:1c-export:1"
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;"}
_SPECIAL = re.compile(r'[&<>"\r]')
_OTHER_OPERATIONS = {"reconciliation": "Сверка взаиморасчетов", "act": "Оказание услуг"}


def _x(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return xml_datetime(value)
    text = str(value)
    return _SPECIAL.sub(lambda m: _ESCAPES[m.group(0)], text)


@dataclass(frozen=True)
class ExportStyle:
    """How the file is written: encoding, BOM, and the 1C value habits.

    ``deletion_mark`` is where a CommerceML document carries ``ПометкаУдаления``: as a
    requisite in ``ЗначенияРеквизитов`` (older processors), as an element directly under
    ``Документ`` (1C 3.1 through the exchange module, and 2.x), or both.
    """

    encoding: str = "utf-8"
    bom: bool = False
    padded_numbers: bool = False
    empty_values: bool = False
    deletion_mark: Literal["requisite", "element", "both"] = "requisite"

    @property
    def declared(self) -> str:
        return "windows-1251" if self.encoding.lower() in ("cp1251", "windows-1251") else "UTF-8"


class _Sink:
    def __init__(self, out: IO[bytes], style: ExportStyle) -> None:
        self._out = out
        self._codec = "cp1251" if style.declared == "windows-1251" else "utf-8"
        self._parts: list[str] = []
        self._size = 0
        if style.bom and self._codec == "utf-8":
            out.write(b"\xef\xbb\xbf")

    def write(self, text: str) -> None:
        self._parts.append(text)
        self._size += len(text)
        if self._size > 1 << 16:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            self._out.write("".join(self._parts).encode(self._codec, "xmlcharrefreplace"))
            self._parts.clear()
            self._size = 0


def _number(doc: FakeDocument, style: ExportStyle) -> Any:
    number = doc.value("number")
    if "number" not in doc.overrides and style.padded_numbers and isinstance(number, str):
        return number.ljust(11)
    return number


def _order_ref(doc: FakeDocument, style: ExportStyle) -> Any:
    ref = doc.value("order_ref")
    if ref is None and "order_ref" not in doc.overrides and style.empty_values:
        return ZERO_GUID
    return ref


def _cml_date(value: Any) -> tuple[str, str | None]:
    if isinstance(value, datetime):
        stamp = xml_datetime(value)
        return stamp[:10], stamp[11:]
    if value is None:
        return EMPTY_DATE[:10], None
    return _x(value), None


def _cml_document(
    doc: FakeDocument, party: FakeCounterparty | None, style: ExportStyle
) -> Iterator[str]:
    day, clock = _cml_date(doc.value("date"))
    operation = doc.overrides.get(
        "type", CML_OPERATIONS.get(doc.type) or _OTHER_OPERATIONS.get(doc.type, doc.type)
    )
    yield "\t<Документ>\n"
    yield f"\t\t<Ид>{_x(doc.value('guid'))}</Ид>\n"
    if style.deletion_mark in ("element", "both"):
        yield f"\t\t<ПометкаУдаления>{_x(doc.value('deleted'))}</ПометкаУдаления>\n"
    yield f"\t\t<Номер>{_x(_number(doc, style))}</Номер>\n"
    yield f"\t\t<Дата>{day}</Дата>\n"
    yield f"\t\t<ХозОперация>{_x(operation)}</ХозОперация>\n"
    yield "\t\t<Роль>Продавец</Роль>\n"
    currency = doc.value("currency")
    yield f"\t\t<Валюта>{'руб' if currency == 'RUB' else _x(currency)}</Валюта>\n"
    yield "\t\t<Курс>1</Курс>\n"
    amount = doc.value("amount")
    if amount is not None:
        yield f"\t\t<Сумма>{_x(amount)}</Сумма>\n"
    yield "\t\t<Контрагенты>\n\t\t\t<Контрагент>\n"
    yield f"\t\t\t\t<Ид>{_x(doc.value('counterparty'))}</Ид>\n"
    if party is not None:
        yield f"\t\t\t\t<Наименование>{_x(party.value('name'))}</Наименование>\n"
        official = _x(party.value("name"))
        yield f"\t\t\t\t<ОфициальноеНаименование>{official}</ОфициальноеНаименование>\n"
        if party.value("inn"):
            yield f"\t\t\t\t<ИНН>{_x(party.value('inn'))}</ИНН>\n"
        if party.value("kpp"):
            yield f"\t\t\t\t<КПП>{_x(party.value('kpp'))}</КПП>\n"
    yield "\t\t\t\t<Роль>Покупатель</Роль>\n\t\t\t</Контрагент>\n\t\t</Контрагенты>\n"
    if clock is not None:
        yield f"\t\t<Время>{clock}</Время>\n"
    if doc.lines:
        yield "\t\t<Товары>\n"
        for line in doc.lines:
            yield (
                "\t\t\t<Товар>\n"
                f"\t\t\t\t<Наименование>{_x(line.name)}</Наименование>\n"
                f'\t\t\t\t<БазоваяЕдиница Код="796" НаименованиеПолное="Штука">{_x(line.unit)}'
                "</БазоваяЕдиница>\n"
                f"\t\t\t\t<ЦенаЗаЕдиницу>{line.price}</ЦенаЗаЕдиницу>\n"
                f"\t\t\t\t<Количество>{line.quantity}</Количество>\n"
                f"\t\t\t\t<Сумма>{line.total}</Сумма>\n"
                "\t\t\t</Товар>\n"
            )
        yield "\t\t</Товары>\n"
    yield "\t\t<ЗначенияРеквизитов>\n"
    requisites: list[tuple[str, Any]] = [("Проведен", True)]
    if style.deletion_mark in ("requisite", "both"):
        requisites.append(("ПометкаУдаления", doc.value("deleted")))
    requisites.append(("ВидДокумента", doc.overrides.get("type", doc.kind_1c)))
    ref = _order_ref(doc, style)
    if ref is not None:
        requisites.append(("ЗаказКлиента", ref))
    for name, value in requisites:
        yield (
            f"\t\t\t<ЗначениеРеквизита>\n\t\t\t\t<Наименование>{name}</Наименование>\n"
            f"\t\t\t\t<Значение>{_x(value)}</Значение>\n\t\t\t</ЗначениеРеквизита>\n"
        )
    yield "\t\t</ЗначенияРеквизитов>\n\t</Документ>\n"


def write_commerceml(
    out: IO[bytes],
    documents: Iterable[FakeDocument],
    counterparties: Mapping[str, FakeCounterparty],
    *,
    generated_at: datetime,
    style: ExportStyle | None = None,
    version: str = "2.10",
) -> None:
    """CommerceML 2.x: ``КоммерческаяИнформация`` with one ``Документ`` per document, each
    carrying its counterparty (role Покупатель) and goods lines."""
    style = style or ExportStyle()
    sink = _Sink(out, style)
    sink.write(
        f'<?xml version="1.0" encoding="{style.declared}"?>\n'
        f'<КоммерческаяИнформация xmlns="{CML_NS}" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'ВерсияСхемы="{version}" ДатаФормирования="{xml_datetime(generated_at)}">\n'
    )
    for doc in documents:
        party = counterparties.get(str(doc.value("counterparty")))
        for part in _cml_document(doc, party, style):
            sink.write(part)
    sink.write("</КоммерческаяИнформация>\n")
    sink.flush()


def _plain_counterparty(c: FakeCounterparty) -> str:
    return (
        "\t\t<Контрагент>\n"
        f"\t\t\t<Ссылка>{_x(c.value('guid'))}</Ссылка>\n"
        f"\t\t\t<Наименование>{_x(c.value('name'))}</Наименование>\n"
        f"\t\t\t<ИНН>{_x(c.value('inn'))}</ИНН>\n"
        f"\t\t\t<КПП>{_x(c.value('kpp'))}</КПП>\n"
        f"\t\t\t<ПометкаУдаления>{_x(c.value('deleted'))}</ПометкаУдаления>\n"
        f"\t\t\t<ДатаИзменения>{_x(c.value('changed_at'))}</ДатаИзменения>\n"
        "\t\t</Контрагент>\n"
    )


def _plain_document(d: FakeDocument, style: ExportStyle) -> str:
    date = d.value("date")
    amount = d.value("amount")
    ref = _order_ref(d, style)
    return (
        "\t\t<Документ>\n"
        f"\t\t\t<Ссылка>{_x(d.value('guid'))}</Ссылка>\n"
        f"\t\t\t<Контрагент>{_x(d.value('counterparty'))}</Контрагент>\n"
        f"\t\t\t<ВидДокумента>{_x(d.overrides.get('type', d.kind_1c))}</ВидДокумента>\n"
        f"\t\t\t<Номер>{_x(_number(d, style))}</Номер>\n"
        f"\t\t\t<Дата>{EMPTY_DATE if date is None else _x(date)}</Дата>\n"
        + (f"\t\t\t<СуммаДокумента>{_x(amount)}</СуммаДокумента>\n" if amount is not None else "")
        + f"\t\t\t<Валюта>{_x(d.value('currency'))}</Валюта>\n"
        + (f"\t\t\t<ЗаказКлиента>{_x(ref)}</ЗаказКлиента>\n" if ref is not None else "")
        + f"\t\t\t<ЕстьФайл>{_x(d.value('has_file'))}</ЕстьФайл>\n"
        f"\t\t\t<ПометкаУдаления>{_x(d.value('deleted'))}</ПометкаУдаления>\n"
        f"\t\t\t<ДатаИзменения>{_x(d.value('changed_at'))}</ДатаИзменения>\n"
        "\t\t</Документ>\n"
    )


def _plain_credit(c: FakeCredit, style: ExportStyle) -> str:
    limit = c.value("limit")
    since = c.value("overdue_since")
    if since is None and "overdue_since" not in c.overrides:
        since_text = EMPTY_DATE if style.empty_values else ""
    else:
        since_text = _x(since)
    return (
        "\t\t<Позиция>\n"
        f"\t\t\t<Контрагент>{_x(c.value('counterparty'))}</Контрагент>\n"
        + (
            f"\t\t\t<ДопустимаяСуммаЗадолженности>{_x(limit)}</ДопустимаяСуммаЗадолженности>\n"
            if limit is not None
            else ""
        )
        + f"\t\t\t<СуммаЗадолженности>{_x(c.value('used'))}</СуммаЗадолженности>\n"
        f"\t\t\t<СуммаПросроченнойЗадолженности>{_x(c.value('overdue_amount'))}"
        "</СуммаПросроченнойЗадолженности>\n"
        f"\t\t\t<ДатаВозникновенияПросрочки>{since_text}</ДатаВозникновенияПросрочки>\n"
        f"\t\t\t<Валюта>{_x(c.value('currency'))}</Валюта>\n"
        f"\t\t\t<НаДату>{_x(c.value('as_of'))}</НаДату>\n"
        "\t\t</Позиция>\n"
    )


def _section(sink: _Sink, name: str, items: Iterable[T], render: Callable[[T], str]) -> None:
    opened = False
    for item in items:
        if not opened:
            sink.write(f"\t<{name}>\n")
            opened = True
        sink.write(render(item))
    if opened:
        sink.write(f"\t</{name}>\n")


def write_plain(
    out: IO[bytes],
    *,
    counterparties: Iterable[FakeCounterparty] = (),
    documents: Iterable[FakeDocument] = (),
    credit: Iterable[FakeCredit] = (),
    generated_at: datetime,
    style: ExportStyle | None = None,
) -> None:
    """b2bsync's plain export (``ВыгрузкаB2B``); sections with nothing in them are omitted."""
    style = style or ExportStyle()
    sink = _Sink(out, style)
    sink.write(
        f'<?xml version="1.0" encoding="{style.declared}"?>\n'
        f'<ВыгрузкаB2B xmlns="{PLAIN_NS}" ВерсияФормата="1.0" '
        f'ДатаФормирования="{xml_datetime(generated_at)}">\n'
    )
    _section(sink, "Контрагенты", counterparties, _plain_counterparty)
    _section(sink, "Документы", documents, lambda d: _plain_document(d, style))
    _section(sink, "Взаиморасчеты", credit, lambda c: _plain_credit(c, style))
    sink.write("</ВыгрузкаB2B>\n")
    sink.flush()


def export_dataset(
    data: Dataset,
    directory: Path,
    *,
    generated_at: datetime,
    style: ExportStyle | None = None,
    stem: str = "export",
    with_files: bool = True,
    pdf: Any = None,
) -> list[Path]:
    """Write ``<stem>-documents.xml`` (CommerceML), ``<stem>-plain.xml`` (counterparties,
    documents, credit) and, with ``with_files``, ``files/<guid>.pdf`` for documents with files.

    ``pdf`` is a callable ``FakeDocument → bytes`` (the fake's :meth:`FakeOneC.pdf`).
    """
    directory.mkdir(parents=True, exist_ok=True)
    cml = directory / f"{stem}-documents.xml"
    plain = directory / f"{stem}-plain.xml"
    with cml.open("wb") as out:
        write_commerceml(
            out,
            data.documents.values(),
            data.counterparties,
            generated_at=generated_at,
            style=style,
        )
    with plain.open("wb") as out:
        write_plain(
            out,
            counterparties=data.counterparties.values(),
            documents=data.documents.values(),
            credit=data.credit.values(),
            generated_at=generated_at,
            style=style,
        )
    if with_files and pdf is not None:
        files = directory / "files"
        files.mkdir(exist_ok=True)
        for doc in data.documents.values():
            if doc.has_file:
                (files / f"{doc.guid}.pdf").write_bytes(pdf(doc))
    return [cml, plain]
