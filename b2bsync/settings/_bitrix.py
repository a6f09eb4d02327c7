from enum import StrEnum
from typing import Self

from pydantic import BaseModel, Field, SecretStr, model_validator

from ._urls import refuse_plain_http


class RateLimitProfile(StrEnum):
    auto = "auto"
    off = "off"
    standard = "standard"
    enterprise = "enterprise"
    custom = "custom"


class BitrixSettings(BaseModel):
    """How to reach the Bitrix site: an incoming webhook URL, or an OAuth application."""

    webhook_url: SecretStr | None = Field(
        default=None,
        description="Incoming webhook base URL, https://site/rest/<user_id>/<secret>/",
    )
    portal_url: str | None = Field(default=None, description="Site base URL for OAuth")
    client_id: str | None = None
    client_secret: SecretStr | None = None
    access_token: SecretStr | None = None
    refresh_token: SecretStr | None = None
    oauth_server: str = Field(
        default="https://oauth.bitrix.info",
        description="Where refresh_token grants go (the site itself for on-premise OAuth)",
    )
    token_file: str | None = Field(
        default=None, description="File where the rotated OAuth refresh token is persisted"
    )
    rate_limit: RateLimitProfile = Field(
        default=RateLimitProfile.auto,
        description="auto: the cloud's bucket when the site's answers carry time.operating, "
        "else none and boxed_concurrency requests at once",
    )
    rate_limit_burst: int = Field(default=50, ge=1, description="Bucket size (custom profile)")
    rate_limit_per_second: float = Field(default=2.0, gt=0, description="Drain rate (custom)")
    max_concurrency: int = Field(default=4, ge=1, le=64)
    boxed_concurrency: int = Field(
        default=2,
        ge=1,
        le=16,
        description="auto on a site without a REST limit: requests at once (its PHP workers "
        "serve the storefront too)",
    )
    timeout: float = Field(default=30.0, gt=0, description="Seconds per HTTP request")
    max_retries: int = Field(default=5, ge=0, le=20)
    verify_tls: bool = True
    allow_insecure: bool = Field(
        default=False, description="Accept plain http:// to a host other than this machine"
    )
    person_type_ids: list[int] = Field(
        default_factory=list, description="B2B payer types; empty = every legal-entity type"
    )
    status_pending: str = "PA"
    status_approved: str = "AP"
    status_rejected: str = "RJ"

    @model_validator(mode="after")
    def _one_auth(self) -> Self:
        if self.webhook_url is not None:
            url = self.webhook_url.get_secret_value()
            if "/rest/" not in url:
                raise ValueError(
                    "bitrix.webhook_url must look like https://site/rest/<user_id>/<secret>/"
                )
        refuse_plain_http(
            "bitrix",
            {
                "webhook_url": self.webhook_url.get_secret_value() if self.webhook_url else None,
                "portal_url": self.portal_url,
                "oauth_server": self.oauth_server,
            },
            self.allow_insecure,
        )
        return self

    @property
    def configured(self) -> bool:
        return self.webhook_url is not None or (
            self.portal_url is not None and self.access_token is not None
        )
