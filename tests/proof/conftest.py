"""The proof runs on both databases; PostgreSQL as in tests/store (skipped without a server,
except under CI)."""

from __future__ import annotations

import pytest

from ..store.conftest import _pg_user


@pytest.fixture(scope="session")
def pg_user() -> str:
    return _pg_user()
