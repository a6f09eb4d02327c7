"""``World``: a Bitrix store and a 1C infobase that describe the same companies, for tests,
benchmarks, the demo and the sandbox.

The Bitrix side is the fake site seeded as a real store looks before b2bsync
(:func:`bitrix_client.fake._seed_store.seed_store`: payer types, ИНН/КПП order properties,
companies' employees and six months of orders), with the b2bsync schema applied. The 1C side is
a :class:`onec_client.fake.FakeOneC` whose counterparties *are* those companies (same name, ИНН,
КПП) with fresh GUIDs, ``documents`` documents each (half of the invoices, waybills and УПД
refer to one of the company's Bitrix orders through its ``id1c``, as the 1C exchange sets it)
and one credit position each, cycling through five cases: within limit; over the limit and
overdue; a little overdue; no limit; and an old (stale) as-of. Everything comes from the seed
and the clock, so two worlds built alike are alike.

In process (tests): :meth:`World.bitrix` and :meth:`World.onec_source` talk to the fakes through
ASGI transports, waits advance the manual clock. On loopback (sandbox, demo, benchmarks):
``with world.serve() as ends:`` runs both on 127.0.0.1, and ``world.bitrix(ends.webhook_url)`` /
``world.onec_source(ends.onec_url)`` connect over real sockets.
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bitrix_client import BitrixClient, RateLimiter, RetryPolicy
from bitrix_client.fake import (
    FakeBitrixApp,
    FakeSite,
    Faults,
    Limits,
    LoopbackServer,
    ManualClock,
    create_app,
)
from bitrix_client.fake._seed_store import StoreSeed, seed_store
from hl_schemas import SchemaConfig, apply_schema
from onec_client import HttpServiceConfig, OneCSource, open_source
from onec_client import RetryPolicy as OneCRetry
from onec_client.fake import (
    DEFAULT_PASSWORD,
    DEFAULT_USER,
    HTTP_PREFIX,
    Dataset,
    FakeCounterparty,
    FakeCredit,
    FakeDocument,
    FakeOneC,
    LoopbackFake,
    make_document,
)

from ._context import JobContext, SyncConfig
from ._memory import MemoryStore
from ._ports import Progress

ONEC_TZ = ZoneInfo("Europe/Moscow")
SCOPES = frozenset({"sale", "catalog", "user", "b2bsync"})
IN_PROCESS_SITE = "http://shop.world.test"
IN_PROCESS_ONEC = "http://onec.world.test"
LINKED_KINDS = ("invoice", "waybill", "upd")


@dataclass(frozen=True)
class Endpoints:
    """Where a served world listens (all on 127.0.0.1)."""

    webhook_url: str
    onec_url: str
    onec_user: str = DEFAULT_USER
    onec_password: str = DEFAULT_PASSWORD


def _orders_by_inn(site: FakeSite) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for row in site.sale.property_values.values():
        if row.get("code") == "INN" and row.get("value"):
            out.setdefault(str(row["value"]), []).append(int(row["orderId"]))
    return out


def world_dataset(
    site: FakeSite, shop: StoreSeed, *, seed: int, documents: int, now_local: datetime
) -> Dataset:
    """The 1C infobase that matches ``shop``'s companies (see the module docstring)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    data = Dataset()
    orders = _orders_by_inn(site)
    sequence = 0
    for index, company in enumerate(shop.companies):
        guid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        data.counterparties[guid] = FakeCounterparty(
            guid=guid,
            name=company.name,
            inn=company.inn,
            kpp=company.kpp,
            deleted=False,
            changed_at=now_local - timedelta(days=40 - index % 30, minutes=index),
        )
        for _ in range(documents):
            sequence += 1
            doc = make_document(rng, guid, sequence, with_lines=False)
            day = now_local - timedelta(days=rng.randint(2, 150), minutes=rng.randint(0, 600))
            latest = now_local - timedelta(hours=1)
            changed = min(day + timedelta(hours=rng.randint(0, 30)), latest)
            doc = replace(doc, date=day, changed_at=changed)
            own_orders = orders.get(company.inn, [])
            if doc.type in LINKED_KINDS and own_orders and rng.random() < 0.5:
                order = site.sale.orders[rng.choice(own_orders)]
                if not order.get("id1c"):
                    order["id1c"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                doc = replace(doc, order_ref=order["id1c"])
            else:
                doc = replace(doc, order_ref=None)
            data.documents[doc.guid] = doc
        data.credit[guid] = _credit(rng, guid, index, now_local)
    return data


def _credit(rng: random.Random, guid: str, index: int, now_local: datetime) -> FakeCredit:
    case = index % 5
    limit = None if case == 3 else Decimal(rng.randint(2, 20) * 100_000)
    base = limit if limit is not None else Decimal(1_000_000)
    share = {0: "0.4", 1: "1.15", 2: "0.8", 3: "0.3", 4: "0.5"}[case]
    used = (base * Decimal(share)).quantize(Decimal("0.01"))
    overdue_share = {1: "0.25", 2: "0.05"}.get(case)
    overdue = Decimal(0)
    if overdue_share:
        overdue = (used * Decimal(overdue_share)).quantize(Decimal("0.01"))
    as_of = now_local - (timedelta(hours=9) if case == 4 else timedelta(hours=1))
    since = None
    if overdue:
        since = (as_of - timedelta(days=10 + index)).replace(hour=0, minute=0, second=0)
    return FakeCredit(
        counterparty=guid,
        limit=limit,
        used=used,
        overdue_amount=overdue,
        overdue_since=since,
        currency="RUB",
        as_of=as_of.replace(microsecond=0),
    )


@dataclass
class World:
    site: FakeSite
    app: FakeBitrixApp
    shop: StoreSeed
    onec: FakeOneC
    store: MemoryStore
    clock: ManualClock | None
    secret: str
    guids: list[str] = field(default_factory=list)

    # --- building -------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        *,
        seed: int = 0,
        companies: int = 6,
        documents: int = 4,
        orders: int = 150,
        clock: ManualClock | None = None,
        real_time: bool = False,
        limits: Limits | None = None,
        bitrix_faults: Faults | None = None,
        onec_fault_rate: float = 0.0,
        file_size: int = 0,
        secret: str | None = None,
    ) -> World:
        """Both fakes, seeded; the schema is *not* applied (see :meth:`create`).

        ``real_time`` runs the site on the wall clock (sandbox); otherwise on ``clock`` (a
        fresh :class:`ManualClock` by default), which waits advance instead of sleeping.
        """
        manual = None if real_time else (clock or ManualClock())
        site = FakeSite(clock=manual)
        token = secret or secrets.token_hex(8)
        site.add_webhook(1, token, SCOPES)
        shop = seed_store(site, orders=orders, companies=companies, seed=seed)
        now_local = site.now().astimezone(ONEC_TZ).replace(tzinfo=None, microsecond=0)
        data = world_dataset(site, shop, seed=seed, documents=documents, now_local=now_local)
        onec = FakeOneC(data=data, file_size=file_size)
        if onec_fault_rate:
            onec.faults.chaos(seed, onec_fault_rate)
        app = create_app(site, limits=limits, faults=bitrix_faults, sleep=_sleeper(manual))
        store = MemoryStore(clock=site.now)
        return cls(site, app, shop, onec, store, manual, token, list(data.counterparties))

    @classmethod
    async def create(cls, **options: Any) -> World:
        """:meth:`build`, then ``b2bsync schema apply`` (through a fault-free twin of the app,
        so the world's own ``app.stats`` count only what comes after)."""
        world = cls.build(**options)
        await world.apply_schema()
        return world

    async def apply_schema(self, config: SchemaConfig | None = None) -> None:
        setup = create_app(self.site, sleep=_sleeper(self.clock))
        async with self.bitrix(app=setup) as client:
            await apply_schema(client, config or SchemaConfig())

    # --- clients --------------------------------------------------------------------------

    def bitrix(self, url: str | None = None, *, app: FakeBitrixApp | None = None) -> BitrixClient:
        """The real client: in process over ASGI (default), or to ``url`` on loopback."""
        if url is not None:
            return BitrixClient.from_webhook(url, retry=RetryPolicy.no_wait(), rate_limit="off")
        return BitrixClient.from_webhook(
            f"{IN_PROCESS_SITE}/rest/1/{self.secret}/",
            transport=httpx.ASGITransport(app=app or self.app),  # type: ignore[arg-type]
            limiter=RateLimiter(None, sleep=_sleeper(self.clock)),
            retry=RetryPolicy.no_wait(),
        )

    def service_bitrix(self) -> BitrixClient:
        """A client through the module's service user (made on first use, as the module's
        settings page makes it): the least-privileged webhook a deployment gives b2bsync."""
        hook = next(
            (h for h in self.site.webhooks if h.secret == f"svc{self.secret}"), None
        ) or self.site.add_service_account("b2bsync@shop.example.ru", f"svc{self.secret}")
        return BitrixClient.from_webhook(
            f"{IN_PROCESS_SITE}/rest/{hook.user_id}/{hook.secret}/",
            transport=httpx.ASGITransport(app=self.app),  # type: ignore[arg-type]
            limiter=RateLimiter(None, sleep=_sleeper(self.clock)),
            retry=RetryPolicy.no_wait(),
        )

    def onec_source(self, url: str | None = None, *, attempts: int = 4) -> OneCSource:
        """The real 1C HTTP-service adapter, retries without waiting."""
        config = HttpServiceConfig(
            url=url or f"{IN_PROCESS_ONEC}{HTTP_PREFIX}",
            username=DEFAULT_USER,
            password=DEFAULT_PASSWORD,
            timezone="Europe/Moscow",
            retry=OneCRetry(attempts=attempts, initial_wait=0, max_wait=0),
        )
        transport = None if url is not None else httpx.ASGITransport(app=self.onec)
        return open_source(config, transport=transport, sleep=_no_sleep)

    def config(self, **overrides: Any) -> SyncConfig:
        """A :class:`SyncConfig` on the world's clock."""
        return SyncConfig(**{"clock": self.site.now, **overrides})

    def context(
        self,
        bitrix: BitrixClient,
        onec: OneCSource | None,
        *,
        config: SyncConfig | None = None,
        progress: Progress | None = None,
        **overrides: Any,
    ) -> JobContext:
        ctx = JobContext(
            bitrix=bitrix,
            onec=onec,
            store=self.store,
            config=config if config is not None else self.config(**overrides),
        )
        if progress is not None:
            ctx.progress = progress
        return ctx

    @contextmanager
    def serve(self) -> Iterator[Endpoints]:
        """Both fakes on 127.0.0.1 for the duration of the block."""
        server = LoopbackServer(self.app)
        base = server.start()
        onec_server = LoopbackFake(self.onec)
        try:
            served = onec_server.start()
            try:
                yield Endpoints(f"{base}/rest/1/{self.secret}/", served.http_url)
            finally:
                onec_server.stop()
        finally:
            server.stop()

    # --- looking and changing -------------------------------------------------------------

    def now(self) -> datetime:
        return self.site.now()

    def onec_now(self) -> datetime:
        """Now as 1C writes it: naive local time."""
        return self.site.now().astimezone(ONEC_TZ).replace(tzinfo=None, microsecond=0)

    def advance(self, seconds: float) -> None:
        if self.clock is None:
            raise RuntimeError("a real-time world cannot be advanced")
        self.clock.advance(seconds)

    def counterparty(self, index: int) -> FakeCounterparty:
        return self.onec.data.counterparties[self.guids[index]]

    def documents_of(self, index: int) -> list[FakeDocument]:
        return sorted(self.onec.data.documents_of(self.guids[index]), key=lambda d: d.guid)

    def rows(self, block: str) -> list[dict[str, Any]]:
        """The fake site's rows of an HL-block (internal values: empty is ``None``), by ID."""
        return self.site.hl_rows(block)

    def row(self, block: str, **match: Any) -> dict[str, Any] | None:
        return next(
            (r for r in self.rows(block) if all(r.get(k) == v for k, v in match.items())), None
        )


def _sleeper(clock: ManualClock | None) -> Callable[[float], Any]:
    if clock is None:
        import asyncio

        return asyncio.sleep

    async def advance(seconds: float) -> None:
        clock.advance(seconds)

    return advance


async def _no_sleep(_: float) -> None:
    return None
