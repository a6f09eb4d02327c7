"""Streaming reader of 1C export files: CommerceML 2.x documents and b2bsync's plain XML.

The parser is hardened (no entity expansion, no network, no DTD loading, libxml2's size and
depth limits kept) and any DOCTYPE is refused: 1C never writes one, and an internal subset is how
"billion laughs" and external-entity files arrive. Files are read with ``iterparse`` filtered to
the record elements; each record is cleared as soon as it is normalised, so memory stays flat
whatever the file size. windows-1251 and UTF-8 (with or without BOM) are read from the XML
declaration.

A record that cannot be made valid becomes :class:`Quarantined`; a file that cannot be read on
raises :class:`ExportFileError` with the line number (records before that line were yielded).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Generator, Iterator
from datetime import datetime, tzinfo
from pathlib import Path
from typing import IO, Any, Literal

from lxml import etree

from . import _habits as h
from ._errors import ExportFileError
from ._models import Quarantined, RecordKind
from ._records import RAW_LIMIT, Normaliser

ExportFormat = Literal["commerceml", "plain"]
Item = Any  # Counterparty | Document | CreditStatus | Quarantined (kept loose for speed)

_HARDENED: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
_ROOTS: dict[str, ExportFormat] = {
    "КоммерческаяИнформация": "commerceml",
    "ВыгрузкаB2B": "plain",
}
_ALL_KINDS: frozenset[RecordKind] = frozenset({"counterparty", "document", "credit"})
_BUYER_ROLES = ("покупатель", "плательщик", "получатель")
_ORDER_REQUISITES = ("заказклиента", "заказ", "номер заказа", "номер заказа на сайте")


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""
    return tag[tag.rfind("}") + 1 :]


def _scalar(child: etree._Element) -> Any:
    """Text of a leaf; a structure where a value was expected is passed on as a dict so the
    normaliser reports "expected text, got an object"."""
    if len(child):
        return {_local(c.tag): c.text for c in child}
    return child.text


def _raw(elem: etree._Element) -> Callable[[], str]:
    def render() -> str:
        return etree.tostring(elem, encoding="unicode")[:RAW_LIMIT]

    return render


def _release(elem: etree._Element) -> None:
    elem.clear()
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


class _Reader:
    def __init__(
        self,
        path: Path,
        normaliser: Normaliser,
        kinds: Collection[RecordKind],
        generated_fallback: datetime | None,
    ) -> None:
        self.path = path
        self.norm = normaliser
        self.kinds = frozenset(kinds)
        self.generated_at: datetime | None = generated_fallback
        self.credit_as_of: Any = None
        self.seen_parties: set[str] = set()

    def origin(self, elem: etree._Element) -> str:
        return f"{self.path.name}:{elem.sourceline}"

    # --- CommerceML ----------------------------------------------------------------------------

    def cml_document(self, elem: etree._Element) -> Iterator[Item]:
        values: dict[str, Any] = {}
        requisites: dict[str, Any] = {}
        party: dict[str, Any] = {}
        for child in elem:
            name = _local(child.tag)
            if not name:
                continue
            if name == "Контрагенты":
                party = self._cml_party(child)
            elif name == "ЗначенияРеквизитов":
                for item in child:
                    label = text = None
                    for part in item:
                        part_name = _local(part.tag)
                        if part_name == "Наименование":
                            label = part.text
                        elif part_name == "Значение":
                            text = _scalar(part)
                    if label:
                        requisites[label.strip().casefold()] = text
            elif name != "Товары":
                values[name] = _scalar(child)
        origin = self.origin(elem)
        raw = _raw(elem)
        if "counterparty" in self.kinds and party:
            guid = party.get("Ид")
            try:
                key = h.parse_guid(guid)
            except ValueError:
                key = None
            if key is not None and key not in self.seen_parties:
                self.seen_parties.add(key)
                yield self.norm.counterparty(
                    {
                        "guid": guid,
                        "name": party.get("Наименование") or party.get("ОфициальноеНаименование"),
                        "inn": party.get("ИНН"),
                        "kpp": party.get("КПП"),
                        "changed_at": self.generated_at,
                    },
                    raw,
                    origin,
                )
        if "document" not in self.kinds:
            return
        order_ref = next((requisites[k] for k in _ORDER_REQUISITES if k in requisites), None)
        yield self.norm.document(
            {
                "guid": values.get("Ид"),
                "counterparty": party.get("Ид"),
                "type": requisites.get("виддокумента") or values.get("ХозОперация"),
                "number": values.get("Номер"),
                "date": values.get("Дата"),
                "time": values.get("Время"),
                "amount": values.get("Сумма"),
                "currency": values.get("Валюта"),
                "order_ref": order_ref,
                "deleted": requisites.get("пометкаудаления"),
                "changed_at": self.generated_at,
            },
            raw,
            origin,
        )

    @staticmethod
    def _cml_party(block: etree._Element) -> dict[str, Any]:
        parties: list[dict[str, Any]] = []
        for candidate in block:
            if _local(candidate.tag) != "Контрагент":
                continue
            parties.append({_local(c.tag): _scalar(c) for c in candidate if _local(c.tag)})
        for party in parties:
            role = party.get("Роль")
            if isinstance(role, str) and role.strip().casefold() in _BUYER_ROLES:
                return party
        return parties[0] if parties else {}

    # --- plain ---------------------------------------------------------------------------------

    def plain_record(self, elem: etree._Element, name: str) -> Iterator[Item]:
        values = {_local(c.tag): _scalar(c) for c in elem if _local(c.tag)}
        origin = self.origin(elem)
        raw = _raw(elem)
        if name == "Контрагент" and "counterparty" in self.kinds:
            yield self.norm.counterparty(
                {
                    "guid": values.get("Ссылка"),
                    "name": values.get("Наименование"),
                    "inn": values.get("ИНН"),
                    "kpp": values.get("КПП"),
                    "deleted": values.get("ПометкаУдаления"),
                    "changed_at": values.get("ДатаИзменения") or self.generated_at,
                },
                raw,
                origin,
            )
        elif name == "Документ" and "document" in self.kinds:
            yield self.norm.document(
                {
                    "guid": values.get("Ссылка"),
                    "counterparty": values.get("Контрагент"),
                    "type": values.get("ВидДокумента"),
                    "number": values.get("Номер"),
                    "date": values.get("Дата"),
                    "amount": values.get("СуммаДокумента"),
                    "currency": values.get("Валюта"),
                    "order_ref": values.get("ЗаказКлиента"),
                    "has_file": values.get("ЕстьФайл"),
                    "deleted": values.get("ПометкаУдаления"),
                    "changed_at": values.get("ДатаИзменения") or self.generated_at,
                },
                raw,
                origin,
            )
        elif name == "Позиция" and "credit" in self.kinds:
            yield self.norm.credit(
                {
                    "counterparty": values.get("Контрагент"),
                    "limit": values.get("ДопустимаяСуммаЗадолженности"),
                    "used": values.get("СуммаЗадолженности"),
                    "overdue_amount": values.get("СуммаПросроченнойЗадолженности"),
                    "overdue_since": values.get("ДатаВозникновенияПросрочки"),
                    "currency": values.get("Валюта"),
                    "as_of": values.get("НаДату") or self.credit_as_of or self.generated_at,
                },
                raw,
                origin,
            )


def _open(path: Path) -> IO[bytes]:
    try:
        return path.open("rb")
    except OSError as exc:
        raise ExportFileError(f"cannot open: {exc.strerror or exc}", path=str(path)) from exc


def sniff_format(path: Path) -> ExportFormat:
    """Which export this is, from its root element; refuses DOCTYPEs before anything else."""
    etree.clear_error_log()
    with _open(path) as stream:
        try:
            for _, elem in etree.iterparse(stream, events=("start",), **_HARDENED):
                _refuse_doctype(elem, path)
                name = _local(elem.tag)
                if name not in _ROOTS:
                    raise ExportFileError(
                        f"not a 1C export: root element <{name}> "
                        "(expected КоммерческаяИнформация or ВыгрузкаB2B)",
                        path=str(path),
                        line=elem.sourceline,
                    )
                return _ROOTS[name]
        except etree.XMLSyntaxError as exc:
            raise _syntax(exc, path) from exc
    raise ExportFileError("empty file: no root element", path=str(path), line=1)


def _refuse_doctype(elem: etree._Element, path: Path) -> None:
    info = elem.getroottree().docinfo
    if info.internalDTD is not None or info.externalDTD is not None or info.doctype:
        entities = []
        if info.internalDTD is not None:
            dtd: Any = info.internalDTD
            entities = [str(e.name) for e in dtd.iterentities()]
        detail = f" with entity declarations ({', '.join(entities[:5])})" if entities else ""
        raise ExportFileError(
            f"DOCTYPE{detail} is not accepted in 1C exports", path=str(path), line=1
        )


def _syntax(exc: etree.XMLSyntaxError, path: Path) -> ExportFileError:
    """The first fatal parser error: iterparse sometimes reports a generic "no element found"
    while the error log holds the real cause and its line."""
    message, line = str(exc.msg or exc), exc.lineno or None
    log: Any = exc.error_log
    for entry in log:
        if entry.level_name in ("FATAL", "ERROR"):
            message, line = entry.message, entry.line or line
            break
    return ExportFileError(
        f"malformed XML: {h.first_line(message, 200)}", path=str(path), line=line
    )


def read_export(
    path: Path,
    tz: tzinfo,
    *,
    kinds: Collection[RecordKind] = _ALL_KINDS,
    generated_fallback: datetime | None = None,
) -> Generator[Item]:
    """Yield normalised records and quarantined ones from one export file, in file order.

    ``changed_at`` of records that carry no change time is the export's ``ДатаФормирования``
    (or ``generated_fallback``, e.g. the file's mtime). Raises :class:`ExportFileError` when the
    file as a whole cannot be read on.
    """
    fmt = sniff_format(path)
    norm = Normaliser(tz)
    reader = _Reader(path, norm, kinds, generated_fallback)
    if fmt == "commerceml":
        tags = ["{*}КоммерческаяИнформация", "{*}Документ"]
    else:
        tags = ["{*}ВыгрузкаB2B", "{*}Взаиморасчеты", "{*}Контрагент", "{*}Документ", "{*}Позиция"]
    etree.clear_error_log()
    with _open(path) as stream:
        context = etree.iterparse(stream, events=("start", "end"), tag=tags, **_HARDENED)
        try:
            yield from _walk(context, reader, fmt, path)
        except etree.XMLSyntaxError as exc:
            raise _syntax(exc, path) from exc


def _walk(context: Any, reader: _Reader, fmt: ExportFormat, path: Path) -> Iterator[Item]:
    for event, elem in context:
        name = _local(elem.tag)
        if event == "start":
            if name in _ROOTS:
                _refuse_doctype(elem, path)
                stamp = elem.get("ДатаФормирования")
                if stamp:
                    try:
                        reader.generated_at = h.parse_datetime(stamp, reader.norm.tz)
                    except ValueError:
                        yield _file_note(path, elem, f"ДатаФормирования is not a date: {stamp}")
            elif name == "Взаиморасчеты":
                reader.credit_as_of = elem.get("НаДату")
            continue
        if name in _ROOTS or name == "Взаиморасчеты":
            continue
        parent = elem.getparent()
        if fmt == "commerceml":
            if parent is None or _local(parent.tag) not in ("КоммерческаяИнформация", "Контейнер"):
                continue
            yield from reader.cml_document(elem)
        else:
            section = _local(parent.tag) if parent is not None else ""
            if section not in ("Контрагенты", "Документы", "Взаиморасчеты"):
                continue
            yield from reader.plain_record(elem, name)
        _release(elem)


def _file_note(path: Path, elem: etree._Element, reason: str) -> Quarantined:
    return Quarantined(
        kind="file", raw=path.name, reason=reason, origin=f"{path.name}:{elem.sourceline}"
    )
