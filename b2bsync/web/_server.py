"""Running the app with uvicorn inside our own event loop: the socket bound first (so a caller
knows the port before serving, and port 0 works), signals left to the caller (the CLI's stop
event, or the daemon's), and the server stopped when ``stop`` is set."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator
from typing import Any

import uvicorn

from .._errors import B2BSyncError


class _Server(uvicorn.Server):
    """uvicorn without its own signal handlers: the caller owns SIGTERM/SIGINT."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # accepted connections inherit it: a response's head and body must not wait for the
    # peer's delayed ACK (40 ms a request on loopback otherwise)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise B2BSyncError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    sock.listen(128)
    sock.setblocking(False)
    return sock


async def serve(app: Any, sock: socket.socket, stop: asyncio.Event) -> None:
    """Serve ``app`` on ``sock`` until ``stop`` is set (requests in flight finish)."""
    config = uvicorn.Config(
        app,
        lifespan="on",
        log_config=None,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=10,
    )
    server = _Server(config)

    async def stopper() -> None:
        await stop.wait()
        server.should_exit = True

    watcher = asyncio.create_task(stopper())
    try:
        await server.serve(sockets=[sock])
    except SystemExit as exc:  # uvicorn exits when the app's lifespan fails to start
        raise B2BSyncError("the HTTP app failed to start (see the log above)") from exc
    finally:
        watcher.cancel()
        if not server.started and not stop.is_set():
            raise B2BSyncError("the HTTP server stopped before it started")


__all__ = ["bind", "serve"]
