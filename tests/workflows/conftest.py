"""Fixtures for the workflows: a ``Cabinet`` — the jobs' ``World`` (Bitrix fake with the schema
applied + the 1C fake), its companies synced, memberships written as the cabinet writes them,
and the workflows over an in-memory store (``cabinet``) or the SQL store (``sql_cabinet``).

Roles per company: its seeded employees in order are owner, accountant, buyer, viewer (a company
with fewer employees has fewer roles). Everything runs in process on the world's manual clock.

The workflows talk to the site as the module's service user (``cab.service_bitrix``), as a
deployment does; ``cab.bitrix`` is the administrator's webhook (user 1, "the store's staff").
``cab.pending_order`` places an order the way the order guard saves one that needs approval
(status PA, its ``B2B_COMPANY_ID``, the status-log row ``null → PA`` by the buyer);
``cab.site_status`` changes a status as someone on the site does (the cabinet's approve/reject,
the admin panel, an agent), the module's status log recording it. ``cab.reconfigure`` rebuilds
the service with other ``[approval]`` rules. ``machine_settings`` are the state machines'
hypothesis settings (``B2BSYNC_MACHINE_EXAMPLES`` raises their runs).
"""

from __future__ import annotations

import asyncio
import os
import random
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import structlog
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine

from b2bsync.schema import schema_config
from b2bsync.settings import ApprovalSettings, BitrixSettings
from b2bsync.store import SqlWorkflowStore, Store
from bitrix_client import BitrixClient
from bitrix_client.fake import FakeUser
from bitrix_client.fake._bridge_events import record_status_change
from bitrix_client.fake._sale_orders import apply_changes
from bitrix_client.fake._sale_state import add_basket_item, new_order, save_order
from jobs import JOBS, JobResult
from jobs.testing import World
from onec_client import OneCSource
from onec_client.fake import FakeDocument, make_document
from workflows import (
    ApprovalConfig,
    ApprovalLinks,
    ServiceConfig,
    WatchConfig,
    WorkflowService,
    WorkflowStore,
)
from workflows.testing import MemoryWorkflowStore, add_members

ROLES = ("owner", "accountant", "buyer", "viewer")
LINK_SECRET = "s3cr3t-key-for-tests-0123456789abcdef"
LINK_BASE = "https://shop.example.ru/b2bsync"
MANAGERS_GROUP = 7


def machine_settings(examples: int, steps: int) -> settings:
    """The hypothesis settings of a state machine: ``examples`` runs of up to ``steps`` steps,
    or as many runs as ``B2BSYNC_MACHINE_EXAMPLES`` asks for (``make machines EXAMPLES=500``)."""
    wanted = os.environ.get("B2BSYNC_MACHINE_EXAMPLES", "").strip()
    return settings(
        max_examples=int(wanted) if wanted else examples,
        stateful_step_count=steps,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


class CabinetMachine(RuleBasedStateMachine):
    """The world of a state machine: two companies on the Bitrix fake, the in-memory state
    store on the fake's clock, and an event loop to run the async steps on."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.store = MemoryWorkflowStore()
        self.made = make_cabinet(self.store, companies=2)
        self.cab: Cabinet = self.run(self.made.__anext__())
        self.store.clock = self.cab.world.now
        self.companies = [self.cab.company_id(0), self.cab.company_id(1)]

    def run(self, work: Any) -> Any:
        return self.loop.run_until_complete(work)

    def teardown(self) -> None:
        self.run(self.made.aclose())
        self.loop.close()


def approval_config(**changes: Any) -> ApprovalConfig:
    base = ApprovalConfig(links=ApprovalLinks(LINK_SECRET, LINK_BASE))
    return replace(base, **changes)


@dataclass
class Cabinet:
    world: World
    bitrix: BitrixClient
    onec: OneCSource
    store: WorkflowStore
    service: WorkflowService
    service_bitrix: BitrixClient
    members: dict[int, dict[str, int]] = field(default_factory=dict)  # company → role → user
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    @property
    def service_user(self) -> int:
        return next(u.id for u in self.world.site.users.values() if u.login == "b2bsync_service")

    def reconfigure(self, **approval: Any) -> WorkflowService:
        """The service again, with these ``[approval]`` rules (the store and cursors kept)."""
        config = ServiceConfig(watch=WatchConfig(approval=approval_config(**approval)))
        self.service = WorkflowService(self.service_bitrix, self.store, self.world.now, config)
        return self.service

    def pending_order(
        self, index: int, author: int, *, price: Decimal = Decimal("18450"), reason: str = ""
    ) -> int:
        """An order of company ``index`` placed by ``author`` and saved pending approval, as
        the order guard saves it: status PA, ``B2B_COMPANY_ID``, the status-log row."""
        site = self.world.site
        sale = site.sale
        legal = self.world.shop.legal_type
        now = site.now()
        fields = {"personTypeId": legal, "statusId": "PA", "userId": author}
        order = new_order(sale, fields, now=now, user_id=author)
        add_basket_item(
            sale,
            order,
            {"name": "Перфоратор SDS-plus 800 Вт", "price": float(price), "quantity": 1,
             "productId": 1, "measureName": "шт"},
            now=now,
        )  # fmt: skip
        for value in sale.values_of(order["id"]):
            if value["code"] == "B2B_COMPANY_ID":
                value["value"] = str(self.company_id(index))
        record_status_change(site, order["id"], None, "PA", author, reason=reason)
        return int(order["id"])

    def site_status(self, order_id: int, status: str, user: int | None, reason: str = "") -> None:
        """``user`` changes the order's status on the site (``None``: an agent)."""
        site = self.world.site
        order = site.sale.orders[order_id]
        old = order["statusId"]
        now = site.now()
        apply_changes(site.sale, order, {"statusId": status}, now=now, user_id=user or 0)
        save_order(order, now)
        record_status_change(site, order_id, old, status, user, reason=reason)

    def order(self, order_id: int) -> dict[str, Any]:
        return self.world.site.sale.orders[order_id]

    def log(self, order_id: int) -> list[tuple[str | None, str, int | None, str | None]]:
        """The order's status log: (old, new, user, reason) per row."""
        return [
            (r["UF_OLD_STATUS"], r["UF_NEW_STATUS"], r["UF_USER_ID"], r.get("UF_REASON"))
            for r in self.world.rows("B2bOrderEvents")
            if r["UF_ORDER_ID"] == order_id
        ]

    async def manager(self, index: int, *, override: bool = False) -> int:
        """A store manager (a site user, no member) who manages company ``index``
        (``UF_MANAGER_ID``); in the managers' group ``MANAGERS_GROUP`` with ``override``."""
        site = self.world.site
        number = max(site.users) + 1
        site.users[number] = FakeUser(
            id=number,
            login=f"manager{number}",
            email=f"manager{number}@shop.example.ru",
            name=f"Менеджер{number}",
            group_ids=[3, 4, MANAGERS_GROUP] if override else [3, 4],
        )
        site.groups.setdefault(MANAGERS_GROUP, "Sale managers")
        await self.bitrix.bridge.item_update(
            "B2bCompanies", self.company_id(index), {"UF_MANAGER_ID": number}
        )
        return number

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
    # the module options schema apply writes from the settings (the approval statuses)
    await made.apply_schema(schema_config(BitrixSettings(), ApprovalSettings()))
    async with made.bitrix() as bitrix, made.onec_source() as onec, made.service_bitrix() as svc:
        memory = store or MemoryWorkflowStore(clock=made.now)
        config = ServiceConfig(watch=WatchConfig(approval=approval_config()))
        service = WorkflowService(svc, memory, made.now, config)
        cab = Cabinet(made, bitrix, onec, memory, service, svc)
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
