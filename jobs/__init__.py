"""Sync jobs: 1C → Bitrix feeds and the Bitrix order index.

A job is ``async def job(ctx: JobContext) -> JobResult``; the application supplies the Bitrix
client, the 1C source, the state store (:class:`SyncStore`) and progress reporting.
"""

from ._context import FileMode, JobContext, SyncConfig
from ._ports import (
    FEEDS,
    CreditSeen,
    IndexedOrder,
    JobResult,
    Known,
    Progress,
    QuarantineEntry,
    SyncStore,
)

__all__ = [
    "FEEDS",
    "CreditSeen",
    "FileMode",
    "IndexedOrder",
    "JobContext",
    "JobResult",
    "Known",
    "Progress",
    "QuarantineEntry",
    "SyncConfig",
    "SyncStore",
]
