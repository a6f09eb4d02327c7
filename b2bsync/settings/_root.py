from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ._approval import ApprovalSettings
from ._bitrix import BitrixSettings
from ._invites import InviteSettings
from ._log import LogSettings
from ._onec import OneCSettings
from ._state import StateSettings
from ._sync import ScheduleSettings, SyncSettings
from ._web import WebSettings
from ._workflows import OutboxSettings, WatchSettings


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="B2BSYNC_",
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        nested_model_default_partial_update=True,
    )

    bitrix: BitrixSettings = Field(default_factory=BitrixSettings)
    log: LogSettings = Field(default_factory=LogSettings)
    onec: OneCSettings = Field(default_factory=OneCSettings)
    state: StateSettings = Field(default_factory=StateSettings)
    sync: SyncSettings = Field(default_factory=SyncSettings)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    watch: WatchSettings = Field(default_factory=WatchSettings)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    approval: ApprovalSettings = Field(default_factory=ApprovalSettings)
    invites: InviteSettings = Field(default_factory=InviteSettings)
