"""Configuration and context a job runs with (built by the application from its settings)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

from bitrix_client import BitrixClient
from onec_client import OneCSource

from ._ports import Progress, SyncStore


class FileMode(StrEnum):
    """Where a document's PDF goes (DESIGN §7)."""

    attach = "attach"  # into the row's UF_FILE_ID (base64 through the bridge)
    upload = "upload"  # under the site's upload/b2b/docs/{company_id}/{number}.pdf
    link = "link"  # UF_EXTERNAL_URL → b2bsync's download endpoint, streamed from 1C


class DocumentsRead(StrEnum):
    """How the documents job reads 1C (see :mod:`jobs.documents`)."""

    auto = "auto"  # feed for an XML drop, per_company otherwise
    per_company = "per_company"  # one request per company, per-company cursors
    feed = "feed"  # one pass over every company's documents, one feed cursor


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SyncConfig:
    """How the jobs behave; the application maps its settings here.

    - ``look_back``: each run re-reads this much before the saved cursor (late edits in 1C,
      whole-second dates in Bitrix);
    - ``full``: ignore cursors, compare everything, deactivate / mark deleted what vanished;
    - ``company``: one company only (1C GUID or ``b2b_companies`` row ID);
    - ``file_mode``, ``upload_dir``, ``upload_url_prefix``, ``download_base_url``,
      ``max_attach_bytes``: where document PDFs go (:mod:`jobs.documents`);
      ``extra_file_types``: besides PDF, the file types (:data:`jobs._files.FILE_TYPES`,
      recognised by content) attach and upload modes may write;
    - ``documents_read``: how documents are read from 1C (:class:`DocumentsRead`);
    - ``overdue_limit``: overdue amount above which orders are blocked when a company sets no
      ``UF_OVERDUE_LIMIT``; ``stale_after``: credit data older than this is reported stale;
    - ``site_timezone``: the site's zone (document dates, the month of the month amount);
    - ``link_orders_by_inn``, ``inn_property_codes``, ``company_property_code``,
      ``article_property_codes``: the orders job (:mod:`jobs.orders`);
    - ``clock``: now, as an aware datetime (tests pass the fake site's manual clock).
    """

    look_back: timedelta = timedelta(hours=2)
    full: bool = False
    company: str | None = None
    file_mode: FileMode = FileMode.link
    upload_dir: Path | None = None
    upload_url_prefix: str = "/upload/b2b/docs"
    download_base_url: str | None = None
    max_attach_bytes: int = 20 * 1024 * 1024
    extra_file_types: tuple[str, ...] = ()
    overdue_limit: Decimal | None = None
    stale_after: timedelta = timedelta(hours=6)
    site_timezone: tzinfo = field(default_factory=lambda: ZoneInfo("Europe/Moscow"))
    link_orders_by_inn: bool = True
    inn_property_codes: tuple[str, ...] = ("INN", "COMPANY_INN")
    company_property_code: str = "B2B_COMPANY_ID"
    documents_read: DocumentsRead = DocumentsRead.auto
    article_property_codes: tuple[str, ...] = ("CML2_ARTICLE", "ARTICLE", "ARTNUMBER")
    clock: Callable[[], datetime] = _utc_now


class _Quiet:
    def stage(self, name: str, total: int | None = None) -> None:
        return None

    def advance(self, amount: int = 1) -> None:
        return None

    def event(self, name: str, **values: object) -> None:
        return None


@dataclass
class JobContext:
    """Everything a job touches. ``stop`` is set on SIGTERM: a job finishes the company it is
    on, checkpoints, and returns with ``stopped=True``."""

    bitrix: BitrixClient
    onec: OneCSource | None
    store: SyncStore
    config: SyncConfig = field(default_factory=SyncConfig)
    progress: Progress = field(default_factory=_Quiet)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
