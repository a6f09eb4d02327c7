"""Bitrix orders → the local order index (``store.index_orders``), and company links by ИНН.

**Feed.** ``sale.order.list`` with ``>=dateUpdate`` from ``cursor − look_back`` (every order
with ``config.full`` or on the first run), keyset-paged by ID. Bitrix stores dates to the whole
second, so ``>=`` with a look-back re-reads the boundary second; re-reading is harmless because
the index is keyed by order ID (orders are de-duplicated within a run, and across runs by the
index itself). The cursor (``("orders", "")``) is the newest ``dateUpdate`` read, Bitrix's own
clock, saved when the whole run went through; ``ctx.stop`` is honoured between units of 500
orders, after the unit is indexed — a stopped run moves no cursor (pages come by ID, not by
date) and the next run re-reads from the old one.

**Per unit of 500 orders**, in one batch request plus follow-up pages: the orders' property
values for ``B2B_COMPANY_ID``, the ИНН codes (``config.inn_property_codes``) and КПП; their basket
items (``name``, ``productXmlId``); and, when ``config.article_property_codes`` is not empty,
the basket items' article properties. Indexed per order: ID, account number, company (the
``B2B_COMPANY_ID`` value, a ``b2b_companies`` row ID), status, insert/update dates, price,
currency, buyer, responsible manager, cancelled flag, articles (``productXmlId`` + article
properties) and product names.

**Linking by ИНН** (``config.link_orders_by_inn``): an order of a payer type that has the
``B2B_COMPANY_ID`` property, without a value there, whose ИНН property equals a company's
``UF_INN`` (read from ``b2b_companies``; КПП, then the active flag, decide between branches
sharing an ИНН) gets the value written — read-modify-write of the whole value set
(:mod:`._link`), so the buyer's other values survive. That is how a buyer finds their company's
orders from before the cabinet existed. A link that Bitrix rejects quarantines the order (feed
``orders``, key = order ID); a transient failure keeps the cursor for the next run.
``config.company`` is not applied: the index covers every order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import structlog

from bitrix_client import BitrixError, FatalError

from ._context import JobContext
from ._errors import JobFailed, fate
from ._frame import run_job
from ._hl import COMPANIES
from ._link import Link, link_orders
from ._lists import Query, chunks, list_many
from ._ports import IndexedOrder, JobResult
from ._streams import closing
from ._values import one_line, parse_datetime, to_decimal, to_int

log = structlog.get_logger()

FEED = "orders"
UNIT = 500
KPP_CODES = ("KPP", "COMPANY_KPP")
SELECT = (
    "id",
    "accountNumber",
    "statusId",
    "dateInsert",
    "dateUpdate",
    "price",
    "currency",
    "userId",
    "responsibleId",
    "canceled",
    "personTypeId",
)


@dataclass(frozen=True)
class _Company:
    id: int
    kpp: str
    active: bool


async def sync_orders(ctx: JobContext) -> JobResult:
    return await run_job("orders", ctx, _Run, full=ctx.config.full)


class _Run:
    def __init__(self, ctx: JobContext, result: JobResult) -> None:
        self.ctx = ctx
        self.result = result
        self.cfg = ctx.config
        self.store = ctx.store
        self.company_code = self.cfg.company_property_code.upper()
        self.inn_codes = tuple(c.upper() for c in self.cfg.inn_property_codes)
        self.article_codes = tuple(c.upper() for c in self.cfg.article_property_codes)
        self.company_props: dict[int, int] = {}
        self.by_inn: dict[str, list[_Company]] = {}
        self.newest: datetime | None = None
        self.failure: str | None = None

    async def execute(self) -> None:
        if self.cfg.company:
            self.result.notes["company"] = "not applied: the order index covers every order"
        cursor = None if self.cfg.full else self.store.cursor(FEED, "")
        since = None if cursor is None else cursor - self.cfg.look_back
        self.ctx.progress.stage("orders")
        try:
            self.company_props = await self._company_props()
            if self.cfg.link_orders_by_inn:
                self.by_inn = await self._companies_by_inn()
            flt = {">=dateUpdate": since} if since is not None else {}
            unit: dict[int, dict[str, Any]] = {}
            async with closing(self.ctx.bitrix.sale.orders(flt, SELECT)) as stream:
                async for row in stream:
                    order_id = to_int(row.get("id"))
                    if order_id is None:
                        continue
                    unit[order_id] = row
                    if len(unit) >= UNIT:
                        await self._unit(unit)
                        unit = {}
                        if self.ctx.stop.is_set():
                            self.result.stopped = True
                            break
            if not self.result.stopped:
                await self._unit(unit)
        except FatalError as exc:
            raise JobFailed(f"orders: {one_line(exc)}") from exc
        except BitrixError as exc:
            self.failure = self.failure or one_line(exc)
        if self.failure is not None:
            self.result.errors.append(f"orders: {self.failure}")
            return
        if self.result.stopped:
            return
        newest = self.newest if cursor is None or self.newest is None else max(cursor, self.newest)
        if newest is not None and newest != cursor:
            self.store.set_cursor(FEED, "", newest)

    async def _company_props(self) -> dict[int, int]:
        """Payer type → its ``B2B_COMPANY_ID`` property (the lowest ID if duplicated)."""
        out: dict[int, int] = {}
        for prop in await self.ctx.bitrix.sale.properties({"code": self.cfg.company_property_code}):
            type_id, prop_id = to_int(prop.get("personTypeId")), to_int(prop.get("id"))
            if str(prop.get("code") or "").upper() != self.company_code:
                continue
            if type_id is not None and prop_id is not None:
                out[type_id] = min(prop_id, out.get(type_id, prop_id))
        return out

    async def _companies_by_inn(self) -> dict[str, list[_Company]]:
        out: dict[str, list[_Company]] = {}
        rows = self.ctx.bitrix.bridge.items(
            COMPANIES, select=["ID", "UF_INN", "UF_KPP", "UF_ACTIVE"]
        )
        async with closing(rows) as stream:
            async for row in stream:
                inn = str(row.get("UF_INN") or "").strip()
                row_id = to_int(row.get("ID"))
                if inn and row_id is not None:
                    company = _Company(
                        row_id, str(row.get("UF_KPP") or "").strip(), row.get("UF_ACTIVE") != 0
                    )
                    out.setdefault(inn, []).append(company)
        return out

    async def _unit(self, orders: dict[int, dict[str, Any]]) -> None:
        if not orders:
            return
        ids = sorted(orders)
        codes = [self.company_code, *self.inn_codes, *KPP_CODES]
        queries: list[Query] = []
        for part in chunks(ids):
            queries.append(
                Query(
                    "sale.propertyvalue.list",
                    {
                        "filter": {"@orderId": list(part), "@code": codes},
                        "select": ["id", "orderId", "orderPropsId", "code", "value"],
                    },
                    "propertyValues",
                )
            )
            queries.append(
                Query(
                    "sale.basketitem.list",
                    {
                        "filter": {"@orderId": list(part)},
                        "select": ["id", "orderId", "name", "productXmlId"],
                    },
                    "basketItems",
                )
            )
        answers = await list_many(self.ctx.bitrix, queries)
        values: dict[int, dict[str, Any]] = {}
        items: dict[int, list[dict[str, Any]]] = {}
        for index, rows in enumerate(answers):
            for row in rows:
                order_id = to_int(row.get("orderId"))
                if order_id is None:
                    continue
                if index % 2 == 0:
                    code = str(row.get("code") or "").upper()
                    if row.get("value") not in (None, ""):
                        values.setdefault(order_id, {}).setdefault(code, row.get("value"))
                else:
                    items.setdefault(order_id, []).append(row)
        articles = await self._article_properties(items)
        companies, linked = await self._link(orders, values)
        if linked:
            # writing the link saved the order: its dateUpdate moved; index what Bitrix has now
            for row in await self.ctx.bitrix.sale.orders_by_ids(sorted(linked), SELECT):
                order_id = to_int(row.get("id"))
                if order_id in orders:
                    orders[order_id] = row
        indexed: list[IndexedOrder] = []
        for order_id in ids:
            made = self._indexed(orders[order_id], companies.get(order_id), items, articles)
            if made is None:
                reason = "no readable dateInsert/dateUpdate"
                self.store.quarantine(FEED, str(order_id), reason, orders[order_id])
                self.result.add("quarantined")
                continue
            indexed.append(made)
        self.store.index_orders(indexed)
        self.result.add("indexed", len(indexed))
        for order in indexed:
            if order.company_id is not None:
                self.result.add("with_company")
            if self.newest is None or order.date_update > self.newest:
                self.newest = order.date_update
        self.ctx.progress.advance(len(indexed))

    async def _article_properties(
        self, items: dict[int, list[dict[str, Any]]]
    ) -> dict[int, list[str]]:
        if not self.article_codes:
            return {}
        basket_ids = sorted(
            i for rows in items.values() for row in rows if (i := to_int(row.get("id")))
        )
        queries = [
            Query(
                "sale.basketproperties.list",
                {
                    "filter": {"@basketId": list(part), "@code": list(self.article_codes)},
                    "select": ["id", "basketId", "code", "value"],
                },
                "basketProperties",
            )
            for part in chunks(basket_ids)
        ]
        out: dict[int, list[str]] = {}
        for rows in await list_many(self.ctx.bitrix, queries):
            for row in rows:
                basket_id = to_int(row.get("basketId"))
                value = str(row.get("value") or "").strip()
                if basket_id is not None and value:
                    out.setdefault(basket_id, []).append(value)
        return out

    def _match(self, values: dict[str, Any]) -> _Company | str | None:
        """The company whose ИНН the order carries; ``"ambiguous"`` when branches tie."""
        inn = next(
            (str(values[c]).strip() for c in self.inn_codes if str(values.get(c) or "").strip()),
            "",
        )
        candidates = self.by_inn.get(inn, []) if inn else []
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        kpp = next((str(values[c]).strip() for c in KPP_CODES if values.get(c)), "")
        narrowed = [c for c in candidates if kpp and c.kpp == kpp] or candidates
        if len(narrowed) > 1:
            narrowed = [c for c in narrowed if c.active] or narrowed
        return narrowed[0] if len(narrowed) == 1 else "ambiguous"

    async def _link(
        self, orders: dict[int, dict[str, Any]], values: dict[int, dict[str, Any]]
    ) -> tuple[dict[int, int], set[int]]:
        """Company per order (stored or just linked), and the orders linked now."""
        companies: dict[int, int] = {}
        wanted: list[Link] = []
        for order_id, order in orders.items():
            own = values.get(order_id, {})
            company_id = to_int(own.get(self.company_code))
            if company_id is not None:
                companies[order_id] = company_id
                continue
            if not self.cfg.link_orders_by_inn:
                continue
            prop_id = self.company_props.get(to_int(order.get("personTypeId")) or 0)
            if prop_id is None:
                continue
            match = self._match(own)
            if match == "ambiguous":
                self.result.add("link_ambiguous")
            elif isinstance(match, _Company):
                wanted.append(Link(order_id, prop_id, str(match.id)))
        if not wanted:
            return companies, set()
        report = await link_orders(self.ctx.bitrix, wanted)
        for link in report.linked:
            companies[link.order_id] = int(link.value)
        if report.linked:
            self.result.add("linked", len(report.linked))
        for link, error in report.failed:
            what = fate(error)
            reason = one_line(error)
            if what == "skip":
                self.store.quarantine(
                    FEED,
                    str(link.order_id),
                    f"linking to company {link.value}: {reason}",
                    orders[link.order_id],
                )
                self.result.add("quarantined")
            elif what == "fatal":
                raise JobFailed(f"linking order {link.order_id}: {reason}") from error
            else:
                self.result.add("link_failed")
                self.failure = self.failure or f"linking order {link.order_id}: {reason}"
        if report.linked:
            self.store.clear_quarantine(FEED, [str(link.order_id) for link in report.linked])
        return companies, {link.order_id for link in report.linked}

    def _indexed(
        self,
        order: dict[str, Any],
        company_id: int | None,
        items: dict[int, list[dict[str, Any]]],
        articles: dict[int, list[str]],
    ) -> IndexedOrder | None:
        found: list[str] = []
        names: list[str] = []
        for item in items.get(int(order["id"]), []):
            xml_id = str(item.get("productXmlId") or "").strip()
            if xml_id:
                found.append(xml_id)
            found.extend(articles.get(to_int(item.get("id")) or 0, []))
            name = str(item.get("name") or "").strip()
            if name:
                names.append(name)
        inserted = parse_datetime(order.get("dateInsert"))
        updated = parse_datetime(order.get("dateUpdate")) or inserted
        if inserted is None or updated is None:
            return None
        return IndexedOrder(
            order_id=int(order["id"]),
            account_number=str(order.get("accountNumber") or order["id"]),
            company_id=company_id,
            status_id=str(order.get("statusId") or ""),
            date_insert=inserted,
            date_update=updated,
            price=to_decimal(order.get("price")) or Decimal(0),
            currency=str(order.get("currency") or ""),
            user_id=to_int(order.get("userId")),
            responsible_id=to_int(order.get("responsibleId")),
            canceled=str(order.get("canceled") or "N").upper() == "Y",
            articles=tuple(dict.fromkeys(found)),
            product_names=tuple(dict.fromkeys(names)),
        )
