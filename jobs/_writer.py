"""Upserting a chunk of records and recording the outcome in the store.

The rows go to ``BridgeAPI.upsert_many``: with bridge 1.1 that is ``b2bsync.item.upsert`` with
``ROWS``, hundreds of rows a request (so writes run at the site's speed, not at the cloud
bucket's request rate), with an older bridge 50 single upserts a ``batch``. Writers hand over up
to :data:`WRITE_ROWS` rows at a time.

Per row of the answer: confirmed → ``remember`` (hash, Bitrix ID) and ``clear_quarantine``;
rejected input (a skippable error) → ``quarantine`` with the one-line reason; a transient failure
(retries exhausted, answer lost) → the row's scope is reported failed so its cursor is not
advanced; a fatal error → the confirmed rows are still remembered, then the job stops.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog

from bitrix_client import FatalError, UpsertResult

from ._context import JobContext
from ._errors import JobFailed, fate
from ._ports import JobResult, Known
from ._values import one_line

log = structlog.get_logger()

#: Rows a job gives :func:`upsert_rows` at once (it sends them in requests of up to 500).
WRITE_ROWS = 500


@dataclass
class Row:
    """One record about to be written: its natural key, the fields sent and their hash."""

    key: str
    fields: dict[str, Any]
    hash: str
    scope: str = ""
    raw: Any = None
    changed_at: datetime | None = None
    deleted: bool = False


@dataclass
class Written:
    ids: dict[str, int] = field(default_factory=dict)
    failed_scopes: dict[str, str] = field(default_factory=dict)
    quarantined: list[str] = field(default_factory=list)


async def upsert_rows(
    ctx: JobContext,
    result: JobResult,
    *,
    feed: str,
    block: str,
    key: Sequence[str],
    rows: Sequence[Row],
    confirmed_hook: Callable[[list[tuple[Row, UpsertResult]]], None] | None = None,
) -> Written:
    """``confirmed_hook`` sees the confirmed rows before they are remembered (a job records
    its facts there: a crash after it only records them again)."""
    out = Written()
    if not rows:
        return out
    try:
        outcomes = await ctx.bitrix.bridge.upsert_many(block, key, [r.fields for r in rows])
    except FatalError as exc:
        raise JobFailed(f"writing {block}: {one_line(exc)}") from exc
    confirmed: list[Known] = []
    written: list[tuple[Row, UpsertResult]] = []
    fatal: BaseException | None = None
    for row, outcome in zip(rows, outcomes, strict=True):
        if isinstance(outcome, UpsertResult):
            confirmed.append(Known(row.key, row.hash, outcome.id, row.scope, row.deleted))
            written.append((row, outcome))
            out.ids[row.key] = outcome.id
            result.add({"unchanged": "already_current"}.get(outcome.action, outcome.action))
            continue
        what = fate(outcome)
        reason = one_line(outcome)
        if what == "skip":
            ctx.store.quarantine(feed, row.key, reason, row.raw, row.scope, row.changed_at)
            out.quarantined.append(row.key)
            result.add("quarantined")
            log.warning(f"sync.{feed}.rejected", key=row.key, reason=reason)
        elif what == "fatal":
            fatal = fatal or outcome
        else:
            out.failed_scopes.setdefault(row.scope, reason)
            result.add("failed")
    if written and confirmed_hook is not None:
        confirmed_hook(written)
    if confirmed:
        ctx.store.remember(feed, confirmed)
        ctx.store.clear_quarantine(feed, [k.key for k in confirmed])
    if fatal is not None:
        raise JobFailed(f"writing {block}: {one_line(fatal)}") from fatal
    return out
