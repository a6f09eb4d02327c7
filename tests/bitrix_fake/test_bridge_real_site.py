"""What the fake learnt from a real Business 25.550 site beyond the contract's scenarios: error
texts in the site's language, the ``null → N`` status-log row of a new order, the acting user
of a REST change, payer types without a CODE, and a per-row processing cost."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from bitrix_client.fake import Limits, ManualClock, RowCost, create_app
from bitrix_client.fake._bridge_messages import MESSAGES
from bitrix_client.fake._seed_store import seed_store
from hl_schemas import is_legal_entity

from .conftest import WEBHOOK_URL, make_site

LANG = Path(__file__).resolve().parents[2] / "bridge" / "b2bsync.bridge" / "lang"


def _php_messages(language: str) -> dict[str, str]:
    out: dict[str, str] = {}
    text = (LANG / language / "lib" / "restservice.php").read_text(encoding="utf-8")
    for key, value in re.findall(r"\$MESS\['B2BSYNC_BRIDGE_(ERROR_[A-Z_]+)'\] = '(.*)';", text):
        out[key] = value.replace("\\'", "'")
    return out


def test_the_fakes_error_texts_are_the_modules() -> None:
    ru, en = _php_messages("ru"), _php_messages("en")
    assert {code: texts[0] for code, texts in MESSAGES.items()} == ru
    assert {code: texts[1] for code, texts in MESSAGES.items()} == en


async def _post(app: Any, method: str, params: dict[str, Any], url: str = WEBHOOK_URL) -> Any:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=url) as client:
        return await client.post(f"{method}.json", json=params)


@pytest.mark.parametrize(
    ("language", "prefix"), [("ru", "Неверный параметр: "), ("en", "Bad parameter: ")]
)
async def test_error_descriptions_are_in_the_sites_language(language: str, prefix: str) -> None:
    site = make_site(ManualClock())
    site.language_id = language
    answer = await _post(create_app(site), "b2bsync.item.list", {"HLBLOCK": ["x"]})
    assert answer.status_code == 400
    body = answer.json()
    assert body["error"] == "ERROR_ARGUMENT"
    assert body["error_description"].startswith(prefix)


async def test_a_rows_error_in_a_chunk_is_described_too() -> None:
    site = make_site(ManualClock())
    app = create_app(site)
    await _post(app, "b2bsync.hlblock.declare", {"NAMES": ["B2bX"]})
    await _post(app, "b2bsync.hlblock.add", {"NAME": "B2bX", "TABLE_NAME": "b2b_x"})
    field = {"FIELD_NAME": "UF_XML_ID", "USER_TYPE_ID": "string"}
    await _post(app, "b2bsync.hlblock.field.add", {"HLBLOCK_ID": 1, "FIELD": field})
    answer = await _post(
        app, "b2bsync.item.upsert", {"HLBLOCK": 1, "KEY": ["UF_XML_ID"], "ROWS": [{"UF_NOPE": 1}]}
    )
    (row,) = answer.json()["result"]
    assert row["ERROR"] == "ERROR_UPSERT_KEY"
    assert row["ERROR_DESCRIPTION"].startswith("Неверный KEY: ")


async def _events_block(app: Any) -> None:
    await _post(app, "b2bsync.hlblock.declare", {"NAMES": ["B2bOrderEvents"]})
    add = {"NAME": "B2bOrderEvents", "TABLE_NAME": "b2b_order_events"}
    block = (await _post(app, "b2bsync.hlblock.add", add)).json()["result"]
    for name, kind in (
        ("UF_ORDER_ID", "integer"),
        ("UF_OLD_STATUS", "string"),
        ("UF_NEW_STATUS", "string"),
        ("UF_USER_ID", "integer"),
    ):
        field = {"FIELD_NAME": name, "USER_TYPE_ID": kind}
        await _post(app, "b2bsync.hlblock.field.add", {"HLBLOCK_ID": block, "FIELD": field})


async def test_a_new_order_writes_null_to_n_and_a_change_names_the_webhooks_user() -> None:
    clock = ManualClock()
    site = make_site(clock)
    seed_store(site, orders=0, companies=1)
    hook = site.add_service_account("b2bsync@example.ru", secret="s3rv1ces3cr3t0")
    app = create_app(site)
    await _events_block(app)
    fields = {"lid": "s1", "personTypeId": 2, "currency": "RUB", "userId": 1}
    order = (await _post(app, "sale.order.add", {"fields": fields})).json()["result"]["order"]
    service_url = f"http://shop.example.ru/rest/{hook.user_id}/{hook.secret}/"
    update = {"id": order["id"], "fields": {"statusId": "PA"}}
    assert (await _post(app, "sale.order.update", update, url=service_url)).status_code == 200
    rows = [
        (r["UF_ORDER_ID"], r["UF_OLD_STATUS"], r["UF_NEW_STATUS"], r["UF_USER_ID"])
        for r in site.hl_rows("B2bOrderEvents")
    ]
    assert rows == [(order["id"], None, "N", 1), (order["id"], "N", "PA", hook.user_id)]


async def test_payer_types_without_a_code_as_the_wizard_makes_them() -> None:
    site = make_site(ManualClock())
    seed_store(site, orders=0, companies=1)
    info = (await _post(create_app(site), "b2bsync.info", {})).json()["result"]
    assert [(t["NAME"], t["CODE"]) for t in info["PERSON_TYPES"]] == [
        ("Физическое лицо", None),
        ("Юридическое лицо", None),
    ]
    listed = (await _post(create_app(site), "sale.persontype.list", {})).json()["result"]
    legal = [t["id"] for t in listed["personTypes"] if is_legal_entity(t)]
    assert legal == [2], "found by its name alone"


async def test_rows_cost_the_sites_measured_time() -> None:
    clock = ManualClock()
    site = make_site(clock)
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)

    app = create_app(site, limits=Limits(row_cost=RowCost(), default_cost=0.0), sleep=sleep)
    await _post(app, "b2bsync.hlblock.declare", {"NAMES": ["B2bX"]})
    await _post(app, "b2bsync.hlblock.add", {"NAME": "B2bX", "TABLE_NAME": "b2b_x"})
    field = {"FIELD_NAME": "UF_XML_ID", "USER_TYPE_ID": "string"}
    await _post(app, "b2bsync.hlblock.field.add", {"HLBLOCK_ID": 1, "FIELD": field})
    waited.clear()
    rows = [{"UF_XML_ID": f"g-{i}"} for i in range(100)]
    params = {"HLBLOCK": 1, "KEY": ["UF_XML_ID"], "ROWS": rows}
    first = (await _post(app, "b2bsync.item.upsert", params)).json()
    second = (await _post(app, "b2bsync.item.upsert", params)).json()
    assert first["time"]["processing"] == pytest.approx(100 * 0.0028)
    assert second["time"]["processing"] == pytest.approx(100 * 0.0017)
    assert len(waited) == 2
    assert waited[0] == pytest.approx(0.28, abs=0.05)  # less the time really spent
    assert app.stats.work["added"] == 100
    assert app.stats.work["unchanged"] == 100
    assert app.stats.work["upsert_rows"] == 200


async def test_a_boxed_site_answers_in_its_workers() -> None:
    clock = ManualClock()
    site = make_site(clock)
    release = asyncio.Event()

    async def sleep(seconds: float) -> None:
        await release.wait()

    # every call "takes" 10 s of PHP, so each one waits in sleep() until released
    limits = Limits(row_cost=RowCost(), workers=2, default_cost=10.0)
    app = create_app(site, limits=limits, sleep=sleep)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=WEBHOOK_URL) as client:
        calls = [asyncio.create_task(client.post("b2bsync.info.json", json={})) for _ in range(5)]
        for _ in range(20):
            await asyncio.sleep(0)
        assert app.stats.in_flight == 2, "three requests wait for a PHP worker"
        release.set()
        answers = await asyncio.gather(*calls)
    assert [a.status_code for a in answers] == [200] * 5
    assert app.stats.max_in_flight == 2
