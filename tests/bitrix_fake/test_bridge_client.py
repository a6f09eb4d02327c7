"""The real ``bitrix_client`` (JSON and PHP-form bodies, batch, keyset paging) against the fake's
bridge scope; assertions on the fake's state."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Literal

import httpx
import pytest

from bitrix_client import (
    AccessDeniedError,
    BitrixClient,
    BitrixError,
    BridgeIncompatibleError,
    NotFoundError,
    RateLimit,
    RateLimiter,
    RetryPolicy,
)
from bitrix_client.fake import FakeSite, ManualClock, create_app
from bitrix_client.fake._bridge_state import DEFAULT_OPTIONS

SECRET = "br1dg3t3sts3cr3t"
WEBHOOK = f"http://shop.example.ru/rest/1/{SECRET}/"


def make_client(
    site: FakeSite, clock: ManualClock, body: Literal["json", "form"] = "json"
) -> BitrixClient:
    site.add_webhook(1, SECRET, {"sale", "b2bsync"})

    async def advance(seconds: float) -> None:
        clock.advance(seconds)

    def now() -> float:
        return clock().timestamp()

    return BitrixClient.from_webhook(
        WEBHOOK,
        transport=httpx.ASGITransport(app=create_app(site, sleep=advance)),  # type: ignore[arg-type]
        limiter=RateLimiter(RateLimit(50, 2.0), clock=now, wall_clock=now, sleep=advance),
        retry=RetryPolicy(attempts=3, initial_wait=0.0, max_wait=0.0, sleep=advance),
        body=body,
    )


@pytest.fixture(params=["json", "form"])
async def bridge_site(
    request: pytest.FixtureRequest,
) -> AsyncIterator[tuple[FakeSite, BitrixClient]]:
    clock = ManualClock()
    site = FakeSite(clock=clock)
    async with make_client(site, clock, "form" if request.param == "form" else "json") as client:
        yield site, client


async def _companies(client: BitrixClient) -> int:
    bridge = client.bridge
    block = await bridge.hlblock_add("B2bCompanies", "b2b_companies", {"ru": "Компании"})
    await bridge.field_add(block, {"FIELD_NAME": "UF_XML_ID", "USER_TYPE_ID": "string"})
    await bridge.field_add(block, {"FIELD_NAME": "UF_NAME", "USER_TYPE_ID": "string"})
    await bridge.field_add(block, {"FIELD_NAME": "UF_ACTIVE", "USER_TYPE_ID": "boolean"})
    await bridge.field_add(block, {"FIELD_NAME": "UF_FILE_ID", "USER_TYPE_ID": "file"})
    await bridge.index_ensure(block, "ux_b2b_companies_xml_id", ["UF_XML_ID"], unique=True)
    return block


async def test_batched_upserts_and_keyset_reads(bridge_site: tuple[FakeSite, BitrixClient]) -> None:
    site, client = bridge_site
    info = await client.bridge.ensure_compatible()
    assert info["API"] == 1
    block = await _companies(client)
    rows = [
        {"UF_XML_ID": f"c-{n}", "UF_NAME": f"Компания {n}", "UF_ACTIVE": n % 2} for n in range(120)
    ]

    first = await client.bridge.upsert_many(block, ["UF_XML_ID"], rows)
    again = await client.bridge.upsert_many("B2bCompanies", ["UF_XML_ID"], rows)

    assert [r.action for r in first] == ["added"] * 120  # type: ignore[union-attr]
    assert [r.action for r in again] == ["unchanged"] * 120  # type: ignore[union-attr]
    stored = site.bridge.blocks[block].rows
    assert len(stored) == 120
    assert {r["UF_ACTIVE"] for r in stored.values()} == {0, 1}
    read = [row async for row in client.bridge.items(block, select=["UF_XML_ID"])]
    assert [row["UF_XML_ID"] for row in read] == [f"c-{n}" for n in range(120)]
    active = [row async for row in client.bridge.items(block, {"UF_ACTIVE": 1})]
    assert len(active) == 60


async def test_metadata_lists_through_keyset_paging(
    bridge_site: tuple[FakeSite, BitrixClient],
) -> None:
    site, client = bridge_site
    for n in range(55):
        await client.bridge.hlblock_add(f"Block{n}", f"block_{n}", {})
    block = await _companies(client)
    blocks = await client.bridge.hlblocks()
    fields = await client.bridge.fields(block)
    assert [b["ID"] for b in blocks] == list(range(1, 57))
    assert [f["FIELD_NAME"] for f in fields] == ["UF_XML_ID", "UF_NAME", "UF_ACTIVE", "UF_FILE_ID"]
    assert len(site.bridge.blocks) == 56


async def test_files_travel_as_base64_and_old_files_go(
    bridge_site: tuple[FakeSite, BitrixClient],
) -> None:
    site, client = bridge_site
    block = await _companies(client)
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    upload = {"fileData": ["Накладная 17.pdf", base64.b64encode(pdf).decode()]}
    row_id = await client.bridge.item_add(block, {"UF_XML_ID": "c-1", "UF_FILE_ID": upload})
    first = site.bridge.blocks[block].rows[row_id]["UF_FILE_ID"]
    assert site.bridge.files[first].content == pdf
    assert site.bridge.files[first].name == "Накладная 17.pdf"

    replaced = {"fileData": ["v2.pdf", base64.b64encode(pdf + b"2").decode()]}
    await client.bridge.item_update(block, row_id, {"UF_FILE_ID": replaced})
    second = site.bridge.blocks[block].rows[row_id]["UF_FILE_ID"]
    assert first not in site.bridge.files
    assert site.bridge.files[second].content == pdf + b"2"

    await client.bridge.item_delete(block, row_id)
    assert site.bridge.files == {}
    assert await client.bridge.item_get(block, row_id) is None


async def test_mail_is_queued_once_per_dedup_key(
    bridge_site: tuple[FakeSite, BitrixClient],
) -> None:
    site, client = bridge_site
    bridge = client.bridge
    await bridge.mail_type_ensure({"EVENT_NAME": "B2B_COMPANY_INVITE", "LID": "ru", "NAME": "x"})
    await bridge.mail_template_ensure(
        {
            "EVENT_NAME": "B2B_COMPANY_INVITE",
            "LID": "s1",
            "LANGUAGE_ID": "ru",
            "EMAIL_TO": "#EMAIL#",
            "SUBJECT": "Приглашение в #COMPANY#",
            "MESSAGE": "Ссылка: #LINK#",
        }
    )
    fields = {"EMAIL": "buyer@romashka.ru", "COMPANY": "Ромашка", "LINK": "https://b2b/i/t0k"}
    first = await bridge.mail_send("B2B_COMPANY_INVITE", "s1", fields, "invite:1")
    second = await bridge.mail_send("B2B_COMPANY_INVITE", "s1", fields, "invite:1")

    assert first == {"ID": 1, "DUPLICATE": False}
    assert second == {"ID": 1, "DUPLICATE": True}
    [mail] = site.bridge.mails("B2B_COMPANY_INVITE")
    assert mail.fields == fields
    assert mail.dedup_key == "invite:1"
    [rendered] = site.bridge.render(mail)
    assert rendered.email_to == "buyer@romashka.ru"
    assert rendered.subject == "Приглашение в Ромашка"
    assert rendered.message == "Ссылка: https://b2b/i/t0k"


async def test_mail_in_the_recipients_language_renders_once(
    bridge_site: tuple[FakeSite, BitrixClient],
) -> None:
    site, client = bridge_site
    bridge = client.bridge
    await bridge.mail_type_ensure({"EVENT_NAME": "B2B_ORDER_APPROVED", "LID": "ru", "NAME": "x"})
    subjects = {"ru": "Заказ #ORDER_ID# согласован", "en": "Order #ORDER_ID# approved"}
    for language, subject in subjects.items():
        await bridge.mail_template_ensure(
            {
                "EVENT_NAME": "B2B_ORDER_APPROVED",
                "LID": "s1",
                "LANGUAGE_ID": language,
                "EMAIL_TO": "#EMAIL#",
                "SUBJECT": subject,
                "MESSAGE": "#ORDER_ID#",
            }
        )
    fields = {"EMAIL": "buyer@example.com", "ORDER_ID": 17}

    sent = await bridge.mail_send("B2B_ORDER_APPROVED", "s1", fields, "", language_id="en")
    unlocalised = await bridge.mail_send("B2B_ORDER_APPROVED", "s1", fields)

    mail = next(m for m in site.bridge.mails() if m.id == sent["ID"])
    assert (mail.language_id, mail.dedup_key) == ("en", None)
    [rendered] = site.bridge.render(mail)
    assert (rendered.email_to, rendered.subject) == ("buyer@example.com", "Order 17 approved")
    other = next(m for m in site.bridge.mails() if m.id == unlocalised["ID"])
    assert [r.subject for r in site.bridge.render(other)] == [
        "Заказ 17 согласован",
        "Order 17 approved",
    ]
    with pytest.raises(BitrixError) as refused:
        await bridge.mail_send("B2B_ORDER_APPROVED", "s1", fields, language_id="xx")
    assert refused.value.code == "ERROR_ARGUMENT"
    assert len(site.bridge.mails()) == 2


async def test_users_are_the_sites_own(bridge_site: tuple[FakeSite, BitrixClient]) -> None:
    site, client = bridge_site
    assert await client.bridge.user_find("buyer@romashka.ru") is None
    user_id = await client.bridge.user_add(
        "buyer@romashka.ru", name="Иван", password="Secr3t-pass!", group_ids=[6]
    )
    user = site.users[user_id]
    # the site adds its rating groups 3 and 4 to every new user by itself
    assert (user.email, user.login, user.group_ids) == ("buyer@romashka.ru",) * 2 + ([3, 4, 6],)
    assert user.password != "Secr3t-pass!"
    found = await client.bridge.user_find("BUYER@romashka.ru")
    assert found is not None
    assert (found["ID"], found["GROUP_IDS"]) == (user_id, [6])
    with pytest.raises(AccessDeniedError):
        await client.bridge.user_add("spy@romashka.ru", password="Secr3t-pass!", group_ids=[5])
    assert await client.bridge.user_find("spy@romashka.ru") is None


async def test_client_refuses_a_site_without_the_bridge() -> None:
    clock = ManualClock()
    site = FakeSite(clock=clock, bridge_installed=False)
    async with make_client(site, clock) as client:
        with pytest.raises(BridgeIncompatibleError):
            await client.bridge.ensure_compatible()


async def test_not_found_maps_to_the_clients_not_found(
    bridge_site: tuple[FakeSite, BitrixClient],
) -> None:
    _, client = bridge_site
    assert await client.bridge.hlblock_get("Nope") is None
    with pytest.raises(NotFoundError):
        await client.bridge.item_add("Nope", {"UF_XML_ID": "x"})


async def test_module_options_round_trip_in_both_body_formats(
    bridge_site: tuple[FakeSite, BitrixClient],
) -> None:
    """A role without capabilities survives form encoding because the value travels as JSON."""
    site, client = bridge_site
    table = {
        "version": 1,
        "roles": [{"code": "viewer", "title": {"ru": "Н", "en": "V"}, "capabilities": []}],
        "capabilities": [{"code": "orders.view", "title": {"ru": "З", "en": "O"}}],
    }
    assert await client.bridge.option_get("roles") is None
    assert await client.bridge.option_set("roles", table) == "added"
    assert await client.bridge.option_set("roles", table) == "unchanged"
    assert await client.bridge.option_get("roles") == table
    assert set(site.bridge.options) - set(DEFAULT_OPTIONS) == {"roles"}
    with pytest.raises(BitrixError, match="ERROR_ARGUMENT"):
        await client.bridge.option_set("link_secret", "x")
