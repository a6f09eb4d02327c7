"""Listing every row of a list method without holding them all.

Keyset paging (``order {id: ASC}``, ``filter {>id: last}``, ``start=-1``) costs the server one
indexed range scan per page instead of a COUNT and an OFFSET; pages are chained inside one
``batch`` (page k filters on ``$result[page k-1][…][49][id]``), so one HTTP request brings up to
50 pages. Whatever the server answers for a page after a short page is ignored: the chain has
ended there. Every page must advance past the previous one, or iteration stops with a
:class:`ProtocolError` instead of looping.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Callable, Mapping
from typing import TYPE_CHECKING, Any

from ._errors import ProtocolError
from ._types import Command
from ._wire import Ref

if TYPE_CHECKING:
    from ._client import BitrixClient

PAGE = 50


def _key(value: Any) -> Any:
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return value


def _rows(result: Any, items_key: str | None) -> list[dict[str, Any]]:
    from ._client import extract_rows

    return list(extract_rows(result, items_key))


def _keyset_params(
    params: Mapping[str, Any], id_field: str, after: Any, *, count: bool
) -> dict[str, Any]:
    flt = dict(params.get("filter") or {})
    if after is not None:
        flt[f">{id_field}"] = after
    out = {**params, "filter": flt, "order": {id_field: "ASC"}, "start": 0 if count else -1}
    select = out.get("select")
    if select and "*" not in select and id_field not in select:
        out["select"] = [*select, id_field]
    return out


async def iterate_keyset(
    client: BitrixClient,
    method: str,
    params: dict[str, Any],
    *,
    items_key: str | None,
    id_field: str,
    pages_per_request: int,
    count_first: bool,
    on_total: Callable[[int], None] | None = None,
) -> AsyncIterator[dict[str, Any]]:
    order = params.get("order")
    if order and [k.lower() for k in order] != [id_field.lower()]:
        raise ValueError(f"keyset paging orders by {id_field}; got order={order!r}")
    flt = dict(params.get("filter") or {})
    after = flt.pop(f">{id_field}", None)
    params = {**params, "filter": flt}

    first = await client.call(method, _keyset_params(params, id_field, after, count=count_first))
    rows = _rows(first.result, items_key)
    if on_total is not None and first.total is not None:
        on_total(first.total)
    for row in rows:
        yield row
    if len(rows) < PAGE:
        return
    last = _key(rows[-1][id_field])
    remaining = (first.total - len(rows)) if first.total is not None else None
    pages = 2
    ref_path: tuple[str | int, ...] = (
        (items_key, PAGE - 1, id_field) if items_key else (PAGE - 1, id_field)
    )
    while True:
        if remaining is not None:
            # one page beyond the count, so a list that grew meanwhile is still read to its end
            pages = max(1, min(pages_per_request, math.ceil(max(remaining, 0) / PAGE) + 1))
        commands = [
            Command(
                method,
                _keyset_params(
                    params,
                    id_field,
                    last if k == 0 else Ref(f"p{k - 1}", ref_path),
                    count=False,
                ),
                name=f"p{k}",
            )
            for k in range(pages)
        ]
        items = await client.batch(commands)
        for item in items:
            page = _rows(item.unwrap(), items_key)
            if page and _key(page[0][id_field]) <= last:
                raise ProtocolError(
                    f"{method}: keyset page did not advance past {id_field}={last}", method=method
                )
            for row in page:
                yield row
            if len(page) < PAGE:
                return
            last = _key(page[-1][id_field])
            if remaining is not None:
                remaining -= len(page)
        if remaining is None:
            pages = min(pages_per_request, pages * 2)


async def iterate_offset(
    client: BitrixClient,
    method: str,
    params: dict[str, Any],
    *,
    items_key: str | None,
    pages_per_request: int,
) -> AsyncIterator[dict[str, Any]]:
    first = await client.call(method, {**params, "start": 0})
    for row in _rows(first.result, items_key):
        yield row
    if first.next is None:
        return
    if first.next <= 0:
        raise ProtocolError(f"{method}: next={first.next} does not advance", method=method)
    step = first.next
    if first.total is None:
        async for row in _follow_next(client, method, params, items_key, first.next):
            yield row
        return
    starts = list(range(step, first.total, step))
    for offset in range(0, len(starts), pages_per_request):
        chunk = starts[offset : offset + pages_per_request]
        items = await client.batch(
            [Command(method, {**params, "start": s}, name=f"s{s}") for s in chunk]
        )
        for start, item in zip(chunk, items, strict=True):
            result = item.unwrap()
            if item.next is not None and item.next != start + step:
                raise ProtocolError(
                    f"{method}: page at start={start} says next={item.next}, expected "
                    f"{start + step}; refusing to loop",
                    method=method,
                )
            for row in _rows(result, items_key):
                yield row


async def _follow_next(
    client: BitrixClient,
    method: str,
    params: dict[str, Any],
    items_key: str | None,
    start: int,
) -> AsyncIterator[dict[str, Any]]:
    seen: set[int] = set()
    current: int | None = start
    while current is not None:
        if current in seen:
            raise ProtocolError(f"{method}: server repeated next={current}", method=method)
        seen.add(current)
        page = await client.call(method, {**params, "start": current})
        for row in _rows(page.result, items_key):
            yield row
        if page.next is not None and page.next <= current:
            raise ProtocolError(f"{method}: next={page.next} does not advance", method=method)
        current = page.next
