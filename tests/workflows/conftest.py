"""Fixtures for the workflows: a ``Cabinet`` — the jobs' ``World`` (Bitrix fake with the schema
applied + the 1C fake), its companies synced, memberships written as the cabinet writes them,
and the workflows over an in-memory store (``cabinet``) or the SQL store (``sql_cabinet``).

Roles per company: its seeded employees in order are owner, accountant, buyer, viewer (a company
with fewer employees has fewer roles). Everything runs in process on the world's manual clock.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
import structlog

from b2bsync.store import SqlWorkflowStore, Store
from bitrix_client import BitrixClient
from bitrix_client.fake import FakeUser
from jobs import JOBS, JobResult
from jobs.testing import World
from onec_client import OneCSource
from onec_client.fake import FakeDocument, make_document
from workflows import ServiceConfig, WorkflowService, WorkflowStore
from workflows.testing import MemoryWorkflowStore, add_members

ROLES = ("owner", "accountant", "buyer", "viewer")


@dataclass
class Cabinet:
    world: World
    bitrix: BitrixClient
    onec: OneCSource
    store: WorkflowStore
    service: WorkflowService
    members: dict[int, dict[str, int]] = field(default_factory=dict)  # company → role → user
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    async def sync(self, job: str, **config: Any) -> JobResult:
        config.setdefault("download_base_url", "https://b2b.example.ru/b2bsync")
        ctx = self.world.context(self.bitrix, self.onec, **config)
        ctx.facts = self.store  # type: ignore[assignment]
        result = await JOBS[job](ctx)
        assert result.ok, result.errors
        return result

    def company_id(self, index: int) -> int:
        row = self.world.row("B2bCompanies", UF_XML_ID=self.world.guids[index])
        assert row is not None
        return int(row["ID"])

    def user(self, index: int, role: str) -> int:
        return self.members[self.company_id(index)][role]

    def new_document(self, index: int, **changes: Any) -> FakeDocument:
        """A document 1C has just made for company ``index``."""
        doc = make_document(self.rng, self.world.guids[index], self.rng.randint(1000, 9999))
        now = self.world.onec_now()
        doc = replace(
            doc, **{"date": now, "changed_at": now, "has_file": True, "deleted": False, **changes}
        )
        self.world.onec.data.documents[doc.guid] = doc
        return doc

    async def add_person(
        self, index: int, role: str, *, language: str = "", email: str | None = None
    ) -> int:
        """A new site user who is ``role`` of company ``index``."""
        site = self.world.site
        number = max(site.users) + 1
        site.users[number] = FakeUser(
            id=number,
            login=f"user{number}",
            email=email if email is not None else f"user{number}@example.ru",
            name=f"Имя{number}",
            last_name="Фамилия",
            language_id=language,
        )
        await add_members(self.bitrix, [(self.company_id(index), number, role)])
        self.members[self.company_id(index)].setdefault(role, number)
        return number

    def mails(self, event: str | None = None) -> list[Any]:
        return self.world.site.bridge.mails(event)

    def bell(self) -> list[dict[str, Any]]:
        return self.world.rows("B2bNotifications")


async def make_cabinet(
    store: WorkflowStore | None = None, *, seed: int = 3, companies: int = 4, **world: Any
) -> AsyncIterator[Cabinet]:
    made = await World.create(seed=seed, companies=companies, documents=3, orders=80, **world)
    async with made.bitrix() as bitrix, made.onec_source() as onec:
        memory = store or MemoryWorkflowStore(clock=made.now)
        service = WorkflowService(bitrix, memory, made.now, ServiceConfig())
        cab = Cabinet(made, bitrix, onec, memory, service)
        await cab.sync("companies")
        rows = []
        for index, company in enumerate(made.shop.companies):
            company_id = cab.company_id(index)
            cab.members[company_id] = {}
            for user, role in zip(company.user_ids, ROLES, strict=False):
                cab.members[company_id][role] = user
                rows.append((company_id, user, role))
        await add_members(bitrix, rows)
        yield cab


@pytest.fixture
async def cabinet() -> AsyncIterator[Cabinet]:
    async for made in make_cabinet():
        yield made


@pytest.fixture
def sql_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
async def sql_cabinet(sql_store: Store) -> AsyncIterator[Cabinet]:
    async for made in make_cabinet(SqlWorkflowStore(sql_store)):
        sql_store.clock = made.world.now
        yield made


@pytest.fixture(autouse=True)
def _quiet_logs() -> None:
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())
