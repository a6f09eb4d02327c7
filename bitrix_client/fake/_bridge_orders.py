"""``b2bsync.order.status.set``: change an order's status as a given user, with a reason in the
status log — what b2bsync's one-click approval links and its own approval moves use.

As the module's ``OrderStatusApi`` (``bridge/b2bsync.bridge/lib/core/orderstatusapi.php``;
contract ``bridge/contract/51_order_status.json``):

- only the module's **service user** may call it (an administrator's webhook is refused: the
  method acts in other users' names);
- ``STATUS_ID`` must be one of the ``approval_statuses`` option (pending, approved, rejected,
  next — written by ``schema apply``); without that option nothing is allowed;
- ``USER_ID`` (default: the caller) must be an active user: the status log credits the change to
  them; ``REASON`` (up to 1,000 characters) goes into the row's ``UF_REASON``;
- ``FROM_STATUS``, when given, must be the order's status now, else nothing changes — so a
  change made in between is never overwritten; an order already in ``STATUS_ID`` is left
  alone too. Either way the answer says ``CHANGED: false``.

The change goes through the sale module as any status change does (``dateStatus``,
``empStatusId``), and its ``OnSaleStatusOrderChange`` writes the status-log row.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ._api import CallContext, MethodRegistry
from ._bridge_access import is_service_member
from ._bridge_events import record_status_change
from ._bridge_params import (
    ERROR_ACCESS_DENIED,
    ERROR_ARGUMENT,
    ERROR_NOT_FOUND,
    SCOPE,
    Params,
    fail,
    parse_positive_int,
)
from ._sale_orders import apply_changes
from ._sale_state import save_order

ORDER_METHODS = MethodRegistry()
OPTION = "approval_statuses"
MAX_REASON = 1000
_STATUS = re.compile(r"[A-Z0-9]{1,2}")


def allowed_statuses(options: dict[str, str]) -> set[str]:
    stored = options.get(OPTION)
    if not stored:
        return set()
    value = json.loads(stored)
    return {str(v) for v in value.values()} if isinstance(value, dict) else set()


@ORDER_METHODS.add("b2bsync.order.status.set", SCOPE)
def order_status_set(ctx: CallContext) -> dict[str, Any]:
    site = ctx.site
    caller = site.users.get(ctx.user_id)
    if caller is None or not is_service_member(site, caller):
        raise fail(
            ERROR_ACCESS_DENIED,
            "only the module's service user may change order statuses in other users' names",
        )
    params = Params(ctx.params)
    order_id = params.id("ID")
    status = params.string("STATUS_ID")
    if not _STATUS.fullmatch(status):
        raise fail(ERROR_ARGUMENT, "STATUS_ID must be a status ID (1-2 of A-Z, 0-9)")
    allowed = allowed_statuses(site.bridge.options)
    if status not in allowed:
        known = ", ".join(sorted(allowed)) or "none: run b2bsync schema apply"
        raise fail(ERROR_ACCESS_DENIED, f"STATUS_ID {status} may not be set (allowed: {known})")
    user_id = ctx.user_id
    if params.has("USER_ID"):
        given = parse_positive_int(params.get("USER_ID"))
        if given is None:
            raise fail(ERROR_ARGUMENT, "USER_ID must be a positive integer")
        user = site.users.get(given)
        if user is None or not user.active:
            raise fail(ERROR_NOT_FOUND, f"no active user {given}")
        user_id = given
    reason = " ".join(params.string("REASON", required=False).split())
    if len(reason) > MAX_REASON:
        raise fail(ERROR_ARGUMENT, f"REASON is longer than {MAX_REASON} characters")
    expected = params.string("FROM_STATUS", required=False) if params.has("FROM_STATUS") else None
    sale = site.sale
    order = sale.orders.get(order_id)
    if order is None:
        raise fail(ERROR_NOT_FOUND, f"order {order_id}")
    if status not in sale.statuses:
        raise fail(ERROR_NOT_FOUND, f"the sale module has no status {status}")
    old = str(order.get("statusId") or "")
    if old == status or (expected is not None and old != expected):
        return {"ID": order_id, "OLD_STATUS": old, "STATUS_ID": old, "CHANGED": False}
    now = site.now()
    apply_changes(sale, order, {"statusId": status}, now=now, user_id=user_id)
    save_order(order, now)
    record_status_change(site, order_id, old, status, user_id, reason=reason)
    return {"ID": order_id, "OLD_STATUS": old, "STATUS_ID": status, "CHANGED": True}


__all__ = ["MAX_REASON", "OPTION", "ORDER_METHODS", "allowed_statuses"]
