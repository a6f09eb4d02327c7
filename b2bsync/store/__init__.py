"""The sidecar's own state: cursors, content hashes, quarantine, credit freshness, job runs and
leases, and the order index — SQLite by default, PostgreSQL when several instances share it."""

from ._errors import StoreError, StoreNotFound, StoreUnavailable
from ._records import Lease, RunRecord, RunStatus
from ._store import Store

__all__ = [
    "Lease",
    "RunRecord",
    "RunStatus",
    "Store",
    "StoreError",
    "StoreNotFound",
    "StoreUnavailable",
]
