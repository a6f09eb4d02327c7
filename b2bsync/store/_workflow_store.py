"""The workflows' store: :class:`workflows.WorkflowStore` (outbox, watcher cursors, wakes, the
facts journal, the approval workflow's state) and :class:`jobs.FactSink`, over the same
database as the sync's state.

It shares the :class:`Store`'s engine and transactions; the tables and their rules live in
:mod:`._outbox`, :mod:`._watch`, :mod:`._approvals`, :mod:`._members` (the company users'
snapshot, reports) and :mod:`._invites` (invite claims). This is the boundary where a store
failure (a busy SQLite file, a restarting PostgreSQL, a lost lease on a fenced view) becomes
the workflows' own :class:`workflows.Unavailable`, so a watcher logs it and tries again at its
next poll instead of dying. ``record_facts`` is the sync jobs' port and keeps the store's
errors: the runner tells a lost lease from other failures by them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from workflows import Unavailable

from ._approvals import ApprovalTables
from ._errors import StoreError
from ._invites import InviteTables
from ._members import MemberTables
from ._outbox import OutboxTables
from ._store import Store
from ._watch import WatchTables

_C = TypeVar("_C", bound=type)
_UNTRANSLATED = frozenset({"record_facts"})


def _translated(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except StoreError as exc:
            raise Unavailable(f"state store: {exc}") from exc

    return call


def _translating(cls: _C) -> _C:
    for base in (OutboxTables, WatchTables, ApprovalTables, MemberTables, InviteTables):
        for name, member in vars(base).items():
            if callable(member) and not name.startswith("_") and name not in _UNTRANSLATED:
                setattr(cls, name, _translated(member))
    return cls


if TYPE_CHECKING:
    from jobs import FactSink
    from workflows import WorkflowStore


@_translating
class SqlWorkflowStore(OutboxTables, WatchTables, ApprovalTables, MemberTables, InviteTables):
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
