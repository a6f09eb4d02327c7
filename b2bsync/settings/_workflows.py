"""The ``watch`` and ``outbox`` sections: how often the watchers poll the site, how
notifications look, and how the outbox delivers, retries and prunes.

Environment: ``B2BSYNC_WATCH__INTERVAL=15``, ``B2BSYNC_WATCH__CABINET_URL=…``,
``B2BSYNC_OUTBOX__MAX_ATTEMPTS=8`` …; or ``[watch]`` / ``[outbox]`` in TOML. Durations are
seconds or ISO 8601.
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, Field, field_validator


def _seconds(value: object) -> object:
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return value
    return value


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise ValueError("must be a positive duration (seconds)")
    return value


class WatchSettings(BaseModel):
    interval: timedelta = Field(
        default=timedelta(seconds=15), description="How often each watcher polls the site"
    )
    wake_check: timedelta = Field(
        default=timedelta(seconds=1),
        description="How often the daemon takes pings a separate `serve` left in the store",
    )
    cabinet_url: str = Field(
        default="/personal/b2b/",
        description="The cabinet on the store; links in notifications point under it",
    )
    default_language: str = Field(
        default="ru", description="Language of notifications for users who chose none"
    )

    _durations = field_validator("interval", "wake_check", mode="before")(_seconds)
    _positives = field_validator("interval", "wake_check")(_positive)


class OutboxSettings(BaseModel):
    rows_per_request: int = Field(default=50, ge=1, le=50)
    in_flight: int = Field(default=4, ge=1, le=16, description="Batches sent at once")
    first_retry: timedelta = Field(default=timedelta(seconds=30))
    max_retry: timedelta = Field(default=timedelta(hours=1))
    max_attempts: int = Field(default=8, ge=1, description="Then the delivery is parked")
    prune_read_after: timedelta = Field(
        default=timedelta(days=90), description="Read bell rows older than this are deleted"
    )
    keep_delivered: timedelta = Field(
        default=timedelta(days=30), description="The outbox forgets delivered notifications then"
    )

    _durations = field_validator(
        "first_retry", "max_retry", "prune_read_after", "keep_delivered", mode="before"
    )(_seconds)
    _positives = field_validator("first_retry", "max_retry", "prune_read_after", "keep_delivered")(
        _positive
    )
