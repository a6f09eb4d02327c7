"""Fixtures for the HTTP app: ``web`` — a ``Cabinet`` (both fakes, companies and documents
synced in link mode, memberships) with the real app in front of it, reached through
``httpx.AsyncClient`` over ``ASGITransport``; its lifespan runs as a server would run it.

``web.link(doc, user)`` makes a link exactly as the module's PHP helper does
(``LinkSigner::url``); ``web.ping(block, id)`` signs a ping as the module does.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import structlog
from starlette.applications import Starlette

from b2bsync.store import SqlWorkflowStore, Store
from b2bsync.web import WebConfig, WebDeps, create_app, event_signature, link_url
from workflows import Wakeups

from ..workflows.conftest import Cabinet, make_cabinet

SECRET = "s3cr3t-key-for-tests-0123456789abcdef"
BASE = "http://b2b.test/documents/download"
FILE_SIZE = 300_000


def running(app: Starlette) -> Callable[[], Any]:
    """The app with its lifespan entered once, and the lifespan's state put into each request
    scope — what uvicorn does, which ``ASGITransport`` does not."""

    @asynccontextmanager
    async def run() -> AsyncIterator[Any]:
        async with app.router.lifespan_context(app) as state:

            async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
                await app({**scope, "state": dict(state or {})}, receive, send)

            yield wrapped

    return run


@dataclass
class Web:
    cab: Cabinet
    store: Store
    tables: SqlWorkflowStore
    wakeups: Wakeups
    asgi: Any
    client: httpx.AsyncClient

    def link(self, doc: int | str, user: int, *, ttl: int = 3600, secret: str = SECRET) -> str:
        expires = int(self.cab.world.now().timestamp()) + ttl
        return link_url(BASE, secret, str(doc), user, expires)

    def document(self, index: int = 0, *, with_file: bool = True) -> dict[str, Any]:
        """A synced document row of company ``index``."""
        company = self.cab.company_id(index)
        docs = self.cab.world.onec.data.documents
        for row in self.cab.world.rows("B2bDocuments"):
            if row["UF_COMPANY_ID"] == company and docs[row["UF_XML_ID"]].has_file == with_file:
                return row
        raise AssertionError(f"company {index} has no document with_file={with_file}")

    def pdf(self, row: dict[str, Any]) -> bytes:
        world = self.cab.world
        return world.onec.pdf(world.onec.data.documents[row["UF_XML_ID"]])

    def ping(self, block: str, row_id: int, *, at: int | None = None) -> dict[str, Any]:
        body = json.dumps({"block": block, "id": row_id}, separators=(",", ":")).encode()
        stamp = int(self.cab.world.now().timestamp()) if at is None else at
        return {
            "content": body,
            "headers": {
                "Content-Type": "application/json",
                "X-B2bsync-Timestamp": str(stamp),
                "X-B2bsync-Signature": event_signature(SECRET, stamp, body),
            },
        }


def deps_for(cab: Cabinet, store: Store, tables: SqlWorkflowStore, **changes: Any) -> WebDeps:
    values: dict[str, Any] = {
        "bitrix": cab.world.bitrix,
        "onec": cab.world.onec_source,
        "store": store,
        "workflows": tables,
        "clock": cab.world.now,
    }
    values.update(changes)
    return WebDeps(**values)


@asynccontextmanager
async def serving(
    cab: Cabinet, store: Store, *, wake: bool = True, **changes: Any
) -> AsyncIterator[Web]:
    tables = SqlWorkflowStore(store)
    wakeups = Wakeups()
    deps = deps_for(cab, store, tables, wake=wakeups.wake if wake else None, **changes)
    app = create_app(WebConfig(secret=SECRET), deps)
    async with running(app)() as asgi:
        transport = httpx.ASGITransport(app=asgi)
        async with httpx.AsyncClient(transport=transport, base_url="http://b2b.test") as client:
            yield Web(cab, store, tables, wakeups, asgi, client)


@pytest.fixture
def state_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
async def synced() -> AsyncIterator[Cabinet]:
    async for cab in make_cabinet(file_size=FILE_SIZE):
        await cab.sync("documents")
        yield cab


@pytest.fixture
async def web(synced: Cabinet, state_store: Store) -> AsyncIterator[Web]:
    state_store.clock = synced.world.now
    async with serving(synced, state_store) as made:
        yield made


@pytest.fixture(autouse=True)
def _quiet_logs() -> None:
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())
