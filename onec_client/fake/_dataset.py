"""The fake infobase's contents: counterparties, their documents and credit positions.

Generated from a seed, so the same arguments give the same data on every machine. Values are
kept the way 1C holds them (naive local datetimes, Decimal amounts, numbers without padding); the
serializers apply the wire quirks. ``overrides`` on a record replace a field's value on the wire
verbatim (canonical field names: ``guid``, ``number``, ``amount``…), which is how tests plant
malformed or hostile records.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

BASE_DATE = datetime(2024, 1, 9, 9, 0, 0)
AS_OF = datetime(2024, 7, 1, 8, 0, 0)

KINDS_1C = {
    "invoice": "СчетНаОплатуКлиенту",
    "waybill": "РеализацияТоваровУслуг",
    "reconciliation": "СверкаВзаиморасчетов",
    "upd": "УниверсальныйПередаточныйДокумент",
    "act": "АктВыполненныхРабот",
}
CML_OPERATIONS = {
    "invoice": "Счет на оплату",
    "waybill": "Отпуск товара",
    "upd": "Счет-фактура",
}
_PREFIX = {"invoice": "СЧ", "waybill": "РТ", "reconciliation": "СВ", "upd": "УП", "act": "АК"}
_FORMS = ["ООО", "ООО", "АО", "ПАО", "ИП"]
_WORDS = [
    "Ромашка",
    "Вектор",
    "СтройМаркет",
    "Альфа-Снаб",
    "Техноресурс",
    "Северный ветер",
    "Металлоторг",
    "Уральские окна",
    "ПромИнвест",
    "Кедр",
    "Волга-Логистик",
    "Сибирский хлеб",
]
_SURNAMES = ["Иванов И. И.", "Петрова А. С.", "Сидоренко В. П.", "Кузнецов Д. А."]
_GOODS = [
    ("Кабель ВВГнг 3х2,5", "м"),
    ("Саморез 4,2х19 (1000 шт)", "уп"),
    ("Профиль ПН 50х40 3м", "шт"),
    ("Гипсокартон Knauf 12,5 мм", "лист"),
    ("Краска ВД-АК белая 14 кг", "шт"),
    ("Доставка", "усл"),
]


def _inn10(rng: random.Random) -> str:
    digits = [rng.randint(0, 9) for _ in range(9)]
    digits[0] = rng.randint(1, 9)
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11 % 10
    return "".join(map(str, [*digits, check]))


def _inn12(rng: random.Random) -> str:
    digits = [rng.randint(0, 9) for _ in range(10)]
    digits[0] = rng.randint(1, 9)
    w1 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    c1 = sum(d * w for d, w in zip(digits, w1, strict=True)) % 11 % 10
    w2 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    c2 = sum(d * w for d, w in zip([*digits, c1], w2, strict=True)) % 11 % 10
    return "".join(map(str, [*digits, c1, c2]))


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@dataclass
class FakeCounterparty:
    guid: str
    name: str
    inn: str | None
    kpp: str | None
    deleted: bool
    changed_at: datetime
    overrides: dict[str, Any] = field(default_factory=dict)

    def value(self, name: str) -> Any:
        return self.overrides[name] if name in self.overrides else getattr(self, name)


@dataclass
class GoodsLine:
    name: str
    unit: str
    quantity: Decimal
    price: Decimal

    @property
    def total(self) -> Decimal:
        return (self.quantity * self.price).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class FakeFile:
    """A printable form exactly as a 1C handler attaches it: a scan, a spreadsheet, or whatever
    a misconfigured (or compromised) handler puts there — name and content type included."""

    content: bytes
    name: str
    content_type: str = "application/octet-stream"


@dataclass
class FakeDocument:
    guid: str
    counterparty: str
    type: str
    number: str
    date: datetime
    amount: Decimal | None
    currency: str
    order_ref: str | None
    has_file: bool
    deleted: bool
    changed_at: datetime
    lines: list[GoodsLine] = field(default_factory=list)
    overrides: dict[str, Any] = field(default_factory=dict)
    #: served instead of the generated PDF when set
    file: FakeFile | None = None

    def value(self, name: str) -> Any:
        return self.overrides[name] if name in self.overrides else getattr(self, name)

    @property
    def kind_1c(self) -> str:
        return KINDS_1C.get(self.type, self.type)


@dataclass
class FakeCredit:
    counterparty: str
    limit: Decimal | None
    used: Decimal
    overdue_amount: Decimal
    overdue_since: datetime | None
    currency: str
    as_of: datetime
    overrides: dict[str, Any] = field(default_factory=dict)

    def value(self, name: str) -> Any:
        return self.overrides[name] if name in self.overrides else getattr(self, name)


@dataclass
class Dataset:
    counterparties: dict[str, FakeCounterparty] = field(default_factory=dict)
    documents: dict[str, FakeDocument] = field(default_factory=dict)
    credit: dict[str, FakeCredit] = field(default_factory=dict)

    def documents_of(self, counterparty: str | None) -> list[FakeDocument]:
        return [
            d
            for d in self.documents.values()
            if counterparty is None or d.counterparty == counterparty
        ]


def _lines(rng: random.Random) -> list[GoodsLine]:
    out: list[GoodsLine] = []
    for _ in range(rng.randint(1, 6)):
        name, unit = rng.choice(_GOODS)
        quantity = Decimal(rng.randint(1, 400))
        price = (Decimal(rng.randint(1_500, 950_000)) / 100).quantize(Decimal("0.01"))
        out.append(GoodsLine(name, unit, quantity, price))
    return out


def make_document(
    rng: random.Random, counterparty: str, sequence: int, *, with_lines: bool = True
) -> FakeDocument:
    """One document of ``counterparty`` drawn from ``rng``; ``sequence`` numbers it."""
    doc_type = rng.choice(list(KINDS_1C))
    day = BASE_DATE + timedelta(days=rng.randint(0, 170), minutes=rng.randint(0, 600))
    lines = _lines(rng) if with_lines and doc_type != "reconciliation" else []
    amount = (
        sum((line.total for line in lines), Decimal("0.00"))
        if lines
        else (Decimal(rng.randint(10_000, 500_000_000)) / 100).quantize(Decimal("0.01"))
    )
    return FakeDocument(
        guid=_guid(rng),
        counterparty=counterparty,
        type=doc_type,
        number=f"{_PREFIX[doc_type]}-{sequence:05d}",
        date=day.replace(microsecond=0),
        amount=None if doc_type == "reconciliation" else amount,
        currency="RUB",
        order_ref=(_guid(rng) if doc_type in ("invoice", "waybill", "upd") else None),
        has_file=doc_type == "reconciliation" or rng.random() < 0.9,
        deleted=False,
        changed_at=(day + timedelta(hours=rng.randint(0, 48))).replace(microsecond=0),
        lines=lines,
    )


def stream_documents(seed: int, counterparties: list[str]) -> Iterator[FakeDocument]:
    """An endless, seeded stream of documents spread over ``counterparties`` (for files of
    any size: nothing is kept)."""
    rng = random.Random(seed)  # noqa: S311  (deterministic test data, not secrets)
    sequence = 0
    while True:
        sequence += 1
        yield make_document(rng, rng.choice(counterparties), sequence)


def generate(
    seed: int = 1, counterparties: int = 5, documents: int = 4, *, with_lines: bool = True
) -> Dataset:
    """``counterparties`` × ``documents`` documents plus one credit position per counterparty.

    Credit positions cycle through: within limit; over limit; overdue; no limit set — so any
    dataset of four or more counterparties has each case.
    """
    rng = random.Random(seed)  # noqa: S311  (deterministic test data, not secrets)
    data = Dataset()
    number_seq = 0
    for index in range(counterparties):
        form = _FORMS[index % len(_FORMS)]
        person = form == "ИП"
        name = (
            f"ИП {rng.choice(_SURNAMES)}"
            if person
            else f'{form} "{_WORDS[(index + seed) % len(_WORDS)]}"'
            + (f" {index // len(_WORDS) + 1}" if index >= len(_WORDS) else "")
        )
        inn = _inn12(rng) if person else _inn10(rng)
        party = FakeCounterparty(
            guid=_guid(rng),
            name=name,
            inn=inn,
            kpp=None if person else f"{inn[:4]}01001",
            deleted=False,
            changed_at=BASE_DATE + timedelta(minutes=index * 7 + rng.randint(0, 5)),
        )
        data.counterparties[party.guid] = party
        for _ in range(documents):
            number_seq += 1
            doc = make_document(rng, party.guid, number_seq, with_lines=with_lines)
            data.documents[doc.guid] = doc
        case = index % 4
        limit = None if case == 3 else Decimal(rng.randint(1, 20) * 100_000)
        base = limit if limit is not None else Decimal(1_000_000)
        used = {
            0: base * Decimal("0.4"),
            1: base * Decimal("1.15"),
            2: base * Decimal("0.8"),
            3: base * Decimal("0.3"),
        }[case].quantize(Decimal("0.01"))
        overdue = (
            (used * Decimal("0.25")).quantize(Decimal("0.01")) if case in (1, 2) else Decimal(0)
        )
        data.credit[party.guid] = FakeCredit(
            counterparty=party.guid,
            limit=limit,
            used=used,
            overdue_amount=overdue,
            overdue_since=(AS_OF - timedelta(days=10 + index)).replace(hour=0) if overdue else None,
            currency="RUB",
            as_of=AS_OF,
        )
    return data
