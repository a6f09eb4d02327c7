"""The state of one fake Bitrix site: configuration, users, credentials and the method families.

Owners: the protocol core owns this module; ``sale`` (``_sale_state.SaleState``) and ``bridge``
(``_bridge_state.BridgeState``) are owned by their families. Handlers reach everything through
``ctx.site``: ``site.now()`` (aware datetime in the site's time zone), ``site.tz``,
``site.languages``, ``site.users``, ``site.sale``, ``site.bridge``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from ._auth import OAuthApp, OAuthStore, OAuthToken
from ._bridge_state import BridgeState
from ._sale_state import SaleState

#: Scopes a "Site Management: Business" install offers (``scope`` with ``full=true``, recorded);
#: the bridge module adds ``b2bsync`` when installed.
SITE_SCOPES: tuple[str, ...] = (
    "placement", "entity", "log", "sonet_group", "pull", "pull_channel", "mobile", "catalog",
    "messageservice", "mailservice", "lists", "landing", "landing_cloud", "calendar", "im",
    "imbot", "sale", "cashbox", "delivery", "pay_system", "bizproc", "forum", "user",
    "userconsent", "rating", "smile", "userfieldconfig", "iblock", "im.import", "appform",
    "configuration.import", "socialnetwork", "vote",
)  # fmt: skip
BRIDGE_SCOPE = "b2bsync"


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
    language_id: str = ""  # b_user.LANGUAGE_ID: the user's own language, "" when not chosen


@dataclass
class Webhook:
    user_id: int
    secret: str
    scopes: frozenset[str]


#: Groups of a fresh e-shop install, plus the two the bridge's contract assumes: the module's
#: service group (made by its installer) and the group its settings allow user.add to use.
DEFAULT_GROUPS: dict[int, str] = {
    1: "Administrators",
    2: "All users",
    3: "Rating voters",
    4: "Rating voters (authority)",
    5: "b2bsync: service account",
    6: "B2B buyers",
}
#: The rating groups CRatings::OnAfterUserRegister adds to every new user ("assign automatically").
RATING_GROUPS: tuple[int, ...] = (3, 4)
SERVICE_LOGIN = "b2bsync_service"


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
        domain: str = "shop.example.ru",
        member_id: str = "4f1c0de5a1b2c3d4e5f60718293a4b5c",
        language_id: str = "ru",
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
        self.groups: dict[int, str] = dict(DEFAULT_GROUPS)
        self.rating_groups: list[int] = list(RATING_GROUPS)
        #: The site's language: the bridge's error descriptions are in it ("Неверный параметр: …").
        self.language_id = language_id
        self.webhooks: list[Webhook] = []
        self.oauth = OAuthStore()
        self.user_options: dict[int, dict[str, Any]] = {}
        self.app_options: dict[str, dict[str, Any]] = {}
        self.domain = domain
        self.member_id = member_id
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

    @property
    def scopes(self) -> tuple[str, ...]:
        """Scopes the site knows (a webhook may still be granted others, e.g. before install)."""
        return (*SITE_SCOPES, BRIDGE_SCOPE) if self.bridge_installed else SITE_SCOPES

    def timestamp(self) -> float:
        return self.now().timestamp()

    def add_webhook(self, user_id: int, secret: str, scopes: set[str] | frozenset[str]) -> Webhook:
        """An incoming webhook ``/rest/<user_id>/<secret>/`` granted ``scopes``."""
        if user_id not in self.users:
            raise KeyError(f"no user {user_id}")
        hook = Webhook(user_id=user_id, secret=secret, scopes=frozenset(scopes))
        self.webhooks.append(hook)
        return hook

    def hl_rows(self, block_name: str) -> list[dict[str, Any]]:
        """An HL-block's rows by ID as the bridge reads them back (internal values: the site's
        stored ``""`` and 0 are ``None``); ``[]`` when there is no such block."""
        from ._bridge_values import from_store

        block = self.bridge.block_by_name(block_name)
        if block is None:
            return []
        fields = {f.name: f for f in self.bridge.fields_of(block.id)}
        return [
            {
                name: from_store(fields[name], value) if name in fields else value
                for name, value in block.rows[row_id].items()
            }
            for row_id in sorted(block.rows)
        ]

    def place_order(
        self,
        user_id: int,
        *,
        person_type_id: int,
        items: Sequence[Mapping[str, Any]],
        currency: str = "RUB",
        language: str | None = None,
    ) -> int:
        """Check out ``items`` (``{"name", "price", "quantity"}``) as ``user_id`` would on the
        store, through the bridge's order guard: the new order's ID, or
        :class:`~._sale_checkout.OrderRefused` with the text the checkout shows."""
        from ._sale_checkout import place_order

        return place_order(
            self,
            user_id,
            person_type_id=person_type_id,
            items=items,
            currency=currency,
            language=language,
        )

    def add_service_account(self, email: str, secret: str) -> Webhook:
        """What the module's settings page makes: a user in the service group only, and its
        webhook with the scopes ``sale`` and ``b2bsync``."""
        group = self.bridge.access.service_group_id
        if group is None:
            raise ValueError("the bridge's service group does not exist")
        user = next((u for u in self.users.values() if u.login == SERVICE_LOGIN), None)
        if user is None:
            user = FakeUser(
                id=max(self.users) + 1, login=SERVICE_LOGIN, email=email, name="b2bsync"
            )
            self.users[user.id] = user
        user.group_ids = [group]
        user.active = True
        return self.add_webhook(user.id, secret, {"sale", BRIDGE_SCOPE})

    def add_oauth_app(
        self, client_id: str, client_secret: str, scopes: set[str] | frozenset[str]
    ) -> OAuthApp:
        return self.oauth.add_app(client_id, client_secret, scopes)

    def issue_token(self, client_id: str, user_id: int = 1) -> OAuthToken:
        """A fresh access/refresh pair, as after the app's install or authorization."""
        return self.oauth.issue(client_id, user_id, self.timestamp())

    def issue_auth_code(self, client_id: str, user_id: int = 1) -> str:
        return self.oauth.issue_code(client_id, user_id, self.timestamp())

    def expire_token(self, access_token: str) -> None:
        self.oauth.expire(access_token)
