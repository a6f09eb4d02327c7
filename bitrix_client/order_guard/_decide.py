"""The order guard's decision: what happens to an order being created on the site.

One pure function over plain facts — the buyer's ``b2b_company_users`` rows, the companies and
credit rows they point at (HL field names, enumerations as their codes), the guard option, the
role table and the order's total — so the bridge module (PHP, ``Core\\OrderGuard``), the Bitrix
fake and b2bsync decide alike; ``bridge/contract/order_guard.json`` holds the table both run.

Outcomes: ``pass`` — not a B2B order (nobody logged in, or not an active member of any company
with a role the table knows; a payer type without ``B2B_COMPANY_ID``, e.g. a member buying as a
private person; the guard is not set up; the order is not new), nothing changes; ``save`` — the
order gets ``B2B_COMPANY_ID`` of the buyer's current company; ``pending`` — that, and it is
saved in the pending status, with every reason found; ``refuse`` — it is not saved, and the
buyer reads why. Precedence: a refusal beats approval, and refusals
are checked in the order role → blocked company → over the available credit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ._config import GuardConfig, GuardConfigError
from ._roles import CREATE_ORDERS, RoleTable
from ._texts import MESSAGES, render, round_half_up

Kind = Literal["pass", "save", "pending", "refuse"]
Row = Mapping[str, Any]

#: Reasons for approval, in the order a decision lists them.
REASONS = (
    "company_blocked",
    "over_credit",
    "approval_all",
    "over_threshold",
    "over_order_limit",
    "currency_mismatch",
)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\r\n\f\x0b]+")
_SAME_CURRENCY = {"RUR": "RUB"}


@dataclass(frozen=True)
class OrderFacts:
    """The order being saved: its total and currency, whether it is new, and whether its payer
    type carries the ``B2B_COMPANY_ID`` property (one of the B2B payer types)."""

    total: float
    currency: str = ""
    new: bool = True
    b2b_payer_type: bool = True


@dataclass(frozen=True)
class GuardFacts:
    """What the guard reads. ``members``: ``b2b_company_users`` rows (only the buyer's matter);
    ``companies``/``credit``: rows of ``b2b_companies``/``b2b_credit_status`` (at least those of
    the buyer's companies). Rows are listed by ``ID``: the first row wins where two compete."""

    config: GuardConfig | None
    roles: RoleTable | None
    user_id: int | None
    order: OrderFacts
    preferred_company: int | None = None
    companies: Sequence[Row] = ()
    members: Sequence[Row] = ()
    credit: Sequence[Row] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GuardFacts:
        """The facts in the contract's form (``order_guard.json``: a case's input merged into
        the defaults, ``roles`` as the stored table or ``None``)."""
        order = data["order"]
        return cls(
            config=read_config(data.get("config")),
            roles=RoleTable.from_option(data.get("roles")),
            user_id=_int(data.get("user_id")),
            order=OrderFacts(
                total=float(order.get("total") or 0),
                currency=str(order.get("currency") or ""),
                new=bool(order.get("new", True)),
                b2b_payer_type=bool(order.get("b2b_payer_type", True)),
            ),
            preferred_company=_int(data.get("preferred_company")),
            companies=tuple(data.get("companies") or ()),
            members=tuple(data.get("members") or ()),
            credit=tuple(data.get("credit") or ()),
        )


@dataclass(frozen=True)
class Refusal:
    """Why the order was not saved: the error code the checkout (and REST) gets, the message
    key of the contract, its parameters, and the text in ru and en."""

    code: str
    message: str
    params: Mapping[str, Any]
    texts: Mapping[str, str]

    def text(self, language: str) -> str:
        return self.texts["ru"] if language == "ru" else self.texts["en"]


@dataclass(frozen=True)
class Decision:
    kind: Kind
    company_id: int | None = None
    status: str | None = None
    reasons: tuple[str, ...] = ()
    refusal: Refusal | None = field(default=None)

    def to_json(self) -> dict[str, Any]:
        """The contract's ``expect`` form."""
        if self.kind == "pass":
            return {"decision": "pass"}
        out: dict[str, Any] = {"decision": self.kind, "company_id": self.company_id}
        if self.kind == "pending":
            out.update(status=self.status, reasons=list(self.reasons))
        if self.refusal is not None:
            out.update(
                code=self.refusal.code,
                message=self.refusal.message,
                params=dict(self.refusal.params),
                text=dict(self.refusal.texts),
            )
        return out


PASS = Decision("pass")


def read_config(value: Any) -> GuardConfig | None:
    """The stored option, or ``None`` when there is none or the module would not accept it."""
    if value is None:
        return None
    try:
        return GuardConfig.from_option(value)
    except GuardConfigError:
        return None


def decide(facts: GuardFacts) -> Decision:
    """The guard's decision for a new order (module docstring; ``order_guard.json``)."""
    config, roles = facts.config, facts.roles
    if not (facts.order.new and facts.order.b2b_payer_type) or config is None or roles is None:
        return PASS
    current = current_membership(facts, roles)
    if current is None:
        return PASS
    company, member = current
    company_id = int(company["ID"])
    name = clean(company.get("UF_NAME"))
    role = str(member.get("UF_ROLE") or "")
    # the company's credit row ({} when 1C sent none): limit, used, currency, block
    credit: Row = next((r for r in facts.credit if _int(r.get("UF_COMPANY_ID")) == company_id), {})

    if not roles.can(role, CREATE_ORDERS):
        return _refuse(company_id, "role_may_not_order", {"COMPANY": name, "ROLE": role}, roles)
    blocked = _int(credit.get("UF_ORDER_BLOCKED")) == 1
    if blocked and config.when_blocked == "refuse":
        reason = clean(credit.get("UF_BLOCK_REASON")).rstrip(". ")
        message = "company_blocked" if reason else "company_blocked_no_reason"
        return _refuse(company_id, message, {"COMPANY": name, "REASON": reason}, roles)

    total = cents(facts.order.total)
    order_currency = currency_of(facts.order.currency)
    settlement = currency_of(credit.get("UF_CURRENCY"))
    comparable = not settlement or not order_currency or settlement == order_currency
    unchecked = False
    over_credit = False
    limit = _amount(credit.get("UF_CREDIT_LIMIT"))
    if limit is not None:
        if comparable:
            available = limit - (_amount(credit.get("UF_CREDIT_USED")) or 0)
            over_credit = total > available
            if over_credit and config.over_credit == "refuse":
                params = {
                    "COMPANY": name,
                    "TOTAL": total / 100,
                    "AVAILABLE": max(0, available) / 100,
                    "CURRENCY": order_currency or settlement,
                }
                return _refuse(company_id, "over_credit", params, roles)
        else:
            unchecked = True

    reasons: set[str] = set()
    if blocked:
        reasons.add("company_blocked")
    if over_credit:
        reasons.add("over_credit")
    mode = company.get("UF_APPROVAL_MODE") or "none"
    if mode == "over_amount":
        if not comparable:
            unchecked = True
        elif total >= (_amount(company.get("UF_APPROVAL_THRESHOLD")) or 0):
            reasons.add("over_threshold")
    elif mode != "none":  # "all", and a mode this table does not know: ask rather than guess
        reasons.add("approval_all")
    member_limit = _amount(member.get("UF_ORDER_LIMIT"))
    if member_limit is not None:
        if not comparable:
            unchecked = True
        elif total > member_limit:
            reasons.add("over_order_limit")
    if unchecked:
        reasons.add("currency_mismatch")
    if reasons:
        ordered = tuple(r for r in REASONS if r in reasons)
        return Decision("pending", company_id, config.pending_status, ordered)
    return Decision("save", company_id)


def current_membership(facts: GuardFacts, roles: RoleTable) -> tuple[Row, Row] | None:
    """The buyer's current company and membership row, by the cabinet's rule
    (``CompanyScope::current``): among the companies the user is an *active* member of with a
    role the table knows, the one they picked last, else the first by name (case-insensitive),
    then by ID; ``None`` when there is none."""
    if facts.user_id is None or facts.user_id <= 0:
        return None
    by_company: dict[int, Row] = {}
    for row in facts.members:
        company_id = _int(row.get("UF_COMPANY_ID"))
        if (
            company_id is not None
            and _int(row.get("UF_USER_ID")) == facts.user_id
            and _int(row.get("UF_ACTIVE")) == 1
            and roles.has(str(row.get("UF_ROLE") or ""))
        ):
            by_company.setdefault(company_id, row)
    companies = [c for c in facts.companies if _int(c.get("ID")) in by_company]
    if not companies:
        return None
    companies.sort(key=lambda c: (str(c.get("UF_NAME") or "").lower(), int(c["ID"])))
    chosen = next((c for c in companies if _int(c["ID"]) == facts.preferred_company), companies[0])
    return chosen, by_company[int(chosen["ID"])]


def clean(value: Any) -> str:
    """A name or reason fit for a message the checkout may show as HTML: tags and angle brackets
    taken out, runs of ASCII white space made one space, trimmed."""
    text = _TAG.sub("", str(value or "")).replace("<", "").replace(">", "")
    return _SPACES.sub(" ", text).strip(" ")


def currency_of(value: Any) -> str:
    code = str(value or "").strip().upper()
    return _SAME_CURRENCY.get(code, code)


def cents(amount: float) -> int:
    return round_half_up(float(amount) * 100)


def _amount(value: Any) -> int | None:
    """A money field in cents; ``None`` when empty (no limit, no threshold)."""
    if value is None or value == "":
        return None
    return cents(float(value))


def _int(value: Any) -> int | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _refuse(company_id: int, message: str, params: dict[str, Any], roles: RoleTable) -> Decision:
    texts = {lang: render(message, params, roles, lang) for lang in ("ru", "en")}
    refusal = Refusal(MESSAGES[message].code, message, params, texts)
    return Decision("refuse", company_id, refusal=refusal)
