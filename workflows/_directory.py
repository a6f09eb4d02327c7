"""What the policies look up on the site: members, companies, users, orders, status names.

A :class:`Directory` lives for one poll (or one download): every lookup is made once, in
batches (50 ids a command, every command of a lookup in one ``batch``), and remembered until
the poll ends — a change made between two polls is seen by the next one. Roles and document
types are enumeration item IDs on the site, read back as their ``XML_ID`` (``owner`` …) from the
field's list; an item's ID never changes, so that mapping may be shared between directories
(``enums``) and is read again only when a row names an ID it does not hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import structlog

from bitrix_client import AccessDeniedError, BitrixClient, Command, NotFoundError

from ._values import as_id
from .notifications import Recipient
from .roles import Capability, Role, can

COMPANIES = "B2bCompanies"
MEMBERS = "B2bCompanyUsers"
DOCUMENTS = "B2bDocuments"
FOLLOWERS = "B2bOrderFollowers"
COMPANY_PROPERTY = "B2B_COMPANY_ID"
CHUNK = 50

log = structlog.get_logger("workflows")


def _rows(result: Any, key: str | None = None) -> list[dict[str, Any]]:
    if key and isinstance(result, dict):
        result = result.get(key, [])
    if isinstance(result, dict):
        result = list(result.values())
    return [r for r in result if isinstance(r, dict)] if isinstance(result, list) else []


def _chunks(values: Sequence[int]) -> list[Sequence[int]]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


@dataclass(frozen=True)
class Member:
    company_id: int
    user_id: int
    role: str
    active: bool

    def may(self, capability: Capability) -> bool:
        return self.active and can(self.role, capability)


@dataclass(frozen=True)
class Company:
    id: int
    name: str
    manager_id: int | None
    xml_id: str = ""


@dataclass(frozen=True)
class Order:
    id: int
    number: str
    user_id: int | None
    company_id: int | None
    date: datetime | None
    price: Decimal | None
    currency: str
    status: str = ""
    canceled: bool = False
    date_status: datetime | None = None


@dataclass(frozen=True)
class BasketLine:
    name: str
    quantity: Decimal | None
    price: Decimal | None
    measure: str


class Directory:
    def __init__(
        self,
        bitrix: BitrixClient,
        *,
        default_language: str = "ru",
        languages: Iterable[str] = (),
        enums: dict[tuple[str, str], dict[int, str]] | None = None,
    ) -> None:
        self.bitrix = bitrix
        self.default_language = default_language
        # a set passed in is shared (filled in place): the site's languages for many directories
        self._languages = languages if isinstance(languages, set) else set(languages)
        self._members: dict[int, list[Member]] = {}
        self._companies: dict[int, Company | None] = {}
        self._users: dict[int, Recipient | None] = {}
        self._orders: dict[int, Order | None] = {}
        self._groups: dict[int, frozenset[int]] = {}
        self._followers: dict[int, list[int]] = {}
        self._enums = enums if enums is not None else {}
        self._statuses: dict[str, dict[str, str]] = {}

    async def _batch(self, commands: Sequence[Command]) -> list[Any]:
        if not commands:
            return []
        return [item.unwrap() for item in await self.bitrix.batch(commands)]

    # members
    async def enum_codes(
        self, block: str, field: str, *, need: int | None = None
    ) -> dict[int, str]:
        """An enumeration field's item IDs → their ``XML_ID``s (empty when the block or the
        field is missing); read again when ``need`` is an ID the known mapping lacks."""
        key = (block, field)
        if key not in self._enums or (need is not None and need not in self._enums[key]):
            found = await self.bitrix.bridge.hlblock_get(block)
            codes: dict[int, str] = {}
            if found is not None:
                for spec in await self.bitrix.bridge.fields(int(found["ID"])):
                    if spec.get("FIELD_NAME") == field:
                        for item in spec.get("LIST") or []:
                            if isinstance(item, dict) and (number := as_id(item.get("ID"))):
                                codes[number] = str(item.get("XML_ID") or "")
            self._enums[key] = codes
        return self._enums[key]

    async def members(self, company_ids: Iterable[int]) -> dict[int, list[Member]]:
        """Every membership row (active or not) of these companies."""
        wanted = sorted({c for c in company_ids if c not in self._members})
        if wanted:
            roles = await self.enum_codes(MEMBERS, "UF_ROLE")
            for number in wanted:
                self._members[number] = []
            for rows in await self._lists(MEMBERS, "UF_COMPANY_ID", wanted):
                for row in rows:
                    company, user = as_id(row.get("UF_COMPANY_ID")), as_id(row.get("UF_USER_ID"))
                    if company is None or user is None:
                        continue
                    role_id = as_id(row.get("UF_ROLE")) or 0
                    if role_id not in roles:
                        roles = await self.enum_codes(MEMBERS, "UF_ROLE", need=role_id)
                    role = roles.get(role_id, "")
                    active = str(row.get("UF_ACTIVE")) in ("1", "True", "true", "Y")
                    self._members.setdefault(company, []).append(
                        Member(company, user, role, active)
                    )
        return {c: self._members.get(c, []) for c in company_ids}

    async def holders(self, company_id: int, capability: Capability) -> list[Member]:
        """Active members whose role grants ``capability``, by user id."""
        found = (await self.members([company_id]))[company_id]
        return sorted((m for m in found if m.may(capability)), key=lambda m: m.user_id)

    async def with_roles(self, company_id: int, roles: Iterable[Role]) -> list[Member]:
        wanted = {r.value for r in roles}
        found = (await self.members([company_id]))[company_id]
        return sorted((m for m in found if m.active and m.role in wanted), key=lambda m: m.user_id)

    async def membership(self, company_id: int, user_id: int) -> Member | None:
        found = (await self.members([company_id]))[company_id]
        return next((m for m in found if m.user_id == user_id), None)

    async def _lists(
        self, block: str, field: str, ids: Sequence[int]
    ) -> list[list[dict[str, Any]]]:
        """Every row whose ``field`` is one of ``ids`` (first pages in one batch, then the
        rest page by page: memberships and companies are a handful of rows per id)."""
        commands = [
            Command("b2bsync.item.list", {"HLBLOCK": block, "filter": {f"@{field}": list(part)}})
            for part in _chunks(ids)
        ]
        out: list[list[dict[str, Any]]] = []
        for command, item in zip(commands, await self.bitrix.batch(commands), strict=True):
            rows = _rows(item.unwrap())
            if item.next is not None:
                params = dict(command.params)
                params.pop("start", None)
                rest = self.bitrix.bridge.items(block, params["filter"])
                rows = [row async for row in rest]
            out.append(rows)
        return out

    # companies
    async def companies(self, ids: Iterable[int]) -> dict[int, Company | None]:
        wanted = sorted({i for i in ids if i not in self._companies})
        if wanted:
            for missing in wanted:
                self._companies[missing] = None
            for rows in await self._lists(COMPANIES, "ID", wanted):
                for row in rows:
                    number = as_id(row.get("ID"))
                    if number is not None:
                        self._companies[number] = Company(
                            number,
                            str(row.get("UF_NAME") or ""),
                            as_id(row.get("UF_MANAGER_ID")),
                            str(row.get("UF_XML_ID") or ""),
                        )
        return {i: self._companies.get(i) for i in ids}

    async def company(self, company_id: int) -> Company | None:
        return (await self.companies([company_id]))[company_id]

    # users
    async def languages(self) -> set[str]:
        if not self._languages:
            info = await self.bitrix.bridge.info()
            self._languages.update(str(lang) for lang in info.get("LANGUAGES") or [])
        return self._languages

    async def recipients(self, user_ids: Iterable[int]) -> dict[int, Recipient | None]:
        """Site users as recipients: e-mail, name, and their language when the site has it
        (else :attr:`default_language`); inactive or unknown users are ``None``."""
        wanted = sorted({u for u in user_ids if u not in self._users})
        if wanted:
            languages = await self.languages()
            for user in wanted:
                self._users[user] = None
            commands = [
                Command("b2bsync.recipient.list", {"IDS": list(part)}) for part in _chunks(wanted)
            ]
            for result in await self._batch(commands):
                for row in _rows(result):
                    number = as_id(row.get("ID"))
                    if number is None:
                        continue
                    groups = row.get("GROUP_IDS")
                    if isinstance(groups, list):
                        self._groups[number] = frozenset(
                            g for item in groups if (g := as_id(item)) is not None
                        )
                    if row.get("ACTIVE") != "Y":
                        continue
                    language = str(row.get("LANGUAGE_ID") or "")
                    if language not in languages:
                        language = self.default_language
                    name = " ".join(
                        part for part in (row.get("NAME"), row.get("LAST_NAME")) if part
                    ).strip()
                    email = str(row.get("EMAIL") or "")
                    self._users[number] = Recipient(number, email, name or email, language)
        return {u: self._users.get(u) for u in user_ids}

    async def recipient(self, user_id: int) -> Recipient | None:
        return (await self.recipients([user_id]))[user_id]

    async def groups(self, user_ids: Iterable[int]) -> dict[int, frozenset[int]]:
        """The site groups of users (``GROUP_IDS`` of ``b2bsync.recipient.list``: explicit,
        active memberships); empty for unknown users and for a bridge that does not report
        them."""
        wanted = list(user_ids)
        await self.recipients(wanted)
        return {u: self._groups.get(u, frozenset()) for u in wanted}

    async def followers(self, order_ids: Iterable[int]) -> dict[int, list[int]]:
        """Users who asked to follow these orders (``b2b_order_followers``, written by the
        cabinet's order page), by user id."""
        wanted = sorted({o for o in order_ids if o not in self._followers})
        if wanted:
            for number in wanted:
                self._followers[number] = []
            try:
                found = await self._lists(FOLLOWERS, "UF_ORDER_ID", wanted)
            except (NotFoundError, AccessDeniedError) as exc:  # an older schema: no followers
                log.warning("directory.followers_unavailable", error=" ".join(str(exc).split()))
                found = []
            for rows in found:
                for row in rows:
                    order, user = as_id(row.get("UF_ORDER_ID")), as_id(row.get("UF_USER_ID"))
                    if order is not None and user is not None:
                        self._followers.setdefault(order, []).append(user)
        return {o: sorted(set(self._followers.get(o, []))) for o in order_ids}

    # orders
    async def orders(self, ids: Iterable[int]) -> dict[int, Order | None]:
        """Orders with their company (the ``B2B_COMPANY_ID`` property value)."""
        wanted = sorted({i for i in ids if i not in self._orders})
        if wanted:
            for missing in wanted:
                self._orders[missing] = None
            select = [
                "id",
                "accountNumber",
                "userId",
                "dateInsert",
                "price",
                "currency",
                "statusId",
                "canceled",
                "dateStatus",
            ]
            commands = []
            for part in _chunks(wanted):
                commands.append(
                    Command(
                        "sale.order.list",
                        {"filter": {"@id": list(part)}, "select": select, "start": -1},
                    )
                )
                commands.append(
                    Command(
                        "sale.propertyvalue.list",
                        {
                            "filter": {"@orderId": list(part), "code": COMPANY_PROPERTY},
                            "select": ["orderId", "value"],
                            "start": -1,
                        },
                    )
                )
            results = await self._batch(commands)
            companies: dict[int, int] = {}
            for result in results[1::2]:
                for row in _rows(result, "propertyValues"):
                    order_id, company_id = as_id(row.get("orderId")), as_id(row.get("value"))
                    if order_id is not None and company_id is not None:
                        companies[order_id] = company_id
            for result in results[0::2]:
                for row in _rows(result, "orders"):
                    number = as_id(row.get("id"))
                    if number is None:
                        continue
                    self._orders[number] = Order(
                        number,
                        str(row.get("accountNumber") or number),
                        as_id(row.get("userId")),
                        companies.get(number),
                        _datetime(row.get("dateInsert")),
                        _decimal(row.get("price")),
                        str(row.get("currency") or ""),
                        str(row.get("statusId") or ""),
                        row.get("canceled") == "Y",
                        _datetime(row.get("dateStatus")),
                    )
        return {i: self._orders.get(i) for i in ids}

    async def order(self, order_id: int) -> Order | None:
        return (await self.orders([order_id]))[order_id]

    async def orders_in(self, status: str) -> list[Order]:
        """Every order now in ``status`` (keyset pages of ``sale.order.list``, then the orders
        with their company in one batch), by id."""
        ids = [
            number
            async for row in self.bitrix.sale.orders(
                {"statusId": status}, ["id"], count_first=False
            )
            if (number := as_id(row.get("id"))) is not None
        ]
        self._orders = {k: v for k, v in self._orders.items() if k not in set(ids)}
        found = await self.orders(ids)
        return [o for o in found.values() if o is not None and o.status == status]

    async def basket(self, order_id: int, limit: int = 50) -> list[BasketLine]:
        """The order's basket lines (the first ``limit``), as the buyer sees them."""
        answer = await self.bitrix.call(
            "sale.basketitem.list",
            {
                "filter": {"orderId": order_id},
                "select": ["name", "quantity", "price", "measureName"],
                "order": {"sort": "ASC", "id": "ASC"},
            },
        )
        return [
            BasketLine(
                str(row.get("name") or ""),
                _decimal(row.get("quantity")),
                _decimal(row.get("price")),
                str(row.get("measureName") or ""),
            )
            for row in _rows(answer.result, "basketItems")[:limit]
        ]

    async def status_names(self, language: str) -> dict[str, str]:
        """Order status names in ``language`` (id → name)."""
        if language not in self._statuses:
            rows = await self.bitrix.sale.status_langs()
            names = {
                str(r.get("statusId")): str(r.get("name") or "")
                for r in rows
                if r.get("lid") == language
            }
            self._statuses[language] = names
        return self._statuses[language]


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _decimal(value: Any) -> Decimal | None:
    try:
        return None if value in (None, "") else Decimal(str(value))
    except InvalidOperation:
        return None


__all__ = ["BasketLine", "Company", "Directory", "Member", "Order"]
