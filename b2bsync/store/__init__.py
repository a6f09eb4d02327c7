"""The sidecar's own state: cursors, content hashes, quarantine, credit freshness, job runs and
leases, and the order index — SQLite by default, PostgreSQL when several instances share it.

:class:`Store` implements :class:`jobs.SyncStore`; the runner adds leases and runs, the
operator commands read :func:`status_report` and :meth:`Store.search_orders`.
"""

from ._bench import SearchLatency, load_synthetic_orders, measure_search, search_latency
from ._errors import LeaseLost, StoreError, StoreNotFound, StoreUnavailable
from ._open import open_store
from ._records import Fence, Lease, RunRecord, RunStatus, new_holder
from ._status import JobStatus, StatusReport, status_report
from ._store import Store

__all__ = [
    "Fence",
    "JobStatus",
    "Lease",
    "LeaseLost",
    "RunRecord",
    "RunStatus",
    "SearchLatency",
    "StatusReport",
    "Store",
    "StoreError",
    "StoreNotFound",
    "StoreUnavailable",
    "load_synthetic_orders",
    "measure_search",
    "new_holder",
    "open_store",
    "search_latency",
    "status_report",
]
