"""The bridge's ``OnSaleStatusOrderChange`` handler: a row in ``b2b_order_events`` per change.

``sale.order.add`` (``null → N``: creating an order fires the event too) and ``sale.order.update``
call :func:`record_status_change` whenever an order gets a status, as the sale module fires the
event on a real site; tests call it for changes made elsewhere (the admin panel, agents, the 1C
exchange). Like the PHP handler (``bridge/b2bsync.bridge/lib/orderevents.php``) it does nothing
while the block does not exist, writes only the fields the block has, and never fails the
order's save. The acting user is the session's (for REST, the webhook's user), or ``None`` when
nobody is logged in — never the order's ``empStatusId``, which Bitrix updates only for a
logged-in user and so still names the previous actor after an agent's change.

For a new order (no old status) the row records the status the order was *saved* in: when the
order guard saved it pending, the sale event still reports ``null → N`` (the first status event
queued while the order was built; seen on Business 25.550), and the module reads the saved
order instead (PHP ``OrderEvents::recordedStatus``).
"""

from __future__ import annotations

from typing import Any

from ._bridge_rows import commit, fields_by_name
from ._site import FakeSite

EVENTS_TABLE = "b2b_order_events"


def record_status_change(
    site: FakeSite,
    order_id: int,
    old: str | None,
    new: str,
    session_user: int | None,
    *,
    reason: str = "",
) -> int | None:
    """Write the event row; its ID, or ``None`` when the module or the events block is not there.

    ``session_user`` is the logged-in user who made the change (``None`` for an agent); ``new``
    is what the sale event reports; ``reason`` what the module's ``StatusChangeNote`` held for
    this change (the cabinet's rejection, ``b2bsync.order.status.set``), ``""`` for none."""
    if not site.bridge_installed:
        return None
    state = site.bridge
    block = state.block_by_table(EVENTS_TABLE)
    if block is None:
        return None
    saved = site.sale.orders.get(order_id)
    if old is None and saved is not None:
        new = saved["statusId"]
    known = fields_by_name(state, block)
    wanted: dict[str, Any] = {
        "UF_ORDER_ID": order_id,
        "UF_OLD_STATUS": old or None,
        "UF_NEW_STATUS": new,
        "UF_USER_ID": session_user or None,
        "UF_REASON": reason or None,
        "UF_CREATED_AT": site.now().replace(microsecond=0),
    }
    values = {name: value for name, value in wanted.items() if name in known}
    return commit(state, block, values, row_id=None)
