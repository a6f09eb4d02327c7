"""``batch`` of any size: chunks of 50, outcomes in input order, ``halt`` and references.

A reference (:class:`Ref`) to a command in the same chunk is left to the server as
``$result[name][…]``; one to a command of an earlier chunk is resolved here from that command's
answer, so callers never need to know where the chunk borders fall.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._classify import classify_batch_entry
from ._errors import BitrixError, FatalError, RejectedError
from ._retry import is_idempotent
from ._types import BatchItem, Command
from ._wire import Ref, encode_command

if TYPE_CHECKING:
    from ._client import BitrixClient

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]*$")


class _Unresolved(Exception):
    pass


def _as_map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _walk(value: Any, path: Sequence[str | int]) -> Any:
    for part in path:
        if isinstance(value, dict) and str(part) in value:
            value = value[str(part)]
        elif isinstance(value, list) and str(part).isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            raise _Unresolved(f"path {list(path)} not in the answer")
    return value


def _resolve(value: Any, done: Mapping[str, BatchItem], local: set[str]) -> Any:
    if isinstance(value, Ref):
        if value.name in local:
            return value
        item = done.get(value.name)
        if item is None or not item.ok:
            raise _Unresolved(f"command {value.name!r} has no answer to refer to")
        source = {"result": item.result, "result_total": item.total, "result_next": item.next}
        return _walk(source.get(value.kind), value.path)
    if isinstance(value, Mapping):
        return {k: _resolve(v, done, local) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_resolve(v, done, local) for v in value]
    return value


def _refs(value: Any) -> list[Ref]:
    if isinstance(value, Ref):
        return [value]
    if isinstance(value, Mapping):
        return [r for v in value.values() for r in _refs(v)]
    if isinstance(value, list | tuple):
        return [r for v in value for r in _refs(v)]
    return []


def _name_items(commands: Sequence[Command]) -> list[BatchItem]:
    items: list[BatchItem] = []
    seen: set[str] = set()
    for index, command in enumerate(commands):
        name = command.name or f"c{index}"
        if not _NAME.match(name):
            raise ValueError(
                f"batch command name {name!r}: use letters, digits and _ (not digits only)"
            )
        if name in seen:
            raise ValueError(f"batch command name {name!r} used twice")
        for ref in _refs(command.params):
            if ref.name not in seen:
                raise ValueError(
                    f"command {name!r} refers to {ref.name!r}, which does not precede it"
                )
        seen.add(name)
        items.append(BatchItem(name=name, command=command))
    return items


async def run_batch(
    client: BitrixClient, commands: Sequence[Command], *, halt: bool, chunk: int
) -> list[BatchItem]:
    items = _name_items(commands)
    done: dict[str, BatchItem] = {}
    halted = False
    for start in range(0, len(items), chunk):
        part = items[start : start + chunk]
        if halted:
            for item in part:
                item.skipped = True
            continue
        local = {item.name for item in part}
        cmd: dict[str, str] = {}
        for item in part:
            try:
                params = _resolve(item.command.params, done, local)
            except _Unresolved as exc:
                item.error = RejectedError(
                    f"{item.command.method}: {exc}", method=item.command.method
                )
                continue
            cmd[item.name] = encode_command(item.command.method, params)
        sent = [item for item in part if item.name in cmd]
        if sent:
            await _send_chunk(client, sent, cmd, halt=halt)
        done.update((item.name, item) for item in part)
        if halt and any(item.error is not None for item in part):
            halted = True
    return items


async def _send_chunk(
    client: BitrixClient, sent: list[BatchItem], cmd: dict[str, str], *, halt: bool
) -> None:
    idempotent = all(is_idempotent(i.command.method, i.command.params) for i in sent)
    try:
        response = await client.call(
            "batch", {"halt": 1 if halt else 0, "cmd": cmd}, idempotent=idempotent
        )
    except FatalError:
        raise
    except BitrixError as exc:
        for item in sent:
            item.error = exc
        return
    client.stats.batch_commands += len(sent)
    answer = _as_map(response.result)
    results = _as_map(answer.get("result"))
    errors = _as_map(answer.get("result_error"))
    totals = _as_map(answer.get("result_total"))
    nexts = _as_map(answer.get("result_next"))
    for item in sent:
        if item.name in errors:
            item.error = classify_batch_entry(errors[item.name], method=item.command.method)
        elif item.name in results:
            item.result = results[item.name]
            item.total = _int_or_none(totals.get(item.name))
            item.next = _int_or_none(nexts.get(item.name))
        else:
            item.skipped = True


def _int_or_none(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None
