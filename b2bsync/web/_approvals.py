"""``/approvals``: the one-click approve / reject links of an approval mail.

**GET never acts** — mail scanners and link previews fetch every link in a mail. It checks the
link and shows the order (company, number, amount, who placed it, the basket) and what the
button will do: approving sends the order on to the next status; rejecting cancels it and asks
for the reason the buyer will read.

**POST acts**, from that page's form only (CSRF: :class:`._csrf.CsrfProtect` guards
``/approvals`` as it does the invite pages), after checking everything again, in this order;
each failure is a short page and changes nothing:

1. the link verifies (:func:`workflows.verify_approval_link`: signature 403 ``link_invalid``,
   expiry 403 ``link_expired``) and was not used (410 ``link_used``);
2. the order exists and belongs to a company (404), is still pending and not cancelled (409
   ``not_pending``), and the link's owner may still decide it — the same rule the status-log
   watcher applies (:func:`workflows.classify`), so a link never makes a change b2bsync would
   revert (403 ``not_allowed``: no longer an owner, or the order's author while self-approval
   is off);
3. a rejection has a reason (1–1,000 characters; the form again, 400);
4. the nonce is claimed in the state store — of two tabs submitting at once exactly one gets
   past this point (410 ``link_used`` for the other);
5. the bridge changes the status in the owner's name with the reason
   (``b2bsync.order.status.set``, ``FROM_STATUS`` pending); if Bitrix fails (503) or the
   order moved meanwhile (409), the claim is released — a failure never burns the link.

Then the status-log watcher is woken: it sees the owner's decision like any other and does the
rest (moves the order on or cancels it, tells the buyer and the owners).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import structlog
from starlette.requests import Request
from starlette.responses import Response

from bitrix_client import BitrixError
from workflows import (
    APPROVE,
    ORDER_EVENTS,
    REJECT,
    Act,
    ApprovalConfig,
    ApprovalLink,
    Company,
    Directory,
    Expired,
    LinkInvalid,
    Order,
    WorkflowError,
    classify,
    money_text,
    verify_approval_link,
)
from workflows.approval import Change, decide  # the package's root names members' rule

from ._pages import language, message_page, render
from ._state import AppState, app_state

log = structlog.get_logger("b2bsync.web")

MAX_FORM = 16 * 1024
MAX_REASON = 1000
LINK_FIELDS = ("o", "u", "a", "n", "exp", "sig")

#: Outcome pages: code → (title, text); ``{number}``, ``{status}`` are filled in.
TEXTS: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "ru": {
        "link_invalid": (
            "Ссылка недействительна",
            "Откройте заказ в личном кабинете: ссылки из писем личные и подписанные.",
        ),
        "link_expired": (
            "Срок действия ссылки истёк",
            "Согласуйте или отклоните заказ в личном кабинете.",
        ),
        "link_used": (
            "Ссылка уже использована",
            "Каждая ссылка из письма работает один раз. Состояние заказа — в личном кабинете.",
        ),
        "not_found": ("Заказ не найден", "Заказ удалён или больше не относится к компании."),
        "not_pending": (
            "Заказ №{number} уже не ждёт согласования",
            "Сейчас его статус — «{status}». Ничего не изменено.",
        ),
        "not_allowed": (
            "Вы не можете решить судьбу этого заказа",
            "Согласовать или отклонить заказ может владелец компании (не автор заказа, если в "
            "компании есть другой владелец).",
        ),
        "csrf": (
            "Форма устарела",
            "Откройте ссылку из письма ещё раз и отправьте форму с открывшейся страницы.",
        ),
        "unavailable": (
            "Сервис временно недоступен",
            "Магазин не отвечает. Ссылка не использована — попробуйте через минуту.",
        ),
        "off": ("Страница не найдена", "Согласование по ссылкам не включено."),
        "bad_form": ("Форма не принята", "Откройте ссылку из письма ещё раз."),
        "approved": (
            "Заказ №{number} согласован",
            "Заказ передан в работу. Покупатель и владельцы компании получат уведомление.",
        ),
        "rejected": (
            "Заказ №{number} отклонён",
            "Заказ отменён. Покупатель и владельцы компании получат уведомление с причиной.",
        ),
    },
    "en": {
        "link_invalid": (
            "This link is not valid",
            "Open the order in your account: links in our mails are personal and signed.",
        ),
        "link_expired": ("This link has expired", "Approve or reject the order in your account."),
        "link_used": (
            "This link was used already",
            "Each link in the mail works once. The order's state is in your account.",
        ),
        "not_found": (
            "Order not found",
            "The order was deleted or no longer belongs to the company.",
        ),
        "not_pending": (
            "Order {number} no longer awaits approval",
            "Its status is now '{status}'. Nothing was changed.",
        ),
        "not_allowed": (
            "You may not decide this order",
            "An owner of the company decides it (not its author, when the company has another "
            "owner).",
        ),
        "csrf": (
            "This form has expired",
            "Open the link in the mail again and submit the form of the page it opens.",
        ),
        "unavailable": (
            "Temporarily unavailable",
            "The store does not answer. The link was not used: please try again in a minute.",
        ),
        "off": ("Page not found", "Approval by link is not enabled."),
        "bad_form": ("The form was not accepted", "Open the link in the mail again."),
        "approved": (
            "Order {number} approved",
            "The order goes on to processing. The buyer and the company's owners will be told.",
        ),
        "rejected": (
            "Order {number} rejected",
            "The order is cancelled. The buyer and the company's owners will be told why.",
        ),
    },
}

#: The form page's texts.
FORM: Mapping[str, Mapping[str, str]] = {
    "ru": {
        "approve_title": "Согласовать заказ №{number}?",
        "reject_title": "Отклонить заказ №{number}?",
        "approve_effect": "После согласования заказ перейдёт в статус «{next}» и уйдёт в работу.",
        "reject_effect": "Заказ будет отменён. Покупатель увидит причину в уведомлении и в "
        "истории заказа.",
        "company": "Компания",
        "date": "Дата",
        "amount": "Сумма",
        "author": "Оформил(а)",
        "basket": "Состав заказа",
        "more": "и ещё позиции — весь заказ в личном кабинете",
        "reason": "Причина отказа",
        "approve": "Согласовать",
        "reject": "Отклонить заказ",
        "reason_missing": "Укажите причину (до 1000 символов).",
        "once": "Ссылка сработает один раз.",
    },
    "en": {
        "approve_title": "Approve order {number}?",
        "reject_title": "Reject order {number}?",
        "approve_effect": "Once approved, the order goes on to '{next}' and into processing.",
        "reject_effect": "The order will be cancelled. The buyer will see the reason in the "
        "notification and in the order's history.",
        "company": "Company",
        "date": "Date",
        "amount": "Amount",
        "author": "Placed by",
        "basket": "Basket",
        "more": "and more lines — the whole order is in your account",
        "reason": "Reason for rejection",
        "approve": "Approve",
        "reject": "Reject the order",
        "reason_missing": "Give the reason (up to 1,000 characters).",
        "once": "The link works once.",
    },
}

BASKET_LINES = 20


class _Refusal(Exception):
    """Ends the request with an outcome page."""

    def __init__(self, http_status: int, code: str, **values: str) -> None:
        super().__init__(code)
        self.status = http_status
        self.code = code
        self.values = values


@dataclass
class _Checked:
    link: ApprovalLink
    order: Order
    company: Company | None
    directory: Directory


def _page(
    request: Request,
    state: AppState,
    status: int,
    code: str,
    values: Mapping[str, str] | None = None,
) -> Response:
    headers = {"Retry-After": str(state.config.retry_after)} if status == 503 else None
    return message_page(
        request,
        status,
        code,
        default_language=state.config.language,
        headers=headers,
        texts=TEXTS,
        values=values,
    )


async def _used(state: AppState, nonce: str) -> bool:
    store = state.deps.workflows
    return store is not None and await asyncio.to_thread(store.link_used, nonce)


async def _check(
    state: AppState, approval: ApprovalConfig, fields: Mapping[str, str | None], lang: str
) -> _Checked:
    """Steps 1-2 of the module docstring; :class:`_Refusal` when one fails."""
    now = state.deps.clock()
    try:
        link = verify_approval_link(state.config.secret, fields, now.timestamp())
    except Expired:
        raise _Refusal(403, "link_expired") from None
    except LinkInvalid:
        log.warning("http.approval.refused", reason="link invalid")
        raise _Refusal(403, "link_invalid") from None
    if await _used(state, link.nonce):
        raise _Refusal(410, "link_used")
    directory = Directory(state.bitrix, enums=state.enums, languages=state.languages)
    try:
        order = await directory.order(link.order_id)
        if order is None or order.company_id is None:
            raise _Refusal(404, "not_found")
        if order.status != approval.pending or order.canceled:
            names = await directory.status_names(lang)
            status = names.get(order.status, order.status)
            raise _Refusal(409, "not_pending", number=order.number, status=status)
        members = (await directory.members([order.company_id]))[order.company_id]
        groups = (await directory.groups([link.user_id]))[link.user_id]
        company = await directory.company(order.company_id)
    except BitrixError as exc:
        log.warning("http.approval.unavailable", error=" ".join(str(exc).split()))
        raise _Refusal(503, "unavailable") from exc
    actor = classify(link.user_id, order.user_id, members, groups, approval)
    change = Change.approve if link.action == APPROVE else Change.reject
    if decide(change, actor) is Act.revert:
        log.info("http.approval.refused", reason="not allowed", user=link.user_id, actor=actor)
        raise _Refusal(403, "not_allowed")
    return _Checked(link, order, company, directory)


def _quantity(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


async def _form(
    request: Request,
    state: AppState,
    approval: ApprovalConfig,
    checked: _Checked,
    lang: str,
    fields: Mapping[str, str | None],
    *,
    status: int = 200,
    reason: str = "",
    error: str = "",
) -> Response:
    order, directory = checked.order, checked.directory
    texts = FORM[lang]
    try:
        names = await directory.status_names(lang)
        basket = await directory.basket(order.id, BASKET_LINES + 1)
        author = await directory.recipient(order.user_id) if order.user_id else None
    except BitrixError as exc:
        log.warning("http.approval.unavailable", error=" ".join(str(exc).split()))
        return _page(request, state, 503, "unavailable")
    csrftoken = request.scope.get("csrftoken")
    action = checked.link.action
    context: dict[str, Any] = {
        "lang": lang,
        "t": texts,
        "action": action,
        "title": texts[f"{action}_title"].format(number=order.number),
        "effect": texts[f"{action}_effect"].format(
            next=names.get(approval.next_status, approval.next_status)
        ),
        "company": checked.company.name if checked.company else "",
        "date": order.date.astimezone(state.config.timezone).strftime("%d.%m.%Y")
        if order.date
        else "",
        "amount": money_text(order.price, order.currency, lang),
        "author": author.name if author else "",
        "lines": [
            {
                "name": line.name,
                "quantity": f"{_quantity(line.quantity)} {line.measure}".strip(),
                "price": money_text(line.price, order.currency, lang),
            }
            for line in basket[:BASKET_LINES]
        ],
        "more": len(basket) > BASKET_LINES,
        "fields": {name: fields.get(name) or "" for name in LINK_FIELDS},
        "csrftoken": csrftoken() if callable(csrftoken) else "",
        "reason": reason,
        "error": error,
        "max_reason": MAX_REASON,
    }
    return render(request, "approval.html", context, status=status)


async def approvals(request: Request) -> Response:
    state = app_state(request)
    approval = state.config.approval
    if approval is None:
        return _page(request, state, 404, "off")
    lang = language(request, state.config.language)
    if request.method == "POST":
        return await _decide(request, state, approval, lang)
    fields = {name: request.query_params.get(name) for name in LINK_FIELDS}
    try:
        checked = await _check(state, approval, fields, lang)
    except _Refusal as refusal:
        return _page(request, state, refusal.status, refusal.code, refusal.values)
    return await _form(request, state, approval, checked, lang, fields)


async def _read_form(request: Request) -> dict[str, str] | None:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_FORM):
        return None
    form = await request.form(max_files=0, max_fields=20)
    return {key: value for key, value in form.items() if isinstance(value, str)}


async def _decide(
    request: Request, state: AppState, approval: ApprovalConfig, lang: str
) -> Response:
    form = await _read_form(request)
    if form is None:
        return _page(request, state, 413, "bad_form")
    fields: dict[str, str | None] = {name: form.get(name) for name in LINK_FIELDS}
    try:
        checked = await _check(state, approval, fields, lang)
    except _Refusal as refusal:
        return _page(request, state, refusal.status, refusal.code, refusal.values)
    link, order = checked.link, checked.order
    reason = " ".join(str(form.get("reason") or "").split())
    if link.action == REJECT and not 1 <= len(reason) <= MAX_REASON:
        return await _form(
            request,
            state,
            approval,
            checked,
            lang,
            fields,
            status=400,
            reason=reason[:MAX_REASON],
            error=FORM[lang]["reason_missing"],
        )
    store = state.deps.workflows
    if store is None:  # no state store: single use cannot be kept
        return _page(request, state, 503, "unavailable")
    now = state.deps.clock()
    claimed = await asyncio.to_thread(
        store.claim_link, link.nonce, order.id, link.user_id, link.action, now
    )
    if not claimed:
        return _page(request, state, 410, "link_used")
    target = approval.approved if link.action == APPROVE else approval.rejected
    try:
        answer = await state.bitrix.bridge.order_status_set(
            order.id,
            target,
            user_id=link.user_id,
            reason=reason if link.action == REJECT else "",
            from_status=approval.pending,
        )
    except (BitrixError, WorkflowError) as exc:
        await asyncio.to_thread(store.release_link, link.nonce)
        log.warning("http.approval.unavailable", error=" ".join(str(exc).split()))
        return _page(request, state, 503, "unavailable")
    if not answer.get("CHANGED"):
        await asyncio.to_thread(store.release_link, link.nonce)
        names = await checked.directory.status_names(lang)
        current = str(answer.get("STATUS_ID") or "")
        values = {"number": order.number, "status": names.get(current, current)}
        return _page(request, state, 409, "not_pending", values)
    log.info("http.approval.decided", order=order.id, user=link.user_id, action=link.action)
    await _wake(state)
    code = "approved" if link.action == APPROVE else "rejected"
    return _page(request, state, 200, code, {"number": order.number})


async def _wake(state: AppState) -> None:
    deps = state.deps
    if deps.wake is not None and deps.wake(ORDER_EVENTS):
        return
    if deps.workflows is not None:
        await asyncio.to_thread(deps.workflows.request_wake, ORDER_EVENTS, deps.clock())


__all__ = ["FORM", "TEXTS", "approvals"]
