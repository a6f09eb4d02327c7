"""Run the fake on loopback (for ``b2bsync sandbox`` and end-to-end tests) and describe it."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ._app import DEFAULT_PASSWORD, DEFAULT_USER, HTTP_PREFIX, SOAP_PATH, FakeOneC

SourceKind = Literal["http", "soap", "xml"]


@dataclass(frozen=True)
class ServedFake:
    fake: FakeOneC
    base_url: str

    @property
    def http_url(self) -> str:
        return self.base_url + HTTP_PREFIX

    @property
    def soap_endpoint(self) -> str:
        return self.base_url + SOAP_PATH

    @property
    def wsdl_url(self) -> str:
        return self.soap_endpoint + "?wsdl"

    def env_lines(self, kind: SourceKind = "http", directory: Path | None = None) -> list[str]:
        return env_lines(self.base_url, kind, directory=directory)


def env_lines(
    base_url: str,
    kind: SourceKind = "http",
    *,
    user: str = DEFAULT_USER,
    password: str = DEFAULT_PASSWORD,
    timezone: str = "Europe/Moscow",
    directory: Path | None = None,
) -> list[str]:
    """The ``B2BSYNC_ONEC__…=…`` lines that point b2bsync at a fake served on ``base_url``."""
    lines = [f"B2BSYNC_ONEC__KIND={kind}"]
    if kind == "http":
        lines.append(f"B2BSYNC_ONEC__URL={base_url}{HTTP_PREFIX}")
    elif kind == "soap":
        lines.append(f"B2BSYNC_ONEC__WSDL_URL={base_url}{SOAP_PATH}?wsdl")
        lines.append(f"B2BSYNC_ONEC__ENDPOINT={base_url}{SOAP_PATH}")
    else:
        if directory is None:
            raise ValueError("the xml source needs the drop directory")
        lines.append(f"B2BSYNC_ONEC__DIRECTORY={directory}")
    if kind != "xml":
        lines.append(f"B2BSYNC_ONEC__USERNAME={user}")
        lines.append(f"B2BSYNC_ONEC__PASSWORD={password}")
    lines.append(f"B2BSYNC_ONEC__TIMEZONE={timezone}")
    return lines


class _NoDelayH11(H11Protocol):
    """Each answer leaves at once: h11 writes head and body separately, and with Nagle's
    algorithm on the body would wait for the client's delayed ACK (40 ms per keep-alive
    request)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class LoopbackFake:
    """The fake served by uvicorn on 127.0.0.1 in a background thread (port 0 = any free one).

    The socket is bound and listening before the thread starts, so ``start()`` returns a
    usable URL at once (connections queue until uvicorn accepts them); ``stop()`` shuts the
    server down and joins the thread. :func:`serve` wraps both in a context manager.
    """

    def __init__(self, fake: FakeOneC, *, port: int = 0, start_timeout: float = 10.0) -> None:
        self.fake = fake
        self._timeout = start_timeout
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", port))
        self._socket.listen(128)
        config = uvicorn.Config(
            fake, http=_NoDelayH11, log_level="critical", access_log=False, lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=lambda: self._server.run(sockets=[self._socket]), name="onec-fake", daemon=True
        )

    def start(self) -> ServedFake:
        self.fake.on_loopback = True
        self._thread.start()
        bound = self._socket.getsockname()[1]
        return ServedFake(self.fake, f"http://127.0.0.1:{bound}")

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=self._timeout)
        self._socket.close()
        self.fake.on_loopback = False


@contextmanager
def serve(fake: FakeOneC, *, port: int = 0, start_timeout: float = 10.0) -> Iterator[ServedFake]:
    """Serve ``fake`` on 127.0.0.1 for the duration of the ``with`` block."""
    server = LoopbackFake(fake, port=port, start_timeout=start_timeout)
    served = server.start()
    try:
        yield served
    finally:
        server.stop()
