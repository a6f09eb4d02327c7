"""A stateful ASGI fake of a 1C-Bitrix site's REST API (with the b2bsync bridge scope).

``create_app(site, limits=..., faults=...)`` gives the ASGI app; use it in-process through
``httpx.ASGITransport`` or on loopback with :func:`serve` / :func:`serve_sync`.
"""

from ._api import GLOBAL_SCOPE, CallContext, FakeRestError, ListResult, MethodRegistry
from ._app import FakeBitrixApp, create_app
from ._auth import OAuthApp, OAuthToken
from ._clock import ManualClock
from ._decode import parse_str
from ._faults import Fault, Faults
from ._limits import ENTERPRISE, STANDARD, BucketProfile, Limits, RowCost
from ._sale_checkout import OrderRefused
from ._server import LoopbackServer, serve, serve_sync
from ._site import FakeSite, FakeUser, Language, Webhook
from ._stats import FakeStats

__all__ = [
    "ENTERPRISE",
    "GLOBAL_SCOPE",
    "STANDARD",
    "BucketProfile",
    "CallContext",
    "FakeBitrixApp",
    "FakeRestError",
    "FakeSite",
    "FakeStats",
    "FakeUser",
    "Fault",
    "Faults",
    "Language",
    "Limits",
    "ListResult",
    "LoopbackServer",
    "ManualClock",
    "MethodRegistry",
    "OAuthApp",
    "OAuthToken",
    "OrderRefused",
    "RowCost",
    "Webhook",
    "create_app",
    "parse_str",
    "serve",
    "serve_sync",
]
