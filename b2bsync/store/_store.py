"""The state store: :class:`jobs.SyncStore` over SQLAlchemy, plus leases and runs for the runner.

Every method is one short transaction that commits before it returns, so a process killed at
any point leaves the store as of its last completed call. Calls are synchronous; the jobs call
them from async code, and each takes milliseconds.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import structlog
from sqlalchemy import Select, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError, StatementError
from sqlalchemy.sql.schema import Table

from jobs import FEEDS, CreditSeen, IndexedOrder, JobResult, Known, QuarantineEntry, SyncStore

from . import _orders
from ._engine import make_engine
from ._errors import StoreError, StoreNotFound, StoreUnavailable
from ._json import fingerprint
from ._leases import LeaseMethods
from ._migrate import upgrade
from ._models import (
    credit_freshness,
    job_runs,
    order_index,
    order_index_items,
    sync_cursors,
    sync_quarantine,
    sync_records,
)
from ._records import FINAL_STATUSES, Fence, RunRecord, RunStatus
from ._url import StoreURL, parse_store_url

log = structlog.get_logger()

Clock = Callable[[], datetime]
_CHUNK = 500  # keys per IN (…) list: far below SQLite's and PostgreSQL's parameter limits


def utc_now() -> datetime:
    return datetime.now(UTC)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _feed(feed: str) -> str:
    """Feeds are a closed set (``jobs.FEEDS``); a typo would otherwise start a new empty feed."""
    if feed not in FEEDS:
        raise ValueError(f"unknown feed {feed!r}; feeds are {', '.join(FEEDS)}")
    return feed


def _ident(key: str | None, raw: Any, scope: str) -> str:
    """What makes a quarantine entry unique within its feed: the key, or for a record with no
    readable key, a digest of its raw form (so the same broken record refreshes one entry)."""
    return f"k:{key}" if key is not None else f"h:{fingerprint(raw, scope)}"


def _entry(row: Row[Any]) -> QuarantineEntry:
    return QuarantineEntry(
        feed=row.feed,
        key=row.key,
        reason=row.reason,
        raw=row.raw,
        scope=row.scope,
        changed_at=row.changed_at,
        attempts=row.attempts,
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        retry=row.retry,
    )


class Store(LeaseMethods):
    """Open with :meth:`open`; one instance is safe to share between threads."""

    def __init__(
        self,
        engine: Engine,
        url: StoreURL,
        clock: Clock = utc_now,
        *,
        database_clock: bool = False,
    ) -> None:
        self._engine = engine
        self._url = url
        self.clock = clock
        self._database_clock = database_clock
        self._fence: Fence | None = None
        self._lock: AbstractContextManager[Any] = (
            threading.RLock() if url.is_memory else nullcontext()
        )

    @classmethod
    def open(
        cls,
        url: str,
        *,
        create: bool = True,
        clock: Clock | None = None,
        database_clock: bool | None = None,
    ) -> Store:
        """Connect and migrate to the newest schema.

        ``create=False`` (the read-only operator commands) refuses a SQLite file that does not
        exist yet, rather than leaving an empty database wherever the command was run.

        Lease times come from the database's clock on PostgreSQL (``database_clock`` default),
        unless a ``clock`` is injected (tests), which then rules everything.
        """
        parsed = parse_store_url(url)
        path = parsed.sqlite_path
        if path is not None:
            if not path.exists() and not create:
                raise StoreNotFound(
                    f"no state store at {path.resolve()} (nothing has synced here yet, or "
                    "state.url / B2BSYNC_STATE__URL points elsewhere)"
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                # a new file is the owner's only, whatever the umask (SQLite gives its -wal
                # and -shm files the database file's mode)
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
            except OSError as exc:
                raise StoreError(f"cannot create {path}: {exc.strerror}") from exc
        engine = make_engine(parsed)
        if database_clock is None:
            database_clock = parsed.dialect == "postgresql" and clock is None
        store = cls(engine, parsed, clock or utc_now, database_clock=database_clock)
        try:
            with store._translated():
                upgrade(engine, parsed.display)
        except BaseException:
            engine.dispose()
            raise
        log.debug("store.opened", url=parsed.display)
        return store

    @property
    def url(self) -> str:
        """The database URL without its password."""
        return self._url.display

    @property
    def dialect(self) -> str:
        return self._url.dialect

    @property
    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        if self._fence is None:  # a fenced view shares its store's engine
            self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        moment = self.clock()
        if moment.tzinfo is None:
            raise ValueError("the store's clock must return aware datetimes")
        return moment.astimezone(UTC)

    # -- transactions ---------------------------------------------------------------------

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """The one place database exceptions become store errors (chained)."""
        try:
            yield
        except OperationalError as exc:
            raise StoreUnavailable(f"state store {self.url}: {_first_line(exc)}") from exc
        except DBAPIError as exc:
            raise StoreError(f"state store {self.url}: {_first_line(exc)}") from exc
        except StatementError as exc:
            if isinstance(exc.orig, ValueError):  # a value the columns refuse: the caller's bug
                raise ValueError(str(exc.orig)) from exc
            raise StoreError(f"state store {self.url}: {exc}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"state store {self.url}: {exc}") from exc

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Connection]:
        """A connection in a transaction that commits on leaving the block.

        On a fenced view (:meth:`fenced`) a write transaction first checks the run's leases,
        so a run that lost them commits nothing (:class:`LeaseLost`)."""
        with self._translated(), self._lock, self._engine.connect() as connection:
            connection.execution_options(b2bsync_write=write)
            with connection.begin():
                if write and self._fence is not None:
                    self._verify(connection, self._fence)
                yield connection

    def _insert(self, table: Table) -> sqlite.Insert | postgresql.Insert:
        if self.dialect == "sqlite":
            return sqlite.insert(table)
        return postgresql.insert(table)

    def _upsert(
        self,
        connection: Connection,
        table: Table,
        rows: Sequence[dict[str, Any]],
        keys: Sequence[str],
    ) -> None:
        if not rows:
            return
        stmt = self._insert(table)
        columns = [name for name in rows[0] if name not in keys]
        stmt = stmt.on_conflict_do_update(
            index_elements=list(keys), set_={name: stmt.excluded[name] for name in columns}
        )
        connection.execute(stmt, list(rows))

    # -- cursors ----------------------------------------------------------------------------

    def cursor(self, feed: str, scope: str = "") -> datetime | None:
        _feed(feed)
        c = sync_cursors.c
        with self.transaction(write=False) as conn:
            value: datetime | None = conn.execute(
                select(c.value).where(c.feed == feed, c.scope == scope)
            ).scalar_one_or_none()
        return value

    def set_cursor(self, feed: str, scope: str, value: datetime) -> None:
        row = {"feed": _feed(feed), "scope": scope, "value": value, "updated_at": self.now()}
        with self.transaction() as conn:
            self._upsert(conn, sync_cursors, [row], ("feed", "scope"))

    def cursors(self, feed: str | None = None) -> dict[tuple[str, str], datetime]:
        """Every saved cursor, keyed by (feed, scope)."""
        c = sync_cursors.c
        query = select(c.feed, c.scope, c.value)
        if feed is not None:
            query = query.where(c.feed == feed)
        with self.transaction(write=False) as conn:
            return {(r.feed, r.scope): r.value for r in conn.execute(query)}

    def newest_cursors(self) -> dict[str, datetime]:
        """Each feed's newest cursor over all its scopes."""
        c = sync_cursors.c
        query = select(c.feed, func.max(c.value)).group_by(c.feed)
        with self.transaction(write=False) as conn:
            return {feed: value for feed, value in conn.execute(query)}

    # -- remembered records ---------------------------------------------------------------

    def known(self, feed: str, keys: Iterable[str]) -> dict[str, Known]:
        _feed(feed)
        wanted = sorted(set(keys))
        c = sync_records.c
        found: dict[str, Known] = {}
        with self.transaction(write=False) as conn:
            for chunk in _chunks(wanted):
                rows = conn.execute(select(sync_records).where(c.feed == feed, c.key.in_(chunk)))
                found.update((r.key, _known(r)) for r in rows)
        return found

    def known_in_scope(self, feed: str, scope: str) -> dict[str, Known]:
        _feed(feed)
        c = sync_records.c
        with self.transaction(write=False) as conn:
            rows = conn.execute(select(sync_records).where(c.feed == feed, c.scope == scope))
            return {r.key: _known(r) for r in rows}

    def remember(self, feed: str, records: Sequence[Known]) -> None:
        _feed(feed)
        now = self.now()
        latest = {
            k.key: {
                "feed": feed,
                "key": k.key,
                "hash": k.hash,
                "bitrix_id": k.bitrix_id,
                "scope": k.scope,
                "deleted": k.deleted,
                "updated_at": now,
            }
            for k in records
        }
        with self.transaction() as conn:
            self._upsert(conn, sync_records, list(latest.values()), ("feed", "key"))

    # -- quarantine -----------------------------------------------------------------------

    def quarantine(
        self,
        feed: str,
        key: str | None,
        reason: str,
        raw: Any,
        scope: str = "",
        changed_at: datetime | None = None,
    ) -> None:
        _feed(feed)
        now = self.now()
        t = sync_quarantine
        stmt = self._insert(t).values(
            feed=feed,
            ident=_ident(key, raw, scope),
            key=key,
            scope=scope,
            reason=reason,
            raw=raw,
            changed_at=changed_at,
            attempts=1,
            first_seen=now,
            last_seen=now,
            retry=False,
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[t.c.feed, t.c.ident],
            set_={
                "scope": stmt.excluded.scope,
                "reason": stmt.excluded.reason,
                "raw": stmt.excluded.raw,
                "changed_at": func.coalesce(stmt.excluded.changed_at, t.c.changed_at),
                "attempts": t.c.attempts + 1,
                "last_seen": stmt.excluded.last_seen,
                "retry": False,
            },
        )
        with self.transaction() as conn:
            conn.execute(stmt)
        log.debug("store.quarantined", feed=feed, key=key, scope=scope, reason=reason)

    def clear_quarantine(self, feed: str, keys: Iterable[str]) -> None:
        _feed(feed)
        idents = sorted({f"k:{key}" for key in keys})
        c = sync_quarantine.c
        with self.transaction() as conn:
            for chunk in _chunks(idents):
                conn.execute(delete(sync_quarantine).where(c.feed == feed, c.ident.in_(chunk)))

    def quarantined(self, feed: str) -> list[QuarantineEntry]:
        return self.quarantine_entries(_feed(feed))

    def retry_requested(self, feed: str) -> list[QuarantineEntry]:
        return self.quarantine_entries(_feed(feed), retry_only=True)

    def quarantine_entries(
        self, feed: str | None = None, *, retry_only: bool = False
    ) -> list[QuarantineEntry]:
        """Entries of one feed or of all, oldest first."""
        c = sync_quarantine.c
        query = select(sync_quarantine).order_by(c.feed, c.first_seen, c.id)
        if feed is not None:
            query = query.where(c.feed == _feed(feed))
        if retry_only:
            query = query.where(c.retry.is_(True))
        with self.transaction(write=False) as conn:
            return [_entry(r) for r in conn.execute(query)]

    def quarantine_counts(self) -> dict[str, int]:
        c = sync_quarantine.c
        with self.transaction(write=False) as conn:
            rows = conn.execute(select(c.feed, func.count()).group_by(c.feed))
            return {feed: count for feed, count in rows}

    def request_retry(self, feed: str | None = None, key: str | None = None) -> int:
        """Mark entries for retry (all, one feed's, or one key's); returns how many."""
        c = sync_quarantine.c
        stmt = update(sync_quarantine).values(retry=True)
        if feed is not None:
            stmt = stmt.where(c.feed == _feed(feed))
        if key is not None:
            stmt = stmt.where(c.key == key)
        with self.transaction() as conn:
            marked = conn.execute(stmt).rowcount
        log.debug("store.retry_requested", feed=feed, key=key, marked=marked)
        return marked

    # -- credit freshness -----------------------------------------------------------------

    def note_credit(self, seen: CreditSeen) -> None:
        row = {
            "company_key": seen.key,
            "source_at": seen.source_at,
            "synced_at": seen.synced_at,
            "blocked": seen.blocked,
        }
        with self.transaction() as conn:
            self._upsert(conn, credit_freshness, [row], ("company_key",))

    def credit_seen(self) -> list[CreditSeen]:
        c = credit_freshness.c
        with self.transaction(write=False) as conn:
            rows = conn.execute(select(credit_freshness).order_by(c.company_key))
            return [CreditSeen(r.company_key, r.source_at, r.synced_at, r.blocked) for r in rows]

    # -- order index ----------------------------------------------------------------------

    def index_orders(self, orders: Sequence[IndexedOrder]) -> None:
        latest = {order.order_id: order for order in orders}
        if not latest:
            return
        now = self.now()
        rows = [_orders.order_row(order, now) for order in latest.values()]
        items = [item for order in latest.values() for item in _orders.item_rows(order)]
        ids = sorted(latest)
        with self.transaction() as conn:
            self._upsert(conn, order_index, rows, ("order_id",))
            for chunk in _chunks(ids):
                conn.execute(
                    delete(order_index_items).where(order_index_items.c.order_id.in_(chunk))
                )
            if items:
                conn.execute(insert(order_index_items), items)

    def search_orders(
        self,
        company_id: int | None = None,
        number: str | None = None,
        article: str | None = None,
        status: str | None = None,
        date_from: datetime | None = None,
        date_to: datetime | None = None,
        manager_id: int | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[IndexedOrder]:
        """Orders newest first (``date_insert``, then id). ``number`` matches the account number
        or any number it begins (case-insensitive); ``article`` any basket line's article
        exactly (case-insensitive); ``date_from`` inclusive, ``date_to`` exclusive; ``manager_id``
        is the order's responsible user. Every filter combines with the others."""
        query = _orders.search_query(
            company_id=company_id,
            number=number,
            article=article,
            status=status,
            date_from=date_from,
            date_to=date_to,
            manager_id=manager_id,
            limit=limit,
            offset=offset,
        )
        with self.transaction(write=False) as conn:
            rows = list(conn.execute(query))
            return _orders.with_items(conn, rows)

    def analyze(self) -> None:
        """Refresh the planner's statistics (after a bulk load; PostgreSQL's autovacuum and
        SQLite's ``PRAGMA optimize`` do it on their own in time)."""
        with self.transaction() as conn:
            conn.exec_driver_sql("ANALYZE")

    def indexed_orders(self) -> int:
        with self.transaction(write=False) as conn:
            count: int = conn.execute(select(func.count()).select_from(order_index)).scalar_one()
        return count

    # -- runs -----------------------------------------------------------------------------

    def start_run(self, job: str, holder: str) -> int:
        """Record a run as ``running``; the caller holds (and keeps renewing) a lease as
        ``holder``, which is how a crashed run is later told from a live one."""
        with self.transaction() as conn:
            result = conn.execute(
                insert(job_runs).values(
                    job=job,
                    holder=holder,
                    started_at=self.now(),
                    status="running",
                    counts={},
                    errors=[],
                    notes={},
                )
            )
            run_id = result.inserted_primary_key[0] if result.inserted_primary_key else None
        assert isinstance(run_id, int)
        return run_id

    def finish_run(self, run_id: int, result: JobResult, status: str | None = None) -> None:
        """Close a run with its counts; ``status`` defaults to stopped / failed / ok from the
        result."""
        if status is None:
            status = "stopped" if result.stopped else ("ok" if result.ok else "failed")
        if status not in FINAL_STATUSES:
            raise ValueError(
                f"a run finishes as one of {', '.join(FINAL_STATUSES)}, not {status!r}"
            )
        stmt = (
            update(job_runs)
            .where(job_runs.c.id == run_id)
            .values(
                ended_at=self.now(),
                status=status,
                counts=dict(result.counts),
                errors=list(result.errors),
                notes=dict(result.notes),
            )
        )
        with self.transaction() as conn:
            if not conn.execute(stmt).rowcount:
                raise StoreError(f"no job run with id {run_id}")

    def prune_runs(self, before: datetime) -> int:
        """Delete finished runs that ended before ``before`` (the newest run of each job stays,
        so `status` keeps its last run); returns how many went."""
        c = job_runs.c
        newest = select(func.max(c.id)).group_by(c.job)
        stmt = delete(job_runs).where(
            c.ended_at.is_not(None), c.ended_at < before, c.id.not_in(newest)
        )
        with self.transaction() as conn:
            return int(conn.execute(stmt).rowcount)

    def runs(self, job: str | None = None, limit: int = 20) -> list[RunRecord]:
        """Newest first."""
        c = job_runs.c
        query: Select[Any] = select(job_runs).order_by(c.id.desc()).limit(limit)
        if job is not None:
            query = query.where(c.job == job)
        return self._runs(query)

    def last_runs(self) -> dict[str, RunRecord]:
        """The newest run of every job that ever ran."""
        c = job_runs.c
        newest = select(func.max(c.id)).group_by(c.job)
        records = self._runs(select(job_runs).where(c.id.in_(newest)).order_by(c.job))
        return {r.job: r for r in records}

    def last_ok_runs(self) -> dict[str, datetime]:
        """When each job last finished ``ok``."""
        c = job_runs.c
        query = select(c.job, func.max(c.ended_at)).where(c.status == "ok").group_by(c.job)
        with self.transaction(write=False) as conn:
            return {job: ended for job, ended in conn.execute(query) if ended}

    def _runs(self, query: Select[Any]) -> list[RunRecord]:
        with self.transaction(write=False) as conn:
            rows = list(conn.execute(query))
            live = self.live_holders(conn)
        return [_run(r, live) for r in rows]


def _run(row: Row[Any], live_holders: set[str]) -> RunRecord:
    status: RunStatus = row.status
    if status == "running" and row.holder not in live_holders:
        status = "interrupted"
    return RunRecord(
        id=row.id,
        job=row.job,
        holder=row.holder,
        started_at=row.started_at,
        ended_at=row.ended_at,
        status=status,
        counts=dict(row.counts),
        errors=list(row.errors),
        notes=dict(row.notes),
    )


def _known(row: Row[Any]) -> Known:
    return Known(
        key=row.key,
        hash=row.hash,
        bitrix_id=row.bitrix_id,
        scope=row.scope,
        deleted=row.deleted,
    )


def _first_line(exc: DBAPIError) -> str:
    text = str(exc.orig if exc.orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


if TYPE_CHECKING:

    def _implements_the_jobs_protocol(store: Store) -> SyncStore:
        return store  # mypy checks every SyncStore method's signature here
