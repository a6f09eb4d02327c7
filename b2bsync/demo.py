"""``make demo``: b2bsync end to end on embedded defaults — the sandbox emulators on loopback.

Starts the store and 1C emulators (a shop whose companies are 1C's counterparties; the store is
a boxed 1C-Bitrix site — the only kind that takes the bridge module — so it has no REST limit
and the ``auto`` rate profile writes at its speed), checks them with the doctor, applies the
schema, runs every sync job once into a temporary SQLite state store, prints what the B2B
cabinet now shows two buyers — the credit bar, the overdue banner, the last documents, a
three-month-old order found in the index — then makes a company's owner, invites a new
employee and accepts the invite through the accept page and the store's login hand-off; the new
buyer's orders wait for approval, one is approved and one rejected by the owner through the
one-click links of the approval mail; a comment thread (with a manager's internal note nobody
on the buyer's side hears of); the bell. b2bsync talks to the store as the module's service
user. Nothing outside this process is touched; the environment is not read.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bitrix_client import BitrixClient

from ._demo_bell import bell
from ._demo_comments import thread
from ._demo_invite import invite_accepted
from ._demo_orders import approved, rejected
from ._demo_scene import Scene, keep_pings_inside, scene
from ._demo_scene import money as _money
from ._logging import configure_logging
from ._wiring import bitrix_client
from .doctor import run_doctor
from .runner import run_jobs
from .sandbox import Sandbox, SandboxOptions
from .schema import ensure_schema
from .settings import Settings
from .store import Store

MSK = ZoneInfo("Europe/Moscow")
DOC_TITLES = {
    "invoice": "Счёт",
    "waybill": "Накладная",
    "reconciliation": "Акт сверки",
    "upd": "УПД",
    "act": "Акт",
}
Step = Callable[[Scene], Awaitable[tuple[list[str], bool]]]
STEPS: tuple[tuple[str, Step], ...] = (
    ("6. An order needing approval, approved through the mail's link", approved),
    ("7. Another order, rejected through the mail's link with a reason", rejected),
    ("8. A comment thread on the approved order", thread),
    ("9. The bell", bell),
)


def _settings(box: Sandbox, state_dir: Path) -> Settings:
    env = box.env()
    return Settings(
        bitrix={
            "webhook_url": env["B2BSYNC_BITRIX__WEBHOOK_URL"],
            "rate_limit": "auto",
        },
        onec={
            "kind": "http",
            "url": env["B2BSYNC_ONEC__URL"],
            "username": env["B2BSYNC_ONEC__USERNAME"],
            "password": env["B2BSYNC_ONEC__PASSWORD"],
        },
        state={"url": f"sqlite:///{state_dir / 'b2bsync.sqlite3'}"},
        sync={"download_base_url": env["B2BSYNC_SYNC__DOWNLOAD_BASE_URL"], "overdue_limit": 50000},
        web={"secret": env["B2BSYNC_WEB__SECRET"], "public_url": env["B2BSYNC_WEB__PUBLIC_URL"]},
    )


def credit_bar(used: Decimal, limit: Decimal | None, width: int = 20) -> str:
    if used < 0:  # a negative debt: the buyer paid in advance
        room = f" of {_money(limit)}" if limit else ", no limit set"
        return f"[{'░' * width}] advance {_money(-used)} (0%{room})"
    if not limit:
        return f"[{'·' * width}] {_money(used)} used, no limit set"
    share = min(used / limit, Decimal(1))
    filled = round(share * width)
    return f"[{'█' * filled}{'░' * (width - filled)}] {used / limit:.0%} of {_money(limit)}"


async def _rows(client: BitrixClient, block: str, flt: dict[str, Any]) -> list[dict[str, Any]]:
    return [row async for row in client.bridge.items(block, flt)]


async def _doc_types(client: BitrixClient) -> dict[int, str]:
    block = await client.bridge.hlblock_get("B2bDocuments")
    assert block is not None
    for field in await client.bridge.fields(int(block["ID"])):
        if field["FIELD_NAME"] == "UF_DOC_TYPE":
            return {int(item["ID"]): str(item["XML_ID"]) for item in field.get("LIST") or []}
    return {}


async def cabinet(
    client: BitrixClient, store: Store, company: dict[str, Any], now: datetime
) -> list[str]:
    """What the cabinet's PHP templates read for one company, rendered as text."""
    company_id = int(company["ID"])
    lines = [f"── {company['UF_NAME']}  (ИНН {company['UF_INN']}, company #{company_id})"]
    credit = await _rows(client, "B2bCreditStatus", {"UF_COMPANY_ID": company_id})
    if credit:
        row = credit[0]
        limit = Decimal(str(row["UF_CREDIT_LIMIT"])) if row.get("UF_CREDIT_LIMIT") else None
        used = Decimal(str(row.get("UF_CREDIT_USED") or 0))
        lines.append(f"   credit  {credit_bar(used, limit)}")
        overdue = Decimal(str(row.get("UF_OVERDUE_AMOUNT") or 0))
        if int(row.get("UF_ORDER_BLOCKED") or 0):
            lines.append(f"   ⚠ ORDERS BLOCKED: {row.get('UF_BLOCK_REASON')}")
        elif overdue:
            lines.append(f"   ⚠ overdue {_money(overdue)} since {row.get('UF_OVERDUE_SINCE')}")
        else:
            lines.append("   no overdue debt")
        source_at = datetime.fromisoformat(str(row["UF_SOURCE_AT"]))
        age = now - source_at
        fresh = "data updating (older than 6 h)" if age > timedelta(hours=6) else "up to date"
        lines.append(
            f"   as of {source_at.astimezone(MSK):%d.%m.%Y %H:%M} — {fresh}; orders this month "
            f"{_money(row.get('UF_MONTH_ORDERS_AMOUNT'))}"
        )
    types = await _doc_types(client)
    documents = await _rows(client, "B2bDocuments", {"UF_COMPANY_ID": company_id, "UF_DELETED": 0})
    documents.sort(key=lambda d: str(d["UF_DATE"]), reverse=True)
    lines.append(f"   documents ({len(documents)}):")
    for doc in documents[:3]:
        kind = DOC_TITLES.get(types.get(int(doc["UF_DOC_TYPE"]), ""), "Документ")
        date = datetime.fromisoformat(str(doc["UF_DATE"])).astimezone(MSK)
        lines.append(
            f"     {kind} № {doc['UF_NUMBER']} от {date:%d.%m.%Y} на {_money(doc['UF_AMOUNT'])}"
            f"  → {doc.get('UF_EXTERNAL_URL') or 'no file'}"
        )
    since = now - timedelta(days=100)
    until = now - timedelta(days=80)
    old = store.search_orders(company_id=company_id, date_from=since, date_to=until, limit=1)
    if old:
        order = old[0]
        articles = ", ".join(order.articles[:3]) or "—"
        lines.append(
            f"   found: order № {order.account_number} of "
            f"{order.date_insert.astimezone(MSK):%d.%m.%Y}, status {order.status_id}, "
            f"{_money(order.price)}, articles {articles}"
        )
    else:
        lines.append("   found: no order from about three months ago")
    return lines


async def run_demo(box: Sandbox, state_dir: Path, out: TextIO) -> bool:
    settings = _settings(box, state_dir)

    def say(text: str = "") -> None:
        out.write(text + "\n")
        out.flush()

    companies = len(box.world.guids)
    who = f"service user #{box.service_user}"
    say(f"Store emulator: {box.bitrix_url}  ({who}; {len(box.store.order_ids)} orders)")
    say(f"1C emulator:    {box.env()['B2BSYNC_ONEC__URL']}  ({companies} counterparties)")
    say()
    say("1. b2bsync doctor")
    for check in await run_doctor(settings):
        say(f"   {check.line()}")
    say()
    say("2. b2bsync schema apply")
    async with bitrix_client(settings.bitrix) as client:
        run = await ensure_schema(client, settings.bitrix, settings.approval)
    report = run.report
    done = sum(1 for r in report.results if r.outcome == "done") if report else 0
    say(f"   {done} step(s) applied in {run.requests} REST requests")
    say()
    say("3. b2bsync sync all")
    store = Store.open(settings.state.url.get_secret_value())
    try:
        outcomes = await run_jobs(settings, ["all"], store=store)
        for outcome in outcomes:
            counts = outcome.result.counts if outcome.result else {}
            summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            say(f"   {outcome.job}: {outcome.status} — {summary}")
        ok = all(o.status == "ok" for o in outcomes)
        say()
        say("4. What the B2B cabinet shows")
        async with bitrix_client(settings.bitrix) as client:
            rows = await _rows(client, "B2bCompanies", {"UF_ACTIVE": 1})
            credit = await _rows(client, "B2bCreditStatus", {})
            blocked = {int(r["UF_COMPANY_ID"]) for r in credit if int(r["UF_ORDER_BLOCKED"] or 0)}
            sample = [
                next(r for r in rows if int(r["ID"]) in blocked),
                next(r for r in rows if int(r["ID"]) not in blocked),
            ]
            now = box.site.now()
            for company in sample:
                for line in await cabinet(client, store, company, now):
                    say(line)
                say()
        company_id = int(sample[1]["ID"])
        say("5. An invite, accepted")
        lines, people = await invite_accepted(settings, box, store, company_id)
        for line in lines:
            say(f"   {line}")
        say()
        if people is None:
            ok = False
        else:  # steps 6-9, on the company of step 5 and its two people
            async with scene(settings, box, store, company_id, *people) as made:
                for title, step in STEPS:
                    say(title)
                    lines, done = await step(made)
                    for line in lines:
                        say(f"   {line}")
                    say()
                    ok = done and ok
    finally:
        store.close()
    doctor = await run_doctor(settings)
    ok = ok and all(check.ok for check in doctor)
    say("demo: OK" if ok else "demo: FAILED")
    return ok


def main(out: TextIO = sys.stdout, options: SandboxOptions | None = None) -> int:
    configure_logging(level="error")
    options = options or SandboxOptions(
        orders=600, companies=12, documents=6, seed=42, rate_limit="off"
    )
    box = Sandbox(options)
    keep_pings_inside(box)
    with tempfile.TemporaryDirectory(prefix="b2bsync-demo-") as state_dir, box:
        ok = asyncio.run(run_demo(box, Path(state_dir), out))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
