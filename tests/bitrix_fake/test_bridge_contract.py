"""Every scenario of ``bridge/contract/`` against the fake, through its real HTTP layer.

Format of the scenario files: ``bridge/contract/README.md``. Each scenario gets a fresh site (the
``fake_site``/``fake_client`` fixtures of ``conftest.py``); fixtures named in the files are
applied to the site's state directly, standing for what an administrator or the sale module does;
``mail_event`` steps are checked against the queued mail and :meth:`BridgeState.render`.
Steps are expanded and answers compared by :mod:`b2bsync.replay`, the same code that replays
the scenarios against a real site.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from b2bsync.replay import check, expand
from bitrix_client.fake import FakeSite
from bitrix_client.fake._bridge_access import by_hand_block
from bitrix_client.fake._bridge_events import record_status_change
from bitrix_client.fake._bridge_state import MailTemplate, MailType
from bitrix_client.fake._sale_state import new_order

CONTRACT = Path(__file__).resolve().parents[2] / "bridge" / "contract"
SCENARIOS = sorted(CONTRACT.glob("[0-9][0-9]_*.json"))
DOCS = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in SCENARIOS}


def _edit_template(site: FakeSite, args: dict[str, Any]) -> None:
    template = site.bridge.mail_templates[args["ID"]]
    for key, value in args["FIELDS"].items():
        if key == "ACTIVE":
            template.active = value == "Y"
        else:
            setattr(template, key.lower(), value)


def _add_template(site: FakeSite, args: dict[str, Any]) -> None:
    state = site.bridge
    template = MailTemplate(
        id=state.next_id("mail_template"),
        event_name=args["EVENT_NAME"],
        sites=list(args["LID"]),
        language_id=args.get("LANGUAGE_ID", ""),
        subject=args["SUBJECT"],
        message=args["MESSAGE"],
        email_to=args["EMAIL_TO"],
        email_from=args.get("EMAIL_FROM", "#DEFAULT_EMAIL_FROM#"),
        body_type=args.get("BODY_TYPE", "text"),
    )
    state.mail_templates[template.id] = template


def _status_change(site: FakeSite, args: dict[str, Any]) -> None:
    # USER_ID is the session's user; the order's EMP_STATUS_ID (if given) is not read
    record_status_change(
        site, args["ORDER_ID"], args["OLD_STATUS"], args["NEW_STATUS"], args["USER_ID"]
    )


def _module_options(site: FakeSite, args: dict[str, Any]) -> None:
    if "HLBLOCKS" in args:
        site.bridge.access.allowed = list(args["HLBLOCKS"])
    if "USER_GROUPS" in args:
        site.bridge.access.user_groups = list(args["USER_GROUPS"])


def _block_by_hand(site: FakeSite, args: dict[str, Any]) -> None:
    by_hand_block(site.bridge, args["NAME"], args["TABLE_NAME"])


def _mail_type_by_hand(site: FakeSite, args: dict[str, Any]) -> None:
    state = site.bridge
    row = MailType(state.next_id("mail_type"), args["EVENT_NAME"], args["LID"], args["NAME"])
    state.mail_types[row.id] = row


def _service_user(site: FakeSite, args: dict[str, Any]) -> None:
    site.add_service_account(args["EMAIL"], secret=f"{SERVICE_SECRET}{len(site.users)}")


def _delete_template(site: FakeSite, args: dict[str, Any]) -> None:
    del site.bridge.mail_templates[args["ID"]]


def _module_option(site: FakeSite, args: dict[str, Any]) -> None:
    site.bridge.options[args["NAME"]] = args["VALUE"]


def _user_language(site: FakeSite, args: dict[str, Any]) -> None:
    site.users[args["ID"]].language_id = args["LANGUAGE_ID"]


def _order_statuses(site: FakeSite, args: dict[str, Any]) -> None:
    for sort, (code, xml_id) in enumerate(args["STATUSES"].items(), start=150):
        site.sale.statuses[code] = {
            "color": None,
            "id": code,
            "notify": "Y",
            "sort": sort,
            "type": "O",
            "xmlId": xml_id,
        }


def _order_by_hand(site: FakeSite, args: dict[str, Any]) -> None:
    user = args["USER_ID"]
    fields = {"statusId": args["STATUS_ID"], "userId": user, "personTypeId": 0}
    order = new_order(site.sale, fields, now=site.now(), user_id=user)
    if order["id"] != args["ID"]:
        raise AssertionError(f"the fake gave order {order['id']}, the scenario wants {args['ID']}")


def mail_event(site: FakeSite, event_id: int) -> dict[str, Any] | None:
    """The queued event as a ``mail_event`` step states it: its language and the templates the
    mail agent sends it through."""
    found = next((m for m in site.bridge.sent_mails if m.id == event_id), None)
    if found is None:
        return None
    return {
        "ID": found.id,
        "LANGUAGE_ID": found.language_id,
        "TEMPLATE_IDS": [r.template_id for r in site.bridge.render(found)],
    }


SERVICE_SECRET = "s3rv1ce"

FIXTURES: dict[str, Callable[[FakeSite, dict[str, Any]], None]] = {
    "order_status_change": _status_change,
    "module_options": _module_options,
    "hlblock_add_by_hand": _block_by_hand,
    "mail_type_add_by_hand": _mail_type_by_hand,
    "service_user": _service_user,
    "mail_template_edit": _edit_template,
    "mail_template_add": _add_template,
    "mail_template_delete": _delete_template,
    "module_option": _module_option,
    "user_language": _user_language,
    "order_statuses": _order_statuses,
    "order_add_by_hand": _order_by_hand,
}


def _caller_url(site: FakeSite, user_id: int) -> str:
    """The path of ``user_id``'s own webhook (granted the same scopes as the fixture's)."""
    if user_id == 1:
        return ""
    secret = f"caller{user_id:010d}"
    if not any(h.user_id == user_id and h.secret == secret for h in site.webhooks):
        site.add_webhook(user_id, secret, {"sale", "catalog", "user", "b2bsync"})
    return f"http://shop.example.ru/rest/{user_id}/{secret}/"


def test_every_scenario_file_is_collected() -> None:
    assert len(SCENARIOS) >= 15
    for name, doc in DOCS.items():
        assert doc["steps"], name


@pytest.mark.parametrize("name", sorted(DOCS))
async def test_scenario(name: str, fake_site: FakeSite, fake_client: httpx.AsyncClient) -> None:
    doc = DOCS[name]
    failures: list[str] = []
    url = ""  # the fixture's webhook: user 1's
    for number, step in expand(doc["steps"]):
        if step.get("fixture") == "caller":
            url = _caller_url(fake_site, step["args"]["USER_ID"])
            continue
        if "fixture" in step:
            FIXTURES[step["fixture"]](fake_site, step["args"])
            continue
        if "mail_event" in step:
            actual = mail_event(fake_site, step["mail_event"]["ID"])
            if actual != step["mail_event"]:
                failures.append(
                    f"step {number} mail_event: {actual}, expected {step['mail_event']}"
                )
            continue
        response = await fake_client.post(f"{url}{step['method']}.json", json=step["params"])
        for problem in check(step["expect"], response.status_code, response.json()):
            failures.append(f"step {number} {step['method']} {step['params']}: {problem}")
    assert not failures, "\n".join(failures[:20])
