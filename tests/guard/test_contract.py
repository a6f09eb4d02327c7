"""``bridge/contract/order_guard.json`` in Python, every case twice: given to
:func:`bitrix_client.order_guard.decide` as facts, and placed as an order on the Bitrix fake —
the case's rows written over REST into a store with the schema applied, the options stored, the
basket checked out by the case's user — where the outcome is read back from the store: the
order's status and ``B2B_COMPANY_ID``, its status-log row, or the refusal and no order at all.
PHPUnit runs the same file against the module's core (``bridge/tests/OrderGuardTest.php``).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from bitrix_client.fake import OrderRefused
from bitrix_client.order_guard import MESSAGES, REASONS, GuardFacts, decide, money

from ._shop import LEGAL_TYPE, NATURAL_TYPE, GuardedShop, guarded_shop

CONTRACT = Path(__file__).resolve().parents[2] / "bridge" / "contract"
DOC = json.loads((CONTRACT / "order_guard.json").read_text(encoding="utf-8"))
ROLES = json.loads((CONTRACT / "roles.json").read_text(encoding="utf-8"))
CASES = {case["name"]: case for case in DOC["cases"]}
#: Cases about an order being created (the others are about saving an existing one).
NEW_ORDERS = sorted(
    name for name, case in CASES.items() if case["input"].get("order", {}).get("new", True)
)


def merged(case: dict[str, Any]) -> dict[str, Any]:
    """The case's input merged into the defaults, as the contract's "merge" note says."""
    data = copy.deepcopy(DOC["defaults"])
    data["roles"] = ROLES
    for key, value in case["input"].items():
        if key in ("config", "order") and isinstance(value, dict) and data.get(key) is not None:
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


def test_the_cases_have_distinct_names_and_cover_every_outcome() -> None:
    assert len(CASES) == len(DOC["cases"])
    seen: set[str] = set()
    for case in DOC["cases"]:
        seen.add(case["expect"]["decision"])
        seen.update(case["expect"].get("reasons", []))
        seen.update([case["expect"]["message"]] if "message" in case["expect"] else [])
    assert {"pass", "save", "pending", "refuse", *REASONS, *MESSAGES} <= seen


def test_the_messages_are_the_contracts() -> None:
    assert {k: {"code": m.code, "ru": m.ru, "en": m.en} for k, m in MESSAGES.items()} == DOC[
        "messages"
    ]


@pytest.mark.parametrize(
    ("amount", "currency", "ru", "en"),
    [
        (1234.5, "RUB", "1\u00a0234,50\u00a0₽", "1,234.50 RUB"),
        (0, "rur", "0,00\u00a0₽", "0.00 RUR"),
        (1234567.8, "USD", "1\u00a0234\u00a0567,80\u00a0USD", "1,234,567.80 USD"),
        (0.005, "", "0,01", "0.01"),
        (999.995, "EUR", "1\u00a0000,00\u00a0EUR", "1,000.00 EUR"),
    ],
)
def test_money_prints_as_the_cabinet_does(amount: float, currency: str, ru: str, en: str) -> None:
    assert money(amount, currency, "ru") == ru
    assert money(amount, currency, "en") == en


@pytest.mark.parametrize("name", sorted(CASES))
def test_decide(name: str) -> None:
    case = CASES[name]
    assert decide(GuardFacts.from_json(merged(case))).to_json() == case["expect"]


def test_a_wrong_expectation_is_noticed() -> None:
    case = CASES["approval mode all"]
    assert decide(GuardFacts.from_json(merged(case))).to_json() != {
        "decision": "save",
        "company_id": 1,
    }


async def load(data: dict[str, Any]) -> GuardedShop:
    """A store holding the case's options and rows (companies get IDs 1, 2, … in order)."""
    shop = await guarded_shop()
    options = shop.site.bridge.options
    del options["guard"]
    del options["roles"]
    async with shop.client:
        if data["roles"] is not None:
            await shop.client.bridge.option_set("roles", data["roles"])
        if data["config"] is not None:
            await shop.client.bridge.option_set("guard", data["config"])
        for company in data["companies"]:
            got = await shop.company(
                company["UF_NAME"],
                mode=company["UF_APPROVAL_MODE"],
                threshold=company["UF_APPROVAL_THRESHOLD"],
            )
            assert got == company["ID"], "companies are listed with IDs 1, 2, …"
        for member in data["members"]:
            await shop.add("B2bCompanyUsers", member)
        for row in data["credit"]:
            await shop.add("B2bCreditStatus", row)
    # the client is closed: from here on the test acts as the site's buyers do
    if data["preferred_company"] is not None:
        shop.site.bridge.current_companies[data["user_id"]] = data["preferred_company"]
    return shop


@pytest.mark.parametrize("name", NEW_ORDERS)
async def test_placed_on_the_fake(name: str) -> None:
    case = CASES[name]
    data = merged(case)
    expect = case["expect"]
    shop = await load(data)
    site = shop.site
    orders_before = set(site.sale.orders)
    events_before = len(site.hl_rows("B2bOrderEvents"))
    order = data["order"]
    person_type = LEGAL_TYPE if order["b2b_payer_type"] else NATURAL_TYPE
    basket = [{"name": "Бумага А4", "price": order["total"], "quantity": 1}]

    def place(language: str) -> int:
        return site.place_order(
            data["user_id"] or 0,
            person_type_id=person_type,
            items=basket,
            currency=order["currency"],
            language=language,
        )

    if expect["decision"] == "refuse":
        for language in ("ru", "en"):
            with pytest.raises(OrderRefused) as caught:
                place(language)
            assert caught.value.code == expect["code"]
            assert caught.value.text == expect["text"][language]
        assert set(site.sale.orders) == orders_before, "a refused order is not saved"
        assert len(site.hl_rows("B2bOrderEvents")) == events_before
        return

    order_id = place("ru")
    saved = site.sale.orders[order_id]
    status = expect.get("status", "N")
    assert saved["statusId"] == status
    assert saved["price"] == pytest.approx(order["total"])
    link = shop.company_link(order_id)
    if not order["b2b_payer_type"]:
        assert link == "no property"
    elif expect["decision"] == "pass":
        assert link is None
    else:
        assert link == str(expect["company_id"])
    assert shop.events(order_id) == [(None, status, data["user_id"])]
