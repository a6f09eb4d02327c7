"""Settings, built once at the edge (the CLI) and passed down.

Sources, highest priority first: explicit arguments, environment (``B2BSYNC_…``, nested with
``__``), a ``.env`` file, the TOML file given by ``--config`` or ``B2BSYNC_CONFIG``, defaults.
"""

from ._approval import ApprovalSettings
from ._bitrix import BitrixSettings, RateLimitProfile
from ._invites import InviteSettings
from ._load import load_settings
from ._log import LogSettings
from ._onec import OneCSettings
from ._root import Settings
from ._state import StateSettings
from ._sync import ScheduleSettings, SyncSettings
from ._web import WebSettings
from ._workflows import OutboxSettings, WatchSettings

__all__ = [
    "ApprovalSettings",
    "BitrixSettings",
    "InviteSettings",
    "LogSettings",
    "OneCSettings",
    "OutboxSettings",
    "RateLimitProfile",
    "ScheduleSettings",
    "Settings",
    "StateSettings",
    "SyncSettings",
    "WatchSettings",
    "WebSettings",
    "load_settings",
]
