"""The migrations create exactly the tables the code declares, and run safely on every open."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Index, MetaData, String, inspect, text

from b2bsync.store import Store, StoreError
from b2bsync.store._migrate import alembic_config, current_revision, head_revision
from b2bsync.store._models import metadata

from .conftest import BACKENDS, pg_schema


def _diff(store: Store, target: MetaData) -> list[object]:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, target))


def test_models_and_migrations_agree(store: Store):
    assert _diff(store, metadata) == []


def test_the_comparison_would_notice_a_difference(store: Store):
    changed = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        table.to_metadata(changed)
    jobs = changed.tables["job_runs"]
    jobs.append_column(Column("host", String(50), nullable=True))
    Index("ix_job_runs_status", jobs.c.status)
    diff = _diff(store, changed)
    assert [entry[0] for entry in diff] == ["add_column", "add_index"]  # type: ignore[index]


def test_a_store_is_at_the_single_head(store: Store):
    assert head_revision() == "0004"
    with store.engine.connect() as conn:
        assert current_revision(conn) == "0004"
    tables = set(inspect(store.engine).get_table_names())
    assert tables == {t.name for t in metadata.sorted_tables} | {"alembic_version"}


def test_opening_again_changes_nothing(store_url: str, store: Store):
    store.set_cursor("orders", "", store.now())
    again = Store.open(store_url)
    try:
        assert again.cursor("orders") == store.now()
    finally:
        again.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_downgrade_and_upgrade_round_trip(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
):
    def check(url: str) -> None:
        store = Store.open(url)
        try:
            with store.engine.begin() as conn:
                command.downgrade(alembic_config(conn), "base")
            assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
        finally:
            store.close()
        reopened = Store.open(url)
        try:
            assert _diff(reopened, metadata) == []
        finally:
            reopened.close()

    if backend == "sqlite":
        check(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    else:
        with pg_schema(request.getfixturevalue("pg_user")) as url:
            check(url)


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    Store.open(url).close()
    store = Store.open(url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    store.close()
    with pytest.raises(StoreError, match="revision '0099', which this b2bsync does not know"):
        Store.open(url)
