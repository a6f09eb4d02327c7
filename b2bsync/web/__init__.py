"""``b2bsync serve``: the HTTP face of the sidecar (Starlette, run by uvicorn).

``create_app(config, deps)`` gives the ASGI app: signed document downloads streamed from 1C
(``/documents/download``), the one-click approve / reject links of approval mails
(``/approvals``), the invite accept page (``/invites/…``), the bridge's wake-up pings
(``/events``), ``/healthz`` and ``/metrics``. :func:`serve` runs it on a socket until a stop
event is set; it listens on 127.0.0.1 unless told otherwise, and the store's nginx puts it under
the store's own domain.
"""

from ._app import ROUTES, create_app
from ._config import InvitePages, WebConfig, WebDeps
from ._documents import content_disposition
from ._handoff import (
    login_url,
    sign_login,
    sign_whoami,
    verify_login,
    verify_whoami,
    verify_whoami_request,
    whoami_answer_url,
    whoami_request_url,
)
from ._ratelimit import Buckets, Rate
from ._server import bind, serve
from ._signing import (
    MIN_SECRET,
    event_signature,
    link_url,
    probe_signature,
    sign_link,
    verify_event,
    verify_link,
)
from ._state import AppState

__all__ = [
    "MIN_SECRET",
    "ROUTES",
    "AppState",
    "Buckets",
    "InvitePages",
    "Rate",
    "WebConfig",
    "WebDeps",
    "bind",
    "content_disposition",
    "create_app",
    "event_signature",
    "link_url",
    "login_url",
    "probe_signature",
    "serve",
    "sign_link",
    "sign_login",
    "sign_whoami",
    "verify_event",
    "verify_link",
    "verify_login",
    "verify_whoami",
    "verify_whoami_request",
    "whoami_answer_url",
    "whoami_request_url",
]
