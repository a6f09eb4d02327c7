"""Errors of the state store, split by what the caller does next."""

from __future__ import annotations

from .._errors import B2BSyncError, ConfigError


class StoreError(B2BSyncError):
    """The state store failed (a constraint, an unknown run, a schema newer than this code)."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or stayed locked; retrying later may succeed."""


class StoreNotFound(StoreError, ConfigError):
    """A command that only reads found no store where the settings point (exit 2)."""


class LeaseLost(StoreError):
    """This run no longer holds its job's lease (it expired, or another run took it over): it
    must write nothing more, and ends as failed (exit 1)."""
