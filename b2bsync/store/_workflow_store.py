"""The workflows' store: :class:`workflows.WorkflowStore` (outbox, watcher cursors, wakes, the
facts journal) and :class:`jobs.FactSink`, over the same database as the sync's state.

It shares the :class:`Store`'s engine and transactions; the tables and their rules live in
:mod:`._outbox` and :mod:`._watch`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._outbox import OutboxTables
from ._store import Store
from ._watch import WatchTables

if TYPE_CHECKING:
    from jobs import FactSink
    from workflows import WorkflowStore


class SqlWorkflowStore(OutboxTables, WatchTables):
    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def url(self) -> str:
        return self.store.url


if TYPE_CHECKING:

    def _implements_the_workflows_protocol(store: SqlWorkflowStore) -> WorkflowStore:
        return store

    def _implements_the_fact_sink(store: SqlWorkflowStore) -> FactSink:
        return store


__all__ = ["SqlWorkflowStore"]
