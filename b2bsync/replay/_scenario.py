"""The scenario files of ``bridge/contract/`` (format: that directory's README): loading,
``repeat`` expansion and the comparison of one answer with a step's ``expect``. The pytest
harness of the fake and ``b2bsync bridge replay`` both use these, so the two read the files alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_VAR = re.compile(r"\{\{(\w+)\}\}")


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    steps: list[dict[str, Any]]


def scenario_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("[0-9][0-9]_*.json"))


def load(path: Path) -> Scenario:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return Scenario(path.stem, str(doc.get("description", "")), list(doc["steps"]))


def substitute(value: Any, env: dict[str, int]) -> Any:
    if isinstance(value, str):
        whole = _VAR.fullmatch(value)
        if whole:
            return env[whole.group(1)]
        return _VAR.sub(lambda m: str(env[m.group(1)]), value)
    if isinstance(value, list):
        return [substitute(v, env) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, env) for k, v in value.items()}
    return value


def expand(steps: list[dict[str, Any]]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each step with its number (1-based); a ``repeat`` step once per value of its variable."""
    for number, step in enumerate(steps, 1):
        loop = step.get("repeat")
        if loop is None:
            yield number, step
            continue
        body = {k: v for k, v in step.items() if k != "repeat"}
        for i in range(loop["from"], loop["to"] + 1):
            yield number, substitute(body, {loop["var"]: i})


def subset(expected: Any, actual: Any, path: str = "result") -> list[str]:
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {actual!r}"]
        problems: list[str] = []
        for key, value in expected.items():
            if key not in actual:
                problems.append(f"{path}.{key}: missing")
            else:
                problems += subset(value, actual[key], f"{path}.{key}")
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {len(expected)} items, got {actual!r}"]
        out: list[str] = []
        for index, (e, a) in enumerate(zip(expected, actual, strict=True)):
            out += subset(e, a, f"{path}[{index}]")
        return out
    return [] if equal(expected, actual) else [f"{path}: expected {expected!r}, got {actual!r}"]


def equal(expected: Any, actual: Any) -> bool:
    """JSON equality: ``1`` equals ``1.0``; booleans and null only themselves."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(
            equal(v, actual[k]) for k, v in expected.items()
        )
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(
            equal(e, a) for e, a in zip(expected, actual, strict=True)
        )
    return bool(expected == actual)


def check(expect: dict[str, Any], status: int, body: dict[str, Any]) -> list[str]:
    """Problems with one answer (empty when it meets ``expect``)."""
    if status != expect["status"]:
        return [f"status {status}, expected {expect['status']}: {body}"]
    if "error" in expect:
        if body.get("error") != expect["error"]:
            return [f"error {body.get('error')!r}, expected {expect['error']!r}: {body}"]
        return []
    if "error" in body:
        return [f"unexpected error {body}"]
    problems: list[str] = []
    result = body.get("result")
    if "result" in expect and not equal(expect["result"], result):
        problems.append(f"result {result!r}, expected {expect['result']!r}")
    if "result_subset" in expect:
        problems += subset(expect["result_subset"], result)
    if "result_ids" in expect:
        ids = [row.get("ID") for row in result] if isinstance(result, list) else result
        if ids != expect["result_ids"]:
            problems.append(f"IDs {ids!r}, expected {expect['result_ids']!r}")
    if "result_count" in expect and (
        not isinstance(result, list) or len(result) != expect["result_count"]
    ):
        problems.append(f"{result!r} does not hold {expect['result_count']} rows")
    for key in ("total", "next"):
        if key in expect and body.get(key) != expect[key]:
            problems.append(f"{key} {body.get(key)!r}, expected {expect[key]!r}")
    return problems
