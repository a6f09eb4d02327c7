"""A realistic store as it looks *before* b2bsync is installed, written straight into the state.

Two payer types (individual, legal) with the usual order properties (the legal one carries ИНН,
КПП and the company name), the system statuses only, customers with e-mails (company employees
among them), and ``orders`` orders over the last six months, oldest first, with 1–5 items of a
hardware catalogue each. Completed orders are paid and shipped (no reservations), fresh ones
wait in N with their goods reserved, a few are cancelled. Everything comes from
``random.Random(seed)`` and ``site.now()``, so a fixed clock gives the same store every time;
100,000 orders take a few seconds (rows are built from templates, not through REST).
"""

from __future__ import annotations

import gc
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ._sale_state import ITEM_DEFAULTS, ORDER_DEFAULTS, RESERVE_DAYS, Row, SaleState, stamp
from ._site import FakeSite, FakeUser

HISTORY_DAYS = 180
PRODUCTS: tuple[tuple[str, float], ...] = (
    ("Болт М10×60 оцинкованный", 9.8),
    ("Гайка М10 DIN 934", 2.4),
    ("Шайба плоская 10 мм", 0.9),
    ("Саморез по дереву 3,5×35", 0.45),
    ("Саморез кровельный 4,8×35", 1.6),
    ("Дюбель-гвоздь 6×60", 2.1),
    ("Анкерный болт 12×100", 38.0),
    ("Шпилька резьбовая М12×1000", 118.0),
    ("Перфолента монтажная 20 мм, 25 м", 240.0),
    ("Уголок крепёжный 50×50", 14.5),
    ("Хомут червячный 20–32 мм", 19.0),
    ("Дрель-шуруповёрт аккумуляторная 18 В", 6490.0),
    ("Перфоратор SDS-plus 800 Вт", 8990.0),
    ("Углошлифовальная машина 125 мм", 4290.0),
    ("Круг отрезной по металлу 125×1,2", 42.0),
    ("Бита PH2 50 мм", 65.0),
    ("Сверло по бетону 8×120", 95.0),
    ("Рулетка измерительная 5 м", 390.0),
    ("Уровень строительный 600 мм", 720.0),
    ("Перчатки рабочие х/б с ПВХ", 38.0),
    ("Пена монтажная профессиональная 750 мл", 560.0),
    ("Герметик силиконовый санитарный 280 мл", 310.0),
    ("Краска фасадная белая 10 л", 3450.0),
    ("Грунтовка глубокого проникновения 10 л", 890.0),
    ("Шпатлёвка финишная 20 кг", 720.0),
    ("Штукатурка гипсовая 30 кг", 495.0),
    ("Профиль направляющий ПН 27×28, 3 м", 98.0),
    ("Гипсокартон влагостойкий 12,5 мм", 520.0),
    ("Кабель ВВГнг-LS 3×2,5, 100 м", 7900.0),
    ("Автоматический выключатель 16 А", 310.0),
    ("Розетка двойная с заземлением", 260.0),
    ("Лента ФУМ 19 мм", 45.0),
    ("Труба ПНД 32 мм, 1 м", 88.0),
    ('Кран шаровой 1/2"', 540.0),
    ("Лестница-стремянка алюминиевая 6 ступеней", 3990.0),
    ("Тачка строительная 100 л", 4590.0),
)
_MALE = ("Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Михаил", "Иван", "Николай")
_FEMALE = ("Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Анна", "Мария", "Светлана")
_SURNAMES = ("Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Новиков", "Морозов")
_LATIN = {
    "Иванов": "ivanov", "Смирнов": "smirnov", "Кузнецов": "kuznetsov", "Попов": "popov",
    "Соколов": "sokolov", "Лебедев": "lebedev", "Новиков": "novikov", "Морозов": "morozov",
}  # fmt: skip
_WORDS = (
    "Альфа",
    "Север",
    "Строй",
    "Техно",
    "Урал",
    "Вектор",
    "Монолит",
    "Гранит",
    "Профи",
    "Регион",
)
_KINDS = ("Строй", "Монтаж", "Снаб", "Торг", "Сервис", "Комплект")
_CITIES = ("Москва", "Санкт-Петербург", "Екатеринбург", "Казань", "Нижний Новгород", "Самара")
_STREETS = ("ул. Ленина", "ул. Садовая", "пр-т Мира", "ул. Промышленная", "ш. Энтузиастов")
PropSpec = tuple[str, str, int, dict[str, str]]
_INDIVIDUAL_PROPS: tuple[PropSpec, ...] = (
    ("FIO", "Ф.И.О.", 1, {"isProfileName": "Y", "isPayer": "Y", "required": "Y"}),
    ("EMAIL", "E-Mail", 1, {"isEmail": "Y", "required": "Y", "userProps": "Y"}),
    ("PHONE", "Телефон", 1, {"isPhone": "Y", "required": "Y", "userProps": "Y"}),
    ("CITY", "Город", 2, {}),
    ("ADDRESS", "Адрес доставки", 2, {"isAddress": "Y"}),
)
_LEGAL_PROPS: tuple[PropSpec, ...] = (
    ("COMPANY", "Название компании", 3, {"isProfileName": "Y", "required": "Y"}),
    ("COMPANY_ADR", "Юридический адрес", 3, {}),
    ("INN", "ИНН", 3, {"required": "Y"}),
    ("KPP", "КПП", 3, {}),
    ("CONTACT_PERSON", "Контактное лицо", 4, {"isPayer": "Y"}),
    ("EMAIL", "E-Mail", 4, {"isEmail": "Y", "required": "Y"}),
    ("PHONE", "Телефон", 4, {"isPhone": "Y"}),
    ("ADDRESS", "Адрес доставки", 4, {"isAddress": "Y"}),
)


@dataclass(frozen=True)
class Company:
    name: str
    inn: str
    kpp: str
    address: str
    user_ids: tuple[int, ...]


@dataclass
class StoreSeed:
    """What :func:`seed_store` created, for tests and benchmarks to refer to."""

    individual_type: int
    legal_type: int
    properties: dict[tuple[int, str], int] = field(default_factory=dict)
    companies: list[Company] = field(default_factory=list)
    customer_ids: list[int] = field(default_factory=list)
    order_ids: list[int] = field(default_factory=list)


def inn_checksum(digits: str) -> str:
    """The 10-digit ИНН of a legal entity: nine digits plus their control digit."""
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    control = sum(w * int(d) for w, d in zip(weights, digits, strict=True)) % 11 % 10
    return digits + str(control)


def seed_store(
    site: FakeSite, *, orders: int = 1000, companies: int = 50, seed: int = 0
) -> StoreSeed:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    sale = site.sale
    now = site.now()
    out = _catalog(sale, now)
    out.companies = [_company(site, rng, n) for n in range(companies)]
    out.customer_ids = [_person(site, rng)[0] for _ in range(max(10, orders // 25))]
    start = now - timedelta(days=HISTORY_DAYS)
    moments = sorted(
        start + timedelta(seconds=rng.uniform(0, HISTORY_DAYS * 86400)) for _ in range(orders)
    )
    writer = _OrderWriter(site, rng, out, now)
    collecting = gc.isenabled()
    gc.disable()  # millions of small dicts: the cyclic collector would rescan them again and again
    try:
        out.order_ids = [writer.write(moment) for moment in moments]
    finally:
        if collecting:
            gc.enable()
    writer.close()
    return out


def _catalog(sale: SaleState, now: datetime) -> StoreSeed:
    # as the e-shop wizard makes them: no CODE and no XML_ID, only a name tells them apart
    types = (("Физическое лицо", "100"), ("Юридическое лицо", "200"))
    for name, type_sort in types:
        type_id = sale.next_id("personType")
        sale.person_types[type_id] = {
            "active": "Y", "code": None, "id": type_id, "lid": "s1", "name": name,
            "sort": type_sort, "xmlId": "",
        }  # fmt: skip
    groups = (("Личные данные", 1), ("Данные для доставки", 1), ("Данные компании", 2),
              ("Контактная информация", 2))  # fmt: skip
    for position, (name, type_id) in enumerate(groups, start=1):
        group_id = sale.next_id("propertyGroup")
        sale.property_groups[group_id] = {
            "id": group_id, "name": name, "personTypeId": type_id, "sort": position * 100,
        }  # fmt: skip
    out = StoreSeed(individual_type=1, legal_type=2)
    for type_id, props in ((1, _INDIVIDUAL_PROPS), (2, _LEGAL_PROPS)):
        for position, spec in enumerate(props, start=1):
            prop_id = sale.next_id("property")
            sale.properties[prop_id] = _property_row(prop_id, type_id, position, spec)
            sale.properties[prop_id]["xmlId"] = sale.xml_id(now)
            out.properties[(type_id, spec[0])] = prop_id
    return out


def _property_row(prop_id: int, type_id: int, position: int, spec: PropSpec) -> Row:
    code, name, group, flags = spec
    row: Row = {
        "active": "Y", "code": code, "defaultValue": "", "description": "", "id": prop_id,
        "inputFieldLocation": "0", "isAddress": "N", "isAddressFrom": "N", "isAddressTo": "N",
        "isEmail": "N", "isFiltered": "N", "isLocation": "N", "isLocation4tax": "N",
        "isPayer": "N", "isPhone": "N", "isProfileName": "N", "isZip": "N", "multiple": "N",
        "name": name, "personTypeId": type_id, "propsGroupId": group, "required": "N",
        "settings": {"multiline": "N"}, "sort": position * 100, "type": "STRING", "userProps": "N",
        "util": "N", "xmlId": "",
    }  # fmt: skip
    row.update(flags)
    return row


def _person(site: FakeSite, rng: random.Random) -> tuple[int, str, str]:
    female = rng.random() < 0.5
    first = rng.choice(_FEMALE if female else _MALE)
    surname = rng.choice(_SURNAMES)
    last = surname + "а" if female else surname
    user_id = len(site.users) + 1
    while user_id in site.users:
        user_id += 1
    email = f"{_LATIN[surname]}.{user_id}@example.ru"
    site.users[user_id] = FakeUser(
        id=user_id, login=email, email=email, name=first, last_name=last, group_ids=[2, 3, 4]
    )
    return user_id, f"{last} {first}", email


def _company(site: FakeSite, rng: random.Random, n: int) -> Company:
    name = f"ООО «{rng.choice(_WORDS)}{rng.choice(_KINDS)}-{n + 1}»"
    inn = inn_checksum(f"77{rng.randrange(10**7):07d}")
    kpp = f"77{rng.randrange(10**2):02d}01001"
    address = f"г. {rng.choice(_CITIES)}, {rng.choice(_STREETS)}, д. {rng.randrange(1, 120)}"
    users = tuple(_person(site, rng)[0] for _ in range(rng.randint(1, 3)))
    return Company(name, inn, kpp, address, users)


class _OrderWriter:
    """Builds rows from templates with local counters (the shapes ``new_order`` and
    ``add_basket_item`` make); :meth:`close` hands the counters back to the state."""

    def __init__(self, site: FakeSite, rng: random.Random, seed: StoreSeed, now: datetime) -> None:
        self.site, self.sale, self.rng, self.seed = site, site.sale, rng, seed
        self.now = stamp(now)
        self.fresh = now - timedelta(days=14)
        counters = self.sale.counters
        self.order_id = counters.get("order", 0)
        self.item_id = counters.get("basket", 0)
        self.reservation_id = counters.get("reservation", 0)
        self.value_id = counters.get("propertyValue", 0)
        self.uniqid = self.sale.last_uniqid
        self.props = {
            key: (prop_id, self.sale.properties[prop_id])
            for key, prop_id in seed.properties.items()
        }
        self.addresses = [
            f"г. {rng.choice(_CITIES)}, {rng.choice(_STREETS)}, д. {rng.randrange(1, 200)}"
            for _ in range(257)
        ]
        self.people = {u.id: (f"{u.last_name} {u.name}", u.email) for u in site.users.values()}

    def close(self) -> None:
        counters = self.sale.counters
        counters.update(
            order=self.order_id, basket=self.item_id, reservation=self.reservation_id,
            propertyValue=self.value_id,
        )  # fmt: skip
        self.sale.last_uniqid = self.uniqid

    def xml_id(self, seconds: int) -> str:
        """``bx_`` + ``uniqid()`` of a write at ``seconds``, kept increasing."""
        self.uniqid = max(seconds * 1_000_000, self.uniqid + 1)
        whole, micros = divmod(self.uniqid, 1_000_000)
        return f"bx_{whole:08x}{micros:05x}"

    def write(self, moment: datetime) -> int:
        sale, rng, seed = self.sale, self.rng, self.seed
        inserted = moment.astimezone(self.site.tz).replace(microsecond=0)
        seconds = int(inserted.timestamp())
        company = rng.choice(seed.companies) if seed.companies and rng.random() < 0.6 else None
        user_id = rng.choice(company.user_ids) if company else rng.choice(seed.customer_ids)
        status, canceled = self._status(inserted)
        settled = min(inserted + timedelta(hours=rng.randint(1, 96)), self.now)
        done = status == "F"
        self.order_id += 1
        order_id = self.order_id
        order: Row = dict(ORDER_DEFAULTS)
        order.update(
            id=order_id, accountNumber=str(order_id),
            personTypeId=seed.legal_type if company else seed.individual_type,
            personTypeXmlId="", userId=user_id,
            responsibleId=1, statusId=status, dateInsert=inserted,
            dateStatus=settled if done else inserted, empStatusId=1 if done else None,
            payed="Y" if done else "N", deducted="Y" if done else "N",
            xmlId=self.xml_id(seconds),
        )  # fmt: skip
        if canceled:
            order.update(canceled="Y", dateCanceled=settled, empCanceledId=1,
                         reasonCanceled="Отменён покупателем")  # fmt: skip
        sale.orders[order_id] = order
        reserve = status == "N" and not canceled
        total, count = self._items(order_id, user_id, inserted, seconds, reserve=reserve)
        order["price"] = round(total, 2)
        order["version"] = count + 1 + (1 if done or canceled else 0)
        order["dateUpdate"] = settled if done or canceled else inserted
        self._values(order_id, company, user_id)
        return order_id

    def _status(self, inserted: datetime) -> tuple[str, bool]:
        roll = self.rng.random()
        if inserted >= self.fresh:
            return ("N", roll < 0.03)
        if roll < 0.05:
            return ("N", True)
        return ("F", False) if roll < 0.92 else ("N", False)

    def _items(
        self, order_id: int, user_id: int, inserted: datetime, seconds: int, *, reserve: bool
    ) -> tuple[float, int]:
        sale, rnd = self.sale, self.rng.random
        ids: list[int] = []
        total = 0.0
        end = datetime.combine(
            inserted.date() + timedelta(days=RESERVE_DAYS), datetime.min.time(), inserted.tzinfo
        )
        for index in self.rng.sample(range(len(PRODUCTS)), 1 + int(rnd() * 5)):
            name, price = PRODUCTS[index]
            quantity = float(1 + int(rnd() * 10))
            total += price * quantity
            self.item_id += 1
            item_id = self.item_id
            item: Row = dict(ITEM_DEFAULTS)
            item.update(
                id=item_id, orderId=order_id, fuserId=user_id, name=name, price=price,
                quantity=quantity, productId=1001 + index, productXmlId=f"ART-{1001 + index}",
                dateInsert=inserted, dateUpdate=inserted, xmlId=self.xml_id(seconds),
            )  # fmt: skip
            if reserve:
                self.reservation_id += 1
                sale.reservations[self.reservation_id] = {
                    "basketId": item_id, "dateReserve": inserted, "dateReserveEnd": end,
                    "id": self.reservation_id, "quantity": quantity, "reservedBy": None,
                    "storeId": 0,
                }  # fmt: skip
                item["reservationId"] = self.reservation_id
            sale.basket_items[item_id] = item
            ids.append(item_id)
        sale.order_items[order_id] = ids
        return total, len(ids)

    def _values(self, order_id: int, company: Company | None, user_id: int) -> None:
        rnd = self.rng.random
        person, email = self.people[user_id]
        phone = f"+7 9{int(rnd() * 1e9):09d}"
        address = self.addresses[int(rnd() * len(self.addresses))]
        values: tuple[tuple[str, Any], ...]
        if company is not None:
            type_id = self.seed.legal_type
            values = (
                ("COMPANY", company.name), ("COMPANY_ADR", company.address), ("INN", company.inn),
                ("KPP", company.kpp if rnd() < 0.9 else None), ("CONTACT_PERSON", person),
                ("EMAIL", email), ("PHONE", phone), ("ADDRESS", address),
            )  # fmt: skip
        else:
            type_id = self.seed.individual_type
            city = address[3 : address.index(",")]
            values = (("FIO", person), ("EMAIL", email), ("PHONE", phone), ("CITY", city),
                      ("ADDRESS", address))  # fmt: skip
        rows: list[int] = []
        store = self.sale.property_values
        for code, value in values:
            if value is None:
                continue
            prop_id, prop = self.props[(type_id, code)]
            self.value_id += 1
            store[self.value_id] = {
                "code": code, "id": self.value_id, "name": prop["name"], "orderId": order_id,
                "orderPropsId": prop_id, "orderPropsXmlId": prop["xmlId"], "value": value,
            }  # fmt: skip
            rows.append(self.value_id)
        self.sale.order_values[order_id] = rows
