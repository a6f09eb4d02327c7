"""What a refused buyer reads: the messages of ``bridge/contract/order_guard.json``, in ru and en.

The module shows the same texts from its language files (``lang/{ru,en}/lib/checkoutguard.php``);
both are checked against the contract. Placeholders ``#NAME#`` are replaced in one pass, so a
company called ``#REASON#`` stays as it is. Amounts print as the cabinet prints them
(``CabinetFormat::money``): ru ``1 234,50 ₽`` with no-break spaces, en ``1,234.50 RUB``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._roles import RoleTable

NBSP = "\u00a0"
_SYMBOLS = {"RUB": "₽", "RUR": "₽"}
_PLACEHOLDER = re.compile(r"#([A-Z_]+)#")
_MONEY = frozenset({"TOTAL", "AVAILABLE"})


@dataclass(frozen=True)
class Message:
    code: str
    ru: str
    en: str

    def template(self, language: str) -> str:
        return self.ru if language == "ru" else self.en


#: message key → the REST/ResultError code and the texts (``order_guard.json`` "messages").
MESSAGES: Mapping[str, Message] = {
    "role_may_not_order": Message(
        "B2BSYNC_ROLE_MAY_NOT_ORDER",
        "С ролью «#ROLE#» в компании #COMPANY# оформлять заказы нельзя. "
        "Обратитесь к владельцу кабинета компании.",
        "Your role in #COMPANY# (#ROLE#) may not place orders. "
        "Please ask an owner of your company's account.",
    ),
    "company_blocked": Message(
        "B2BSYNC_COMPANY_BLOCKED",
        "Заказы компании #COMPANY# приостановлены: #REASON#. Обратитесь к вашему менеджеру.",
        "Orders of #COMPANY# are suspended: #REASON#. Please contact your manager.",
    ),
    "company_blocked_no_reason": Message(
        "B2BSYNC_COMPANY_BLOCKED",
        "Заказы компании #COMPANY# приостановлены. Обратитесь к вашему менеджеру.",
        "Orders of #COMPANY# are suspended. Please contact your manager.",
    ),
    "over_credit": Message(
        "B2BSYNC_OVER_CREDIT",
        "Сумма заказа #TOTAL# больше доступного кредита компании #COMPANY#: #AVAILABLE#. "
        "Уменьшите заказ или обратитесь к вашему менеджеру.",
        "The order total of #TOTAL# is more than the credit available to #COMPANY#: "
        "#AVAILABLE#. Please reduce the order or contact your manager.",
    ),
}


def money(amount: float, currency: str, language: str) -> str:
    """``CabinetFormat::money``: PHP ``number_format`` with two decimals, rounded half up."""
    code = currency.upper()
    cents = round_half_up(amount * 100)
    whole, frac = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    if language == "ru":
        text = f"{sign}{whole:,}".replace(",", NBSP) + f",{frac:02d}"
        return text + (f"{NBSP}{_SYMBOLS.get(code, code)}" if code else "")
    text = f"{sign}{whole:,}.{frac:02d}"
    return text + (f" {code}" if code else "")


def round_half_up(value: float) -> int:
    """PHP's ``round()``: halves away from zero (Python's ``round`` goes to even)."""
    rounded = int(abs(value) + 0.5)
    return -rounded if value < 0 else rounded


def render(message: str, params: Mapping[str, Any], roles: RoleTable, language: str) -> str:
    """The text of ``message`` with its ``params`` in ``language``."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            return match.group(0)
        if name == "ROLE":
            return roles.title(str(params[name]), language)
        if name in _MONEY:
            return money(float(params[name]), str(params.get("CURRENCY", "")), language)
        return str(params[name])

    return _PLACEHOLDER.sub(value, MESSAGES[message].template(language))
