"""The ``invites`` section: how long an invite link works, which site groups a new user joins,
where the browser goes on the store (the log-in hand-back and the login hand-off), and the
accept page's rate limits.

Environment: ``B2BSYNC_INVITES__TTL=259200``, ``B2BSYNC_INVITES__USER_GROUPS='[6]'``,
``B2BSYNC_INVITES__STORE_URL=https://shop.example.ru`` …; or ``[invites]`` in TOML. Durations
are seconds or ISO 8601. The accept link is ``{web.public_url}/invites/accept?token=…``.
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


def _path(value: str) -> str:
    value = value.strip()
    if not value.startswith("/") or value.startswith("//"):
        raise ValueError("must be a path on the store, starting with a single /")
    return value


class InviteSettings(BaseModel):
    ttl: timedelta = Field(default=timedelta(hours=72), description="How long an invite link works")
    user_groups: list[int] = Field(
        default_factory=list,
        description="Site groups a user made through an invite joins (the module's settings "
        "must allow them)",
    )
    store_url: str | None = Field(
        default=None,
        description="The store as buyers reach it, e.g. https://shop.example.ru (default: the "
        "origin of bitrix.webhook_url / portal_url)",
    )
    handoff_path: str = Field(
        default="/bitrix/tools/b2bsync/handoff.php",
        description="The module's login hand-off page on the store",
    )
    whoami_path: str = Field(
        default="/bitrix/tools/b2bsync/whoami.php",
        description="The module's page that tells serve who is logged in on the store",
    )
    expire_every: timedelta = Field(
        default=timedelta(minutes=1),
        description="How often pending invites past their expiry are marked expired",
    )
    per_ip_burst: int = Field(default=30, ge=1, description="Accept-page requests per address")
    per_ip_per_minute: float = Field(
        default=30, gt=0, description="… refilled at this rate per minute"
    )
    per_token_burst: int = Field(default=10, ge=1, description="Requests per invite link")
    per_token_per_minute: float = Field(
        default=6, gt=0, description="… refilled at this rate per minute"
    )

    _durations = field_validator("ttl", "expire_every", mode="before")(_seconds)

    @field_validator("ttl", "expire_every")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("must be a positive duration (seconds)")
        return value

    @field_validator("handoff_path", "whoami_path")
    @classmethod
    def _paths(cls, value: str) -> str:
        return _path(value)

    @field_validator("store_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value else value

    @field_validator("user_groups")
    @classmethod
    def _groups(cls, value: list[int]) -> list[int]:
        if any(group < 1 for group in value):
            raise ValueError("group IDs are positive")
        if 1 in value:
            raise ValueError("group 1 (administrators) is never given through an invite")
        return sorted(set(value))
