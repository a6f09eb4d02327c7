"""Bringing a database to the newest schema with Alembic, programmatically.

The whole upgrade runs in one transaction under a lock — ``BEGIN IMMEDIATE`` on SQLite, a
transaction-scoped advisory lock on PostgreSQL — so processes opening a fresh store at the same
moment migrate it once, one after the other.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from ._errors import StoreError

MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK_KEY = 0x6232_6273_7374  # "b2bsst": one advisory lock for every b2bsync migration


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, display: str) -> None:
    with engine.connect() as connection:
        connection.execution_options(b2bsync_write=True)
        with connection.begin():
            if engine.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
            current = current_revision(connection)
            if current == head_revision():
                return
            try:
                command.upgrade(alembic_config(connection), "head")
            except CommandError as exc:
                raise StoreError(
                    f"state store {display} is at schema revision {current!r}, which this "
                    f"b2bsync does not know (written by a newer version?): {exc}"
                ) from exc
