"""The ``state`` section: where the sidecar keeps its own state (cursors, hashes, runs, leases…).

Environment: ``B2BSYNC_STATE__URL=postgresql://b2bsync@db/b2bsync``,
``B2BSYNC_STATE__LEASE_TTL=300``, ``B2BSYNC_STATE__STALE_CREDIT_AFTER=21600``;
or ``[state]`` in TOML.
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, Field, SecretStr, field_validator


class StateSettings(BaseModel):
    """The state store. The default SQLite path is relative to the working directory, which the
    systemd units set to ``/var/lib/b2bsync``; several instances share one PostgreSQL URL."""

    url: SecretStr = Field(
        default=SecretStr("sqlite:///./b2bsync.sqlite3"),
        description="sqlite:///relative/path, sqlite:////absolute/path or postgresql://user@host/db",
    )
    lease_ttl: timedelta = Field(
        default=timedelta(minutes=5),
        description="seconds a job's lease lasts without renewal (a killed run frees it then)",
    )
    stale_credit_after: timedelta = Field(
        default=timedelta(hours=6),
        description="credit computed by 1C longer ago than this is reported stale (seconds)",
    )

    @field_validator("lease_ttl", "stale_credit_after", mode="before")
    @classmethod
    def _seconds(cls, value: object) -> object:
        """Environment values arrive as text: "300" means seconds (ISO "PT6H" works too)."""
        if isinstance(value, str):
            try:
                return float(value.strip())
            except ValueError:
                return value
        return value

    @field_validator("lease_ttl", "stale_credit_after")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("must be a positive duration (seconds)")
        return value
