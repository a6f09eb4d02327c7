"""Serve a fake on 127.0.0.1 with uvicorn in a background thread (tests, benches, sandbox).

The HTTP protocol class is uvicorn's h11 one plus a registry of live connections, so the app can
really abort a connection (a dropped-connection fault) instead of answering.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import AsyncIterator, Iterator

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ._app import FakeBitrixApp


class _Connections:
    def __init__(self) -> None:
        self._transports: dict[tuple[str, int], asyncio.BaseTransport] = {}
        self._lock = threading.Lock()

    def register(self, client: tuple[str, int] | None, transport: asyncio.BaseTransport) -> None:
        if client is not None:
            with self._lock:
                self._transports[client] = transport

    def unregister(self, client: tuple[str, int] | None) -> None:
        if client is not None:
            with self._lock:
                self._transports.pop(client, None)

    def abort(self, client: tuple[str, int] | None) -> bool:
        with self._lock:
            transport = self._transports.get(tuple(client)) if client else None  # type: ignore[arg-type]
        if transport is None:
            return False
        if isinstance(transport, asyncio.Transport):
            transport.abort()
        else:
            transport.close()
        return True


def no_delay(transport: asyncio.BaseTransport) -> None:
    """Send each answer at once. h11 writes the head and the body separately; with Nagle's
    algorithm on, the body waits for the client's delayed ACK: 40 ms per keep-alive request."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _protocol(connections: _Connections) -> type[H11Protocol]:
    class AbortableH11Protocol(H11Protocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            no_delay(transport)
            connections.register(self.client, transport)

        def connection_lost(self, exc: Exception | None) -> None:
            connections.unregister(self.client)
            super().connection_lost(exc)

    return AbortableH11Protocol


class LoopbackServer:
    """uvicorn on ``127.0.0.1:port`` (0 = any free port) in a daemon thread."""

    def __init__(self, app: FakeBitrixApp, port: int = 0) -> None:
        self.app = app
        self._connections = _Connections()
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", port))
        self._socket.listen(128)
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(
            app,
            http=_protocol(self._connections),
            lifespan="off",
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> str:
        self.app.connections = self._connections
        self._thread = threading.Thread(
            target=self._run, name=f"fake-bitrix-{self.port}", daemon=True
        )
        self._thread.start()
        return self.url

    def _run(self) -> None:
        asyncio.run(self._server.serve(sockets=[self._socket]))

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._socket.close()
        self.app.connections = None

    def wait(self) -> None:
        """Block until the server stops (for a foreground sandbox)."""
        if self._thread is not None:
            self._thread.join()


@contextlib.contextmanager
def serve_sync(app: FakeBitrixApp, port: int = 0) -> Iterator[str]:
    """Run ``app`` on loopback for the duration of the block; yields the base URL."""
    server = LoopbackServer(app, port)
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


@contextlib.asynccontextmanager
async def serve(app: FakeBitrixApp, port: int = 0) -> AsyncIterator[str]:
    """Async variant of :func:`serve_sync` (the server still runs in its own thread)."""
    server = LoopbackServer(app, port)
    url = server.start()
    try:
        yield url
    finally:
        await asyncio.to_thread(server.stop)
