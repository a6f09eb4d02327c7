"""1C counterparties → ``b2b_companies`` (DESIGN §7), keyed by the 1C GUID in ``UF_XML_ID``.

Reads ``counterparties(changed_since = cursor − look_back)`` (everything with ``config.full``
or on the first run), upserts in batches of 50 and remembers each confirmed row (hash, Bitrix
row ID) — the map every other job uses to find a company. Only the fields b2bsync owns are sent:
``UF_XML_ID``, ``UF_NAME``, ``UF_INN``, ``UF_KPP``, ``UF_ACTIVE`` and ``UF_UPDATED_AT`` (when
b2bsync wrote the row; not part of the hash). What the cabinet manages — ``UF_MANAGER_ID``,
``UF_APPROVAL_MODE``, ``UF_APPROVAL_THRESHOLD``, ``UF_OVERDUE_LIMIT`` — is never sent, so never
overwritten.

A counterparty 1C marks deleted (``ПометкаУдаления``) is written with ``UF_ACTIVE=0``. With
``config.full``, every ``b2b_companies`` row whose GUID 1C no longer returns is deactivated too
(rows are never deleted; skipped for an XML drop, which holds changes only).

The cursor (``("companies", "")``) is the newest ``changed_at`` read, saved after every record up
to it is remembered or quarantined; a run that failed to write some rows, lost 1C midway or was
stopped leaves it where it was (the next run re-reads; unchanged hashes cost no writes).
``config.company`` limits the run to one GUID and moves no cursor. ``ctx.stop`` is checked
between batches.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import structlog

from bitrix_client import BitrixError, FatalError
from onec_client import (
    Counterparty,
    CounterpartyItem,
    OneCError,
    OneCFatalError,
    Quarantined,
)

from ._companies_map import CompanyMap, owned_fields
from ._context import JobContext
from ._errors import JobFailed
from ._frame import run_job
from ._hash import content_hash
from ._hl import COMPANIES, HlMeta
from ._linking import Linker
from ._lists import chunks
from ._ports import JobResult, Known
from ._retry import RetryPlan
from ._streams import closing
from ._values import datetime_text, one_line, to_int
from ._writer import WRITE_ROWS, Row, upsert_rows

log = structlog.get_logger()

FEED = "companies"
KEY = ("UF_XML_ID",)


def company_fields(party: Counterparty, now: datetime) -> dict[str, Any]:
    """The ``b2b_companies`` fields b2bsync owns, as sent."""
    fields = owned_fields(party.guid, party.name, party.inn, party.kpp, party.active)
    return {**fields, "UF_UPDATED_AT": datetime_text(now)}


def deactivation_fields(guid: str, now: datetime) -> dict[str, Any]:
    return {"UF_XML_ID": guid, "UF_ACTIVE": 0, "UF_UPDATED_AT": datetime_text(now)}


async def sync_companies(ctx: JobContext) -> JobResult:
    return await run_job("companies", ctx, _Run, full=ctx.config.full, company=ctx.config.company)


class _Run:
    def __init__(self, ctx: JobContext, result: JobResult) -> None:
        self.ctx = ctx
        self.result = result
        self.cfg = ctx.config
        self.store = ctx.store
        self.now = self.cfg.clock()
        self.only: str | None = None
        self.wrote = False
        self.pending: dict[str, Counterparty] = {}
        self.seen_keys: set[str] = set()
        self.seen_raw: set[str] = set()
        self.newest: datetime | None = None
        self.failure: str | None = None

    def _only(self, companies: CompanyMap, selector: str | None) -> str | None:
        """The GUID of ``config.company``: given as a GUID, or as a known row ID."""
        if not selector:
            return None
        known = companies.resolve(selector)
        if known is not None:
            return known.guid
        if selector.strip().isdigit():
            raise JobFailed(f"company {selector!r}: no b2b_companies row with that ID is known")
        return selector.strip().lower()

    async def execute(self) -> None:
        onec = self.ctx.onec
        if onec is None:
            raise JobFailed("no 1C source is configured")
        await HlMeta(self.ctx.bitrix).block_id(COMPANIES)
        # an empty store learns what b2b_companies holds, so unchanged rows cost no write
        companies = await CompanyMap.build(self.store, self.ctx.bitrix)
        self.only = self._only(companies, self.cfg.company)
        cursor = None if self.cfg.full else self.store.cursor(FEED, "")
        since = None if cursor is None else cursor - self.cfg.look_back
        retry = RetryPlan(self.store, FEED)
        since = retry.since("", since)
        self.ctx.progress.stage("companies")
        try:
            async with closing(onec.counterparties(changed_since=since)) as stream:
                async for item in stream:
                    self._take(item)
                    if len(self.pending) >= WRITE_ROWS:
                        await self._flush()
                        if self.ctx.stop.is_set():
                            self.result.stopped = True
                            break
            if not self.result.stopped:
                await self._flush()
        except OneCFatalError as exc:
            raise JobFailed(f"reading counterparties from 1C: {one_line(exc)}") from exc
        except OneCError as exc:
            self.failure = self.failure or f"reading counterparties from 1C: {one_line(exc)}"
        if self.failure is not None:
            self.result.errors.append(self.failure)
            return
        if self.result.stopped:
            return
        retry.finish("", self.seen_keys, self.seen_raw)
        if self.only is not None:
            return
        if self.cfg.full:
            if onec.kind == "xml":
                self.result.notes["vanished"] = "not checked: an XML drop holds changes only"
            else:
                await self._deactivate_vanished()
        if self.failure is not None:
            self.result.errors.append(self.failure)
            return
        newest = self.newest if cursor is None or self.newest is None else max(cursor, self.newest)
        if newest is not None and newest != cursor:
            self.store.set_cursor(FEED, "", newest)
        await self._catch_up_orders()

    async def _catch_up_orders(self) -> None:
        """Link the orders of companies added, reactivated or given a new ИНН (:mod:`._linking`):
        the orders job has moved past them. Costs nothing when no company changed and every
        company's orders were looked at."""
        if not self.cfg.link_orders_by_inn:
            return
        linker = Linker(self.ctx, self.result)
        marks = self.store.known_in_scope("orders", "company_links")
        if not self.wrote and len(marks) >= len(CompanyMap.load(self.store)):
            return
        try:
            await linker.load_companies()
            if not linker.pending():
                return
            await linker.load_props()
            await linker.catch_up()
        except FatalError as exc:
            raise JobFailed(f"linking orders to companies: {one_line(exc)}") from exc
        except BitrixError as exc:
            linker.failure = linker.failure or one_line(exc)
        if linker.failure is not None:
            self.result.errors.append(f"linking orders to companies: {linker.failure}")

    def _saw(self, key: str | None, changed_at: datetime | None, raw: str | None) -> None:
        if key is not None:
            self.seen_keys.add(key)
        elif raw is not None:
            self.seen_raw.add(raw)
        if changed_at is not None and (self.newest is None or changed_at > self.newest):
            self.newest = changed_at

    def _take(self, item: CounterpartyItem) -> None:
        if isinstance(item, Quarantined):
            if self.only is not None and item.key != self.only:
                return
            self.store.quarantine(FEED, item.key, item.reason, item.raw, "", item.changed_at)
            self.result.add("quarantined")
            self._saw(item.key, item.changed_at, item.raw)
            log.warning("sync.companies.quarantined", key=item.key, reason=item.reason)
            return
        if self.only is not None and item.guid != self.only:
            return
        self.result.add("read")
        self._saw(item.guid, item.changed_at, None)
        self.pending[item.guid] = item

    async def _flush(self) -> None:
        parties = list(self.pending.values())
        self.pending.clear()
        if not parties:
            return
        known = self.store.known(FEED, [p.guid for p in parties])
        rows: list[Row] = []
        unchanged: list[str] = []
        for party in parties:
            fields = company_fields(party, self.now)
            digest = content_hash(fields)
            remembered = known.get(party.guid)
            if remembered is not None and remembered.hash == digest:
                unchanged.append(party.guid)
                continue
            rows.append(
                Row(
                    key=party.guid,
                    fields=fields,
                    hash=digest,
                    raw=party.as_json(),
                    changed_at=party.changed_at,
                    deleted=not party.active,
                )
            )
        if unchanged:
            self.store.clear_quarantine(FEED, unchanged)
            self.result.add("unchanged", len(unchanged))
        written = await upsert_rows(
            self.ctx, self.result, feed=FEED, block=COMPANIES, key=KEY, rows=rows
        )
        self.wrote = self.wrote or bool(written.ids)
        inactive = sum(1 for r in rows if r.deleted and r.key in written.ids)
        if inactive:
            self.result.add("inactive", inactive)
        if written.failed_scopes:
            reason = next(iter(written.failed_scopes.values()))
            self.failure = self.failure or f"writing companies: {reason}"
        self.ctx.progress.advance(len(parties))

    async def _deactivate_vanished(self) -> None:
        rows: list[Row] = []
        already: list[Known] = []
        listing = self.ctx.bitrix.bridge.items(COMPANIES, select=["ID", "UF_XML_ID", "UF_ACTIVE"])
        async with closing(listing) as stream:
            async for found in stream:
                guid = str(found.get("UF_XML_ID") or "").strip().lower()
                if not guid or guid in self.seen_keys:
                    continue
                fields = deactivation_fields(guid, self.now)
                digest = content_hash(fields)
                if to_int(found.get("UF_ACTIVE")) == 0:
                    already.append(Known(guid, digest, to_int(found.get("ID")), "", True))
                    continue
                rows.append(Row(guid, fields, digest, raw=fields, deleted=True))
        if already:
            known = self.store.known(FEED, [k.key for k in already])
            fresh = [k for k in already if not (k.key in known and known[k.key].deleted)]
            if fresh:
                self.store.remember(FEED, fresh)
        for part in chunks(rows, WRITE_ROWS):
            written = await upsert_rows(
                self.ctx, self.result, feed=FEED, block=COMPANIES, key=KEY, rows=list(part)
            )
            if written.ids:
                self.wrote = True
                self.result.add("deactivated", len(written.ids))
                log.info("sync.companies.deactivated", companies=sorted(written.ids))
            if written.failed_scopes:
                reason = next(iter(written.failed_scopes.values()))
                self.failure = self.failure or f"deactivating companies: {reason}"
