"""``sale.order.*``.

Recorded: ``update`` needs only ``{id, fields}``; a change bumps ``version`` and stamps
``dateUpdate`` (no change, e.g. ``fields: {}`` or an immutable ``currency``, stamps nothing); a
new ``statusId`` also stamps ``dateStatus`` and ``empStatusId`` and is stored even when no such
status exists; ``canceled: Y`` stamps ``dateCanceled``/``empCanceledId`` and drops the
reservations; ``tryupdate`` answers the changed order without saving it (``dateStatus`` moves,
``version`` and ``dateUpdate`` do not). Errors: missing ``id`` is error 100 with PHP's odd
wording, unknown order 200540400001, missing ``fields`` 100.

``add`` runs the bridge's order guard (:mod:`._sale_checkout`) as the webhook's user: a refusal
is HTTP 400 with the guard's code as ``error`` (the sale controller hands the first error of
``Order::save()`` to the rest module, which puts its code there), nothing saved.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ._api import CallContext, FakeRestError, ListResult
from ._bridge_events import record_status_change
from ._filters import php_intval
from ._sale_checkout import apply_decision, guard_new_order
from ._sale_common import coerce, fields_param, internalize, list_answer, method, param, state
from ._sale_fields import ORDER, ORDER_FIELDS, field_infos, settable
from ._sale_state import (
    Row,
    SaleState,
    delete_order,
    drop_reservations,
    new_order,
    rebuild_reservations,
    save_order,
    stamp,
)
from ._sale_views import ORDER_KEYS, added_order, full_order

NO_ID = "Bitrix\\Sale\\Order constructor must be is public"
_UPDATE_TYPES = {k: v for k, v in settable(ORDER, update=True).items() if k != "price"}


@method("sale.order.getFields")
def order_get_fields(ctx: CallContext) -> dict[str, Any]:
    return {"order": field_infos(ORDER)}


@method("sale.order.list")
def order_list(ctx: CallContext) -> ListResult:
    return list_answer(
        ctx,
        state(ctx).orders,
        ORDER_FIELDS,
        wrap="orders",
        keys=ORDER_KEYS,
    )


@method("sale.order.get")
def order_get(ctx: CallContext) -> dict[str, Any]:
    sale = state(ctx)
    return {"order": full_order(sale, existing_order(ctx))}


@method("sale.order.add")
def order_add(ctx: CallContext) -> dict[str, Any]:
    sale = state(ctx)
    fields = internalize(ctx, fields_param(ctx), ORDER, update=False)
    fields.pop("price", None)
    if fields.get("personTypeId") not in sale.person_types:
        raise FakeRestError(200550000001, "person type is not exists")
    fields.setdefault("statusId", "N")
    reported = fields["statusId"]
    # the bridge's order guard runs before the save, as the webhook's user (no basket yet: 0)
    decision = guard_new_order(
        ctx.site,
        ctx.user_id,
        total=0.0,
        currency=str(fields.get("currency") or "RUB"),
        person_type_id=fields["personTypeId"],
    )
    if decision.refusal is not None:
        raise FakeRestError(decision.refusal.code, decision.refusal.text(ctx.site.language_id))
    order = new_order(sale, fields, now=ctx.site.now(), user_id=ctx.user_id)
    apply_decision(ctx.site, order, decision)
    # creating an order fires OnSaleStatusOrderChange too: null → its first status (the event
    # reports the status before the guard; the log records the saved one)
    record_status_change(ctx.site, order["id"], None, reported, ctx.user_id)
    return {"order": added_order(sale, order, set(fields))}


@method("sale.order.update")
def order_update(ctx: CallContext) -> dict[str, Any]:
    sale = state(ctx)
    order = existing_order(ctx)
    fields = coerce(ctx, fields_param(ctx), _UPDATE_TYPES)
    now = ctx.site.now()
    old_status = order.get("statusId")
    if apply_changes(sale, order, fields, now=now, user_id=ctx.user_id):
        save_order(order, now)
        if order.get("statusId") != old_status:
            record_status_change(ctx.site, order["id"], old_status, order["statusId"], ctx.user_id)
    return {"order": full_order(sale, order)}


@method("sale.order.tryupdate")
def order_try_update(ctx: CallContext) -> dict[str, Any]:
    sale = state(ctx)
    order = dict(existing_order(ctx))
    fields = coerce(ctx, fields_param(ctx), _UPDATE_TYPES)
    apply_changes(sale, order, fields, now=ctx.site.now(), user_id=ctx.user_id, persist=False)
    return {"order": full_order(sale, order)}


@method("sale.order.delete")
def order_delete(ctx: CallContext) -> bool:
    order = existing_order(ctx)
    delete_order(state(ctx), order["id"])
    return True


def existing_order(ctx: CallContext) -> Row:
    order = state(ctx).orders.get(php_intval(param(ctx, "id", NO_ID)))
    if order is None:
        raise FakeRestError(200540400001, "order is not exists")
    return order


def apply_changes(
    sale: SaleState,
    order: Row,
    fields: dict[str, Any],
    *,
    now: datetime,
    user_id: int,
    persist: bool = True,
) -> bool:
    """Write changed fields with their side stamps; ``True`` when anything changed."""
    changed = {k: v for k, v in fields.items() if order.get(k) != v}
    if not changed:
        return False
    now = stamp(now)
    order.update(changed)
    if "statusId" in changed:
        order["dateStatus"] = now
        order["empStatusId"] = changed.get("empStatusId", user_id)
        order["statusXmlId"] = sale.status_xml_id(order["statusId"])
    if "canceled" in changed:
        order["dateCanceled"] = now
        order["empCanceledId"] = changed.get("empCanceledId", user_id)
        if persist and order["canceled"] == "Y":
            drop_reservations(sale, order, now)
        elif persist:
            rebuild_reservations(sale, order, now)
    if "marked" in changed:
        order["dateMarked"] = now
        order["empMarkedId"] = changed.get("empMarkedId", user_id)
    return True
