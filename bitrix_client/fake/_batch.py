"""``batch``: up to 50 ``method?query`` sub-calls in one HTTP request.

As recorded: the answer's ``result`` holds five PHP arrays keyed by command name — ``result``,
``result_error``, ``result_total``, ``result_next``, ``result_time`` (empty ones print as ``[]``, a
list-shaped ``cmd`` gives list-shaped maps). Commands past the 50th get
``ERROR_BATCH_LENGTH_EXCEEDED``; ``halt`` is PHP truthiness (the string ``"false"`` halts); a
sub-call named exactly ``batch`` is refused, while ``BATCH`` slips through and runs (the real
check is case-sensitive, the method lookup is not). Each query is decoded by PHP ``parse_str``,
then ``$result[cmd][path…]`` references to earlier results are substituted in its values.
"""

from __future__ import annotations

import re
from typing import Any

from ._auth import Principal
from ._decode import parse_str
from ._dispatch import Dispatcher, Outcome
from ._envelope import error_body
from ._php import PhpArray, php_key, to_php, truthy

BATCH_MAX_LENGTH = 50

_REFERENCE = re.compile(r"\$result((?:\[[^\]\[]*\])+)")
_SEGMENT = re.compile(r"\[([^\]\[]*)\]")


def run_batch(
    dispatcher: Dispatcher, principal: Principal, params: PhpArray, start: float
) -> Outcome:
    halt = truthy(params.get("halt"))
    cmd = params.get("cmd")
    results = PhpArray()
    errors = PhpArray()
    totals = PhpArray()
    nexts = PhpArray()
    times = PhpArray()
    cursor = start
    processing = 0.0
    if isinstance(cmd, PhpArray):
        for position, (key, call) in enumerate(cmd.items()):
            if position >= BATCH_MAX_LENGTH:
                errors.set(
                    key, error_body("ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded")
                )
                continue
            if not isinstance(call, str):
                continue
            method, _, query = call.partition("?")
            if method == "batch":
                errors.set(
                    key,
                    error_body(
                        "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage"
                    ),
                )
                if halt:
                    break
                continue
            sub_params = _substitute(parse_str(query), results)
            outcome = dispatcher.call(principal, method, sub_params, start=cursor, in_batch=True)
            cursor = outcome.finish
            processing += outcome.processing
            if outcome.error is not None:
                errors.set(key, error_body(outcome.error.code, outcome.error.description))
                if halt:
                    break
                continue
            results.set(key, outcome.result)
            if outcome.total is not None:
                totals.set(key, outcome.total)
            if outcome.next is not None:
                nexts.set(key, outcome.next)
            times.set(key, outcome.time(dispatcher.site))
    return Outcome(
        start=start,
        finish=cursor,
        processing=processing,
        result={
            "result": results,
            "result_error": errors,
            "result_total": totals,
            "result_next": nexts,
            "result_time": times,
        },
    )


def _substitute(value: Any, results: PhpArray) -> Any:
    if isinstance(value, PhpArray):
        out = PhpArray()
        for key, item in value.items():
            out.set(key, _substitute(item, results))
        return out
    if not isinstance(value, str) or "$result[" not in value:
        return value
    whole = _REFERENCE.fullmatch(value)
    if whole is not None:
        found, resolved = _resolve(results, whole.group(1))
        return to_php(resolved) if found else ""
    return _REFERENCE.sub(lambda m: _php_string(_resolve(results, m.group(1))[1]), value)


_MISSING = object()


def _resolve(results: PhpArray, path: str) -> tuple[bool, Any]:
    node: Any = results
    for segment in _SEGMENT.findall(path):
        node = _child(node, segment)
        if node is _MISSING:
            return False, None
    return True, node


def _child(node: Any, segment: str) -> Any:
    if isinstance(node, dict):
        for candidate in (segment, php_key(segment)):
            if candidate in node:
                return node[candidate]
        return _MISSING
    if isinstance(node, list):
        key = php_key(segment)
        if isinstance(key, int) and 0 <= key < len(node):
            return node[key]
    return _MISSING


def _php_string(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        return "Array"
    return str(value)
