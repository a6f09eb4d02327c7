"""Orders → companies by ИНН: who matches, writing the link, and companies still to catch up.

**The rule.** An order of a payer type that has the ``B2B_COMPANY_ID`` property, without a
value there, whose ИНН property (``config.inn_property_codes``) equals the ``UF_INN`` of an
*active* ``b2b_companies`` row gets that row's ID written; when several active rows share the
ИНН (branches), the order's КПП decides, and without a decision the order stays unlinked
(``link_ambiguous``). An order that already has a company is never changed. The write is the
read-modify-write of :mod:`._link`, so the buyer's other values survive. A link Bitrix
rejects quarantines the order (feed ``orders``, key = order ID); a transient failure is kept in
:attr:`Linker.failure` for the job to report.

**Catching up.** The orders job meets an order once, when its ``dateUpdate`` passes the
cursor. An order placed before its company existed in ``b2b_companies`` (a new B2B buyer's first
order: orders sync every 5 minutes, companies daily), or before the company was reactivated or
got its ИНН, would never be looked at again. So every company carries a *mark* in the store —
a record of the ``orders`` feed in scope ``company_links``, keyed ``company:<row ID>``, whose
hash covers the company's ИНН, КПП, active flag and the ИНН property codes — saved once its
orders were linked. A company whose mark is missing or differs (added, reactivated, ИНН or
КПП changed) is *pending*: :meth:`Linker.catch_up` finds the orders carrying its ИНН
(``sale.propertyvalue.list`` by code and value), links those without a company, and saves the
marks only when every link went through. Both the companies job (after writing companies) and
the orders job (before reading its feed) catch up, so the next run of either links them; a
run killed half-way leaves the marks unsaved and the next run does it again (linking is
idempotent: an order that got its company is skipped). A complete orders pass over every
order (the first run, ``--full``) marks every company it knew without searching.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import structlog

from ._companies_map import read_companies
from ._context import JobContext
from ._errors import JobFailed, fate
from ._hash import content_hash
from ._link import Link, link_orders
from ._lists import Query, chunks, list_many
from ._ports import JobResult, Known
from ._values import one_line, to_int

log = structlog.get_logger()

FEED = "orders"
MARKS = "company_links"
KPP_CODES = ("KPP", "COMPANY_KPP")
#: Orders examined per round of catching up (their values and payer types in one batch).
UNIT = 500


@dataclass(frozen=True)
class Company:
    id: int
    inn: str
    kpp: str
    active: bool


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


class Linker:
    """One run's view of companies and payer types; create it per run."""

    def __init__(self, ctx: JobContext, result: JobResult) -> None:
        self.ctx = ctx
        self.result = result
        cfg = ctx.config
        self.enabled = cfg.link_orders_by_inn
        self.company_code = cfg.company_property_code.upper()
        self.inn_codes = tuple(c.upper() for c in cfg.inn_property_codes)
        self.codes = (self.company_code, *self.inn_codes, *KPP_CODES)
        self.company_props: dict[int, int] = {}
        self.companies: list[Company] = []
        self.by_inn: dict[str, list[Company]] = {}
        self.failure: str | None = None
        self.failures = 0

    # --- loading --------------------------------------------------------------------------

    async def load_props(self) -> None:
        """Payer type → its ``B2B_COMPANY_ID`` property (the lowest ID if duplicated)."""
        out: dict[int, int] = {}
        code = self.ctx.config.company_property_code
        for prop in await self.ctx.bitrix.sale.properties({"code": code}):
            type_id, prop_id = to_int(prop.get("personTypeId")), to_int(prop.get("id"))
            if str(prop.get("code") or "").upper() != self.company_code:
                continue
            if type_id is not None and prop_id is not None:
                out[type_id] = min(prop_id, out.get(type_id, prop_id))
        self.company_props = out

    async def load_companies(self, rows: Iterable[dict[str, Any]] | None = None) -> None:
        """Every ``b2b_companies`` row with an ID (read from Bitrix unless given)."""
        if rows is None:
            rows = await read_companies(self.ctx.bitrix)
        self.companies = []
        self.by_inn = {}
        for row in rows:
            row_id = to_int(row.get("ID"))
            if row_id is None:
                continue
            company = Company(
                row_id,
                _text(row.get("UF_INN")),
                _text(row.get("UF_KPP")),
                to_int(row.get("UF_ACTIVE")) != 0,
            )
            self.companies.append(company)
            if company.inn:
                self.by_inn.setdefault(company.inn, []).append(company)

    # --- matching and writing -------------------------------------------------------------

    def match(self, values: dict[str, Any]) -> Company | Literal["ambiguous"] | None:
        """The active company whose ИНН the order carries (КПП decides between branches)."""
        inn = next((_text(values[c]) for c in self.inn_codes if _text(values.get(c))), "")
        candidates = [c for c in self.by_inn.get(inn, []) if c.active] if inn else []
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        kpp = next((_text(values[c]) for c in KPP_CODES if _text(values.get(c))), "")
        narrowed = [c for c in candidates if kpp and c.kpp == kpp]
        return narrowed[0] if len(narrowed) == 1 else "ambiguous"

    async def link(
        self, orders: dict[int, dict[str, Any]], values: dict[int, dict[str, Any]]
    ) -> tuple[dict[int, int], set[int]]:
        """Company per order (stored, or linked now), and the orders linked now.

        ``orders`` are ``sale.order.list`` rows (``personTypeId`` needed), ``values`` their
        property values by upper-case code."""
        companies: dict[int, int] = {}
        wanted: list[Link] = []
        for order_id, order in orders.items():
            own = values.get(order_id, {})
            company_id = to_int(own.get(self.company_code))
            if company_id is not None:
                companies[order_id] = company_id
                continue
            if not self.enabled:
                continue
            prop_id = self.company_props.get(to_int(order.get("personTypeId")) or 0)
            if prop_id is None:
                continue
            match = self.match(own)
            if match == "ambiguous":
                self.result.add("link_ambiguous")
            elif isinstance(match, Company):
                wanted.append(Link(order_id, prop_id, str(match.id)))
        if not wanted:
            return companies, set()
        report = await link_orders(self.ctx.bitrix, wanted)
        for link in report.linked:
            companies[link.order_id] = int(link.value)
        if report.linked:
            self.result.add("linked", len(report.linked))
            log.info("sync.orders.linked", orders=len(report.linked))
        store = self.ctx.store
        for link, error in report.failed:
            what = fate(error)
            reason = one_line(error)
            if what == "skip":
                store.quarantine(
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
                self.failures += 1
                self.failure = self.failure or f"linking order {link.order_id}: {reason}"
        if report.linked:
            store.clear_quarantine(FEED, [str(link.order_id) for link in report.linked])
        return companies, {link.order_id for link in report.linked}

    # --- catching up ----------------------------------------------------------------------

    def _mark(self, company: Company) -> Known:
        basis = {
            "inn": company.inn,
            "kpp": company.kpp,
            "active": company.active,
            "codes": list(self.inn_codes),
        }
        return Known(f"company:{company.id}", content_hash(basis), company.id, MARKS)

    def pending(self) -> list[Company]:
        """Companies whose orders were not looked at as they are now."""
        marks = self.ctx.store.known_in_scope(FEED, MARKS)
        return [
            c
            for c in self.companies
            if (mark := marks.get(f"company:{c.id}")) is None or mark.hash != self._mark(c).hash
        ]

    def mark(self, companies: Iterable[Company]) -> None:
        marks = [self._mark(c) for c in companies]
        if marks:
            self.ctx.store.remember(FEED, marks)

    async def catch_up(self) -> set[int]:
        """Link the orders of pending companies; returns the orders linked. Marks are saved
        only when no link failed for a transient reason (:attr:`failure` says which)."""
        if not self.enabled:
            return set()
        pending = self.pending()
        if not pending:
            return set()
        inns = sorted({c.inn for c in pending if c.active and c.inn})
        found = await self._orders_with_inn(inns)
        linked: set[int] = set()
        failures = self.failures
        for part in chunks(sorted(found), UNIT):
            values, orders = await self._unlinked(list(part))
            if orders:
                _, now_linked = await self.link(orders, values)
                linked |= now_linked
        if self.failures == failures:
            self.mark(pending)
            self.result.add("companies_caught_up", len(pending))
        if linked:
            log.info("sync.orders.caught_up", companies=len(pending), orders=len(linked))
        return linked

    async def _unlinked(
        self, order_ids: list[int]
    ) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
        """The orders' values, and those of the orders without a company (with their payer
        types), in one batch request."""
        queries: list[Query] = []
        for part in chunks(order_ids):
            queries.append(
                Query(
                    "sale.propertyvalue.list",
                    {
                        "filter": {"@orderId": list(part), "@code": list(self.codes)},
                        "select": ["id", "orderId", "orderPropsId", "code", "value"],
                    },
                    "propertyValues",
                )
            )
            queries.append(
                Query(
                    "sale.order.list",
                    {"filter": {"@id": list(part)}, "select": ["id", "personTypeId"]},
                    "orders",
                )
            )
        values: dict[int, dict[str, Any]] = {}
        orders: dict[int, dict[str, Any]] = {}
        for index, rows in enumerate(await list_many(self.ctx.bitrix, queries)):
            if index % 2 == 0:
                collect_values(rows, values)
                continue
            for row in rows:
                if (order_id := to_int(row.get("id"))) is not None:
                    orders[order_id] = row
        unlinked = {
            oid: row
            for oid, row in orders.items()
            if to_int(values.get(oid, {}).get(self.company_code)) is None
        }
        return values, unlinked

    async def _orders_with_inn(self, inns: Sequence[str]) -> set[int]:
        if not inns:
            return set()
        queries = [
            Query(
                "sale.propertyvalue.list",
                {
                    "filter": {"@code": list(self.inn_codes), "@value": list(part)},
                    "select": ["id", "orderId", "code", "value"],
                },
                "propertyValues",
            )
            for part in chunks(list(inns))
        ]
        wanted = set(inns)
        out: set[int] = set()
        for rows in await list_many(self.ctx.bitrix, queries):
            for row in rows:
                order_id = to_int(row.get("orderId"))
                if order_id is not None and _text(row.get("value")) in wanted:
                    out.add(order_id)
        return out


def collect_values(rows: Iterable[dict[str, Any]], into: dict[int, dict[str, Any]]) -> None:
    """Property-value rows → ``{order ID: {CODE: value}}`` (the first non-empty value wins)."""
    for row in rows:
        order_id = to_int(row.get("orderId"))
        if order_id is None:
            continue
        code = str(row.get("code") or "").upper()
        if row.get("value") not in (None, ""):
            into.setdefault(order_id, {}).setdefault(code, row.get("value"))


__all__ = ["KPP_CODES", "MARKS", "Company", "Linker", "collect_values"]
