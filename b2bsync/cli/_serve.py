"""`b2bsync serve`: the HTTP app (downloads, pings, health, metrics) in its own process.

Pings reaching this process are left in the state store for the daemon (`b2bsync run`), which
takes them within `watch.wake_check`; `b2bsync run --serve` serves from the daemon itself.
"""

from __future__ import annotations

from typing import Annotated

import typer

from .._wiring import web_config, web_deps
from ..runner import open_store
from ..web import bind, create_app, serve
from ._app import app
from ._context import app_context
from ._sync import until_signalled

HostOption = Annotated[
    str | None, typer.Option("--host", help="Interface to listen on (default: web.host).")
]
PortOption = Annotated[int | None, typer.Option("--port", help="Port (default: web.port).")]


@app.command(name="serve")
def serve_cmd(ctx: typer.Context, host: HostOption = None, port: PortOption = None) -> None:
    """Serve signed document downloads, the bridge's pings, /healthz and /metrics."""
    settings = app_context(ctx).settings
    config = web_config(settings)
    where = (host or settings.web.host, port if port is not None else settings.web.port)
    store = open_store(settings)
    try:
        sock = bind(*where)
        address = sock.getsockname()
        typer.echo(f"serving on http://{address[0]}:{address[1]}", err=True)
        application = create_app(config, web_deps(settings, store))
        until_signalled(lambda stop: serve(application, sock, stop))
    finally:
        store.close()


__all__ = ["serve_cmd"]
