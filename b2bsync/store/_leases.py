"""Job leases with fencing numbers, mixed into :class:`b2bsync.store.Store`.

A lease says which run may run a job until when. Taking it is one conditional upsert (two
callers can never both win); every time it passes to a new run its ``generation`` goes up. A run
keeps the :class:`Fence` it was given (holder + generations); a store view made with
:meth:`LeaseMethods.fenced` checks that fence inside the very transaction of each write, so a
run that was paused past its lease and taken over cannot checkpoint anything — and the runner
asks :meth:`LeaseMethods.check_fence` before each write to Bitrix.

Time: on PostgreSQL lease times come from the database's clock (``clock_timestamp()``), so
hosts with skewed clocks still agree on who holds a job; SQLite is local to one machine and uses
the store's clock. A store opened with an injected clock (tests) uses that clock throughout.

A released lease keeps its row, with an empty holder, so the generation never restarts.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Self

import structlog
from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.sql.schema import Table

from ._errors import LeaseLost
from ._models import job_leases
from ._records import Fence, Lease

log = structlog.get_logger()

FREE = ""  # the holder of a released lease


def lease_span(ttl: timedelta | float) -> timedelta:
    value = ttl if isinstance(ttl, timedelta) else timedelta(seconds=ttl)
    if value <= timedelta(0):
        raise ValueError(f"a lease needs a positive ttl, got {ttl!r}")
    return value


def _lease(row: Any) -> Lease:
    return Lease(row.job, row.holder, row.acquired_at, row.expires_at, row.generation)


_COLUMNS = (
    job_leases.c.job,
    job_leases.c.holder,
    job_leases.c.acquired_at,
    job_leases.c.expires_at,
    job_leases.c.generation,
)


class LeaseMethods:
    """Leases and fencing; :class:`Store` supplies the transactions and the clock."""

    _database_clock: bool
    _fence: Fence | None

    if TYPE_CHECKING:

        @property
        def dialect(self) -> str: ...

        def now(self) -> datetime: ...

        def transaction(self, *, write: bool = True) -> AbstractContextManager[Connection]: ...

        def _insert(self, table: Table) -> sqlite.Insert | postgresql.Insert: ...

    # -- time -----------------------------------------------------------------------------

    def lease_now(self, conn: Connection) -> datetime:
        """Now, for lease times: the database's clock on PostgreSQL, else the store's."""
        if not self._database_clock:
            return self.now()
        value: datetime = conn.execute(select(func.clock_timestamp())).scalar_one()
        return value.astimezone(UTC)

    @property
    def uses_database_clock(self) -> bool:
        return self._database_clock

    # -- taking, renewing, giving up ------------------------------------------------------

    def _take(
        self, conn: Connection, job: str, holder: str, now: datetime, ttl: timedelta
    ) -> Lease | None:
        t = job_leases
        stmt = self._insert(t).values(
            job=job, holder=holder, acquired_at=now, expires_at=now + ttl, generation=1
        )
        ours = t.c.holder == stmt.excluded.holder
        alive = t.c.expires_at > stmt.excluded.acquired_at
        still_ours = and_(ours, alive)
        take = stmt.on_conflict_do_update(
            index_elements=[t.c.job],
            set_={
                "holder": stmt.excluded.holder,
                "acquired_at": case((still_ours, t.c.acquired_at), else_=stmt.excluded.acquired_at),
                "expires_at": stmt.excluded.expires_at,
                # the same run extending its live lease keeps its number; anyone else is new
                "generation": case((still_ours, t.c.generation), else_=t.c.generation + 1),
            },
            where=or_(still_ours, t.c.holder == FREE, ~alive),
        ).returning(*_COLUMNS)
        row = conn.execute(take).one_or_none()
        return None if row is None else _lease(row)

    def acquire_lease(self, job: str, holder: str, ttl: timedelta | float) -> Lease | None:
        """Take ``job`` for ``holder`` unless another holder's lease is still alive.

        One conditional upsert: concurrent callers (threads, processes, hosts) cannot both
        win. The same holder acquiring its live lease again extends it (same generation).
        """
        leases = self.acquire_leases([job], holder, ttl)
        return None if leases is None else leases[0]

    def acquire_leases(
        self, jobs: Iterable[str], holder: str, ttl: timedelta | float
    ) -> list[Lease] | None:
        """All of these jobs' leases, or none (``sync all`` takes every job it runs)."""
        span = lease_span(ttl)
        if not holder:
            raise ValueError("a lease holder needs a name")
        names = sorted(set(jobs))  # one order everywhere, so two callers never deadlock
        with self.transaction() as conn:
            now = self.lease_now(conn)
            taken: list[Lease] = []
            for job in names:
                lease = self._take(conn, job, holder, now, span)
                if lease is None:
                    conn.rollback()
                    log.debug("store.lease_busy", job=job, holder=holder)
                    return None
                taken.append(lease)
        log.debug("store.lease_acquired", jobs=names, holder=holder)
        return taken

    def renew_lease(self, job: str, holder: str, ttl: timedelta | float) -> Lease | None:
        """Extend ``holder``'s lease; None when it was taken over (the holder must stop).

        A lease that expired but was not taken over is still the holder's and renews.
        """
        leases = self.renew_leases([job], holder, ttl)
        return None if leases is None else leases[0]

    def renew_leases(
        self, jobs: Iterable[str], holder: str, ttl: timedelta | float
    ) -> list[Lease] | None:
        """Extend every one of these leases; None when any was lost (the holder must stop and
        release the rest)."""
        names = sorted(set(jobs))
        return self._renew(names, holder, None, ttl)

    def renew_fence(self, fence: Fence, ttl: timedelta | float) -> list[Lease] | None:
        """Extend a run's leases if every one still carries the run's generation; else None."""
        return self._renew(fence.jobs, fence.holder, fence, ttl)

    def _renew(
        self, names: list[str], holder: str, fence: Fence | None, ttl: timedelta | float
    ) -> list[Lease] | None:
        span = lease_span(ttl)
        t = job_leases
        mine = [t.c.job.in_(names), t.c.holder == holder, t.c.holder != FREE]
        if fence is not None:
            mine.append(_generations(fence))
        with self.transaction() as conn:
            now = self.lease_now(conn)
            stmt = update(t).where(*mine).values(expires_at=now + span).returning(*_COLUMNS)
            rows = list(conn.execute(stmt))
            if len(rows) < len(names):
                conn.rollback()
        if len(rows) < len(names):
            log.warning("store.lease_lost", jobs=names, holder=holder, kept=len(rows))
            return None
        return sorted((_lease(r) for r in rows), key=lambda lease: lease.job)

    def release_lease(self, job: str, holder: str) -> bool:
        """Give the lease up; False when ``holder`` no longer had it."""
        return bool(self.release_leases([job], holder))

    def release_leases(self, jobs: Iterable[str], holder: str) -> int:
        """Give these leases up at once (the next run need not wait for them to expire)."""
        t = job_leases
        names = sorted(set(jobs))
        if not holder:
            return 0
        with self.transaction() as conn:
            now = self.lease_now(conn)
            gone = conn.execute(
                update(t)
                .where(t.c.job.in_(names), t.c.holder == holder)
                .values(holder=FREE, expires_at=now)
            ).rowcount
        return int(gone)

    def leases(self, *, alive_only: bool = True) -> list[Lease]:
        """Held leases (and, with ``alive_only=False``, expired ones nobody released)."""
        t = job_leases
        query = select(*_COLUMNS).where(t.c.holder != FREE).order_by(t.c.job)
        with self.transaction(write=False) as conn:
            if alive_only:
                query = query.where(t.c.expires_at > self.lease_now(conn))
            return [_lease(r) for r in conn.execute(query)]

    def live_holders(self, conn: Connection) -> set[str]:
        t = job_leases
        now = self.lease_now(conn)
        found = conn.execute(select(t.c.holder).where(t.c.expires_at > now, t.c.holder != FREE))
        return {holder for (holder,) in found}

    # -- fencing ---------------------------------------------------------------------------

    def fenced(self, fence: Fence) -> Self:
        """A view of this store whose every write first checks, in its own transaction, that
        ``fence`` still holds (see :meth:`check_fence`). The view shares the connection pool;
        closing it does not close the store."""
        view = copy.copy(self)
        view._fence = fence
        return view

    @property
    def fence(self) -> Fence | None:
        return self._fence

    def check_fence(self, fence: Fence | None = None) -> None:
        """Raise :class:`LeaseLost` unless every lease of ``fence`` (default: this view's) is
        still held by its holder, at its generation, and not expired."""
        wanted = fence or self._fence
        if wanted is None:
            return
        with self.transaction(write=False) as conn:
            self._verify(conn, wanted)

    def _verify(self, conn: Connection, fence: Fence) -> None:
        t = job_leases
        now = self.lease_now(conn)
        query = select(t.c.job).where(
            t.c.job.in_(fence.jobs),
            t.c.holder == fence.holder,
            _generations(fence),
            t.c.expires_at > now,
        )
        if self.dialect == "postgresql":
            # a takeover (an update of these rows) waits until this transaction is over
            query = query.with_for_update(read=True)
        held = {job for (job,) in conn.execute(query)}
        missing = [job for job in fence.jobs if job not in held]
        if missing:
            raise LeaseLost(_lost_message(conn, missing, fence))


def _generations(fence: Fence) -> Any:
    t = job_leases
    return or_(*(and_(t.c.job == job, t.c.generation == n) for job, n in fence.generations.items()))


def _lost_message(conn: Connection, missing: Sequence[str], fence: Fence) -> str:
    t = job_leases
    rows = {r.job: r for r in conn.execute(select(*_COLUMNS).where(t.c.job.in_(missing)))}
    parts: list[str] = []
    for job in missing:
        row = rows.get(job)
        if row is None:
            parts.append(f"{job}: no lease")
        elif row.holder not in (FREE, fence.holder):
            parts.append(f"{job}: taken over by {row.holder}")
        elif row.generation != fence.generations[job]:
            by = row.holder if row.holder != FREE else "a run that has since ended"
            parts.append(f"{job}: taken over by {by}")
        elif row.holder == FREE:
            parts.append(f"{job}: the lease was released")
        else:
            parts.append(f"{job}: expired at {row.expires_at:%H:%M:%S} without renewal")
    return "lease lost (" + "; ".join(parts) + "); this run writes nothing more"
