"""Sync jobs: 1C → Bitrix feeds and the Bitrix order index.

A job is ``async def job(ctx: JobContext) -> JobResult``; the application supplies the Bitrix
client, the 1C source, the state store (:class:`SyncStore`) and progress reporting, and holds
the lease around each run. :data:`JOBS` names them; :data:`ALL_ORDER` is the order of
``sync all``:

1. ``companies`` — every other job finds companies through what this one remembered;
2. ``orders`` — links orders to companies by ИНН, which the credit job's month amount needs;
3. ``documents`` — needs the companies (and resolves order references to Bitrix orders);
4. ``credit`` — last: month amounts read the links written by ``orders``.

:mod:`jobs.testing` has an in-memory store and a ``World`` of both fakes for tests and demos.
"""

from collections.abc import Awaitable, Callable, Mapping

from ._context import DocumentsRead, FileMode, JobContext, SyncConfig
from ._ports import (
    CREDIT_BLOCKED,
    DOCUMENT_READY,
    FACT_KINDS,
    FEEDS,
    CreditSeen,
    Fact,
    FactSink,
    IndexedOrder,
    JobResult,
    Known,
    Progress,
    QuarantineEntry,
    SyncStore,
)
from .companies import sync_companies
from .credit import sync_credit
from .documents import sync_documents
from .orders import sync_orders

Job = Callable[[JobContext], Awaitable[JobResult]]

JOBS: Mapping[str, Job] = {
    "companies": sync_companies,
    "orders": sync_orders,
    "documents": sync_documents,
    "credit": sync_credit,
}
ALL_ORDER: tuple[str, ...] = ("companies", "orders", "documents", "credit")

__all__ = [
    "ALL_ORDER",
    "CREDIT_BLOCKED",
    "DOCUMENT_READY",
    "FACT_KINDS",
    "FEEDS",
    "JOBS",
    "CreditSeen",
    "DocumentsRead",
    "Fact",
    "FactSink",
    "FileMode",
    "IndexedOrder",
    "Job",
    "JobContext",
    "JobResult",
    "Known",
    "Progress",
    "QuarantineEntry",
    "SyncConfig",
    "SyncStore",
    "sync_companies",
    "sync_credit",
    "sync_documents",
    "sync_orders",
]
