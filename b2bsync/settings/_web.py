"""The ``web`` section: where ``b2bsync serve`` listens and the secret it shares with the
bridge module.

Environment: ``B2BSYNC_WEB__SECRET=…`` (the same value as the module's "shared signing
secret"), ``B2BSYNC_WEB__HOST``, ``B2BSYNC_WEB__PORT``, ``B2BSYNC_WEB__PUBLIC_URL``; or
``[web]`` in TOML.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr, field_validator

#: The shortest secret accepted (as ``b2bsync.web.MIN_SECRET``).
MIN_SECRET = 32


class WebSettings(BaseModel):
    host: str = Field(
        default="127.0.0.1", description="Interface to listen on; nginx in front reaches it"
    )
    port: int = Field(default=8480, ge=1, le=65535)
    public_url: str | None = Field(
        default=None,
        description="How the store reaches serve, e.g. https://shop.example.ru/b2bsync "
        "(doctor compares it with the module's settings)",
    )
    secret: SecretStr | None = Field(
        default=None,
        description="Shared with the bridge module: signs download links and wake-up pings",
    )
    event_window: int = Field(
        default=300, ge=10, le=3600, description="Seconds a ping's timestamp may lie from now"
    )
    retry_after: int = Field(default=30, ge=1, description="Retry-After of a 503, seconds")

    @field_validator("secret")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_SECRET:
            raise ValueError(
                f"must be at least {MIN_SECRET} characters (e.g. `openssl rand -base64 33`)"
            )
        return value

    @field_validator("public_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value else value
