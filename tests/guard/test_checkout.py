"""The order guard on the store emulator, end to end: orders checked out as buyers would, and
created over REST, in a store whose schema and options ``b2bsync schema apply`` wrote from the
settings; asserting on the orders, their ``B2B_COMPANY_ID``, the status log and the refusals.

The store: ООО «Ромашка» (approval over 50,000, credit 300,000 with 100,000 used) with Olga
(owner), Boris (buyer, own limit 20,000), Anna (accountant), Victor (viewer) and Dmitry (a buyer
who left); АО «Вектор» (every order approved) where Boris also buys; Petr, a retail customer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from b2bsync.settings import ApprovalSettings, BitrixSettings
from bitrix_client.fake import FakeUser, OrderRefused

from ._shop import LEGAL_TYPE, NATURAL_TYPE, GuardedShop, guarded_shop

OLGA, BORIS, ANNA, VICTOR, DMITRY, PETR = 101, 102, 103, 104, 105, 106
ROMASHKA_NAME = "ООО «Ромашка»"
NB = "\u00a0"


@pytest.fixture
async def opened() -> AsyncIterator[list[GuardedShop]]:
    """The stores a test made; their clients are closed after it."""
    made: list[GuardedShop] = []
    yield made
    for shop in made:
        await shop.client.aclose()


async def store(
    opened: list[GuardedShop], approval: ApprovalSettings | None = None, **bitrix: Any
) -> GuardedShop:
    shop = await guarded_shop(approval, BitrixSettings(**bitrix))
    opened.append(shop)
    for number, name in zip(
        (OLGA, BORIS, ANNA, VICTOR, DMITRY, PETR),
        ("Ольга", "Борис", "Анна", "Виктор", "Дмитрий", "Пётр"),
        strict=True,
    ):
        shop.site.users[number] = FakeUser(number, f"u{number}", f"u{number}@example.ru", name)
    romashka = await shop.company(ROMASHKA_NAME, mode="over_amount", threshold=50000)
    vektor = await shop.company("АО «Вектор»", mode="all")
    assert (romashka, vektor) == (1, 2)
    await shop.member(romashka, OLGA, "owner")
    await shop.member(romashka, BORIS, "buyer", limit=20000)
    await shop.member(romashka, ANNA, "accountant")
    await shop.member(romashka, VICTOR, "viewer")
    await shop.member(romashka, DMITRY, "buyer", active=False)
    await shop.member(vektor, BORIS, "buyer")
    await shop.credit(romashka, UF_CREDIT_LIMIT=300000, UF_CREDIT_USED=100000, UF_CURRENCY="RUB")
    shop.site.bridge.current_companies[BORIS] = romashka  # picked in the cabinet's switcher
    return shop


def basket(total: float) -> list[dict[str, Any]]:
    return [
        {"name": "Бумага А4, 500 листов", "price": total / 4, "quantity": 2},
        {"name": "Картридж HP 26A", "price": total / 2, "quantity": 1},
    ]


def checkout(shop: GuardedShop, user: int, total: float, **options: Any) -> int:
    options.setdefault("person_type_id", LEGAL_TYPE)
    return shop.site.place_order(user, items=basket(total), **options)


async def test_a_buyer_under_every_limit_gets_the_company_and_the_first_status(
    opened: list[GuardedShop],
) -> None:
    shop = await store(opened)
    order_id = checkout(shop, BORIS, 15000)
    order = shop.site.sale.orders[order_id]
    assert (order["statusId"], order["price"], order["userId"]) == ("N", 15000, BORIS)
    assert shop.company_link(order_id) == "1"
    assert shop.events(order_id) == [(None, "N", BORIS)]
    # b2bsync finds the company's orders through the property, as the orders job does
    values = await shop.client.call(
        "sale.propertyvalue.list", {"filter": {"code": "B2B_COMPANY_ID", "value": "1"}}
    )
    assert [v["orderId"] for v in values.result["propertyValues"]] == [order_id]


async def test_an_order_over_the_companys_threshold_is_saved_pending_and_logged_so(
    opened: list[GuardedShop],
) -> None:
    shop = await store(opened)
    order_id = checkout(shop, OLGA, 50000)
    order = shop.site.sale.orders[order_id]
    assert (order["statusId"], order["statusXmlId"]) == ("PA", "APPROVAL_PENDING")
    assert shop.company_link(order_id) == "1"
    # the sale event said null → N; the module logs the status the order was saved in
    assert shop.events(order_id) == [(None, "PA", OLGA)]


async def test_an_order_over_the_buyers_own_limit_is_pending(opened: list[GuardedShop]) -> None:
    shop = await store(opened)
    assert shop.site.sale.orders[checkout(shop, BORIS, 20000)]["statusId"] == "N"
    assert shop.site.sale.orders[checkout(shop, BORIS, 20000.01)]["statusId"] == "PA"


async def test_the_current_company_decides_and_all_mode_holds_every_order(
    opened: list[GuardedShop],
) -> None:
    shop = await store(opened)
    shop.site.bridge.current_companies[BORIS] = 2
    order_id = checkout(shop, BORIS, 100)
    assert (shop.site.sale.orders[order_id]["statusId"], shop.company_link(order_id)) == ("PA", "2")
    shop.site.bridge.current_companies[BORIS] = 1
    order_id = checkout(shop, BORIS, 100)
    assert (shop.site.sale.orders[order_id]["statusId"], shop.company_link(order_id)) == ("N", "1")
    # never picked: the first company by name, АО «Вектор»
    del shop.site.bridge.current_companies[BORIS]
    order_id = checkout(shop, BORIS, 100)
    assert shop.company_link(order_id) == "2"


@pytest.mark.parametrize(
    ("user", "text"),
    [
        (
            ANNA,
            f"С ролью «Бухгалтер» в компании {ROMASHKA_NAME} оформлять заказы нельзя. "
            "Обратитесь к владельцу кабинета компании.",
        ),
        (
            VICTOR,
            f"С ролью «Наблюдатель» в компании {ROMASHKA_NAME} оформлять заказы нельзя. "
            "Обратитесь к владельцу кабинета компании.",
        ),
    ],
)
async def test_a_role_that_may_not_order_is_refused_and_nothing_is_saved(
    opened: list[GuardedShop], user: int, text: str
) -> None:
    shop = await store(opened)
    orders = len(shop.site.sale.orders)
    with pytest.raises(OrderRefused) as caught:
        checkout(shop, user, 100)
    assert (caught.value.code, caught.value.text) == ("B2BSYNC_ROLE_MAY_NOT_ORDER", text)
    assert len(shop.site.sale.orders) == orders
    assert shop.site.hl_rows("B2bOrderEvents") == []


async def block(shop: GuardedShop, reason: str) -> None:
    await shop.client.bridge.upsert_many(
        "B2bCreditStatus",
        ["UF_COMPANY_ID"],
        [{"UF_COMPANY_ID": 1, "UF_ORDER_BLOCKED": 1, "UF_BLOCK_REASON": reason}],
    )


REASON = f"Просроченная задолженность 12{NB}500,00{NB}₽ превышает допустимую 10{NB}000,00{NB}₽"


async def test_a_blocked_company_is_refused_with_its_reason_in_the_buyers_language(
    opened: list[GuardedShop],
) -> None:
    shop = await store(opened)
    await block(shop, REASON)
    with pytest.raises(OrderRefused) as caught:
        checkout(shop, BORIS, 100, language="en")
    assert caught.value.code == "B2BSYNC_COMPANY_BLOCKED"
    assert caught.value.text == (
        f"Orders of {ROMASHKA_NAME} are suspended: {REASON}. Please contact your manager."
    )
    assert all(o["userId"] != BORIS for o in shop.site.sale.orders.values())


async def test_a_blocked_company_is_held_for_approval_when_the_rule_says_so(
    opened: list[GuardedShop],
) -> None:
    shop = await store(opened, ApprovalSettings(when_blocked="approval"))
    assert shop.option("guard")["when_blocked"] == "approval"
    await block(shop, REASON)
    order_id = checkout(shop, OLGA, 100)
    assert shop.site.sale.orders[order_id]["statusId"] == "PA"
    assert shop.events(order_id) == [(None, "PA", OLGA)]


async def test_a_lifted_block_lets_the_next_order_through(opened: list[GuardedShop]) -> None:
    shop = await store(opened)
    await block(shop, REASON)
    with pytest.raises(OrderRefused):
        checkout(shop, BORIS, 100)
    await shop.client.bridge.upsert_many(
        "B2bCreditStatus", ["UF_COMPANY_ID"], [{"UF_COMPANY_ID": 1, "UF_ORDER_BLOCKED": 0}]
    )
    assert shop.site.sale.orders[checkout(shop, BORIS, 100)]["statusId"] == "N"


async def test_over_the_available_credit_needs_approval_by_default(
    opened: list[GuardedShop],
) -> None:
    shop = await store(opened)
    # 300,000 − 100,000 = 200,000 available; Olga has no own limit, the threshold is 50,000
    none = shop.enums[("B2bCompanies", "UF_APPROVAL_MODE")]["none"]
    await shop.client.bridge.item_update("B2bCompanies", 1, {"UF_APPROVAL_MODE": none})
    assert shop.site.sale.orders[checkout(shop, OLGA, 200000)]["statusId"] == "N"
    assert shop.site.sale.orders[checkout(shop, OLGA, 200000.01)]["statusId"] == "PA"


async def test_over_the_available_credit_is_refused_when_the_rule_says_so(
    opened: list[GuardedShop],
) -> None:
    shop = await store(opened, ApprovalSettings(over_credit="refuse"))
    with pytest.raises(OrderRefused) as caught:
        checkout(shop, OLGA, 250000)
    assert caught.value.code == "B2BSYNC_OVER_CREDIT"
    assert caught.value.text == (
        f"Сумма заказа 250{NB}000,00{NB}₽ больше доступного кредита компании {ROMASHKA_NAME}: "
        f"200{NB}000,00{NB}₽. Уменьшите заказ или обратитесь к вашему менеджеру."
    )


@pytest.mark.parametrize(
    ("user", "person_type"),
    [(PETR, LEGAL_TYPE), (PETR, NATURAL_TYPE), (DMITRY, LEGAL_TYPE), (ANNA, NATURAL_TYPE)],
    ids=["retail-legal", "retail", "left-the-company", "member-buying-privately"],
)
async def test_orders_that_are_no_company_orders_are_untouched(
    opened: list[GuardedShop], user: int, person_type: int
) -> None:
    shop = await store(opened)
    order_id = checkout(shop, user, 900000, person_type_id=person_type)
    assert shop.site.sale.orders[order_id]["statusId"] == "N"
    assert shop.company_link(order_id) in (None, "no property")
    assert shop.events(order_id) == [(None, "N", user)]


async def test_without_the_guard_option_every_order_is_untouched(opened: list[GuardedShop]) -> None:
    shop = await store(opened)
    del shop.site.bridge.options["guard"]
    await block(shop, REASON)
    order_id = checkout(shop, ANNA, 100)
    assert (shop.site.sale.orders[order_id]["statusId"], shop.company_link(order_id)) == ("N", None)


async def rest_order_add(shop: GuardedShop, user: int) -> httpx.Response:
    secret = f"hook{user:012d}"
    shop.site.add_webhook(user, secret, {"sale"})
    transport = httpx.ASGITransport(app=shop.shop.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop.example.ru") as http:
        return await http.post(
            f"/rest/{user}/{secret}/sale.order.add.json",
            json={"fields": {"lid": "s1", "personTypeId": LEGAL_TYPE, "currency": "RUB"}},
        )


async def test_sale_order_add_over_rest_by_the_service_user_passes(
    opened: list[GuardedShop],
) -> None:
    shop = await store(opened)
    service = shop.site.add_service_account("b2bsync@shop.example.ru", "s3rv1ce00000001")
    await block(shop, REASON)
    answer = await rest_order_add(shop, service.user_id)
    assert answer.status_code == 200
    order_id = answer.json()["result"]["order"]["id"]
    assert (shop.site.sale.orders[order_id]["statusId"], shop.company_link(order_id)) == ("N", None)
    assert shop.events(order_id) == [(None, "N", service.user_id)]


async def test_sale_order_add_over_rest_runs_the_guard_as_the_webhooks_user(
    opened: list[GuardedShop],
) -> None:
    shop = await store(opened)
    shop.site.bridge.current_companies[BORIS] = 2  # АО «Вектор»: every order approved
    answer = await rest_order_add(shop, BORIS)
    assert answer.status_code == 200
    order_id = answer.json()["result"]["order"]["id"]
    assert (shop.site.sale.orders[order_id]["statusId"], shop.company_link(order_id)) == ("PA", "2")
    assert shop.events(order_id) == [(None, "PA", BORIS)]

    orders = len(shop.site.sale.orders)
    refused = await rest_order_add(shop, ANNA)
    assert refused.status_code == 400
    assert refused.json()["error"] == "B2BSYNC_ROLE_MAY_NOT_ORDER"
    assert refused.json()["error_description"].startswith("С ролью «Бухгалтер»")
    assert len(shop.site.sale.orders) == orders


async def test_an_existing_order_is_never_guarded_again(opened: list[GuardedShop]) -> None:
    shop = await store(opened)
    order_id = checkout(shop, BORIS, 100)
    await block(shop, REASON)
    await shop.client.call("sale.order.update", {"id": order_id, "fields": {"statusId": "P"}})
    assert shop.site.sale.orders[order_id]["statusId"] == "P"
    assert shop.events(order_id) == [(None, "N", BORIS), ("N", "P", 1)]
