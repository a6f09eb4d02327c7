"""`b2bsync run --serve` as one process: the HTTP app on loopback, the watchers, the outbox.
A status change on the site pings the daemon's own server, which wakes its watcher at once —
the poll interval is an hour — and the notification reaches the site's bell."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from b2bsync.daemon import run_daemon
from b2bsync.runner import Clients
from b2bsync.settings import Settings
from b2bsync.store import SqlWorkflowStore, Store
from b2bsync.web import bind

from ..workflows.conftest import make_cabinet

SECRET = "daemon-s3cr3t-0123456789abcdefghijkl"


async def _eventually(condition, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        await asyncio.sleep(0.01)


async def test_run_serve_wakes_its_own_watchers(tmp_path: Path):
    state_url = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    settings = Settings(
        schedule={"companies": 0, "orders": 0, "documents": 0, "credit": 0},
        state={"url": state_url},
        web={"secret": SECRET},
        watch={"interval": 3600},
    )
    store = Store.open(state_url)
    tables = SqlWorkflowStore(store)
    async for cab in make_cabinet():
        store.clock = cab.world.now  # one clock for the site's pings and the app's window
        site = cab.world.site
        buyer = await cab.add_person(0, "buyer")
        await cab.sync("orders")
        company = str(cab.company_id(0))
        order = next(
            int(v["orderId"])
            for v in site.sale.property_values.values()
            if v.get("code") == "B2B_COMPANY_ID" and str(v.get("value")) == company
        )
        site.sale.orders[order].update(userId=buyer, statusId="N")
        sock = bind("127.0.0.1", 0)
        port = sock.getsockname()[1]
        site.bridge.options.update(sidecar_url=f"http://127.0.0.1:{port}", link_secret=SECRET)
        stop = asyncio.Event()
        daemon = asyncio.create_task(
            run_daemon(settings, store, stop, clients=Clients(bitrix=cab.bitrix), serve_on=sock)
        )
        try:
            await _eventually(lambda: len(tables.watch_states()) == 4)
            await cab.bitrix.sale.order_update(order, {"statusId": "F"})
            assert [(p.block, p.status) for p in site.bridge.pings] == [("b2b_order_events", 202)]
            bell = cab.bell
            await _eventually(lambda b=buyer, rows=bell: any(r["UF_USER_ID"] == b for r in rows()))
        finally:
            stop.set()
            outcomes = await asyncio.wait_for(daemon, 30)
            sock.close()
        assert outcomes == []
        assert store.leases() == []
        (row,) = [r for r in cab.bell() if r["UF_USER_ID"] == buyer]
        assert row["UF_TYPE"] == "B2B_ORDER_STATUS_CHANGED"
    store.close()
