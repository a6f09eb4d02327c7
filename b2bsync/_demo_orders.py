"""The demo's approvals: the new buyer gets an order limit (the operator's command logic), checks
out as on the store — the order guard saves the order pending approval — and the workflows
service mails the owner one-click links; the owner approves one order and rejects another, with
a reason, through the real one-click page (in process, CSRF token and cookie as a browser sends
them), and the service moves the orders on and tells the buyer."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from bitrix_client.fake import OrderRefused
from bitrix_client.fake._bridge_state import SentMail
from workflows import ORDER_EVENTS, Change, MemberRows, decide
from workflows.members import Action

from ._demo_scene import Scene, browser, hidden, money, title

LIMIT = Decimal(50000)
APPROVED_BASKET = (
    {"name": "Перфоратор SDS-plus 800 Вт", "price": 12450, "quantity": 4},
    {"name": "Бур SDS-plus 8×160 мм", "price": 390, "quantity": 30},
)
REJECTED_BASKET = ({"name": "Генератор бензиновый 5 кВт", "price": 84900, "quantity": 1},)
REASON = "Дорого: генератор возьмём в аренду"


async def _order_limit(scene: Scene) -> str:
    rows = MemberRows(scene.bitrix)
    members = await rows.of_company(scene.company_id)
    change = Change(Action.limit, scene.company_id, scene.buyer, order_limit=LIMIT)
    write = decide(members, change)
    if write is not None:
        await rows.write(write, datetime.now(UTC))
    email = scene.email(scene.buyer)
    return f"company users limit {scene.company_id} {email} {LIMIT}: ok (orders above it wait)"


async def _checkout(
    scene: Scene, basket: tuple[dict[str, Any], ...]
) -> tuple[int, SentMail | None, list[str]]:
    """The buyer checks ``basket`` out on the store; the service hears of it and mails."""
    legal = scene.box.store.legal_type
    try:
        order_id = scene.box.site.place_order(scene.buyer, person_type_id=legal, items=basket)
    except OrderRefused as refused:
        return 0, None, [f"the checkout refused the order: {refused.text}"]
    scene.orders.append(order_id)
    order = scene.order(order_id)
    lines = [
        f"{scene.name(scene.buyer)} checks out {len(basket)} line(s) for "
        f"{money(order['price'])}: order #{order_id} saved in status {order['statusId']}"
    ]
    await scene.settle(ORDER_EVENTS)
    mails = scene.new_mails()
    lines += scene.mail_lines(mails)
    asked = next((m for m in mails if m.event_name == "B2B_ORDER_APPROVAL_REQUIRED"), None)
    return order_id, asked, lines


def _sent_to(scene: Scene, mails: list[SentMail], event: str, user: int) -> bool:
    return [(m.event_name, m.fields.get("EMAIL_TO")) for m in mails] == [(event, scene.email(user))]


async def approved(scene: Scene) -> tuple[list[str], bool]:
    """Step 6: an order over the buyer's limit, approved through the mail's link."""
    lines = [await _order_limit(scene)]
    order_id, asked, more = await _checkout(scene, APPROVED_BASKET)
    lines += more
    if asked is None:
        return lines, False
    link = asked.fields["APPROVE_URL"]
    lines.append(f"the approve link: {link[:60]}…")
    async with browser(scene.settings, scene.store) as web:
        page = await web.get(link)
        sent = await web.post("/approvals", data=hidden(page.text))
        again = await web.get(link)
    lines.append(
        f"the owner follows it: {page.status_code} «{title(page)}»; "
        f"the form sent: {sent.status_code} «{title(sent)}»"
    )
    lines.append(f"the link again: {again.status_code} «{title(again)}»")
    await scene.settle(ORDER_EVENTS, polls=2)  # the owner's decision, then b2bsync's own move
    order = scene.order(order_id)
    lines.append(f"order #{order_id} now in status {order['statusId']}")
    lines.append(f"the status log: {scene.status_log(order_id)}")
    mails = scene.new_mails()
    lines += scene.mail_lines(mails)
    ok = (
        (page.status_code, sent.status_code, again.status_code) == (200, 200, 410)
        and order["statusId"] == scene.settings.approval.next_status
        and _sent_to(scene, mails, "B2B_ORDER_APPROVED", scene.buyer)
    )
    return lines, ok


async def rejected(scene: Scene) -> tuple[list[str], bool]:
    """Step 7: another order rejected through the mail's link, with a reason."""
    order_id, asked, lines = await _checkout(scene, REJECTED_BASKET)
    if asked is None:
        return lines, False
    async with browser(scene.settings, scene.store) as web:
        page = await web.get(asked.fields["REJECT_URL"])
        sent = await web.post("/approvals", data={**hidden(page.text), "reason": REASON})
    asks = re.search(r'<label for="reason">(.*?)</label>', page.text)
    lines.append(
        f"the owner follows the reject link: {page.status_code} «{title(page)}»"
        + (f", the page asks «{asks.group(1)}»" if asks else "")
    )
    lines.append(f"the form sent with «{REASON}»: {sent.status_code} «{title(sent)}»")
    await scene.settle(ORDER_EVENTS)
    order = scene.order(order_id)
    lines.append(
        f"order #{order_id} now in status {order['statusId']}, cancelled {order['canceled']}, "
        f"reason «{order.get('reasonCanceled') or ''}»"
    )
    lines.append(f"the status log: {scene.status_log(order_id)}")
    mails = scene.new_mails()
    lines += scene.mail_lines(mails)
    ok = (
        asks is not None
        and (page.status_code, sent.status_code) == (200, 200)
        and (order["statusId"], order["canceled"]) == (scene.settings.bitrix.status_rejected, "Y")
        and order.get("reasonCanceled") == REASON
        and _sent_to(scene, mails, "B2B_ORDER_REJECTED", scene.buyer)
        and mails[0].fields.get("REASON") == REASON
    )
    return lines, ok


__all__ = ["approved", "rejected"]
