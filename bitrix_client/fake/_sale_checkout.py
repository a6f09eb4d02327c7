"""Orders placed as a buyer places them at checkout, through the bridge's order guard.

On a site the module's handler of ``sale:OnSaleOrderBeforeSaved`` (``CheckoutGuard``) runs
before a new order is saved, whoever saves it: the checkout (the buyer's session), the admin
panel, REST ``sale.order.add`` (the webhook's user). :func:`place_order` is the checkout —
basket, total, payer type — and ``sale.order.add`` calls :func:`guard_new_order` too. Both decide
with :func:`bitrix_client.order_guard.decide` over what the module reads: the options ``guard``
and ``roles`` (``site.bridge.options``), the rows of ``b2b_company_users``, ``b2b_companies`` and
``b2b_credit_status`` (enumerations as their codes), and the company the user picked last in the
cabinet (``site.bridge.current_companies``). A refusal saves nothing (:class:`OrderRefused`: the
code, and the text the checkout shows in the page's language); otherwise the order is saved with
``B2B_COMPANY_ID`` and, when approval is needed, in the pending status, and the status log's
first row says so (``null → PA``) although the sale event reports ``null → N``
(:func:`._bridge_events.record_status_change`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..order_guard import OPTION, Decision, GuardFacts, OrderFacts, RoleTable, decide, read_config
from ._bridge_events import record_status_change
from ._bridge_state import BridgeState, HlBlock
from ._bridge_values import from_store
from ._sale_state import Row, add_basket_item, new_order, set_property_value

if TYPE_CHECKING:
    from ._site import FakeSite

COMPANY_PROPERTY = "B2B_COMPANY_ID"
INITIAL_STATUS = "N"
_TABLES = ("b2b_company_users", "b2b_companies", "b2b_credit_status")


class OrderRefused(Exception):
    """The order guard refused the order; nothing was saved. ``code`` is the error code REST
    answers (``B2BSYNC_COMPANY_BLOCKED``…), ``text`` what the checkout shows."""

    def __init__(self, decision: Decision, language: str) -> None:
        assert decision.refusal is not None
        self.decision = decision
        self.code = decision.refusal.code
        self.text = decision.refusal.text(language)
        super().__init__(f"{self.code}: {self.text}")


def company_property(site: FakeSite, person_type_id: int) -> Row | None:
    """The payer type's ``B2B_COMPANY_ID`` property; ``None`` for a payer type that is not B2B."""
    props = site.sale.person_type_properties(person_type_id)
    return next((p for p in props if p.get("code") == COMPANY_PROPERTY), None)


def guard_facts(
    site: FakeSite, user_id: int | None, *, total: float, currency: str, person_type_id: int
) -> GuardFacts:
    """What the module's handler reads for a new order of ``user_id`` (the session's user)."""
    state = site.bridge
    options = state.options
    config = read_config(_json(options.get(OPTION)))
    roles = RoleTable.from_option(_json(options.get("roles")))
    order = OrderFacts(
        total=total,
        currency=currency,
        b2b_payer_type=company_property(site, person_type_id) is not None,
    )
    members, companies, credit = (_rows(state, table) for table in _TABLES)
    return GuardFacts(
        config=config,
        roles=roles,
        user_id=user_id,
        order=order,
        preferred_company=state.current_companies.get(user_id) if user_id else None,
        companies=companies,
        members=members,
        credit=credit,
    )


def guard_new_order(
    site: FakeSite, user_id: int | None, *, total: float, currency: str, person_type_id: int
) -> Decision:
    """The guard's decision for an order about to be created; nothing is written."""
    if not site.bridge_installed:
        return Decision("pass")
    facts = guard_facts(
        site, user_id, total=total, currency=currency, person_type_id=person_type_id
    )
    return decide(facts)


def apply_decision(site: FakeSite, order: Row, decision: Decision) -> None:
    """What the handler writes into a new order before it is saved: the company link, and the
    pending status (with its xmlId, as the sale module stamps it)."""
    if decision.company_id is not None:
        prop = company_property(site, order["personTypeId"])
        if prop is not None:
            set_property_value(site.sale, order, prop["id"], str(decision.company_id))
    if decision.kind == "pending" and decision.status is not None:
        order["statusId"] = decision.status
        order["statusXmlId"] = site.sale.status_xml_id(decision.status)


def place_order(
    site: FakeSite,
    user_id: int,
    *,
    person_type_id: int,
    items: Sequence[Mapping[str, Any]],
    currency: str = "RUB",
    language: str | None = None,
) -> int:
    """Check out a basket as ``user_id``: ``items`` are ``{"name", "price", "quantity"}`` (and
    optionally ``productId``, ``productXmlId``). Returns the new order's ID, or raises
    :class:`OrderRefused` with the text in ``language`` (default: the site's). This is not a
    REST call: the wake-up ping of the status-log row is queued and leaves with the app's next
    answer (or ``await app.pinger.flush(site)``)."""
    if person_type_id not in site.sale.person_types:
        raise ValueError(f"no payer type {person_type_id}")
    lines = [dict(item) for item in items]
    if not lines:
        raise ValueError("an empty basket cannot be checked out")
    total = round(sum(float(i["price"]) * float(i.get("quantity", 1)) for i in lines), 2)
    decision = guard_new_order(
        site, user_id, total=total, currency=currency, person_type_id=person_type_id
    )
    if decision.kind == "refuse":
        raise OrderRefused(decision, language or site.language_id)
    now = site.now()
    fields = {"personTypeId": person_type_id, "currency": currency, "statusId": INITIAL_STATUS}
    order = new_order(site.sale, fields, now=now, user_id=user_id)
    for line in lines:
        add_basket_item(site.sale, order, _line(line, currency), now=now)
    apply_decision(site, order, decision)
    # the sale event reports the status before the guard: null → N
    record_status_change(site, order["id"], None, INITIAL_STATUS, user_id)
    return int(order["id"])


def _line(item: Mapping[str, Any], currency: str) -> Row:
    price = float(item["price"])
    return {
        "name": str(item.get("name", "")),
        "price": price,
        "basePrice": price,
        "quantity": float(item.get("quantity", 1)),
        "currency": currency,
        "productId": int(item.get("productId", 0)),
        "productXmlId": str(item.get("productXmlId", "")),
    }


def _json(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _rows(state: BridgeState, table: str) -> list[dict[str, Any]]:
    """A block's rows as the module reads them (CabinetRows): internal values, enumerations as
    their codes, by ID; ``[]`` when the block does not exist."""
    block: HlBlock | None = state.block_by_table(table)
    if block is None:
        return []
    fields = {f.name: f for f in state.fields_of(block.id)}
    out: list[dict[str, Any]] = []
    for row_id in sorted(block.rows):
        row: dict[str, Any] = {"ID": row_id}
        for name, stored in block.rows[row_id].items():
            field = fields.get(name)
            if field is None:
                continue
            value = from_store(field, stored)
            if field.type == "enumeration" and not field.multiple:
                value = _codes(field.items).get(value)
            row[name] = value
        out.append(row)
    return out


def _codes(items: Iterable[Any]) -> dict[Any, str]:
    return {item.id: item.xml_id for item in items}
