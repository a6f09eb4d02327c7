"""Engines for the two databases, with the transaction behaviour the store relies on.

SQLite: Python's sqlite3 module would start transactions lazily and upgrade a read lock to a
write lock mid-transaction (where two writers deadlock into ``database is locked``). The driver's
own transaction handling is switched off and the store issues ``BEGIN IMMEDIATE`` for writes —
one writer at a time, waiting up to the busy timeout — and a plain ``BEGIN`` for reads. Files run
in WAL mode so ``b2bsync status`` reads while a sync writes.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from . import _json
from ._url import StoreURL

BUSY_TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 10


def make_engine(url: StoreURL) -> Engine:
    options: dict[str, Any] = {"json_serializer": _json.dumps}
    if url.dialect == "sqlite":
        connect_args: dict[str, Any] = {"timeout": BUSY_TIMEOUT_S, "check_same_thread": False}
        if url.is_memory:
            options["poolclass"] = StaticPool
        engine = create_engine(url.url, connect_args=connect_args, **options)
        _sqlite_transactions(engine, wal=not url.is_memory)
        return engine
    connect_args = {}
    if "connect_timeout" not in url.url.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    return create_engine(url.url, pool_pre_ping=True, connect_args=connect_args, **options)


def _sqlite_transactions(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        if wal:
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            dbapi_connection.execute("PRAGMA synchronous=NORMAL")
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        write = connection.get_execution_options().get("b2bsync_write", True)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
