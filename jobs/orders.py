"""Bitrix orders → the local order index (``store.index_orders``), and company links by ИНН.

**Feed.** ``sale.order.list`` with ``>=dateUpdate`` from ``cursor − look_back`` (every order
with ``config.full`` or on the first run), keyset-paged by ID. Bitrix stores dates to the whole
second, so ``>=`` with a look-back re-reads the boundary second; re-reading is harmless because
the index is keyed by order ID (orders are de-duplicated within a run, and across runs by the
index itself). The cursor (``("orders", "")``) is the newest ``dateUpdate`` read, Bitrix's own
clock, saved when the whole run went through. After each unit of 500 orders is indexed (and
linked), the point where the pass would resume is saved (:mod:`._resume`); ``ctx.stop`` is
honoured right after, so a stopped run — SIGTERM, Ctrl-C, or an error mid-way — is finished by
the next run from its last confirmed unit instead of starting over (pages come by ID, so the
resume point is an order ID, with the pass's ``since``). The first page's ``total`` opens the
progress stage, so a terminal shows a total and an ETA.

**Per unit of 500 orders**, in one batch request plus follow-up pages: the orders' property
values for ``B2B_COMPANY_ID``, the ИНН codes (``config.inn_property_codes``) and КПП; their basket
items (``name``, ``productXmlId``); and, when ``config.article_property_codes`` is not empty,
the basket items' article properties. Indexed per order: ID, account number, company (the
``B2B_COMPANY_ID`` value, a ``b2b_companies`` row ID), status, insert/update dates, price,
currency, buyer, responsible manager, cancelled flag, articles (``productXmlId`` + article
properties) and product names.

**Linking by ИНН** (``config.link_orders_by_inn``, rules in :mod:`._linking`): an order of a
legal payer type without a ``B2B_COMPANY_ID`` value whose ИНН matches an active company's
``UF_INN`` gets the value written (read-modify-write of the whole value set, so the buyer's
other values survive). That is how a buyer finds their company's orders from before the
cabinet existed. Before reading its feed the job *catches up* the companies added, reactivated
or given a new ИНН since their orders were last looked at (the feed would never show those
orders again); a pass over every order marks every company instead. A link that Bitrix rejects
quarantines the order (feed ``orders``, key = order ID); a transient failure keeps the cursor
for the next run.
``config.company`` is not applied: the index covers every order.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import structlog

from bitrix_client import BitrixError, FatalError

from . import _resume
from ._context import JobContext
from ._errors import JobFailed
from ._frame import run_job
from ._linking import Linker, collect_values
from ._lists import Query, chunks, list_many
from ._ports import IndexedOrder, JobResult
from ._resume import Resume
from ._streams import closing
from ._values import one_line, parse_datetime, to_decimal, to_int

log = structlog.get_logger()

FEED = "orders"
UNIT = 500
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


async def sync_orders(ctx: JobContext) -> JobResult:
    return await run_job("orders", ctx, _Run, full=ctx.config.full)


class _Run:
    def __init__(self, ctx: JobContext, result: JobResult) -> None:
        self.ctx = ctx
        self.result = result
        self.cfg = ctx.config
        self.store = ctx.store
        self.article_codes = tuple(c.upper() for c in self.cfg.article_property_codes)
        self.linker = Linker(ctx, result)
        self.newest: datetime | None = None
        self.failure: str | None = None

    async def execute(self) -> None:
        if self.cfg.company:
            self.result.notes["company"] = "not applied: the order index covers every order"
        cursor = None if self.cfg.full else self.store.cursor(FEED, "")
        resume = None if self.cfg.full else _resume.load(self.store)
        since = None if cursor is None else cursor - self.cfg.look_back
        try:
            await self.linker.load_props()
            if self.cfg.link_orders_by_inn:
                await self.linker.load_companies()
                if since is not None:
                    await self.linker.catch_up()
            if resume is not None:
                self.result.notes["resumed_after_order"] = resume.after
                if not await self._pass(resume.since, resume, "orders (resumed)"):
                    self._report()
                    return
                # the interrupted pass is complete: what it read before the stop is caught
                # up by reading everything changed since it began
                cursor = resume.floor if cursor is None else max(cursor, resume.floor)
                self.store.set_cursor(FEED, "", cursor)
                _resume.clear(self.store)
                since = cursor - self.cfg.look_back
                self.newest = None
            if not await self._pass(since, None, "orders"):
                self._report()
                return
        except FatalError as exc:
            raise JobFailed(f"orders: {one_line(exc)}") from exc
        except BitrixError as exc:
            self.failure = self.failure or one_line(exc)
        if self._report():
            return
        if since is None and resume is None:
            # every order was looked at with the companies loaded at the start
            self.linker.mark(self.linker.companies)
        newest = self.newest if cursor is None or self.newest is None else max(cursor, self.newest)
        if newest is not None and newest != cursor:
            self.store.set_cursor(FEED, "", newest)
        _resume.clear(self.store)

    def _report(self) -> bool:
        """Record a failure; True when the run ends without moving its cursor."""
        self.failure = self.failure or self.linker.failure
        if self.failure is not None:
            self.result.errors.append(f"orders: {self.failure}")
            return True
        return self.result.stopped

    async def _pass(self, since: datetime | None, resume: Resume | None, stage: str) -> bool:
        """Read the feed from ``since`` (after ``resume.after`` when finishing an interrupted
        pass), indexing unit by unit; after each unit the resume point is saved. True when
        the pass reached its end."""
        flt: dict[str, Any] = {">=dateUpdate": since} if since is not None else {}
        if resume is not None:
            flt[">id"] = resume.after
        floor = resume.floor if resume is not None else None
        progress = self.ctx.progress

        def total(count: int) -> None:
            progress.stage(stage, total=count)

        unit: dict[int, dict[str, Any]] = {}
        stream = self.ctx.bitrix.sale.orders(flt, SELECT, on_total=total)
        async with closing(stream) as rows:
            async for row in rows:
                order_id = to_int(row.get("id"))
                if order_id is None:
                    continue
                unit[order_id] = row
                if len(unit) >= UNIT:
                    await self._unit(unit)
                    floor = await self._checkpoint(since, max(unit), floor)
                    unit = {}
                    if self.ctx.stop.is_set():
                        self.result.stopped = True
                        return False
        await self._unit(unit)
        return True

    async def _checkpoint(
        self, since: datetime | None, after: int, floor: datetime | None
    ) -> datetime | None:
        """Save where this pass resumes, unless a link failed (its order must be re-read)."""
        if self.linker.failure is not None:
            return floor
        if floor is None:
            floor = await self._bitrix_now()
        _resume.save(self.store, Resume(since, after, floor))
        return floor

    async def _bitrix_now(self) -> datetime:
        """Bitrix's clock (the cursor is in Bitrix time); ours if its answer is unreadable."""
        answer = (await self.ctx.bitrix.call("server.time")).result
        return parse_datetime(answer) or self.cfg.clock()

    async def _unit(self, orders: dict[int, dict[str, Any]]) -> None:
        if not orders:
            return
        ids = sorted(orders)
        codes = list(self.linker.codes)
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
            if index % 2 == 0:
                collect_values(rows, values)
                continue
            for row in rows:
                order_id = to_int(row.get("orderId"))
                if order_id is not None:
                    items.setdefault(order_id, []).append(row)
        articles = await self._article_properties(items)
        companies, linked = await self.linker.link(orders, values)
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
