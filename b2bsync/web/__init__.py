"""``b2bsync serve``: the HTTP face of the sidecar (Starlette, run by uvicorn).

``create_app(config, deps)`` gives the ASGI app: signed document downloads streamed from 1C
(``/documents/download``), the one-click approve / reject links of approval mails
(``/approvals``), the bridge's wake-up pings (``/events``), ``/healthz`` and ``/metrics``.
:func:`serve` runs it on a socket until a stop event is set; it listens on 127.0.0.1 unless
told otherwise, and the store's nginx puts it under the store's own domain.
"""

from ._app import ROUTES, create_app
from ._config import WebConfig, WebDeps
from ._documents import content_disposition
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
    "WebConfig",
    "WebDeps",
    "bind",
    "content_disposition",
    "create_app",
    "event_signature",
    "link_url",
    "probe_signature",
    "serve",
    "sign_link",
    "verify_event",
    "verify_link",
]
