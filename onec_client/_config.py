"""Configuration of each adapter, as plain pydantic models (the application maps its settings here).

The library never reads the environment: ``b2bsync.settings`` builds one of these and passes it to
:func:`onec_client.open_source`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr

from ._models import DocType


def _known_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (expected e.g. Europe/Moscow)") from None
    return name


TimeZoneName = Annotated[str, AfterValidator(_known_zone)]


class RetryPolicy(BaseModel):
    """Retries of idempotent reads after retryable errors; waits grow exponentially.

    Tests pass ``initial_wait=0`` so nothing sleeps.
    """

    model_config = ConfigDict(frozen=True)

    attempts: int = Field(default=4, ge=1, le=20)
    initial_wait: float = Field(default=1.0, ge=0)
    max_wait: float = Field(default=30.0, ge=0)


class Timeouts(BaseModel):
    """Explicit timeouts, seconds. 1C's first call after idle starts a session and can take a
    minute, so the first request of a source gets ``first_call`` as its read timeout."""

    model_config = ConfigDict(frozen=True)

    connect: float = Field(default=10.0, gt=0)
    read: float = Field(default=60.0, gt=0)
    first_call: float = Field(default=120.0, gt=0)
    write: float = Field(default=30.0, gt=0)
    pool: float = Field(default=10.0, gt=0)


class _Common(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    timezone: TimeZoneName = Field(
        default="Europe/Moscow", description="Time zone of the 1C infobase's naive datetimes"
    )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class _Remote(_Common):
    username: str | None = Field(default=None, description="Basic auth user (Cyrillic is fine)")
    password: SecretStr | None = None
    timeouts: Timeouts = Field(default_factory=Timeouts)
    retry: RetryPolicy = Field(default_factory=RetryPolicy)
    verify_tls: bool = True
    page_size: int = Field(default=500, ge=1, le=10_000)


class FieldPaths(BaseModel):
    """Where each field of a record lives, as a dotted path (``client.id``, ``items.0.x``).

    A path starting with ``!`` reads a boolean and negates it (``!ПометкаУдаления`` → active).
    An empty path means "this service does not send the field".
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    guid: str = ""
    counterparty: str = ""
    name: str = ""
    inn: str = ""
    kpp: str = ""
    active: str = ""
    changed_at: str = ""
    type: str = ""
    number: str = ""
    date: str = ""
    amount: str = ""
    currency: str = ""
    order_ref: str = ""
    has_file: str = ""
    deleted: str = ""
    limit: str = ""
    used: str = ""
    overdue_amount: str = ""
    overdue_since: str = ""
    as_of: str = ""


class ListMapping(BaseModel):
    """One list endpoint: its path, the names of its query parameters and where things are."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str
    items: str = Field(default="Данные", description="dotted path of the list; '' = root")
    next: str = Field(
        default="Продолжение",
        description="dotted path of the continuation (token or URL); '' = no paging",
    )
    param_changed_since: str = "changed_since"
    param_counterparty: str = "counterparty"
    param_limit: str = "limit"
    param_cursor: str = "cursor"
    param_date_format: str = Field(
        default="%Y-%m-%dT%H:%M:%S", description="how changed_since is written (1C local time)"
    )
    fields: FieldPaths


class FileMapping(BaseModel):
    """The file endpoint. ``{guid}`` in ``path`` is the document GUID. A JSON answer carries the
    file as base64 under ``data``; ``name``/``content_type``/``size`` are optional fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = "documents/{guid}/file"
    data: str = "Данные"
    name: str = "ИмяФайла"
    content_type: str = "ТипСодержимого"
    size: str = "Размер"


def _default_counterparties() -> ListMapping:
    return ListMapping(
        path="counterparties",
        fields=FieldPaths(
            guid="Ссылка",
            name="Наименование",
            inn="ИНН",
            kpp="КПП",
            active="!ПометкаУдаления",
            changed_at="ДатаИзменения",
        ),
    )


def _default_documents() -> ListMapping:
    return ListMapping(
        path="documents",
        fields=FieldPaths(
            guid="Ссылка",
            counterparty="Контрагент",
            type="ВидДокумента",
            number="Номер",
            date="Дата",
            amount="СуммаДокумента",
            currency="Валюта",
            order_ref="ЗаказКлиента",
            has_file="ЕстьФайл",
            deleted="ПометкаУдаления",
            changed_at="ДатаИзменения",
        ),
    )


def _default_credit() -> ListMapping:
    return ListMapping(
        path="credit",
        fields=FieldPaths(
            counterparty="Контрагент",
            limit="ДопустимаяСуммаЗадолженности",
            used="СуммаЗадолженности",
            overdue_amount="СуммаПросроченнойЗадолженности",
            overdue_since="ДатаВозникновенияПросрочки",
            currency="Валюта",
            as_of="НаДату",
        ),
    )


class FieldMapping(BaseModel):
    """How the HTTP service is shaped. The defaults are b2bsync's own contract (see README)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    counterparties: ListMapping = Field(default_factory=_default_counterparties)
    documents: ListMapping = Field(default_factory=_default_documents)
    credit: ListMapping = Field(default_factory=_default_credit)
    file: FileMapping = Field(default_factory=FileMapping)
    date_formats: tuple[str, ...] = Field(
        default=(), description="strptime formats tried before ISO 8601 and dd.mm.yyyy"
    )
    doc_types: dict[str, DocType] = Field(
        default_factory=dict, description="extra names of document kinds → the five kinds"
    )


class HttpServiceConfig(_Remote):
    """1C HTTP service, e.g. ``https://1c.local/ut11/hs/b2b/v1``."""

    kind: Literal["http"] = "http"
    url: str = Field(description="Base URL of the HTTP service, up to and including the version")
    mapping: FieldMapping = Field(default_factory=FieldMapping)


class SoapConfig(_Remote):
    """1C web service. The WSDL's own address points at an internal host, so ``endpoint`` (or,
    when unset, the URL the WSDL was fetched from without its query) is used for calls."""

    kind: Literal["soap"] = "soap"
    wsdl_url: str = Field(description="e.g. https://1c.local/ut11/ws/b2b.1cws?wsdl")
    endpoint: str | None = None
    soap_version: Literal["1.1", "1.2"] = "1.1"


class XmlDropConfig(_Common):
    """A folder where 1C drops export files (CommerceML 2.x or b2bsync's plain XML)."""

    kind: Literal["xml"] = "xml"
    directory: Path
    pattern: str = Field(default="*.xml", description="glob of files to read in the folder")
    processed_dir: str = "processed"
    quarantine_dir: str = "quarantine"
    files_dir: str = Field(default="files", description="where referenced PDFs live")
    settle_seconds: float = Field(
        default=10.0,
        ge=0,
        description="skip files modified more recently than this: 1C may still be writing them",
    )


SourceConfig = Annotated[
    HttpServiceConfig | SoapConfig | XmlDropConfig, Field(discriminator="kind")
]
