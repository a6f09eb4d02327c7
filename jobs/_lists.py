"""Many small list queries in few requests: first pages in one ``batch``, the rest in another.

The jobs ask many bounded questions at once ("the property values of these 50 orders", "the
basket items of those 50"); each is a list that usually fits one page of 50 but may not. All
first pages go out in one batch (offset paging, ``start=0``, so ``total``/``next`` come back),
then every further page of every query in a second batch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bitrix_client import BitrixClient, Command

PAGE = 50


@dataclass(frozen=True)
class Query:
    method: str
    params: Mapping[str, Any]
    items_key: str | None = None


def rows_of(result: Any, items_key: str | None) -> list[dict[str, Any]]:
    rows = result.get(items_key, []) if items_key and isinstance(result, dict) else result
    if isinstance(rows, dict):  # PHP arrays with non-sequential keys arrive as objects
        rows = list(rows.values())
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


async def list_many(client: BitrixClient, queries: Sequence[Query]) -> list[list[dict[str, Any]]]:
    """Every row of every query, in query order. Raises the first failed page's error."""
    if not queries:
        return []
    first = await client.batch(Command(q.method, {**q.params, "start": 0}) for q in queries)
    out: list[list[dict[str, Any]]] = []
    more: list[tuple[int, int]] = []
    for index, (query, item) in enumerate(zip(queries, first, strict=True)):
        out.append(rows_of(item.unwrap(), query.items_key))
        if item.next is not None and item.total is not None:
            more.extend((index, start) for start in range(item.next, item.total, PAGE))
    if more:
        rest = await client.batch(
            Command(queries[i].method, {**queries[i].params, "start": start}) for i, start in more
        )
        for (index, _), item in zip(more, rest, strict=True):
            out[index].extend(rows_of(item.unwrap(), queries[index].items_key))
    return out


def chunks(values: Sequence[Any], size: int = PAGE) -> list[Sequence[Any]]:
    return [values[i : i + size] for i in range(0, len(values), size)]
