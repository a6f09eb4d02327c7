"""What a sync job needs from the outside, as protocols: the state store and progress reporting.

The jobs package never imports the application; ``b2bsync.store`` implements :class:`SyncStore`
over SQLAlchemy (SQLite or PostgreSQL) and the CLI implements :class:`Progress`.
:mod:`jobs.testing` has an in-memory store for tests of the jobs themselves.

Semantics every implementation keeps:

- ``remember`` is called only after Bitrix confirmed the writes it records; ``set_cursor`` only
  after every record up to that cursor is remembered or quarantined. Each call commits on its own,
  so a process killed at any point leaves a consistent (if older) state.
- Natural keys are 1C GUIDs (companies, documents, credit) or Bitrix order ids as text (orders).
- A quarantined record stays until a later run processes the same key successfully
  (``clear_quarantine``) or an operator retries it.

:class:`FactSink` is how a job tells the workflows something people must hear about (a document
written for the first time, a company newly blocked) without importing them: the application
wires it to a journal the workflows' watcher reads. A job records a fact after Bitrix confirmed
the write and *before* it remembers the record (``remember``, ``note_credit``), so a crash in
between records it again on the next run; ``record_facts`` commits before it returns and ignores
a key it already holds, so recording twice is harmless. The kinds are :data:`FACT_KINDS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

FEEDS = ("companies", "documents", "credit", "orders")
#: What a job may record for the workflows (``workflows.facts`` spells the same strings).
DOCUMENT_READY = "document.ready"
CREDIT_BLOCKED = "credit.blocked"
FACT_KINDS = (DOCUMENT_READY, CREDIT_BLOCKED)


@dataclass(frozen=True)
class Known:
    """What was last written to Bitrix for one record: its content hash and the Bitrix row id."""

    key: str
    hash: str
    bitrix_id: int | None = None
    scope: str = ""
    deleted: bool = False


@dataclass(frozen=True)
class QuarantineEntry:
    """A record that could not be processed. ``changed_at`` (when 1C says it changed) lets a
    retry re-read its scope from that moment; ``retry`` is set by ``b2bsync quarantine retry``."""

    feed: str
    key: str | None
    reason: str
    raw: Any
    scope: str = ""
    changed_at: datetime | None = None
    attempts: int = 1
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    retry: bool = False


@dataclass(frozen=True)
class CreditSeen:
    """When 1C computed a company's credit position and when b2bsync wrote it to Bitrix."""

    key: str
    source_at: datetime
    synced_at: datetime
    blocked: bool = False


@dataclass(frozen=True)
class IndexedOrder:
    """One row of the local order index that ``b2bsync orders search`` reads."""

    order_id: int
    account_number: str
    company_id: int | None
    status_id: str
    date_insert: datetime
    date_update: datetime
    price: Decimal
    currency: str
    user_id: int | None = None
    responsible_id: int | None = None
    canceled: bool = False
    articles: tuple[str, ...] = ()
    product_names: tuple[str, ...] = ()


class SyncStore(Protocol):
    def cursor(self, feed: str, scope: str = "") -> datetime | None: ...

    def set_cursor(self, feed: str, scope: str, value: datetime) -> None: ...

    def known(self, feed: str, keys: Iterable[str]) -> dict[str, Known]:
        """The remembered state of these keys (missing keys are absent from the result)."""
        ...

    def known_in_scope(self, feed: str, scope: str) -> dict[str, Known]:
        """Every remembered record of a scope (e.g. one company's documents); for --full."""
        ...

    def remember(self, feed: str, records: Sequence[Known]) -> None: ...

    def quarantine(
        self,
        feed: str,
        key: str | None,
        reason: str,
        raw: Any,
        scope: str = "",
        changed_at: datetime | None = None,
    ) -> None:
        """Record (or refresh: attempts + 1) a record that could not be processed."""
        ...

    def clear_quarantine(self, feed: str, keys: Iterable[str]) -> None: ...

    def quarantined(self, feed: str) -> list[QuarantineEntry]: ...

    def retry_requested(self, feed: str) -> list[QuarantineEntry]:
        """Entries an operator asked to retry; the job re-reads their scopes from
        ``changed_at`` and clears each entry it then processes (or re-quarantines it)."""
        ...

    def note_credit(self, seen: CreditSeen) -> None: ...

    def credit_seen(self) -> list[CreditSeen]: ...

    def index_orders(self, orders: Sequence[IndexedOrder]) -> None: ...


@dataclass(frozen=True)
class Fact:
    """A business fact: ``kind`` (one of :data:`FACT_KINDS`), ``key`` naming the fact itself
    (``document.ready:<guid>`` — the same fact always has the same key) and what the workflows
    need to tell people about it."""

    kind: str
    key: str
    data: Mapping[str, Any] = field(default_factory=dict)


class FactSink(Protocol):
    def record_facts(self, facts: Sequence[Fact]) -> None:
        """Store new facts durably (a known key is ignored); commits before returning."""
        ...


class Progress(Protocol):
    """How a job reports as it goes (a progress bar on a terminal, JSON lines otherwise)."""

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, amount: int = 1) -> None: ...

    def event(self, name: str, **values: Any) -> None: ...


@dataclass
class JobResult:
    """Counts of one job run; ``ok`` is False when anything failed (not merely quarantined)."""

    job: str
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)
    stopped: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, name: str, amount: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + amount

    def merge_counts(self, counts: Mapping[str, int]) -> None:
        for name, amount in counts.items():
            self.add(name, amount)

    def example(self, name: str, value: Any, limit: int = 100) -> None:
        """Keep ``value`` as an example of what was counted under ``name`` (the first
        ``limit``)."""
        items = self.notes.setdefault(name, [])
        if isinstance(items, list) and len(items) < limit:
            items.append(value)
