"""``b2bsync bridge replay``: the contract's scenarios over HTTP against a real site.

Each scenario gets a run token (its blocks, tables, users, mail events and dedup keys carry
it) and a :class:`~._translate.Translator`; each REST step is sent with the site's IDs and its
answer checked in the scenario's (:func:`~._scenario.check`). Fixture steps (a person or PHP on
the site) and ``mail_event`` checks (the site's mail log) are skipped; a mismatch after a
skipped fixture is counted apart, since the fixture's effect is missing. A site that holds
b2bsync data is refused unless it is declared disposable: the scenarios add HL-blocks, users and
mail events nobody can remove over REST.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from hl_schemas import BLOCKS

from ._ids import Names, positive_id
from ._scenario import Scenario, check, expand, load, scenario_files
from ._translate import Translator

Post = Callable[[str, Mapping[str, Any]], Awaitable[tuple[int, dict[str, Any]]]]
#: The fresh site's groups the scenarios name: 5 the service group, 6 the one user.add may use.
SERVICE_GROUP, BUYERS_GROUP = 5, 6


class ReplayRefused(Exception):
    """The site is not one to replay on (it holds b2bsync data, or does not answer as needed)."""


@dataclass
class ScenarioReport:
    name: str
    matched: int = 0
    mismatched: int = 0
    after_fixture: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.name,
            "matched": self.matched,
            "mismatched": self.mismatched,
            "after_fixture": self.after_fixture,
            "skipped": self.skipped,
            "problems": self.problems,
        }


def http_poster(client: httpx.AsyncClient, webhook_url: str) -> Post:
    base = webhook_url.rstrip("/") + "/"

    async def post(method: str, params: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        answer = await client.post(f"{base}{method}.json", json=dict(params))
        try:
            body = answer.json()
        except ValueError:
            body = {"error": "NOT_JSON", "error_description": answer.text[:200]}
        return answer.status_code, body if isinstance(body, dict) else {"result": body}

    return post


async def site_facts(post: Post, *, disposable: bool) -> dict[str, Any]:
    """``b2bsync.info``; refuses a site that holds b2bsync data unless ``disposable``."""
    status, body = await post("b2bsync.info", {})
    if status != 200:
        raise ReplayRefused(f"b2bsync.info answered {status}: {body.get('error')}")
    info = body["result"]
    if disposable:
        return dict(info)
    found: list[str] = []
    access = _access(info)
    if access.get("HLBLOCKS"):
        found.append(f"declared HL-blocks {access['HLBLOCKS']}")
    ours = {b.name for b in BLOCKS} | {b.table for b in BLOCKS}
    status, body = await post("b2bsync.hlblock.list", {})
    for block in body.get("result") or [] if status == 200 else []:
        if block.get("NAME") in ours or block.get("TABLE_NAME") in ours:
            found.append(f"HL-block {block.get('NAME')}")
    status, body = await post("b2bsync.mail.type.list", {})
    types = sorted({t.get("EVENT_NAME") for t in body.get("result") or []} if status == 200 else [])
    if types:
        found.append(f"mail event types {types}")
    if found:
        raise ReplayRefused(
            "the site holds b2bsync data (" + "; ".join(found) + "): the scenarios add blocks, "
            "users and mail events nobody can remove over REST — replay on a disposable copy "
            "(and say so with --disposable)"
        )
    return dict(info)


def _access(info: Mapping[str, Any]) -> Mapping[str, Any]:
    access = info.get("ACCESS")
    return access if isinstance(access, Mapping) else {}


def _groups(info: Mapping[str, Any]) -> dict[int, int]:
    access = _access(info)
    out: dict[int, int] = {}
    service = positive_id(access.get("SERVICE_GROUP"))
    if service is not None:
        out[SERVICE_GROUP] = service
    allowed = [g for g in (positive_id(v) for v in access.get("USER_GROUPS") or []) if g]
    if allowed:
        out[BUYERS_GROUP] = allowed[0]
    for group in (1, 2, 3, 4):
        out.setdefault(group, group)
    return out


def _token() -> str:
    return "r" + "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(5))


async def replay(
    post: Post,
    directory: Path,
    *,
    disposable: bool = False,
    only: Sequence[str] = (),
    token: Callable[[], str] = _token,
) -> list[ScenarioReport]:
    info = await site_facts(post, disposable=disposable)
    reports = []
    for path in scenario_files(directory):
        scenario = load(path)
        if only and scenario.name not in only:
            continue
        translator = Translator(
            Names(token()), site_id=str(info.get("SITE_ID") or "s1"), groups=_groups(info)
        )
        reports.append(await _run(post, scenario, translator))
    return reports


async def _run(post: Post, scenario: Scenario, tr: Translator) -> ScenarioReport:
    report = ScenarioReport(scenario.name)
    fixture_skipped = False
    for number, step in expand(scenario.steps):
        if "fixture" in step or "mail_event" in step:
            report.skipped += 1
            fixture_skipped = fixture_skipped or "fixture" in step
            continue
        method, params, expect = step["method"], step["params"], step["expect"]
        status, body = await post(method, tr.params(method, params))
        if status == 200 and "result" in body:
            body = {**body, "result": await _answer(post, tr, method, params, expect, body)}
        problems = check(expect, status, body)
        if not problems:
            report.matched += 1
            continue
        if fixture_skipped:
            report.after_fixture += 1
        else:
            report.mismatched += 1
        report.problems += [f"step {number} {method}: {p}" for p in problems]
    return report


async def _answer(
    post: Post,
    tr: Translator,
    method: str,
    params: Mapping[str, Any],
    expect: Mapping[str, Any],
    body: Mapping[str, Any],
) -> Any:
    """The answer's ``result`` in the scenario's IDs and names (binding what it created)."""
    name = method.lower()
    result = body["result"]
    hint = expect.get("result", expect.get("result_subset"))
    block = tr.block_of(params)
    if name in ("b2bsync.hlblock.add", "b2bsync.hlblock.field.add", "b2bsync.item.add"):
        kind = {"b2bsync.hlblock.add": "block", "b2bsync.hlblock.field.add": "field"}.get(
            name, f"row:{block}"
        )
        mapped = tr.bind_or_map(kind, result, hint)
        tr.learn_request(method, params, mapped)
        if name == "b2bsync.hlblock.field.add":
            await _learn_items(post, tr, mapped, result, _list_order(params))
        return mapped
    if name == "b2bsync.hlblock.field.update":
        upper = {str(k).upper(): v for k, v in params.items()}
        expected = positive_id(upper.get("ID"))
        if expected is not None:
            actual = tr.ids.to_site("field", expected)
            await _learn_items(post, tr, expected, actual, _list_order(params))
        return result
    if name == "b2bsync.user.add":
        return tr.bind_or_map("user", result, hint)
    return _translate(tr, name, block, result, hint, expect)


def _list_order(params: Mapping[str, Any]) -> list[str]:
    """The XML_IDs of a field request's LIST, in the order a fresh site numbers new items."""
    upper = {str(k).upper(): v for k, v in params.items()}
    field = {str(k).upper(): v for k, v in (upper.get("FIELD") or {}).items()}
    items = field.get("LIST")
    if not isinstance(items, list):
        return []
    return [str(i.get("XML_ID") or i.get("xml_id")) for i in items if isinstance(i, Mapping)]


async def _learn_items(
    post: Post, tr: Translator, expected: Any, actual: Any, order: list[str]
) -> None:
    """Bind the items an enumeration field gained: its LIST read back, numbered as a fresh site
    numbers them (in the order the request listed them)."""
    if positive_id(expected) is None or tr.field_types.get(int(expected)) != "enumeration":
        return
    status, body = await post("b2bsync.hlblock.field.get", {"ID": actual})
    items = (body.get("result") or {}).get("LIST") or [] if status == 200 else []
    by_xml = {str(i.get("XML_ID")): i.get("ID") for i in items if isinstance(i, Mapping)}
    for xml_id, scenario_id in tr.new_enum_items(int(expected), [x for x in order if x in by_xml]):
        site_id = positive_id(by_xml[xml_id])
        if site_id is not None:
            tr.ids.bind("enum", scenario_id, site_id)


def _hints(hint: Any, count: int) -> list[Any]:
    """The expected items beside ``count`` actual ones (``None`` where the scenario has none)."""
    given = list(hint) if isinstance(hint, list) else []
    return (given + [None] * count)[:count]


def _translate(
    tr: Translator,
    name: str,
    block: int | None,
    result: Any,
    hint: Any,
    expect: Mapping[str, Any],
) -> Any:
    if name in ("b2bsync.item.get",):
        return tr.row(block, result, hint)
    if name == "b2bsync.item.list" and isinstance(result, list):
        ids = expect.get("result_ids")
        hints = _hints(
            hint if isinstance(hint, list) else [{"ID": i} for i in ids or []], len(result)
        )
        return [tr.row(block, r, h) for r, h in zip(result, hints, strict=True)]
    if name == "b2bsync.item.upsert":
        kind = f"row:{block}"
        if isinstance(result, list):
            hints = _hints(hint, len(result))
            return [_with_id(tr, kind, r, h) for r, h in zip(result, hints, strict=True)]
        return _with_id(tr, kind, result, hint)
    if name in ("b2bsync.hlblock.get", "b2bsync.hlblock.list"):
        return _listed(tr, "block", result, hint)
    if name in ("b2bsync.hlblock.field.get", "b2bsync.hlblock.field.list"):
        return _fields(tr, result)
    if name == "b2bsync.hlblock.declare" and isinstance(result, list):
        return sorted(tr.names.back(x) for x in result if tr.names.is_mine(x))
    if name in ("b2bsync.mail.type.ensure", "b2bsync.mail.template.ensure"):
        kind = "mail_type" if ".type." in name else "template"
        return _with_id(tr, kind, result, hint)
    if name in ("b2bsync.mail.type.list", "b2bsync.mail.template.list"):
        return _listed(tr, "mail_type" if ".type." in name else "template", result, hint)
    if name == "b2bsync.mail.send":
        return _with_id(tr, "event", result, hint)
    if name == "b2bsync.user.find" and isinstance(result, Mapping):
        user = dict(tr.names.strings_back(result))
        user["ID"] = tr.bind_or_map("user", result.get("ID"), (hint or {}).get("ID"))
        groups = [tr.ids.to_scenario("group", g) or g for g in result.get("GROUP_IDS") or []]
        user["GROUP_IDS"] = sorted(groups)
        return user
    if name == "b2bsync.info" and isinstance(result, Mapping):
        return _info(tr, result)
    return tr.names.strings_back(result)


def _with_id(tr: Translator, kind: str, item: Any, hint: Any) -> Any:
    if not isinstance(item, Mapping) or "ID" not in item:
        return tr.names.strings_back(item)
    expected = hint.get("ID") if isinstance(hint, Mapping) else None
    return {**dict(tr.names.strings_back(item)), "ID": tr.bind_or_map(kind, item["ID"], expected)}


def _listed(tr: Translator, kind: str, result: Any, hint: Any) -> Any:
    """A list of the site's objects: only this scenario's, in its IDs (a single object too)."""
    if isinstance(result, Mapping):
        return _with_id(tr, kind, result, hint)
    if not isinstance(result, list):
        return result
    mine = [
        r
        for r in result
        if isinstance(r, Mapping) and positive_id(r.get("ID")) in tr.ids.known(kind).values()
    ]
    return [_with_id(tr, kind, r, None) for r in mine]


def _fields(tr: Translator, result: Any) -> Any:
    def one(item: Any) -> Any:
        if not isinstance(item, Mapping):
            return item
        out = dict(item)
        out["ID"] = tr.bind_or_map("field", item.get("ID"), None)
        entity = str(item.get("ENTITY_ID", ""))
        if entity.startswith("HLBLOCK_") and entity[8:].isdigit():
            out["ENTITY_ID"] = f"HLBLOCK_{tr.ids.to_scenario('block', int(entity[8:]))}"
        if isinstance(item.get("LIST"), list):
            out["LIST"] = [
                {**i, "ID": tr.bind_or_map("enum", i.get("ID"), None)}
                for i in item["LIST"]
                if isinstance(i, Mapping)
            ]
        return out

    return [one(i) for i in result] if isinstance(result, list) else one(result)


def _info(tr: Translator, info: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(info)
    out["SITE_ID"] = "s1" if info.get("SITE_ID") == tr.site_id else info.get("SITE_ID")
    access = info.get("ACCESS")
    if isinstance(access, Mapping):
        groups = [tr.ids.to_scenario("group", g) or g for g in access.get("USER_GROUPS") or []]
        service = positive_id(access.get("SERVICE_GROUP"))
        out["ACCESS"] = {
            **access,
            "SERVICE_GROUP": tr.ids.to_scenario("group", service) if service else None,
            "HLBLOCKS": sorted(
                tr.names.back(x) for x in access.get("HLBLOCKS") or [] if tr.names.is_mine(x)
            ),
            "USER_GROUPS": sorted(groups),
        }
    return out
