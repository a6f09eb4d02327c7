"""A tiny method family for protocol tests, independent of the sale and bridge families."""

from __future__ import annotations

import weakref
from typing import Any

from bitrix_client.fake import (
    GLOBAL_SCOPE,
    CallContext,
    FakeBitrixApp,
    FakeRestError,
    FakeSite,
    Faults,
    Limits,
    ListResult,
    MethodRegistry,
)

DEMO = MethodRegistry()
_ROWS: weakref.WeakKeyDictionary[FakeSite, list[dict[str, Any]]] = weakref.WeakKeyDictionary()


def rows(site: FakeSite) -> list[dict[str, Any]]:
    return _ROWS.setdefault(site, [{"id": i, "name": f"item {i}"} for i in range(1, 121)])


@DEMO.add("test.echo", GLOBAL_SCOPE)
def _echo(ctx: CallContext) -> Any:
    return ctx.params


@DEMO.add("demo.item.list", "sale")
def _list(ctx: CallContext) -> ListResult:
    items = rows(ctx.site)
    raw = ctx.params.get("start", 0)
    start = int(raw) if isinstance(raw, int | str) and str(raw).lstrip("-").isdigit() else 0
    if start < 0:
        return ListResult({"items": items[:50]}, total=None, next=None)
    start -= start % 50
    page = items[start : start + 50]
    following = start + 50 if start + 50 < len(items) else None
    return ListResult({"items": page}, total=len(items), next=following)


@DEMO.add("demo.item.get", "sale")
def _get(ctx: CallContext) -> Any:
    wanted = str(ctx.params.get("id", ""))
    for row in rows(ctx.site):
        if str(row["id"]) == wanted:
            return {"item": row}
    raise FakeRestError(201340400001, "item is not exists", 400)


@DEMO.add("demo.item.add", "sale")
def _add(ctx: CallContext) -> Any:
    items = rows(ctx.site)
    row = {"id": items[-1]["id"] + 1, "name": str(ctx.params.get("name", ""))}
    items.append(row)
    return {"item": row}


def demo_app(
    site: FakeSite, *, limits: Limits | None = None, faults: Faults | None = None
) -> FakeBitrixApp:
    return FakeBitrixApp(site, registries=[DEMO], limits=limits, faults=faults)
