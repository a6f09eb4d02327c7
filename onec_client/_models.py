"""The normalised records every adapter yields, and the quarantine envelope for the ones it cannot.

Each record carries its natural key (``key``, the 1C GUID) and ``changed_at`` (when 1C last
changed it, or when the export that carried it was made) so a sync engine can upsert on the key
and advance a ``changed_since`` cursor without knowing which adapter produced the record.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import AsyncIterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, ClassVar, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints

from ._habits import require_guid

RecordKind = Literal["counterparty", "document", "credit", "file"]


Guid = Annotated[
    str,
    StringConstraints(
        pattern=r"^(?!0{8}-0{4}-0{4}-0{4}-0{12}$)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    ),
]
"""A canonical lowercase GUID that is not the all-zero "no reference" one (the normaliser makes
every 1C spelling canonical before a model sees it)."""


class DocType(StrEnum):
    invoice = "invoice"
    waybill = "waybill"
    reconciliation = "reconciliation"
    upd = "upd"
    act = "act"


_DOC_TYPE_ALIASES: dict[str, DocType] = {
    # CommerceML ХозОперация values
    "счет на оплату": DocType.invoice,
    "отпуск товара": DocType.waybill,
    "счет-фактура": DocType.upd,
    # 1C metadata object names (УТ 11, ERP, БП)
    "счетнаоплатуклиенту": DocType.invoice,
    "счетнаоплату": DocType.invoice,
    "счетнаоплатупокупателю": DocType.invoice,
    "реализациятоваровуслуг": DocType.waybill,
    "товарнаянакладная": DocType.waybill,
    "торг12": DocType.waybill,
    "торг-12": DocType.waybill,
    "сверкавзаиморасчетов": DocType.reconciliation,
    "актсверкивзаиморасчетов": DocType.reconciliation,
    "актсверки": DocType.reconciliation,
    "упд": DocType.upd,
    "универсальныйпередаточныйдокумент": DocType.upd,
    "счетфактуравыданный": DocType.upd,
    "актвыполненныхработ": DocType.act,
    "актоказанияуслуг": DocType.act,
    "акт": DocType.act,
    # human words
    "счет": DocType.invoice,
    "накладная": DocType.waybill,
    "реализация": DocType.waybill,
    "акт сверки": DocType.reconciliation,
    "акт выполненных работ": DocType.act,
    "оказание услуг": DocType.act,
}


def parse_doc_type(value: str, extra: Mapping[str, DocType] | None = None) -> DocType:
    """Map what a 1C configuration calls a document onto the five kinds the cabinet shows."""
    folded = value.strip().casefold()
    known = _DOC_TYPE_ALIASES.get(folded)
    if known is not None and not extra:
        return known
    if extra:
        for alias, kind in extra.items():
            if alias.strip().casefold() == folded:
                return kind
    if folded in DocType.__members__:
        return DocType(folded)
    squeezed = folded.replace(" ", "").replace("_", "").replace(".", "")
    for candidate in (folded, squeezed):
        if candidate in _DOC_TYPE_ALIASES:
            return _DOC_TYPE_ALIASES[candidate]
    raise ValueError(f"unknown document type {value.strip()[:60]!r}")


_UNSAFE = re.compile(r"[^0-9A-Za-zА-Яа-яЁё._-]+")
_STEM_LIMIT = 80


def safe_file_stem(number: str) -> str:
    """A file name stem for a document number that cannot escape a directory.

    Numbers are 1C user input: ``../../etc``, ``a/b``, NUL and control characters are all
    representable in a :class:`Document`. The stem keeps letters (Latin and Cyrillic), digits,
    ``.``, ``_`` and ``-``; everything else becomes ``_``; leading dots are dropped so no stem is
    ``.``/``..`` or hidden. When anything had to change, an 8-hex digest of the original number
    is appended, so ``a/b`` and ``a_b`` never share a file.
    """
    text = unicodedata.normalize("NFC", number).strip()
    stem = _UNSAFE.sub("_", text).lstrip("._").rstrip("_") or "document"
    stem = stem[:_STEM_LIMIT]
    if stem != text:
        digest = hashlib.sha256(number.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        stem = f"{stem}-{digest}"
    return stem


def document_guid(document: Document | str) -> str:
    """The GUID of a document given as a model or as text (any 1C spelling)."""
    if isinstance(document, Document):
        return document.guid
    return require_guid(document, "document GUID")


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", regex_engine="python-re")
    kind: ClassVar[RecordKind]

    @property
    def key(self) -> str:
        raise AttributeError("key")

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, **self.model_dump(mode="json")}


class Counterparty(_Record):
    kind: ClassVar[RecordKind] = "counterparty"

    guid: Guid
    name: str = Field(min_length=1)
    inn: str | None = None
    kpp: str | None = None
    active: bool = True
    changed_at: AwareDatetime | None = None

    @property
    def key(self) -> str:
        return self.guid


class Document(_Record):
    kind: ClassVar[RecordKind] = "document"

    guid: Guid
    counterparty_guid: Guid
    type: DocType
    number: str = Field(min_length=1, description="normalised: padding stripped")
    number_display: str = Field(description="as 1C sent it, padding included")
    date: AwareDatetime
    amount: Decimal | None = None
    currency: str | None = None
    order_ref: str | None = None
    has_file: bool = False
    deleted: bool = False
    changed_at: AwareDatetime | None = None

    @property
    def key(self) -> str:
        return self.guid

    @property
    def file_stem(self) -> str:
        return safe_file_stem(self.number)

    @property
    def number_is_path_safe(self) -> bool:
        """False for numbers that would need sanitising before use in a file name."""
        return safe_file_stem(self.number) == self.number


class CreditStatus(_Record):
    kind: ClassVar[RecordKind] = "credit"

    counterparty_guid: Guid
    limit: Decimal | None = Field(default=None, description="None: the contract sets no limit")
    used: Decimal = Field(
        default=Decimal(0), description="the buyer's debt; negative: an advance payment"
    )
    overdue_amount: Decimal = Decimal(0)
    overdue_since: date | None = None
    currency: str | None = None
    as_of: AwareDatetime | None = None

    @property
    def key(self) -> str:
        return self.counterparty_guid

    @property
    def changed_at(self) -> datetime | None:
        return self.as_of

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.used > self.limit

    @property
    def overdue(self) -> bool:
        return self.overdue_amount > 0

    @property
    def prepaid(self) -> Decimal:
        """What the buyer paid in advance (a negative debt), else 0."""
        return -self.used if self.used < 0 else Decimal(0)

    @property
    def available(self) -> Decimal | None:
        return None if self.limit is None else self.limit - self.used


class Quarantined(BaseModel):
    """A record that could not be made valid: its raw form and a one-line reason.

    ``key`` and ``changed_at`` are filled when they could be read from the raw record, so the
    engine can still store it under its GUID and advance its cursor past it.
    """

    model_config = ConfigDict(frozen=True)

    kind: RecordKind
    raw: str
    reason: str
    key: str | None = None
    changed_at: AwareDatetime | None = None
    origin: str | None = Field(default=None, description="where it came from: URL, file:line")

    def as_json(self) -> dict[str, object]:
        return {"quarantined": self.reason, **self.model_dump(mode="json", exclude={"reason"})}


class DocumentFile(BaseModel):
    """A document's printable file, streamed: iterate :meth:`iter_bytes` once.

    ``size`` is known when 1C sent ``Content-Length`` (or a size field); ``content_type`` is what
    1C declared, or what the first bytes show (``%PDF`` → ``application/pdf``).
    """

    model_config = ConfigDict(frozen=True, regex_engine="python-re")

    document_guid: Guid
    content_type: str
    size: int | None = None
    filename: str | None = None
    _chunks: AsyncIterator[bytes] | None = PrivateAttr(default=None)

    @classmethod
    def streaming(
        cls,
        chunks: AsyncIterator[bytes],
        *,
        document_guid: str,
        content_type: str,
        size: int | None = None,
        filename: str | None = None,
    ) -> Self:
        made = cls(
            document_guid=document_guid, content_type=content_type, size=size, filename=filename
        )
        made._chunks = chunks
        return made

    async def iter_bytes(self) -> AsyncIterator[bytes]:
        chunks, self._chunks = self._chunks, None
        if chunks is None:
            raise RuntimeError("a DocumentFile can be read only once")
        async for chunk in chunks:
            if chunk:
                yield chunk

    async def read(self, limit: int = 64 * 1024 * 1024) -> bytes:
        """The whole file, for small files and tests; refuses more than ``limit`` bytes."""
        parts: list[bytes] = []
        total = 0
        async for chunk in self.iter_bytes():
            total += len(chunk)
            if total > limit:
                raise ValueError(f"file larger than {limit} bytes")
            parts.append(chunk)
        return b"".join(parts)


Record = Counterparty | Document | CreditStatus
CounterpartyItem = Counterparty | Quarantined
DocumentItem = Document | Quarantined
CreditItem = CreditStatus | Quarantined
