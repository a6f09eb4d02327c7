"""Opening a store: URLs, where the SQLite file goes, what errors say; the [state] settings."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from b2bsync import ConfigError
from b2bsync.settings import Settings, StateSettings, load_settings
from b2bsync.store import Store, StoreError, StoreNotFound, StoreUnavailable
from b2bsync.store._open import open_store
from b2bsync.store._url import parse_store_url


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("postgresql://u@db/b2b", "postgresql+psycopg"),
        ("postgres://u@db/b2b", "postgresql+psycopg"),
        ("postgresql+psycopg://u@db/b2b", "postgresql+psycopg"),
        ("sqlite:///./b2bsync.sqlite3", "sqlite+pysqlite"),
        ("sqlite:////var/lib/b2bsync/state.db", "sqlite+pysqlite"),
        ("sqlite://", "sqlite+pysqlite"),
    ],
)
def test_urls_are_normalised(given: str, driver: str):
    assert parse_store_url(given).url.drivername == driver


def test_relative_and_absolute_sqlite_paths():
    assert parse_store_url("sqlite:///./b2bsync.sqlite3").sqlite_path == Path("./b2bsync.sqlite3")
    assert parse_store_url("sqlite:////var/lib/b/s.db").sqlite_path == Path("/var/lib/b/s.db")
    assert parse_store_url("sqlite://").sqlite_path is None
    assert parse_store_url("postgresql://u@h/d").sqlite_path is None


def test_the_password_never_shows():
    url = parse_store_url("postgresql://b2b:s3cr3t-pass@db:5432/state")
    assert "s3cr3t-pass" not in url.display
    assert url.display == "postgresql+psycopg://b2b:***@db:5432/state"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("mysql://u@h/d", "unsupported database 'mysql'"),
        ("postgresql+psycopg2://u@h/d", r"unsupported database 'postgresql\+psycopg2'"),
        ("not a url", "not a database URL"),
        ("postgresql://u@h", "names no PostgreSQL database"),
    ],
)
def test_bad_urls_are_configuration_errors(given: str, message: str):
    with pytest.raises(ConfigError, match=message):
        parse_store_url(given)


def test_open_creates_the_directory_of_a_new_sqlite_file(tmp_path: Path):
    path = tmp_path / "deep" / "er" / "state.sqlite3"
    with Store.open(f"sqlite:///{path}") as store:
        assert store.dialect == "sqlite"
        assert store.cursor("orders") is None
    assert path.is_file()


def test_a_relative_path_is_under_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    Store.open("sqlite:///./b2bsync.sqlite3").close()
    assert (tmp_path / "b2bsync.sqlite3").is_file()


def test_read_only_commands_do_not_create_a_store(tmp_path: Path):
    path = tmp_path / "missing" / "state.sqlite3"
    with pytest.raises(StoreNotFound, match=f"no state store at {path}") as caught:
        Store.open(f"sqlite:///{path}", create=False)
    assert isinstance(caught.value, ConfigError)  # the CLI exits 2
    assert not path.parent.exists()


def test_an_in_memory_store_works_across_threads():
    from concurrent.futures import ThreadPoolExecutor

    with Store.open("sqlite://") as store:
        with ThreadPoolExecutor(4) as pool:
            taken = list(pool.map(lambda n: store.acquire_lease("job", f"h{n}", 60), range(8)))
        assert sum(lease is not None for lease in taken) == 1


def test_an_unreachable_postgresql_is_unavailable_not_a_crash():
    with pytest.raises(StoreUnavailable, match=r"state store postgresql\+psycopg://b2b:\*\*\*@"):
        Store.open("postgresql://b2b:hunter2@127.0.0.1:1/state?connect_timeout=2")


def test_an_unwritable_directory_is_a_store_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot create"):
        Store.open(f"sqlite:///{blocker / 'sub' / 'state.sqlite3'}")


def test_state_settings_defaults():
    state = Settings(_env_file=None).state  # type: ignore[call-arg]
    assert state.url.get_secret_value() == "sqlite:///./b2bsync.sqlite3"
    assert state.lease_ttl == timedelta(minutes=5)
    assert state.stale_credit_after == timedelta(hours=6)


def test_state_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("B2BSYNC_CONFIG", raising=False)
    monkeypatch.setenv("B2BSYNC_STATE__URL", f"sqlite:///{tmp_path / 's.db'}")
    monkeypatch.setenv("B2BSYNC_STATE__LEASE_TTL", "120")
    monkeypatch.setenv("B2BSYNC_STATE__STALE_CREDIT_AFTER", "PT2H")
    state = load_settings().state
    assert state.lease_ttl == timedelta(minutes=2)
    assert state.stale_credit_after == timedelta(hours=2)
    assert "s.db" not in repr(state)  # the URL may hold a password: kept secret
    with open_store(state) as store:
        assert store.url == f"sqlite+pysqlite:///{tmp_path / 's.db'}"


def test_state_settings_from_toml(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    for name in ("B2BSYNC_STATE__URL", "B2BSYNC_STATE__LEASE_TTL", "B2BSYNC_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "b2bsync.toml"
    config.write_text('[state]\nurl = "postgresql://b2b@db/state"\nlease_ttl = 900\n')
    state = load_settings(config).state
    assert state.url.get_secret_value() == "postgresql://b2b@db/state"
    assert state.lease_ttl == timedelta(minutes=15)


def test_a_non_positive_duration_is_a_config_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("B2BSYNC_CONFIG", raising=False)
    monkeypatch.setenv("B2BSYNC_STATE__LEASE_TTL", "0")
    with pytest.raises(ConfigError, match=r"state\.lease_ttl"):
        load_settings()


def test_state_settings_model_is_exported():
    assert StateSettings().lease_ttl == timedelta(minutes=5)


def test_a_new_sqlite_store_is_the_owners_only(tmp_path: Path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        store = Store.open(f"sqlite:///{tmp_path / 'state.sqlite3'}")
        store.set_cursor("orders", "", store.now())
        store.close()
    finally:
        os.umask(old)
    for name in ("state.sqlite3", "state.sqlite3-wal"):
        path = tmp_path / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
