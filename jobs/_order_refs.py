"""1C's order references on documents → Bitrix order IDs, each looked up once per run."""

from __future__ import annotations

from collections.abc import Iterable

from ._context import JobContext
from ._lists import Query, chunks, list_many
from ._values import to_int


class OrderRefs:
    """Resolves references as a run meets them; a reference found unknown stays unknown for
    the rest of the run (no second lookup)."""

    def __init__(self, ctx: JobContext) -> None:
        self.ctx = ctx
        self.ids: dict[str, int | None] = {}

    async def resolve(self, refs: Iterable[str | None]) -> dict[str, int]:
        wanted = _normal(refs)
        missing = wanted - self.ids.keys()
        if missing:
            found = await resolve_order_refs(self.ctx, missing)
            self.ids.update({ref: found.get(ref) for ref in missing})
        return {ref: oid for ref in wanted if (oid := self.ids[ref]) is not None}


def _normal(refs: Iterable[str | None]) -> set[str]:
    return {r.strip().lower() for r in refs if r and r.strip()}


async def resolve_order_refs(ctx: JobContext, refs: Iterable[str | None]) -> dict[str, int]:
    """1C order references → Bitrix order IDs: digits are an ID already; a GUID is looked up in
    the orders' ``id1c`` (set by the 1C exchange) and ``xmlId``. Unknown references map to none.
    """
    wanted = _normal(refs)
    out = {r: int(r) for r in wanted if r.isdigit()}
    guids = sorted(r for r in wanted if not r.isdigit())
    if not guids:
        return out
    queries: list[Query] = []
    for part in chunks(guids):
        for name in ("id1c", "xmlId"):
            queries.append(
                Query(
                    "sale.order.list",
                    {"filter": {f"@{name}": list(part)}, "select": ["id", "id1c", "xmlId"]},
                    "orders",
                )
            )
    for rows in await list_many(ctx.bitrix, queries):
        for row in rows:
            order_id = to_int(row.get("id"))
            if order_id is None:
                continue
            for name in ("id1c", "xmlId"):
                value = str(row.get(name) or "").strip().lower()
                if value in wanted:
                    out.setdefault(value, order_id)
    return out
