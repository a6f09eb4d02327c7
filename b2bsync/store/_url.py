"""Which database a state URL names: SQLite (file or memory) or PostgreSQL through psycopg 3."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from .._errors import ConfigError

_POSTGRES_DRIVERS = {"postgresql", "postgres", "postgresql+psycopg"}
_SQLITE_DRIVERS = {"sqlite", "sqlite+pysqlite"}


@dataclass(frozen=True)
class StoreURL:
    """A parsed, normalised state URL. ``display`` hides the password."""

    url: URL

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    @property
    def is_memory(self) -> bool:
        return self.dialect == "sqlite" and self.url.database in (None, "", ":memory:")

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file (relative paths against the working directory), or None."""
        if self.dialect != "sqlite" or self.is_memory:
            return None
        assert self.url.database is not None
        return Path(self.url.database)

    @property
    def display(self) -> str:
        return self.url.render_as_string(hide_password=True)


def parse_store_url(text: str) -> StoreURL:
    """Normalise ``postgresql://``/``postgres://`` to psycopg 3; refuse other databases."""
    try:
        url = make_url(text.strip())
    except ArgumentError:
        raise ConfigError(
            "state.url is not a database URL (expected sqlite:///path or postgresql://…)"
        ) from None
    name = url.drivername
    if name in _POSTGRES_DRIVERS:
        url = url.set(drivername="postgresql+psycopg")
        if not url.database:
            raise ConfigError("state.url names no PostgreSQL database (postgresql://user@host/db)")
    elif name in _SQLITE_DRIVERS:
        url = url.set(drivername="sqlite+pysqlite")
    else:
        raise ConfigError(
            f"state.url: unsupported database {name!r}; use sqlite:///path or postgresql://…"
        )
    return StoreURL(url)
