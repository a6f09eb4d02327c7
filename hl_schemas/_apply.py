"""The applier: runs a plan's steps, and nothing else.

Steps run in waves: a step joins the first wave after every step it depends on. All commands of
a wave go in one ``batch`` (the client splits it by 50), so an empty site is migrated in a handful
of requests: the blocks' declaration (first, so it runs before the blocks in the same batch),
blocks, statuses, groups and mail types; then fields, status names, properties and templates;
then indexes. A failed step's dependants are skipped, never sent. IDs created by one
wave (a new block, a new property group) are filled into the next wave's commands.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import structlog

from bitrix_client import BatchItem, BitrixClient, Command

from ._steps import (
    AddBlock,
    AddField,
    AddOrderProperty,
    AddPropertyGroup,
    AddStatus,
    AddStatusLang,
    DeclareBlocks,
    EnsureIndex,
    EnsureMailTemplate,
    EnsureMailType,
    Plan,
    ReplaceStatusLang,
    SetModuleOption,
    Step,
    UpdateBlockLang,
    UpdateField,
    plain,
)

log = structlog.get_logger("hl_schemas")

Outcome = Literal["done", "failed", "skipped"]


@dataclass(frozen=True)
class StepResult:
    step: Step
    outcome: Outcome
    detail: str = ""

    def line(self) -> str:
        mark = {"done": "✓", "failed": "✗", "skipped": "-"}[self.outcome]
        text = f"{mark} {self.step.describe()}"
        return f"{text} — {self.detail}" if self.detail else text

    def to_json(self) -> dict[str, Any]:
        return {"key": self.step.key, "outcome": self.outcome, "detail": self.detail}


@dataclass
class ApplyReport:
    """What apply did: one result per step, and its cost in HTTP requests and batch commands."""

    results: list[StepResult] = field(default_factory=list)
    requests: int = 0
    commands: int = 0

    def of(self, outcome: Outcome) -> list[StepResult]:
        return [r for r in self.results if r.outcome == outcome]

    @property
    def ok(self) -> bool:
        return all(r.outcome == "done" for r in self.results)

    def lines(self) -> list[str]:
        return [r.line() for r in self.results]

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "done": len(self.of("done")),
            "failed": len(self.of("failed")),
            "skipped": len(self.of("skipped")),
            "requests": self.requests,
            "commands": self.commands,
            "results": [r.to_json() for r in self.results],
        }


def waves(steps: Iterable[Step]) -> list[list[Step]]:
    """Steps grouped so that each runs after every step it depends on (plan order kept)."""
    ordered = list(steps)
    keys = {s.key for s in ordered}
    level: dict[str, int] = {}
    pending = ordered
    while pending:
        progressed = []
        for s in pending:
            deps = [d for d in s.after if d in keys]
            if all(d in level for d in deps):
                level[s.key] = 1 + max((level[d] for d in deps), default=-1)
                progressed.append(s)
        if not progressed:
            cycle = ", ".join(s.key for s in pending)
            raise ValueError(f"steps depend on each other in a cycle: {cycle}")
        pending = [s for s in pending if s.key not in level]
    out: list[list[Step]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for s in ordered:
        out[level[s.key]].append(s)
    return out


class _Ids:
    """IDs that earlier waves created, by step key."""

    def __init__(self) -> None:
        self.by_key: dict[str, int] = {}

    def block(self, name: str, known: int) -> int:
        return known or self.by_key[f"hlblock:{name}"]

    def group(self, person_type_id: int, known: int) -> int:
        return known or self.by_key[f"property_group:{person_type_id}"]


def _commands(step: Step, ids: _Ids) -> list[Command]:
    match step:
        case DeclareBlocks():
            return [Command("b2bsync.hlblock.declare", {"NAMES": list(step.names)})]
        case AddBlock():
            params: Mapping[str, Any] = {
                "NAME": step.name,
                "TABLE_NAME": step.table,
                "LANG": dict(step.lang),
            }
            return [Command("b2bsync.hlblock.add", params)]
        case UpdateBlockLang():
            return [
                Command("b2bsync.hlblock.update", {"ID": step.block_id, "LANG": dict(step.lang)})
            ]
        case AddField():
            block_id = ids.block(step.block, step.block_id)
            return [
                Command(
                    "b2bsync.hlblock.field.add", {"HLBLOCK_ID": block_id, "FIELD": dict(step.spec)}
                )
            ]
        case UpdateField():
            return [
                Command(
                    "b2bsync.hlblock.field.update",
                    {"ID": step.field_id, "FIELD": dict(step.changes)},
                )
            ]
        case EnsureIndex():
            params = {
                "HLBLOCK_ID": ids.block(step.block, step.block_id),
                "NAME": step.name,
                "FIELDS": list(step.fields),
                "UNIQUE": "Y" if step.unique else "N",
            }
            return [Command("b2bsync.hlblock.index.ensure", params)]
        case AddStatus():
            return [Command("sale.status.add", {"fields": dict(step.fields)})]
        case AddStatusLang():
            return [Command("sale.statusLang.add", {"fields": _status_lang(step)})]
        case ReplaceStatusLang():
            old = {"statusId": step.status_id, "lid": step.lid, "name": step.old_name}
            return [
                Command("sale.statusLang.deleteByFilter", {"fields": old}),
                Command("sale.statusLang.add", {"fields": _status_lang(step)}),
            ]
        case AddPropertyGroup():
            return [Command("sale.propertygroup.add", {"fields": dict(step.fields)})]
        case AddOrderProperty():
            fields = dict(step.fields)
            fields["propsGroupId"] = ids.group(step.person_type_id, int(fields["propsGroupId"]))
            return [Command("sale.property.add", {"fields": fields})]
        case EnsureMailType():
            return [Command("b2bsync.mail.type.ensure", dict(step.fields))]
        case EnsureMailTemplate():
            return [Command("b2bsync.mail.template.ensure", dict(step.fields))]
        case SetModuleOption():
            # as JSON text: batch commands are form-encoded, which loses numbers and empty lists
            value = json.dumps(plain(step.value), ensure_ascii=False)
            return [Command("b2bsync.option.set", {"NAME": step.name, "VALUE": value})]
    raise TypeError(f"no command for step {type(step).__name__}")


def _status_lang(step: AddStatusLang | ReplaceStatusLang) -> dict[str, Any]:
    return {
        "statusId": step.status_id,
        "lid": step.lid,
        "name": step.name,
        "description": step.description,
    }


def _record(step: Step, result: Any, ids: _Ids) -> str:
    """Keep the ID a step created; the detail line for the report."""
    match step:
        case DeclareBlocks():
            return f"{len(step.names)} declared"
        case AddBlock() | AddField():
            ids.by_key[step.key] = int(result)
            return f"ID {int(result)}"
        case AddPropertyGroup():
            ids.by_key[step.key] = int(result["propertyGroup"]["id"])
            return f"ID {ids.by_key[step.key]}"
        case AddOrderProperty():
            return f"ID {int(result['property']['id'])}"
        case EnsureMailType() | EnsureMailTemplate():
            action = str(result.get("ACTION", "")) if isinstance(result, Mapping) else ""
            if action == "kept":
                return "kept: edited on the site, or not b2bsync's; nothing written"
            return f"{action} ID {result.get('ID')}" if isinstance(result, Mapping) else ""
        case SetModuleOption():
            return str(result.get("ACTION", "")) if isinstance(result, Mapping) else ""
    return ""


async def apply_plan(client: BitrixClient, plan: Plan) -> ApplyReport:
    """Run ``plan``'s steps; failures are reported per step, never raised (fatal errors —
    credentials, scopes — still propagate)."""
    report = ApplyReport()
    start = client.stats.requests
    ids = _Ids()
    failed: set[str] = set()
    results: dict[str, StepResult] = {}
    for wave in waves(plan.steps):
        runnable: list[tuple[Step, list[Command]]] = []
        for step in wave:
            blocked = [d for d in step.after if d in failed]
            if blocked:
                failed.add(step.key)
                results[step.key] = StepResult(step, "skipped", f"after failed {blocked[0]}")
                continue
            runnable.append((step, _commands(step, ids)))
        named: list[Command] = []
        for i, (_step, commands) in enumerate(runnable):
            for j, command in enumerate(commands):
                named.append(Command(command.method, command.params, name=f"s{i}_{j}"))
        if not named:
            continue
        items = await client.batch(named)
        report.commands += len(named)
        by_name = {item.name: item for item in items}
        for i, (step, commands) in enumerate(runnable):
            outcome = [by_name[f"s{i}_{j}"] for j in range(len(commands))]
            results[step.key] = _result(step, outcome, ids)
            if results[step.key].outcome != "done":
                failed.add(step.key)
    report.results = [results[s.key] for s in plan.steps]
    report.requests = client.stats.requests - start
    log.info(
        "schema.apply.done",
        done=len(report.of("done")),
        failed=len(report.of("failed")),
        skipped=len(report.of("skipped")),
        requests=report.requests,
    )
    return report


def _result(step: Step, items: list[BatchItem], ids: _Ids) -> StepResult:
    for item in items:
        if item.error is not None:
            log.warning("schema.apply.failed", step=step.key, error=str(item.error))
            code = f"{item.error.code}: " if item.error.code is not None else ""
            return StepResult(step, "failed", f"{code}{item.error}")
        if item.skipped:
            return StepResult(step, "failed", "not run")
    return StepResult(step, "done", _record(step, items[-1].result, ids))
