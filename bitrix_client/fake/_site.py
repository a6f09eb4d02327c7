"""The state of one fake Bitrix site: configuration, users, credentials and the method families.

Owners: the protocol core owns this module; ``sale`` (``_sale_state.SaleState``) and ``bridge``
(``_bridge_state.BridgeState``) are owned by their families. Handlers reach everything through
``ctx.site``: ``site.now()`` (aware datetime in the site's time zone), ``site.tz``,
``site.languages``, ``site.users``, ``site.sale``, ``site.bridge``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from ._bridge_state import BridgeState
from ._sale_state import SaleState


@dataclass
class Language:
    lid: str
    name: str
    active: bool


@dataclass
class FakeUser:
    id: int
    login: str
    email: str
    name: str = ""
    last_name: str = ""
    active: bool = True
    admin: bool = False
    group_ids: list[int] = field(default_factory=list)
    password: str = ""


@dataclass
class Webhook:
    user_id: int
    secret: str
    scopes: frozenset[str]


def _default_languages() -> list[Language]:
    return [
        Language("de", "German", active=False),
        Language("en", "English", active=True),
        Language("ru", "Russian", active=True),
    ]


class FakeSite:
    def __init__(
        self,
        *,
        clock: Callable[[], datetime] | None = None,
        tz: tzinfo | None = None,
        site_id: str = "s1",
        languages: list[Language] | None = None,
        bridge_installed: bool = True,
    ) -> None:
        self.tz: tzinfo = tz or ZoneInfo("Europe/Moscow")
        self._clock = clock
        self.site_id = site_id
        self.languages = languages if languages is not None else _default_languages()
        self.users: dict[int, FakeUser] = {
            1: FakeUser(
                id=1,
                login="admin",
                email="admin@example.ru",
                name="Admin",
                last_name="Local",
                admin=True,
                group_ids=[1],
            )
        }
        self.webhooks: list[Webhook] = []
        self.sale = SaleState()
        self.bridge_installed = bridge_installed
        self.bridge = BridgeState()

    def now(self) -> datetime:
        if self._clock is not None:
            return self._clock().astimezone(self.tz)
        return datetime.now(self.tz)

    @property
    def active_languages(self) -> list[str]:
        return [lang.lid for lang in self.languages if lang.active]
