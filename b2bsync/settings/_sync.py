from decimal import Decimal
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, Field, model_validator


class SyncSettings(BaseModel):
    """How the sync jobs behave (DESIGN §7)."""

    look_back_minutes: int = Field(
        default=120, ge=0, description="Each run re-reads this much before the saved cursor"
    )
    file_mode: Literal["link", "attach", "upload"] = Field(
        default="link", description="Where document PDFs go: link, attach or upload"
    )
    download_base_url: str | None = Field(
        default=None, description="Public base URL of `b2bsync serve` (link mode)"
    )
    upload_dir: Path | None = Field(
        default=None, description="The site's upload/b2b/docs directory (upload mode)"
    )
    upload_url_prefix: str = "/upload/b2b/docs"
    max_attach_mb: int = Field(default=20, ge=1, description="Bigger files fall back to link")
    extra_file_types: list[Literal["png", "jpeg", "tiff"]] = Field(
        default_factory=list,
        description="Besides PDF, file types attach/upload may write (recognised by content)",
    )
    overdue_limit: Decimal | None = Field(
        default=None, description="Overdue amount that blocks orders when a company sets none"
    )
    link_orders_by_inn: bool = True
    inn_property_codes: list[str] = Field(default_factory=lambda: ["INN", "COMPANY_INN"])
    article_property_codes: list[str] = Field(
        default_factory=lambda: ["CML2_ARTICLE", "ARTICLE", "ARTNUMBER"],
        description="Basket properties indexed as articles (besides productXmlId)",
    )
    documents_read: Literal["auto", "per_company", "feed"] = Field(
        default="auto",
        description="feed: one 1C read for all companies; auto: feed for XML, else per company",
    )
    site_timezone: str = "Europe/Moscow"

    @model_validator(mode="after")
    def _mode_needs(self) -> Self:
        if self.file_mode == "upload" and self.upload_dir is None:
            raise ValueError("sync.file_mode=upload needs sync.upload_dir")
        return self


class ScheduleSettings(BaseModel):
    """Intervals of `b2bsync run`, in minutes (0 disables a job)."""

    companies: int = Field(default=1440, ge=0)
    documents: int = Field(default=180, ge=0)
    credit: int = Field(default=60, ge=0)
    orders: int = Field(default=5, ge=0)
