"""The facts the sync jobs record for the workflows, and the watcher that turns them into
notifications.

**The seam between the sync and the workflows.** ``jobs`` and ``workflows`` never import each
other. A job that learns something people must hear about — a document it wrote for the first
time, a company it newly blocked — records a *fact* through its own port
(``jobs.FactSink``), which the application wires to a journal in the state store. The fact is
recorded after Bitrix confirmed the write and before the job remembers it, so a crash in
between only records it again; its key (the business fact: ``document.ready:<guid>``) is
unique, so recording twice is harmless. The ``facts`` watcher reads the journal by id like any
other watched block and lets the policy of the fact's kind decide who is told
(:mod:`workflows.documents`, :mod:`workflows.credit`). The journal is why a job never waits for
Bitrix lookups of recipients, and why a notification is never lost between the job's write and
the outbox.

The kinds below are the whole vocabulary; ``jobs`` spells the same strings (a test checks that
both sides agree).
"""

from __future__ import annotations

from collections.abc import Sequence

import structlog

from ._context import PolicyContext
from ._cursor import Item
from ._ports import WorkflowStore
from .credit import credit_blocked
from .documents import document_ready
from .notifications import Notification

log = structlog.get_logger("workflows")

DOCUMENT_READY = "document.ready"
CREDIT_BLOCKED = "credit.blocked"
KINDS = (DOCUMENT_READY, CREDIT_BLOCKED)


class FactSource:
    """The journal as a watched source; it starts from the beginning (it only ever holds
    facts b2bsync recorded)."""

    def __init__(self, store: WorkflowStore) -> None:
        self.store = store

    async def newest(self) -> int:
        return self.store.newest_fact()

    async def after(self, cursor: int, limit: int) -> list[Item]:
        return [
            Item(f.id, {**f.data, "kind": f.kind, "key": f.key}, f.created_at)
            for f in self.store.facts_after(cursor, limit)
        ]


async def facts_policy(items: Sequence[Item], ctx: PolicyContext) -> list[Notification]:
    out: list[Notification] = []
    documents = [i for i in items if i.data.get("kind") == DOCUMENT_READY]
    blocked = [i for i in items if i.data.get("kind") == CREDIT_BLOCKED]
    for item in items:
        if item.data.get("kind") not in KINDS:
            log.warning("watch.facts.unknown_kind", id=item.id, kind=item.data.get("kind"))
    if documents:
        out += await document_ready(documents, ctx)
    if blocked:
        out += await credit_blocked(blocked, ctx)
    return out


__all__ = ["CREDIT_BLOCKED", "DOCUMENT_READY", "KINDS", "FactSource", "facts_policy"]
