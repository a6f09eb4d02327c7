"""Order search latency over a large synthetic index, for ``bench/sync.py``.

``load_synthetic_orders(store, 100_000)`` fills the index with seeded, realistic orders (big and
small companies, managers, statuses, 1–5 basket lines from a shared catalogue, three years of
dates); ``search_latency(store, samples)`` times a mix of the searches operators and buyers run,
built from values actually in the index, and returns (p50, p95) in milliseconds.
"""

from __future__ import annotations

import itertools
import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from jobs import IndexedOrder

from ._models import ARTICLE, order_index, order_index_items
from ._store import Store

_END = datetime(2025, 6, 1, tzinfo=UTC)
_SPAN = timedelta(days=3 * 365)
_STATUSES = ("N", "P", "PA", "AP", "RJ", "F", "DN")
_STATUS_WEIGHTS = (10, 15, 5, 10, 3, 50, 7)


def synthetic_orders(
    count: int, *, seed: int = 0, companies: int = 500, managers: int = 20, catalogue: int = 5000
) -> Iterator[IndexedOrder]:
    """``count`` orders with ids 1…count; the same seed gives the same orders."""
    rng = random.Random(seed)  # noqa: S311  (reproducible bench data, not secrets)
    # a few large customers place most orders (Pareto weights)
    weights = list(itertools.accumulate(1.0 / (rank**0.9) for rank in range(1, companies + 1)))
    company_ids = list(range(1, companies + 1))
    status_weights = list(itertools.accumulate(_STATUS_WEIGHTS))
    step = _SPAN / max(count, 1)
    for order_id in range(1, count + 1):
        inserted = _END - _SPAN + step * order_id + timedelta(seconds=rng.randint(0, 59))
        lines = rng.randint(1, 5)
        picks = [rng.randrange(catalogue) for _ in range(lines)]
        number = str(order_id) if rng.random() < 0.9 else f"{order_id}/{rng.randint(1, 3)}"
        yield IndexedOrder(
            order_id=order_id,
            account_number=number,
            company_id=rng.choices(company_ids, cum_weights=weights)[0]
            if rng.random() < 0.97
            else None,
            status_id=rng.choices(_STATUSES, cum_weights=status_weights)[0],
            date_insert=inserted,
            date_update=inserted + timedelta(hours=rng.randint(0, 240)),
            price=Decimal(rng.randint(1_000, 5_000_000)) / 100,
            currency="RUB",
            user_id=rng.randint(1000, 5000),
            responsible_id=100 + rng.randrange(managers),
            canceled=rng.random() < 0.03,
            articles=tuple(f"ART-{pick:05d}" for pick in picks),
            product_names=tuple(f"Товар {pick}" for pick in picks),
        )


def load_synthetic_orders(store: Store, count: int, *, seed: int = 0, batch: int = 2000) -> int:
    """Index ``count`` synthetic orders in batches of ``batch`` (one transaction each)."""
    chunk: list[IndexedOrder] = []
    loaded = 0
    for order in synthetic_orders(count, seed=seed):
        chunk.append(order)
        if len(chunk) == batch:
            store.index_orders(chunk)
            loaded += len(chunk)
            chunk = []
    if chunk:
        store.index_orders(chunk)
        loaded += len(chunk)
    store.analyze()
    return loaded


@dataclass(frozen=True)
class SearchLatency:
    """Milliseconds; ``by_kind`` holds each query shape's p95."""

    samples: int
    p50: float
    p95: float
    by_kind: dict[str, float]
    rows: int


def _percentile(values: list[float], share: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def _vocabulary(store: Store, rng: random.Random) -> dict[str, Any]:
    o = order_index.c
    i = order_index_items.c
    with store.transaction(write=False) as conn:
        companies = list(
            conn.execute(select(o.company_id).where(o.company_id.is_not(None)).distinct()).scalars()
        )
        managers = list(
            conn.execute(
                select(o.responsible_id).where(o.responsible_id.is_not(None)).distinct()
            ).scalars()
        )
        statuses = list(conn.execute(select(o.status_id).distinct()).scalars())
        first, last = conn.execute(select(func.min(o.date_insert), func.max(o.date_insert))).one()
        top = conn.execute(select(func.max(o.order_id))).scalar_one()
        ids = [rng.randint(1, top) for _ in range(200)]
        numbers = list(conn.execute(select(o.account_number).where(o.order_id.in_(ids))).scalars())
        articles = list(
            conn.execute(
                select(i.value).where(i.kind == ARTICLE, i.order_id.in_(ids)).distinct()
            ).scalars()
        )
    if not (companies and managers and numbers and articles):
        raise ValueError("the order index is empty or has no companies/managers/articles")
    return {
        "companies": companies,
        "managers": managers,
        "statuses": statuses,
        "first": first,
        "last": last,
        "numbers": numbers,
        "articles": articles,
    }


def _query_makers(v: dict[str, Any]) -> dict[str, Callable[[random.Random], dict[str, Any]]]:
    def period(rng: random.Random, days: int) -> dict[str, Any]:
        span = max((v["last"] - v["first"]).total_seconds() - days * 86400, 1)
        start = v["first"] + timedelta(seconds=rng.uniform(0, span))
        return {"date_from": start, "date_to": start + timedelta(days=days)}

    def prefix(rng: random.Random) -> str:
        number: str = rng.choice(v["numbers"])
        return number[: rng.randint(min(3, len(number)), len(number))]

    return {
        "recent": lambda rng: {},
        "company": lambda rng: {"company_id": rng.choice(v["companies"])},
        "company+status": lambda rng: {
            "company_id": rng.choice(v["companies"]),
            "status": rng.choice(v["statuses"]),
        },
        "company+month": lambda rng: {"company_id": rng.choice(v["companies"]), **period(rng, 30)},
        "number": lambda rng: {"number": prefix(rng)},
        "company+number": lambda rng: {
            "company_id": rng.choice(v["companies"]),
            "number": prefix(rng),
        },
        "article": lambda rng: {"article": rng.choice(v["articles"]).lower()},
        "company+article": lambda rng: {
            "company_id": rng.choice(v["companies"]),
            "article": rng.choice(v["articles"]),
        },
        "status+quarter": lambda rng: {"status": rng.choice(v["statuses"]), **period(rng, 90)},
        "manager+status": lambda rng: {
            "manager_id": rng.choice(v["managers"]),
            "status": rng.choice(v["statuses"]),
        },
        "manager+month": lambda rng: {"manager_id": rng.choice(v["managers"]), **period(rng, 30)},
        "week": lambda rng: period(rng, 7),
        "deep page": lambda rng: {"company_id": rng.choice(v["companies"]), "offset": 200},
    }


def measure_search(store: Store, samples: int = 500, *, seed: int = 1) -> SearchLatency:
    """Time ``samples`` searches (50 rows a page, basket lines included) after a warm-up."""
    if samples < 1:
        raise ValueError("samples must be at least 1")
    rng = random.Random(seed)  # noqa: S311  (reproducible bench data, not secrets)
    makers = _query_makers(_vocabulary(store, rng))
    kinds = sorted(makers)
    for kind in kinds:  # warm caches and prepared statements once per shape
        store.search_orders(**makers[kind](rng))
    timings: list[float] = []
    per_kind: dict[str, list[float]] = {kind: [] for kind in kinds}
    rows = 0
    for n in range(samples):
        kind = kinds[n % len(kinds)]
        query = makers[kind](rng)
        started = time.perf_counter()
        found = store.search_orders(**query)
        elapsed = (time.perf_counter() - started) * 1000
        rows += len(found)
        timings.append(elapsed)
        per_kind[kind].append(elapsed)
    return SearchLatency(
        samples=samples,
        p50=_percentile(timings, 0.50),
        p95=_percentile(timings, 0.95),
        by_kind={kind: _percentile(values, 0.95) for kind, values in per_kind.items() if values},
        rows=rows,
    )


def search_latency(store: Store, samples: int = 500, *, seed: int = 1) -> tuple[float, float]:
    """(p50, p95) of order search in milliseconds; see :func:`measure_search`."""
    result = measure_search(store, samples, seed=seed)
    return result.p50, result.p95
