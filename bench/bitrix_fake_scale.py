"""The Bitrix fake at benchmark scale: CPU of loads and keyset batches, in-process.

Figures printed (wall seconds of the in-process call, HTTP encoding included):

* ``load``: N rows into an HL-block with a unique index, through the real client's batched
  ``b2bsync.item.add`` (50 a request);
* ``bridge_keyset``: one ``batch`` of 50 chained keyset pages (``order {ID: ASC}``,
  ``filter {>ID: …}``, ``start=-1``) of ``b2bsync.item.list`` over M rows (mean of 5 batches at
  different places, the median);
* ``sale_keyset``: the same over M orders with ``sale.order.list`` (``>id``).

The seeded state is moved out of the cyclic garbage collector's reach (``gc.freeze()``) before
the batches are timed, as in a long-running fake whose old generation is rarely collected; a
full collection over millions of seeded objects would otherwise land in a random batch.

    python bench/bitrix_fake_scale.py                    # N=20,000, M=100,000
    python bench/bitrix_fake_scale.py --load 100000
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import structlog  # noqa: E402

from bitrix_client import BitrixClient  # noqa: E402
from bitrix_client.fake import FakeSite, create_app  # noqa: E402
from bitrix_client.fake._bridge_rows import commit  # noqa: E402
from bitrix_client.fake._seed_store import seed_store  # noqa: E402

SECRET = "sc4l3b3nchs3cr3t"
URL = f"http://bench/rest/1/{SECRET}/"
FIELDS = [
    {"FIELD_NAME": "UF_XML_ID", "USER_TYPE_ID": "string", "MANDATORY": "Y"},
    {"FIELD_NAME": "UF_NAME", "USER_TYPE_ID": "string"},
    {"FIELD_NAME": "UF_AMOUNT", "USER_TYPE_ID": "double"},
]


def _site() -> FakeSite:
    site = FakeSite()
    site.add_webhook(1, SECRET, {"sale", "b2bsync"})
    return site


def _client(site: FakeSite) -> BitrixClient:
    transport = httpx.ASGITransport(app=create_app(site))  # type: ignore[arg-type]
    return BitrixClient.from_webhook(URL, transport=transport, rate_limit="off")


async def _block(client: BitrixClient, name: str, table: str, *, unique: bool = True) -> int:
    block = await client.bridge.hlblock_add(name, table, {"ru": name})
    for field in FIELDS:
        await client.bridge.field_add(block, field)
    if unique:
        await client.bridge.index_ensure(block, f"ux_{table}", ["UF_XML_ID"], unique=True)
    return block


def _row(i: int) -> dict[str, Any]:
    return {"UF_XML_ID": f"row-{i:07d}", "UF_NAME": f"Строка {i}", "UF_AMOUNT": i * 1.5}


async def bench_load(rows: int) -> float:
    site = _site()
    async with _client(site) as client:
        block = await _block(client, "BenchLoad", "bench_load")
        began = time.perf_counter()
        items = await client.batch(
            ("b2bsync.item.add", {"HLBLOCK": block, "FIELDS": _row(i)}) for i in range(rows)
        )
        seconds = time.perf_counter() - began
    failed = [item for item in items if not item.ok]
    if failed or len(site.bridge.blocks[block].rows) != rows:
        raise SystemExit(f"load: {len(failed)} commands failed")
    return seconds


def _keyset_batch(
    method: str, id_key: str, extra: str, after: int, rows_key: str
) -> dict[str, str]:
    """50 chained pages: page k filters on the last id of page k-1."""
    base = f"{method}?order[{id_key}]=ASC&start=-1{extra}"
    cmd = {"p0": f"{base}&filter[>{id_key}]={after}"}
    path = f"[{rows_key}][49]" if rows_key else "[49]"
    for k in range(1, 50):
        cmd[f"p{k}"] = f"{base}&filter[>{id_key}]=$result[p{k - 1}]{path}[{id_key}]"
    return cmd


async def _time_batches(site: FakeSite, cmds: list[dict[str, str]], check: str) -> float:
    """Median seconds of one batch request (answer bytes received, not yet decoded)."""
    gc.collect()
    gc.freeze()
    transport = httpx.ASGITransport(app=create_app(site))  # type: ignore[arg-type]
    spent: list[float] = []
    async with httpx.AsyncClient(transport=transport, base_url=URL) as http:
        for cmd in cmds:
            began = time.perf_counter()
            response = await http.post("batch.json", json={"halt": 0, "cmd": cmd})
            spent.append(time.perf_counter() - began)
            answer = response.json()["result"]
            last = answer["result"]["p49"][check] if check else answer["result"]["p49"]
            if len(last) != 50 or answer["result_error"]:
                raise SystemExit(f"keyset batch came back short: {answer['result_error']}")
    return statistics.median(spent)


async def bench_bridge_keyset(rows: int) -> float:
    site = _site()
    async with _client(site) as client:
        block_id = await _block(client, "BenchRead", "bench_read", unique=False)
    block, state = site.bridge.blocks[block_id], site.bridge
    for i in range(rows):  # written directly: loading is measured on its own
        commit(state, block, _row(i), row_id=None)
    starts = [k * (rows - 2600) // 4 for k in range(5)]
    cmds = [_keyset_batch("b2bsync.item.list", "ID", f"&HLBLOCK={block_id}", s, "") for s in starts]
    return await _time_batches(site, cmds, "")


async def bench_sale_keyset(orders: int) -> float:
    site = _site()
    seed_store(site, orders=orders, companies=50, seed=1)
    starts = [k * (orders - 2600) // 4 for k in range(5)]
    cmds = [_keyset_batch("sale.order.list", "id", "", s, "orders") for s in starts]
    return await _time_batches(site, cmds, "orders")


async def run(load: int, scale: int) -> None:
    keyset = await bench_bridge_keyset(scale)
    print(f"bridge_keyset rows={scale} batch_ms={keyset * 1000:.1f}", flush=True)
    sale = await bench_sale_keyset(scale)
    print(f"sale_keyset orders={scale} batch_ms={sale * 1000:.1f}", flush=True)
    loaded = await bench_load(load)
    print(f"load rows={load} seconds={loaded:.2f} rows_per_s={load / loaded:.0f}", flush=True)


def main() -> None:
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(40))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--load", type=int, default=20_000, help="rows loaded through item.add")
    parser.add_argument("--scale", type=int, default=100_000, help="rows and orders listed")
    args = parser.parse_args()
    asyncio.run(run(args.load, args.scale))


if __name__ == "__main__":
    main()
