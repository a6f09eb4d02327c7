"""Store tests run against SQLite and PostgreSQL (127.0.0.1:5432, trust auth, database `test`).

Each test module gets a fresh PostgreSQL schema (dropped afterwards) and a fresh SQLite file;
every test starts from empty tables. Without a reachable server the PostgreSQL half is skipped
with the reason, except under CI (``CI=true``), where that fails the run.
"""

from __future__ import annotations

import getpass
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import psycopg
import pytest
from sqlalchemy import Table, delete

from b2bsync.store import Store
from b2bsync.store._models import metadata

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_DATABASE = "test"


class FakeClock:
    """The store's clock, moved by hand (no test sleeps)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2025, 3, 10, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def _pg_user() -> str:
    """The first of ``postgres`` and the OS user the server lets in; skip (or fail under CI)."""
    reasons = []
    for user in dict.fromkeys(["postgres", getpass.getuser()]):
        try:
            with psycopg.connect(
                host=PG_HOST, port=PG_PORT, user=user, dbname=PG_DATABASE, connect_timeout=3
            ):
                return user
        except psycopg.Error as exc:
            reasons.append(f"{user}: {str(exc).strip().splitlines()[0]}")
    reason = f"PostgreSQL not reachable at {PG_HOST}:{PG_PORT}: {'; '.join(reasons)}"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _admin(user: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=user, dbname=PG_DATABASE, autocommit=True
    )


@contextmanager
def pg_schema(user: str) -> Iterator[str]:
    """A new, empty schema; yields the store URL that uses it; drops it afterwards."""
    schema = f"b2bsync_test_{uuid.uuid4().hex[:12]}"
    with _admin(user) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        options = quote(f"-csearch_path={schema}")
        yield f"postgresql://{user}@{PG_HOST}:{PG_PORT}/{PG_DATABASE}?options={options}"
    finally:
        with _admin(user) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session")
def pg_user() -> str:
    return _pg_user()


@pytest.fixture(scope="module")
def pg_url(pg_user: str) -> Iterator[str]:
    with pg_schema(pg_user) as url:
        yield url


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database shared by one module's tests (tables emptied per test)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('state') / 'state.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_url")
    Store.open(url).close()
    return url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def empty(store: Store, *, but: Table | None = None) -> None:
    with store.transaction() as conn:
        for table in reversed(metadata.sorted_tables):
            if table is not but:
                conn.execute(delete(table))


@pytest.fixture
def store(store_url: str, clock: FakeClock) -> Iterator[Store]:
    opened = Store.open(store_url, clock=clock)
    empty(opened)
    try:
        yield opened
    finally:
        opened.close()
