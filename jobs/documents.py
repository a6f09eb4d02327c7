"""1C documents → ``b2b_documents``, per company (DESIGN §7).

**Reading.** Two ways, chosen by ``config.documents_read``:

- ``per_company`` (default for the HTTP and SOAP adapters): for every active company the store
  knows, ``documents(counterparty=guid, changed_since=cursor − look_back)``. The company's GUID
  is the scope: its cursor ``("documents", guid)`` moves only when all its records were written
  (or quarantined), a company whose writes or reads failed keeps its cursor and the job goes on
  with the next company. Changed rows of consecutive companies share upsert batches of 50 (a
  company with 3 changed documents does not cost a request of its own); a company is closed —
  cursor saved, progress event ``sync.documents.company`` — once its last row is confirmed
  (``sync.documents.read`` is sent when its reading ends).
  ``ctx.stop`` is honoured between companies: what was read is written, the companies read are
  closed, and the run returns ``stopped``. A company 1C does not know (HTTP 404 "Контрагент не
  найден") is counted in ``not_in_1c`` and skipped.
- ``feed`` (default for the XML drop, whose files are the changes and carry every company):
  one pass over ``documents(changed_since=cursor − look_back)`` with the feed cursor
  ``("documents", "")``; documents go to their company by ``counterparty_guid``, per-company
  cursors are set as well. A document of a counterparty the store does not know is quarantined
  ``unknown counterparty <guid>`` (scope = that GUID); once the companies job has made that
  company known, the next run re-reads from the entry's ``changed_at`` by itself — no operator
  retry needed. ``ctx.stop`` is honoured between chunks of 50; a stopped feed run moves no cursor.

``config.company`` (a GUID or a Bitrix company ID) reads that company only, per company.

**Writing.** Rows are upserted on ``UF_XML_ID``, a group of up to 1,000 at a time, in requests
of up to 500 rows (bridge ``ROWS``; fewer when attached files make the request large). Fields
sent: ``UF_XML_ID``, ``UF_COMPANY_ID``, ``UF_DOC_TYPE`` (the LIST item ID of
``invoice``/``waybill``/…), ``UF_NUMBER`` (padding stripped), ``UF_DATE`` (in the site's zone),
``UF_AMOUNT``, ``UF_CURRENCY``, ``UF_ORDER_ID`` (1C's order reference: an order ID,
or the GUID found in an order's ``id1c``/``xmlId``), ``UF_DELETED``, ``UF_HASH``,
``UF_SYNCED_AT`` and, by ``config.file_mode``:

- ``link``: ``UF_EXTERNAL_URL = {download_base_url}/documents/download?doc={guid}`` — the
  download endpoint of ``b2bsync serve``, which streams the file from 1C once the link carries
  the user, expiry and signature the cabinet adds per user (the module's ``DocumentLinks``
  helper); ``UF_FILE_ID`` cleared;
- ``attach``: the PDF base64 in ``UF_FILE_ID`` (``{"fileData": [name, b64]}``), ``UF_EXTERNAL_URL``
  cleared; a file over ``max_attach_bytes`` falls back to a link (noted in ``attach_fallback``);
- ``upload``: the PDF written atomically under ``upload_dir`` (see :mod:`._files`),
  ``UF_EXTERNAL_URL = {upload_url_prefix}/{company_id}/{file}``, ``UF_FILE_ID`` cleared.

In ``attach`` and ``upload`` modes the file's content decides its type and extension, never
1C's file name: a file that is neither a PDF nor of ``config.extra_file_types`` is not written
and its document is quarantined with the reason (``file_refused``).

A document without a file (``has_file=False``) gets neither a file nor a link; a document 1C marks
deleted gets ``UF_DELETED=1`` and keeps whatever file it had. ``UF_HASH`` is the SHA-256 of the
metadata plus the transferred file's SHA-256, so the cabinet can tell a changed PDF.

**Unchanged means no write.** The hash the store remembers covers everything that decides the
row before any file is fetched: the metadata fields, 1C's order reference, the file plan (mode,
link) and — when a file is transferred — 1C's ``changed_at``, the only sign of a new PDF short of
downloading it. So a re-read document costs neither a download nor a write.

Changing ``file_mode`` or ``download_base_url`` changes the hashes: documents pick the new
form as they are re-read; ``--full`` rewrites them all at once.

**Facts.** A document the store never remembered, written (not as deleted) for a company whose
documents were synced before (it has a cursor: the company's first sync is a backfill of its
history and announces nothing), is recorded as a ``document.ready`` fact
(``document.ready:<guid>``) through ``ctx.facts`` once Bitrix confirmed the row and before it
is remembered; the workflows tell the company's users who see documents.

**Vanished.** With ``config.full`` every document the site holds for a company (its
``b2b_documents`` rows) that 1C did not return gets ``UF_DELETED=1``; rows are never deleted.
For an XML drop this is skipped (the folder holds changes, not everything).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog

from bitrix_client import BitrixError, FatalError, UpsertResult
from onec_client import (
    Document,
    OneCError,
    OneCFatalError,
    OneCFileUnavailable,
    OneCNotFound,
    OneCSource,
    Quarantined,
)

from . import _files
from ._companies_map import CompanyMap, CompanyRef
from ._context import DocumentsRead, FileMode, JobContext
from ._document_rows import DocumentRows, Prepared
from ._errors import JobFailed
from ._frame import run_job
from ._hash import content_hash
from ._hl import DOCUMENTS, HlMeta, MissingEnumItem
from ._lists import chunks
from ._order_refs import OrderRefs
from ._ports import DOCUMENT_READY, Fact, JobResult, Known, QuarantineEntry
from ._retry import RetryPlan
from ._streams import closing
from ._values import datetime_text, one_line, to_int
from ._writer import Row, Written, upsert_rows

log = structlog.get_logger()

FEED = "documents"
KEY = ("UF_XML_ID",)
CHUNK = 50
#: Rows are written in groups of this many batches, so the order references of a whole group
#: are resolved with one request (and a company's rows still never wait long for a checkpoint).
GROUP = CHUNK * 20
#: Base64 held for writing before the rows are sent early (attach mode); upsert_many also keeps
#: each request under its own size limit.
PAYLOAD_LIMIT = 4 * 1024 * 1024
UNKNOWN = "unknown counterparty "


@dataclass
class _Scope:
    """What one company (or the whole feed) read in this run."""

    newest: datetime | None = None
    keys: set[str] = field(default_factory=set)
    raws: set[str] = field(default_factory=set)
    failure: str | None = None
    read: int = 0
    company: CompanyRef | None = None
    cursor: datetime | None = None
    done: bool = False
    closed: bool = False
    missing: bool = False

    def saw(self, key: str | None, changed_at: datetime | None, raw: str | None = None) -> None:
        if key is not None:
            self.keys.add(key)
        elif raw is not None:
            self.raws.add(raw)
        if changed_at is not None and (self.newest is None or changed_at > self.newest):
            self.newest = changed_at


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


async def sync_documents(ctx: JobContext) -> JobResult:
    cfg = ctx.config
    return await run_job(
        "documents", ctx, _Run, full=cfg.full, company=cfg.company, file_mode=cfg.file_mode
    )


class _Run:
    def __init__(self, ctx: JobContext, result: JobResult) -> None:
        self.ctx = ctx
        self.result = result
        self.cfg = ctx.config
        self.store = ctx.store
        self.now = self.cfg.clock()
        self.meta = HlMeta(ctx.bitrix)
        self.companies = CompanyMap({})
        self.placed = 0
        self.onec: OneCSource
        self.scopes: dict[str, _Scope] = {}
        self.buffer: list[Prepared] = []
        self.order_refs = OrderRefs(ctx)
        self.unknown: set[str] = set()
        self.announced: dict[str, bool] = {}
        self.rows: DocumentRows

    # --- entry ----------------------------------------------------------------------------

    async def execute(self) -> None:
        if self.ctx.onec is None:
            raise JobFailed("no 1C source is configured")
        self.onec = self.ctx.onec
        self.rows = DocumentRows(self.cfg, self.onec, self.result, self.now, self.unknown)
        self._check_config()
        await self.meta.enum_ids(DOCUMENTS, "UF_DOC_TYPE")
        self.companies = await CompanyMap.build(self.store, self.ctx.bitrix)
        if self.cfg.company:
            company = await self._resolve(self.cfg.company)
            if company is None:
                raise JobFailed(
                    f"company {self.cfg.company!r} is not in b2b_companies; "
                    "run `b2bsync sync companies` first"
                )
            await self._per_company([company])
        elif self._mode() == DocumentsRead.feed:
            await self._feed()
        else:
            targets = self.companies.active()
            if not targets:
                raise JobFailed(
                    "no active company in b2b_companies to read documents for; "
                    "run `b2bsync sync companies` first"
                )
            await self._per_company(targets)

    async def _resolve(self, selector: str) -> CompanyRef | None:
        found = self.companies.resolve(selector)
        if found is None:
            await self.companies.refresh(self.store, self.ctx.bitrix)
            found = self.companies.resolve(selector)
        return found

    async def _owner(self, guid: str) -> CompanyRef | None:
        """The company of a counterparty GUID; an unknown one makes the map ask Bitrix once."""
        found = self.companies.get(guid)
        if found is None and not self.companies.refreshed:
            await self.companies.refresh(self.store, self.ctx.bitrix)
            found = self.companies.get(guid)
        return found

    def _mode(self) -> DocumentsRead:
        mode = self.cfg.documents_read
        if mode == DocumentsRead.auto:
            return DocumentsRead.feed if self.onec.kind == "xml" else DocumentsRead.per_company
        return mode

    def _check_config(self) -> None:
        cfg = self.cfg
        try:
            _files.allowed_types(cfg.extra_file_types)
        except ValueError as exc:
            raise JobFailed(f"extra_file_types: {exc}") from exc
        if cfg.file_mode == FileMode.upload and cfg.upload_dir is None:
            raise JobFailed("file_mode=upload needs upload_dir (the site's upload/b2b/docs)")
        if cfg.download_base_url is None and cfg.file_mode == FileMode.link:
            self.result.notes["warning"] = (
                "download_base_url is not set: documents are written without download links"
            )
            log.warning("sync.documents.no_download_url")

    def _auto_retries(self) -> list[QuarantineEntry]:
        """Documents parked as "unknown counterparty" whose company is known by now."""
        return [
            e
            for e in self.store.quarantined(FEED)
            if e.reason.startswith(UNKNOWN) and self.companies.get(e.scope) is not None
        ]

    # --- per company ----------------------------------------------------------------------

    async def _per_company(self, targets: list[CompanyRef]) -> None:
        retry = RetryPlan(self.store, FEED, self._auto_retries())
        wanted = {c.guid for c in targets}
        if not self.cfg.company:
            for scope in retry.scopes:
                company = self.companies.get(scope)
                if scope not in wanted and (company is None or not company.active):
                    retry.requeue(scope)
        self.ctx.progress.stage("documents", total=len(targets))
        for company in targets:
            if self.ctx.stop.is_set():
                self.result.stopped = True
                break
            await self._read_company(company, retry)
            await self._settle(retry)
        await self._drain()
        await self._settle(retry)

    async def _read_company(self, company: CompanyRef, retry: RetryPlan) -> None:
        scope = self.scopes.setdefault(company.guid, _Scope())
        scope.company = company
        scope.cursor = None if self.cfg.full else self.store.cursor(FEED, company.guid)
        since = None if scope.cursor is None else scope.cursor - self.cfg.look_back
        since = retry.since(company.guid, since)
        pending: list[tuple[Document, CompanyRef]] = []
        try:
            items = self.onec.documents(counterparty=company.guid, changed_since=since)
            async with closing(items) as stream:
                async for item in stream:
                    if isinstance(item, Quarantined):
                        self._quarantine_item(item, company.guid, scope)
                        continue
                    scope.read += 1
                    scope.saw(item.guid, item.changed_at)
                    if item.counterparty_guid != company.guid:
                        self._park(
                            item,
                            f"1C returned a document of counterparty {item.counterparty_guid} "
                            f"for {company.guid}",
                            company.guid,
                        )
                        continue
                    pending.append((item, company))
                    if len(pending) >= CHUNK:
                        await self._process(pending)
                        pending = []
            await self._process(pending)
        except OneCNotFound as exc:
            scope.missing = True
            self.result.add("not_in_1c")
            self.result.example("not_in_1c", company.guid)
            log.warning("sync.documents.not_in_1c", company=company.guid, reason=one_line(exc))
        except (OneCFatalError, FatalError) as exc:
            raise JobFailed(f"documents of {company.guid}: {one_line(exc)}") from exc
        except (OneCError, BitrixError) as exc:
            scope.failure = scope.failure or one_line(exc)
        scope.done = True
        self.ctx.progress.event(
            "sync.documents.read", company=company.guid, read=scope.read, queued=len(self.buffer)
        )

    async def _settle(self, retry: RetryPlan) -> None:
        """Close every company whose reading is over and whose rows are all written."""
        waiting = {p.company.guid for p in self.buffer}
        for guid, scope in list(self.scopes.items()):
            if scope.done and not scope.closed and guid not in waiting:
                await self._close_company(guid, scope, retry)

    async def _close_company(self, guid: str, scope: _Scope, retry: RetryPlan) -> None:
        scope.closed = True
        company = scope.company
        if company is None or scope.missing:
            return
        if scope.failure is None and self.cfg.full:
            try:
                await self._vanished({"UF_COMPANY_ID": company.bitrix_id}, scope.keys)
            except FatalError as exc:
                raise JobFailed(f"documents of {guid}: {one_line(exc)}") from exc
            except BitrixError as exc:
                scope.failure = one_line(exc)
        self.result.add("companies")
        if scope.failure is not None:
            self.result.add("failed_companies")
            self.result.errors.append(f"documents of company {guid}: {scope.failure}")
            log.warning("sync.documents.company_failed", company=guid, reason=scope.failure)
        else:
            retry.finish(guid, scope.keys, scope.raws)
            newest = _later(scope.cursor, scope.newest)
            if newest is not None and newest != scope.cursor:
                self.store.set_cursor(FEED, guid, newest)
        self.ctx.progress.advance(1)
        self.ctx.progress.event(
            "sync.documents.company",
            company=guid,
            company_id=company.bitrix_id,
            read=scope.read,
            ok=scope.failure is None,
        )

    # --- whole feed -----------------------------------------------------------------------

    async def _feed(self) -> None:
        retry = RetryPlan(self.store, FEED, self._auto_retries())
        cursor = None if self.cfg.full else self.store.cursor(FEED, "")
        since = None if cursor is None else cursor - self.cfg.look_back
        for scope_name in retry.scopes:
            since = retry.since(scope_name, since)
        everything = _Scope()
        pending: list[tuple[Document, CompanyRef]] = []
        self.ctx.progress.stage("documents")
        try:
            async with closing(self.onec.documents(changed_since=since)) as stream:
                async for item in stream:
                    if isinstance(item, Quarantined):
                        self._quarantine_item(item, "", everything)
                        continue
                    everything.read += 1
                    everything.saw(item.guid, item.changed_at)
                    owner = item.counterparty_guid
                    self.scopes.setdefault(owner, _Scope()).saw(item.guid, item.changed_at)
                    company = await self._owner(owner)
                    if company is None:
                        self._park(item, f"{UNKNOWN}{owner}", owner)
                        continue
                    pending.append((item, company))
                    self.placed += 1
                    if len(pending) >= CHUNK:
                        await self._process(pending)
                        self.ctx.progress.advance(len(pending))
                        pending = []
                        if self.ctx.stop.is_set():
                            self.result.stopped = True
                            break
            if not self.result.stopped:
                await self._process(pending)
                self.ctx.progress.advance(len(pending))
            await self._drain()
        except (OneCFatalError, FatalError) as exc:
            raise JobFailed(f"documents feed: {one_line(exc)}") from exc
        except (OneCError, BitrixError) as exc:
            everything.failure = one_line(exc)
        failures = {g: s.failure for g, s in self.scopes.items() if s.failure is not None}
        if everything.read and not self.placed:
            owners = len({g for g in self.scopes if self.companies.get(g) is None})
            self.result.errors.append(
                f"documents feed: none of the {everything.read} documents read belongs to a "
                f"company in b2b_companies ({owners} unknown counterparties, "
                f"{len(self.companies)} companies known); run `b2bsync sync companies` first"
            )
        if everything.failure is not None:
            self.result.errors.append(f"documents feed: {everything.failure}")
        for guid, reason in sorted(failures.items()):
            self.result.add("failed_companies")
            self.result.errors.append(f"documents of company {guid}: {reason}")
        if self.result.stopped or everything.failure is not None:
            return
        for guid, scope in sorted(self.scopes.items()):
            if scope.failure is None and self.companies.get(guid) is not None:
                self.result.add("companies")
                previous = self.store.cursor(FEED, guid)
                newest = _later(previous, scope.newest)
                if newest is not None and newest != previous:
                    self.store.set_cursor(FEED, guid, newest)
        for scope_name in retry.scopes:
            retry.finish(scope_name, everything.keys, everything.raws)
        if failures:
            return
        if self.cfg.full:
            await self._vanished({}, everything.keys)
        newest = _later(cursor, everything.newest)
        if newest is not None and newest != cursor:
            self.store.set_cursor(FEED, "", newest)

    # --- records --------------------------------------------------------------------------

    def _quarantine_item(self, item: Quarantined, scope_name: str, scope: _Scope) -> None:
        self.store.quarantine(FEED, item.key, item.reason, item.raw, scope_name, item.changed_at)
        self.result.add("quarantined")
        scope.saw(item.key, item.changed_at, item.raw)
        log.warning("sync.documents.quarantined", key=item.key, reason=item.reason)

    def _park(self, doc: Document, reason: str, scope_name: str) -> None:
        self.store.quarantine(FEED, doc.guid, reason, doc.as_json(), scope_name, doc.changed_at)
        self.result.add("quarantined")
        log.warning("sync.documents.quarantined", key=doc.guid, reason=reason)

    async def _prepare(self, doc: Document, company: CompanyRef) -> Prepared | None:
        try:
            type_id = await self.meta.enum_id(DOCUMENTS, "UF_DOC_TYPE", doc.type.value)
        except MissingEnumItem as exc:
            self._park(doc, str(exc), company.guid)
            return None
        return self.rows.prepare(doc, company, type_id)

    async def _process(self, batch: list[tuple[Document, CompanyRef]]) -> None:
        """Queue what changed in ``batch`` for writing; write once 50 rows are waiting."""
        if not batch:
            return
        latest: dict[str, tuple[Document, CompanyRef]] = {d.guid: (d, c) for d, c in batch}
        known = self.store.known(FEED, list(latest))
        unchanged: list[str] = []
        for doc, company in latest.values():
            prepared = await self._prepare(doc, company)
            if prepared is None:
                continue
            remembered = known.get(doc.guid)
            if remembered is None and not doc.deleted and self._announces(company.guid):
                self.unknown.add(doc.guid)
            if remembered is not None and remembered.hash == prepared.hash:
                unchanged.append(doc.guid)
            else:
                self.buffer.append(prepared)
        if unchanged:
            self.store.clear_quarantine(FEED, unchanged)
            self.result.add("unchanged", len(unchanged))
        if len(self.buffer) >= GROUP:
            await self._drain(whole_batches=True)

    def _announces(self, company_guid: str) -> bool:
        """Whether new documents of this company are news: its documents (or the whole feed)
        were synced before this run; decided once per run, before this run moves a cursor."""
        if company_guid not in self.announced:
            self.announced[company_guid] = (
                self.store.cursor(FEED, company_guid) is not None
                or self.store.cursor(FEED, "") is not None
            )
        return self.announced[company_guid]

    def _record_facts(self, written: list[tuple[Row, UpsertResult]]) -> None:
        facts = [
            Fact(DOCUMENT_READY, f"{DOCUMENT_READY}:{row.key}", {**data, "document_id": result.id})
            for row, result in written
            if row.key in self.unknown
            and not row.deleted
            and (data := self.rows.fact_data.get(row.key)) is not None
        ]
        if facts:
            self.ctx.facts.record_facts(facts)
            self.result.add("announced", len(facts))

    async def _drain(self, *, whole_batches: bool = False) -> None:
        """Write the queued rows (only full batches of 50 with ``whole_batches``, the rest
        waits for more). Rows of several companies share batches; a failure is put on the
        company it belongs to (on all the batch's companies when the batch as a whole failed),
        so only those companies keep their cursors."""
        take = len(self.buffer) - len(self.buffer) % CHUNK if whole_batches else len(self.buffer)
        changed, self.buffer = self.buffer[:take], self.buffer[take:]
        if not changed:
            return
        try:
            written = await self._write(changed)
        except (JobFailed, FatalError, OneCFatalError):
            raise
        except (OneCError, BitrixError) as exc:
            written = Written(failed_scopes={p.company.guid: one_line(exc) for p in changed})
        for guid, reason in written.failed_scopes.items():
            scope = self.scopes.setdefault(guid, _Scope())
            scope.failure = scope.failure or reason

    async def _write(self, changed: list[Prepared]) -> Written:
        total = Written()
        if not changed:
            return total
        orders = await self.order_refs.resolve({p.doc.order_ref for p in changed})
        rows: list[Row] = []
        payload = 0
        for prepared in changed:
            try:
                row, size = await self.rows.row(prepared, orders)
            except OneCFileUnavailable as exc:
                log.warning("sync.documents.no_file", key=prepared.doc.guid, reason=one_line(exc))
                self.result.add("file_unavailable")
                self.result.example("file_unavailable", prepared.doc.guid)
                row, size = self.rows.without_file(prepared, orders), 0
            except _files.RefusedFile as exc:
                self._park(prepared.doc, str(exc), prepared.company.guid)
                self.result.add("file_refused")
                continue
            except OneCFatalError as exc:
                raise JobFailed(f"file of document {prepared.doc.guid}: {one_line(exc)}") from exc
            except OneCError as exc:
                total.failed_scopes.setdefault(prepared.company.guid, one_line(exc))
                self.result.add("failed")
                continue
            except OSError as exc:
                raise JobFailed(f"writing the file of {prepared.doc.guid}: {exc}") from exc
            rows.append(row)
            payload += size
            if len(rows) >= GROUP or payload >= PAYLOAD_LIMIT:
                _merge(total, await self._upsert(rows))
                rows, payload = [], 0
        _merge(total, await self._upsert(rows))
        return total

    async def _upsert(self, rows: list[Row]) -> Written:
        written = await upsert_rows(
            self.ctx,
            self.result,
            feed=FEED,
            block=DOCUMENTS,
            key=KEY,
            rows=rows,
            confirmed_hook=self._record_facts,
        )
        deleted = sum(1 for r in rows if r.deleted and r.key in written.ids)
        if deleted:
            self.result.add("marked_deleted", deleted)
        return written

    # --- vanished -------------------------------------------------------------------------

    async def _vanished(self, flt: dict[str, Any], seen: set[str]) -> None:
        """Mark ``UF_DELETED`` on the site's rows (matching ``flt``) that 1C did not return."""
        if self.onec.kind == "xml":
            self.result.notes["vanished"] = "not checked: an XML drop holds changes only"
            return
        rows: list[Row] = []
        already: list[Known] = []
        listing = self.ctx.bitrix.bridge.items(
            DOCUMENTS, flt, select=["ID", "UF_XML_ID", "UF_COMPANY_ID", "UF_DELETED"]
        )
        async with closing(listing) as stream:
            async for found in stream:
                key = str(found.get("UF_XML_ID") or "").strip().lower()
                if not key or key in seen:
                    continue
                company_id = to_int(found.get("UF_COMPANY_ID"))
                company = self.companies.by_bitrix_id(company_id) if company_id else None
                scope = company.guid if company else ""
                fields = {
                    "UF_XML_ID": key,
                    "UF_DELETED": 1,
                    "UF_SYNCED_AT": datetime_text(self.now),
                }
                digest = content_hash(fields)
                if to_int(found.get("UF_DELETED")) == 1:
                    already.append(Known(key, digest, to_int(found.get("ID")), scope, True))
                    continue
                rows.append(Row(key, fields, digest, scope, raw=fields, deleted=True))
        if already:
            known = self.store.known(FEED, [k.key for k in already])
            fresh = [k for k in already if not (k.key in known and known[k.key].deleted)]
            if fresh:
                self.store.remember(FEED, fresh)
        for part in chunks(rows, CHUNK):
            written = await self._upsert(list(part))
            self.result.add("vanished", len(written.ids))


def _merge(total: Written, part: Written) -> None:
    total.ids.update(part.ids)
    for scope, reason in part.failed_scopes.items():
        total.failed_scopes.setdefault(scope, reason)
    total.quarantined.extend(part.quarantined)
