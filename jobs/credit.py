"""1C credit positions → ``b2b_credit_status``, one row per company (DESIGN §7).

Reads ``credit()`` (one company's with ``config.company``) — a snapshot, so there is no cursor.
Positions of counterparties that are not active companies are counted (``not_a_company``)
and skipped — but a run none of whose positions belongs to a company fails (an empty or
foreign state store, companies never synced); the company map comes from the store, or from
``b2b_companies`` when the store has none or a position names a company the store does not
know (:mod:`._companies_map`); several positions of one counterparty (one per contract) are
added up. Per batch of 50 companies:

- ``UF_MONTH_ORDERS_AMOUNT``: the company's non-cancelled orders with ``dateInsert`` in the
  current month (site time zone), summed from Bitrix (:mod:`._month`);
- ``UF_ORDER_BLOCKED``: overdue debt above the company's ``UF_OVERDUE_LIMIT`` (read from
  ``b2b_companies``, managed in the cabinet) or, when the company sets none,
  ``config.overdue_limit``; no limit anywhere → never blocked. ``UF_BLOCK_REASON`` says why in
  Russian with both amounts (``""`` when not blocked);
- the rest from 1C: ``UF_CREDIT_LIMIT`` (empty = no limit), ``UF_CREDIT_USED`` (the debt;
  negative when the buyer paid in advance — a valid position, counted ``prepaid``, whose
  available credit is the limit plus the advance), ``UF_OVERDUE_AMOUNT``,
  ``UF_OVERDUE_SINCE``, ``UF_CURRENCY``, ``UF_SOURCE_AT`` (1C's as-of), and ``UF_SYNCED_AT``
  (when written; not part of the hash).

Upserted on ``UF_COMPANY_ID``; the store remembers the row under the company's GUID. An
unchanged position (same hash, month amount and block state included) is not written. Every
processed company is noted with ``store.note_credit`` (``synced_at`` = when its row was last
written). A position whose ``as_of`` is older than ``config.stale_after`` (or missing) is
*stale*: listed in ``JobResult.notes["stale"]`` and reported as the progress event
``sync.credit.stale``. Amounts stay ``Decimal`` and are sent as strings. ``ctx.stop`` is checked
between batches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import structlog

from bitrix_client import BitrixError, FatalError
from onec_client import CreditStatus, OneCError, OneCNotFound, Quarantined

from . import _month
from ._companies_map import CompanyMap, CompanyRef
from ._context import JobContext
from ._errors import JobFailed
from ._frame import run_job
from ._hash import content_hash
from ._hl import COMPANIES, CREDIT, HlMeta
from ._ports import CreditSeen, JobResult
from ._streams import closing
from ._values import EMPTY, date_text, datetime_text, decimal_text, money_ru, one_line, to_decimal
from ._writer import Row, upsert_rows

log = structlog.get_logger()

FEED = "credit"
KEY = ("UF_COMPANY_ID",)
CHUNK = 50
NOTE_LIMIT = 200


@dataclass(frozen=True)
class Block:
    blocked: bool
    reason: str
    limit: Decimal | None
    source: str  # "company" | "global" | "none"


def decide_block(
    position: CreditStatus, company_limit: Decimal | None, global_limit: Decimal | None
) -> Block:
    """Whether overdue debt blocks new orders, and the reason shown to the buyer."""
    limit: Decimal | None = company_limit
    source = "company"
    if limit is None:
        limit, source = global_limit, "global"
    if limit is None:
        return Block(False, EMPTY, None, "none")
    overdue = position.overdue_amount
    if overdue <= limit:
        return Block(False, EMPTY, limit, source)
    whose = "лимит компании" if source == "company" else "общий лимит"
    reason = (
        f"Просроченная задолженность {money_ru(overdue, position.currency)} превышает "
        f"допустимую {money_ru(limit, position.currency)} ({whose})"
    )
    return Block(True, reason, limit, source)


def merge(a: CreditStatus, b: CreditStatus) -> CreditStatus:
    """Two positions of one counterparty (two contracts) as one: amounts added, no limit if
    either has none, the earlier overdue date, the later as-of."""
    limit = None if a.limit is None or b.limit is None else a.limit + b.limit
    sinces = [d for d in (a.overdue_since, b.overdue_since) if d is not None]
    as_ofs = [d for d in (a.as_of, b.as_of) if d is not None]
    return a.model_copy(
        update={
            "limit": limit,
            "used": a.used + b.used,
            "overdue_amount": a.overdue_amount + b.overdue_amount,
            "overdue_since": min(sinces) if sinces else None,
            "as_of": max(as_ofs) if as_ofs else None,
            "currency": a.currency or b.currency,
        }
    )


def credit_fields(
    company: CompanyRef, position: CreditStatus, month: Decimal, block: Block, now: datetime
) -> dict[str, Any]:
    return {
        "UF_COMPANY_ID": company.bitrix_id,
        "UF_CREDIT_LIMIT": decimal_text(position.limit),
        "UF_CREDIT_USED": decimal_text(position.used),
        "UF_OVERDUE_AMOUNT": decimal_text(position.overdue_amount),
        "UF_OVERDUE_SINCE": date_text(position.overdue_since),
        "UF_MONTH_ORDERS_AMOUNT": decimal_text(month),
        "UF_CURRENCY": position.currency or EMPTY,
        "UF_SOURCE_AT": datetime_text(position.as_of),
        "UF_SYNCED_AT": datetime_text(now),
        "UF_ORDER_BLOCKED": 1 if block.blocked else 0,
        "UF_BLOCK_REASON": block.reason,
    }


async def sync_credit(ctx: JobContext) -> JobResult:
    return await run_job("credit", ctx, _Run, company=ctx.config.company)


class _Run:
    def __init__(self, ctx: JobContext, result: JobResult) -> None:
        self.ctx = ctx
        self.result = result
        self.cfg = ctx.config
        self.store = ctx.store
        self.now = self.cfg.clock()
        self.companies = CompanyMap({})
        self.month_since = _month.month_start(self.now, self.cfg.site_timezone)
        self.month_sums: dict[int, Decimal] | None = None
        self.stale: list[dict[str, Any]] = []
        self.blocked: list[str] = []
        self.previous = {seen.key: seen for seen in ctx.store.credit_seen()}

    async def execute(self) -> None:
        onec = self.ctx.onec
        if onec is None:
            raise JobFailed("no 1C source is configured")
        await HlMeta(self.ctx.bitrix).block_id(CREDIT)
        self.companies = await CompanyMap.build(self.store, self.ctx.bitrix)
        only: CompanyRef | None = None
        if self.cfg.company:
            only = self.companies.resolve(self.cfg.company)
            if only is None:
                await self.companies.refresh(self.store, self.ctx.bitrix)
                only = self.companies.resolve(self.cfg.company)
            if only is None:
                raise JobFailed(
                    f"company {self.cfg.company!r} is not in b2b_companies; "
                    "run `b2bsync sync companies` first"
                )
        positions = await self._read(only)
        targets = [(c, positions[c.guid]) for c in self._targets(only) if c.guid in positions]
        missing = [c.guid for c in self._targets(only) if c.guid not in positions]
        if missing:
            self.result.add("no_position", len(missing))
            self.result.notes["no_position"] = missing[:NOTE_LIMIT]
        self.ctx.progress.stage("credit", total=len(targets))
        try:
            for start in range(0, len(targets), CHUNK):
                if self.ctx.stop.is_set():
                    self.result.stopped = True
                    break
                await self._chunk(targets[start : start + CHUNK], len(targets))
        except FatalError as exc:
            raise JobFailed(f"credit: {one_line(exc)}") from exc
        except BitrixError as exc:
            self.result.errors.append(f"credit: {one_line(exc)}")
        self.result.notes["stale"] = self.stale[:NOTE_LIMIT]
        if self.blocked:
            self.result.notes["blocked"] = self.blocked[:NOTE_LIMIT]
        if self.stale:
            log.warning("sync.credit.stale", companies=len(self.stale))
            self.ctx.progress.event(
                "sync.credit.stale",
                count=len(self.stale),
                companies=[s["company"] for s in self.stale[:20]],
                stale_after_hours=self.cfg.stale_after.total_seconds() / 3600,
            )

    def _targets(self, only: CompanyRef | None) -> list[CompanyRef]:
        return [only] if only is not None else self.companies.active()

    async def _read(self, only: CompanyRef | None) -> dict[str, CreditStatus]:
        """Positions of the target companies, merged per counterparty. A position of a
        counterparty the map does not know makes it ask Bitrix once; a read whose positions
        all belong to strangers fails the run (nothing could be placed)."""
        onec = self.ctx.onec
        if onec is None:
            raise JobFailed("no 1C source is configured")
        read: list[CreditStatus] = []
        try:
            stream = onec.credit(counterparty=only.guid if only else None)
            async with closing(stream) as items:
                async for item in items:
                    if isinstance(item, Quarantined):
                        self.store.quarantine(
                            FEED, item.key, item.reason, item.raw, "", item.changed_at
                        )
                        self.result.add("quarantined")
                        log.warning("sync.credit.quarantined", key=item.key, reason=item.reason)
                        continue
                    self.result.add("read")
                    read.append(item)
        except OneCNotFound as exc:
            self.result.add("not_in_1c")
            log.warning("sync.credit.not_in_1c", reason=one_line(exc))
        except OneCError as exc:
            raise JobFailed(f"reading credit from 1C: {one_line(exc)}") from exc
        if any(self.companies.get(p.counterparty_guid) is None for p in read):
            await self.companies.refresh(self.store, self.ctx.bitrix)
        wanted = {c.guid for c in self._targets(only)}
        positions: dict[str, CreditStatus] = {}
        for item in read:
            guid = item.counterparty_guid
            if guid not in wanted:
                self.result.add("not_a_company")
                continue
            if guid in positions:
                positions[guid] = merge(positions[guid], item)
                self.result.add("merged")
            else:
                positions[guid] = item
        if read and not positions:
            raise JobFailed(
                f"none of the {len(read)} credit positions read from 1C belongs to an active "
                f"company in b2b_companies ({len(self.companies)} companies known); "
                "run `b2bsync sync companies` first"
            )
        return positions

    async def _month(self, companies: list[CompanyRef], total: int) -> dict[int, Decimal]:
        code = self.cfg.company_property_code
        if total > _month.BY_COMPANY_LIMIT:
            if self.month_sums is None:
                self.month_sums = await _month.by_month(self.ctx.bitrix, self.month_since, code)
            return self.month_sums
        ids = [c.bitrix_id for c in companies]
        return await _month.by_company(self.ctx.bitrix, ids, self.month_since, code)

    async def _limits(self, companies: list[CompanyRef]) -> dict[int, Decimal | None]:
        ids = [c.bitrix_id for c in companies]
        out: dict[int, Decimal | None] = {}
        rows = self.ctx.bitrix.bridge.items(
            COMPANIES, {"@ID": ids}, select=["ID", "UF_OVERDUE_LIMIT"]
        )
        async with closing(rows) as stream:
            async for row in stream:
                out[int(row["ID"])] = to_decimal(row.get("UF_OVERDUE_LIMIT"))
        return out

    async def _chunk(self, batch: list[tuple[CompanyRef, CreditStatus]], total: int) -> None:
        companies = [c for c, _ in batch]
        sums = await self._month(companies, total)
        limits = await self._limits(companies)
        known = self.store.known(FEED, [c.guid for c in companies])
        rows: list[Row] = []
        unchanged: list[str] = []
        decided: dict[str, tuple[CreditStatus, Block]] = {}
        for company, position in batch:
            block = decide_block(position, limits.get(company.bitrix_id), self.cfg.overdue_limit)
            decided[company.guid] = (position, block)
            month = sums.get(company.bitrix_id, Decimal(0))
            fields = credit_fields(company, position, month, block, self.now)
            digest = content_hash(fields)
            if block.blocked:
                self.result.add("blocked")
                self.blocked.append(company.guid)
            if position.over_limit:
                self.result.add("over_limit")
            if position.prepaid:
                self.result.add("prepaid")
            remembered = known.get(company.guid)
            if remembered is not None and remembered.hash == digest:
                unchanged.append(company.guid)
                continue
            rows.append(
                Row(
                    key=company.guid,
                    fields=fields,
                    hash=digest,
                    raw=position.as_json(),
                    changed_at=position.as_of,
                )
            )
        if unchanged:
            self.store.clear_quarantine(FEED, unchanged)
            self.result.add("unchanged", len(unchanged))
        written = await upsert_rows(
            self.ctx, self.result, feed=FEED, block=CREDIT, key=KEY, rows=rows
        )
        for guid, reason in written.failed_scopes.items():
            self.result.errors.append(f"credit of {guid or 'companies'}: {reason}")
        for company, _ in batch:
            position, block = decided[company.guid]
            if company.guid in written.ids:
                synced = self.now
            elif company.guid in unchanged:
                before = self.previous.get(company.guid)
                synced = before.synced_at if before is not None else self.now
            else:
                continue
            self._note(company, position, block, synced)
        self.ctx.progress.advance(len(batch))

    def _note(
        self, company: CompanyRef, position: CreditStatus, block: Block, synced: datetime
    ) -> None:
        source_at = position.as_of
        if source_at is not None:
            self.store.note_credit(CreditSeen(company.guid, source_at, synced, block.blocked))
        if source_at is None or self.now - source_at > self.cfg.stale_after:
            self.result.add("stale")
            self.stale.append(
                {
                    "company": company.guid,
                    "company_id": company.bitrix_id,
                    "source_at": datetime_text(source_at) or None,
                }
            )
