"""Streaming reader of 1C export files: CommerceML 2.x documents and b2bsync's plain XML.

The parser is hardened (no entity expansion, no network, no DTD loading, libxml2's size and
depth limits kept) and any DOCTYPE is refused: 1C never writes one, and an internal subset is how
"billion laughs" and external-entity files arrive. Files are read by a pull parser filtered to
the record elements; each record is cleared as soon as it is normalised, so memory stays flat
whatever the file size. The file is fed to a pull parser in chunks and the events parsed before a
syntax error are handed out before the error is raised: libxml2 2.14 (lxml 6) reports an error in
a chunk without first delivering that chunk's earlier events through ``iterparse``, so records
complete before a break would be lost. windows-1251 and UTF-8 (with or without BOM) are read
from the XML declaration.

A record that cannot be made valid becomes :class:`Quarantined`; a file that cannot be read on
raises :class:`ExportFileError` with the line number (records before that line were yielded).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Generator, Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cache
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


@cache
def _qualified(ns: str) -> dict[str, str]:
    """CommerceML element names in one namespace (``""`` maps to the namespace itself)."""
    names = (
        "Ид Номер Дата Время ХозОперация Сумма Валюта Контрагенты Контрагент "
        "ЗначенияРеквизитов Наименование Значение ПометкаУдаления"
    )
    return {"": ns, **{name: ns + name for name in names.split()}}


def _scalar(child: etree._Element) -> Any:
    """Text of a leaf; a structure where a value was expected is passed on as a dict so the
    normaliser reports "expected text, got a structure"."""
    if len(child):
        return {_local(c.tag): c.text for c in child}
    return child.text


def _true(value: Any) -> bool:
    try:
        return h.parse_bool(value) is True
    except ValueError:
        return False


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
        self.name = path.name
        self.norm = normaliser
        self.kinds = frozenset(kinds)
        self.generated_at: datetime | None = generated_fallback
        self.seen_parties: set[str] = set()

    def origin(self, elem: etree._Element) -> str:
        return f"{self.name}:{elem.sourceline}"

    # --- CommerceML ----------------------------------------------------------------------------

    def cml_document(self, elem: etree._Element) -> list[Item]:
        tag = elem.tag
        ns = tag[: tag.find("}") + 1] if isinstance(tag, str) and tag[:1] == "{" else ""
        q = _qualified(ns)
        children = {c.tag: c for c in elem}
        requisites: dict[str, Any] = {}
        block = children.get(q["ЗначенияРеквизитов"])
        if block is not None:
            for item in block:
                label = text = None
                for part in item:
                    if part.tag == q["Наименование"]:
                        label = part.text
                    elif part.tag == q["Значение"]:
                        text = _scalar(part)
                if label:
                    requisites[label.strip().casefold()] = text
        party = self._cml_party(children.get(q["Контрагенты"]), q)
        origin = self.origin(elem)
        raw = _raw(elem)
        generated = self.generated_at
        out: list[Item] = []
        if "counterparty" in self.kinds and party:
            guid = party.get("Ид")
            try:
                key = h.parse_guid(guid)
            except ValueError:
                key = None
            if key is not None and key not in self.seen_parties:
                self.seen_parties.add(key)
                out.append(
                    self.norm.counterparty(
                        {
                            "guid": guid,
                            "name": party.get("Наименование")
                            or party.get("ОфициальноеНаименование"),
                            "inn": party.get("ИНН"),
                            "kpp": party.get("КПП"),
                            "changed_at": generated,
                        },
                        raw,
                        origin,
                    )
                )
        if "document" not in self.kinds:
            return out

        def value(name: str) -> Any:
            child = children.get(q[name])
            return None if child is None else _scalar(child)

        order_ref = next((requisites[k] for k in _ORDER_REQUISITES if k in requisites), None)
        # 1C 3.1 (the exchange module) and 2.x write the deletion mark as an element of
        # Документ, some processors as a requisite; either saying true marks the document
        marks = [m for m in (value("ПометкаУдаления"), requisites.get("пометкаудаления")) if m]
        deleted = next((m for m in marks if _true(m)), marks[0] if marks else None)
        out.append(
            self.norm.document(
                {
                    "guid": value("Ид"),
                    "counterparty": party.get("Ид"),
                    "type": requisites.get("виддокумента") or value("ХозОперация"),
                    "number": value("Номер"),
                    "date": value("Дата"),
                    "time": value("Время"),
                    "amount": value("Сумма"),
                    "currency": value("Валюта"),
                    "order_ref": order_ref,
                    "deleted": deleted,
                    "changed_at": generated,
                },
                raw,
                origin,
            )
        )
        return out

    @staticmethod
    def _cml_party(block: etree._Element | None, q: dict[str, str]) -> dict[str, Any]:
        """The buyer among the document's counterparties (else the first one)."""
        if block is None:
            return {}
        cut = len(q[""])
        parties: list[dict[str, Any]] = []
        for candidate in block:
            if candidate.tag != q["Контрагент"]:
                continue
            parties.append({c.tag[cut:]: _scalar(c) for c in candidate if isinstance(c.tag, str)})
        for party in parties:
            role = party.get("Роль")
            if isinstance(role, str) and role.strip().casefold() in _BUYER_ROLES:
                return party
        return parties[0] if parties else {}

    # --- plain ---------------------------------------------------------------------------------

    def plain_record(
        self, elem: etree._Element, name: str, parent: etree._Element
    ) -> Iterator[Item]:
        values = {_local(c.tag): _scalar(c) for c in elem if isinstance(c.tag, str)}
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
                    "as_of": values.get("НаДату") or parent.get("НаДату") or self.generated_at,
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
    return _sniff(path).format


@dataclass(frozen=True)
class _Head:
    format: ExportFormat
    ns: str
    """The root's namespace as a tag prefix: ``{urn:…}`` or ``""``."""
    generated: str | None
    line: int


def _sniff(path: Path) -> _Head:
    """Read up to the root element: its format, namespace and ``ДатаФормирования``."""
    etree.clear_error_log()
    with _open(path) as stream:
        fed = _Fed()
        try:
            for _, elem in _pull(stream, fed, events=("start",)):
                _refuse_doctype(elem, path)
                tag = elem.tag
                name = _local(tag)
                if name not in _ROOTS:
                    raise ExportFileError(
                        f"not a 1C export: root element <{name}> "
                        "(expected КоммерческаяИнформация or ВыгрузкаB2B)",
                        path=str(path),
                        line=elem.sourceline,
                    )
                return _Head(
                    _ROOTS[name],
                    tag[: len(tag) - len(name)],
                    elem.get("ДатаФормирования"),
                    elem.sourceline or 1,
                )
        except etree.XMLSyntaxError as exc:
            if fed.doctype is not None:
                # The DTD broke the parse before the root was reported (an entity loop, or
                # libxml2's amplification limit): the same refusal as a DOCTYPE on the root.
                raise _doctype_refusal(path, fed.doctype) from exc
            if not fed.bytes:
                raise ExportFileError(
                    "empty file: no root element", path=str(path), line=1
                ) from exc
            raise _syntax(exc, path) from exc
    raise ExportFileError("empty file: no root element", path=str(path), line=1)


_CHUNK = 64 * 1024
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY\s+(?:%\s+)?([^\s\"'>]+)")


@dataclass
class _Fed:
    """What the pull parser has been given so far (for errors raised before any event)."""

    bytes: int = 0
    doctype: list[str] | None = None
    """Entity names declared in the first chunk's DOCTYPE; ``None`` without a DOCTYPE."""


def _pull(
    stream: IO[bytes],
    fed: _Fed,
    *,
    events: tuple[Literal["start", "end"], ...],
    tag: list[str] | None = None,
) -> Iterator[tuple[str, Any]]:
    """Events of the file in document order, fed in chunks; on a syntax error the events parsed
    before it are yielded first, then the error is raised."""
    parser = etree.XMLPullParser(events=events, tag=tag, **_HARDENED)
    while True:
        data = stream.read(_CHUNK)
        if not fed.bytes and _DOCTYPE.search(data):
            names = (m.decode("utf-8", "replace") for m in _ENTITY.findall(data))
            fed.doctype = list(names)
        fed.bytes += len(data)
        try:
            if data:
                parser.feed(data)
            else:
                parser.close()
        except etree.XMLSyntaxError:
            yield from parser.read_events()
            raise
        yield from parser.read_events()
        if not data:
            return


def _refuse_doctype(elem: etree._Element, path: Path) -> None:
    info = elem.getroottree().docinfo
    if info.internalDTD is not None or info.externalDTD is not None or info.doctype:
        entities = []
        if info.internalDTD is not None:
            dtd: Any = info.internalDTD
            entities = [str(e.name) for e in dtd.iterentities()]
        raise _doctype_refusal(path, entities)


def _doctype_refusal(path: Path, entities: list[str]) -> ExportFileError:
    detail = f" with entity declarations ({', '.join(entities[:5])})" if entities else ""
    return ExportFileError(f"DOCTYPE{detail} is not accepted in 1C exports", path=str(path), line=1)


def _syntax(exc: etree.XMLSyntaxError, path: Path) -> ExportFileError:
    """The first fatal parser error: the parser sometimes reports a generic "no element found"
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
    head = _sniff(path)
    reader = _Reader(path, Normaliser(tz), kinds, generated_fallback)
    if head.generated:
        try:
            reader.generated_at = h.parse_datetime(head.generated, tz) or generated_fallback
        except ValueError:
            yield Quarantined(
                kind="file",
                raw=path.name,
                reason=f"ДатаФормирования is not a date: {head.generated[:40]}",
                origin=f"{path.name}:{head.line}",
            )
    ns = head.ns
    if head.format == "commerceml":
        records = ["Документ"]
        parents = {"КоммерческаяИнформация", "Контейнер"}
    else:
        records = ["Контрагент", "Документ", "Позиция"]
        parents = {"Контрагенты", "Документы", "Взаиморасчеты"}
    # Records are matched in the root's namespace (and, for hand-made files, in none): exact
    # tags and end events only keep libxml2 from calling back into Python for anything else.
    tags = [ns + name for name in records] + (records if ns else [])
    allowed = {ns + name for name in parents} | parents
    etree.clear_error_log()
    with _open(path) as stream:
        context = _pull(stream, _Fed(), events=("end",), tag=tags)
        try:
            yield from _walk(context, reader, head.format == "commerceml", allowed)
        except etree.XMLSyntaxError as exc:
            raise _syntax(exc, path) from exc


def _walk(context: Any, reader: _Reader, cml: bool, allowed: set[str]) -> Iterator[Item]:
    checked = False
    for _, elem in context:
        if not checked:
            _refuse_doctype(elem, reader.path)
            checked = True
        parent = elem.getparent()
        if parent is None or parent.tag not in allowed:
            continue
        if cml:
            yield from reader.cml_document(elem)
        else:
            yield from reader.plain_record(elem, _local(elem.tag), parent)
        _release(elem)
