"""The ``onec`` section: which 1C source to read and how; maps onto ``onec_client`` configs.

Environment: ``B2BSYNC_ONEC__KIND=http``, ``B2BSYNC_ONEC__URL=…``, ``B2BSYNC_ONEC__USERNAME=…``,
``B2BSYNC_ONEC__PASSWORD=…``, ``B2BSYNC_ONEC__TIMEZONE=Europe/Moscow``; or ``[onec]`` in TOML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel, Field, SecretStr, model_validator

from onec_client import (
    FieldMapping,
    HttpServiceConfig,
    RetryPolicy,
    SoapConfig,
    Timeouts,
    TimeZoneName,
    XmlDropConfig,
)

from .._errors import ConfigError
from ._urls import refuse_plain_http

OneCKind = Literal["http", "soap", "xml"]
_REQUIRED: dict[str, tuple[str, ...]] = {
    "http": ("url",),
    "soap": ("wsdl_url",),
    "xml": ("directory",),
}


class OneCSettings(BaseModel):
    """Where 1C data comes from: an HTTP service, a web service (SOAP) or a drop folder."""

    kind: OneCKind | None = Field(default=None, description="http, soap or xml; unset = no 1C")
    url: str | None = Field(default=None, description="HTTP service base, …/hs/b2b/v1")
    wsdl_url: str | None = Field(default=None, description="SOAP: …/ws/b2b.1cws?wsdl")
    endpoint: str | None = Field(
        default=None, description="SOAP endpoint; default: the WSDL URL without its query"
    )
    soap_version: Literal["1.1", "1.2"] = "1.1"
    directory: Path | None = Field(default=None, description="XML: the folder 1C exports into")
    pattern: str = Field(default="*.xml", description="XML: which files in the folder to read")
    settle_seconds: float = Field(
        default=10.0, ge=0, description="XML: leave files younger than this (1C still writing)"
    )
    username: str | None = Field(default=None, description="Basic auth user; Cyrillic is fine")
    password: SecretStr | None = None
    timezone: TimeZoneName = Field(
        default="Europe/Moscow", description="time zone of the infobase's naive datetimes"
    )
    timeout: float = Field(default=60.0, gt=0, description="seconds to wait for an answer")
    connect_timeout: float = Field(default=10.0, gt=0)
    first_call_timeout: float = Field(
        default=120.0, gt=0, description="read timeout of the first call (1C starts a session)"
    )
    retries: int = Field(default=4, ge=1, le=20, description="attempts per request")
    retry_wait: float = Field(default=1.0, ge=0, description="first wait between attempts, s")
    page_size: int = Field(default=500, ge=1, le=10_000)
    verify_tls: bool = True
    allow_insecure: bool = Field(
        default=False, description="Accept plain http:// to a host other than this machine"
    )
    mapping: FieldMapping = Field(
        default_factory=FieldMapping,
        description="HTTP: paths of lists and fields for a differently shaped service",
    )

    @model_validator(mode="after")
    def _secure(self) -> Self:
        urls = {"url": self.url, "wsdl_url": self.wsdl_url, "endpoint": self.endpoint}
        refuse_plain_http("onec", urls, self.allow_insecure)
        return self

    @property
    def configured(self) -> bool:
        return self.kind is not None

    def source_config(self) -> HttpServiceConfig | SoapConfig | XmlDropConfig:
        """The adapter configuration; :class:`ConfigError` names what is missing."""
        if self.kind is None:
            raise ConfigError(
                "no 1C source configured: set B2BSYNC_ONEC__KIND to http, soap or xml"
            )
        missing = [name for name in _REQUIRED[self.kind] if getattr(self, name) in (None, "")]
        if missing:
            keys = ", ".join(f"B2BSYNC_ONEC__{name.upper()}" for name in missing)
            raise ConfigError(f"onec.kind={self.kind} needs {', '.join(missing)} ({keys})")
        if self.kind == "xml":
            assert self.directory is not None
            return XmlDropConfig(
                directory=self.directory,
                pattern=self.pattern,
                timezone=self.timezone,
                settle_seconds=self.settle_seconds,
            )
        remote: dict[str, Any] = {
            "username": self.username,
            "password": self.password,
            "timezone": self.timezone,
            "timeouts": Timeouts(
                connect=self.connect_timeout,
                read=self.timeout,
                first_call=max(self.first_call_timeout, self.timeout),
            ),
            "retry": RetryPolicy(attempts=self.retries, initial_wait=self.retry_wait),
            "verify_tls": self.verify_tls,
            "page_size": self.page_size,
        }
        if self.kind == "http":
            assert self.url is not None
            return HttpServiceConfig(url=self.url, mapping=self.mapping, **remote)
        assert self.wsdl_url is not None
        return SoapConfig(
            wsdl_url=self.wsdl_url,
            endpoint=self.endpoint,
            soap_version=self.soap_version,
            **remote,
        )
