"""``b2bsync.option.get`` / ``.set``: the few module options b2bsync itself writes.

A real site keeps them with ``\\Bitrix\\Main\\Config\\Option`` under the module ``b2bsync.bridge``
(``b_option``); only the names in :data:`OPTIONS` exist, each with a validator, so a token with
the ``b2bsync`` scope cannot write the module's other settings (the link secret, its base URL).
Three today: ``roles``, the role table the cabinet components enforce (the JSON of ``b2bsync
roles export``); ``guard``, the order guard's settings (:mod:`bitrix_client.order_guard`); and
``approval_statuses``, the statuses ``b2bsync.order.status.set`` may set (``{pending, approved,
rejected, next}``). ``schema apply`` writes all three. Values are stored as JSON text and
compared in a canonical form (object keys sorted), so re-sending the same table answers
``unchanged``. The PHP twin is ``bridge/b2bsync.bridge/lib/core/optionapi.php``; both pass
``bridge/contract/70_options.json``, ``71_guard_option.json`` and ``51_order_status.json``.

``VALUE`` is the value itself (a JSON body) or its JSON text — which a ``batch`` command or a
form-encoded call must use, since PHP's form decoding turns numbers into strings and drops empty
lists.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from ..order_guard import OPTION as GUARD_OPTION
from ..order_guard import config_problem
from ._api import CallContext, MethodRegistry
from ._bridge_params import ERROR_ARGUMENT, SCOPE, Params, fail

OPTION_METHODS = MethodRegistry()

_ROLE_CODE = re.compile(r"[a-z][a-z0-9_]{0,31}")
_CAPABILITY_CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")
ROLE_TABLE_VERSION = 1


def _title_problem(value: Any, where: str) -> str | None:
    if not isinstance(value, dict) or set(value) != {"ru", "en"}:
        return f"{where}.title must be an object with exactly ru and en"
    if not all(isinstance(v, str) and v.strip() for v in value.values()):
        return f"{where}.title texts must be non-empty strings"
    return None


def _keys_problem(value: Any, keys: set[str], where: str) -> str | None:
    if not isinstance(value, dict):
        return f"{where} must be an object"
    if set(value) != keys:
        return f"{where} must have exactly the keys {', '.join(sorted(keys))}"
    return None


def role_table_problem(value: Any) -> str | None:
    """Why ``value`` is not a role table the cabinet can enforce (``None`` when it is).

    The rules of ``CabinetAccess::parse`` (PHP): version 1; capabilities with unique dotted codes
    and ru/en titles; roles with unique codes, ru/en titles and capabilities among those declared.
    """
    problem = _keys_problem(value, {"version", "roles", "capabilities"}, "VALUE")
    if problem:
        return problem
    if value["version"] != ROLE_TABLE_VERSION or isinstance(value["version"], bool):
        return f"VALUE.version must be {ROLE_TABLE_VERSION}"
    declared: list[str] = []
    if not isinstance(value["capabilities"], list) or not value["capabilities"]:
        return "VALUE.capabilities must be a non-empty list"
    for i, item in enumerate(value["capabilities"]):
        where = f"VALUE.capabilities[{i}]"
        problem = _keys_problem(item, {"code", "title"}, where)
        if problem:
            return problem
        code = item["code"]
        if not isinstance(code, str) or not _CAPABILITY_CODE.fullmatch(code):
            return f"{where}.code must be a dotted lower-case code"
        if code in declared:
            return f"{where}.code {code} is declared twice"
        declared.append(code)
        problem = _title_problem(item["title"], where)
        if problem:
            return problem
    roles: list[str] = []
    if not isinstance(value["roles"], list) or not value["roles"]:
        return "VALUE.roles must be a non-empty list"
    for i, item in enumerate(value["roles"]):
        where = f"VALUE.roles[{i}]"
        problem = _keys_problem(item, {"code", "title", "capabilities"}, where)
        if problem:
            return problem
        code = item["code"]
        if not isinstance(code, str) or not _ROLE_CODE.fullmatch(code):
            return f"{where}.code must match ^[a-z][a-z0-9_]{{0,31}}$"
        if code in roles:
            return f"{where}.code {code} is declared twice"
        roles.append(code)
        problem = _title_problem(item["title"], where)
        if problem:
            return problem
        granted = item["capabilities"]
        if not isinstance(granted, list):
            return f"{where}.capabilities must be a list"
        for cap in granted:
            if not isinstance(cap, str) or cap not in declared:
                return f"{where}.capabilities: {cap!r} is not a declared capability"
        if len(set(granted)) != len(granted):
            return f"{where}.capabilities repeat a code"
    return None


_STATUS_ID = re.compile(r"[A-Z0-9]{1,2}")
APPROVAL_STATUS_KEYS = ("pending", "approved", "rejected", "next")


def approval_statuses_problem(value: Any) -> str | None:
    """Why ``value`` is not the approval statuses (``ApprovalStatuses::parse`` in PHP)."""
    problem = _keys_problem(value, set(APPROVAL_STATUS_KEYS), "VALUE")
    if problem:
        return problem
    for key in APPROVAL_STATUS_KEYS:
        if not isinstance(value[key], str) or not _STATUS_ID.fullmatch(value[key]):
            return f"VALUE.{key} must be a status ID (1-2 of A-Z, 0-9)"
    if len({value[k] for k in ("pending", "approved", "rejected")}) != 3:
        return "VALUE: pending, approved and rejected must be three different statuses"
    if value["next"] == value["pending"]:
        return "VALUE.next must not be the pending status"
    return None


#: Option name → validator (the reason a value is refused, or ``None``).
OPTIONS: dict[str, Callable[[Any], str | None]] = {
    "roles": role_table_problem,
    GUARD_OPTION: config_problem,
    "approval_statuses": approval_statuses_problem,
}


def canonical(value: Any) -> str:
    """The comparison form: JSON with object keys sorted (PHP: ``ksort`` recursively)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _name(params: Params) -> str:
    name = params.string("NAME")
    if name not in OPTIONS:
        raise fail(ERROR_ARGUMENT, f"NAME: no option {name!r} (known: {', '.join(OPTIONS)})")
    return name


@OPTION_METHODS.add("b2bsync.option.get", SCOPE)
def option_get(ctx: CallContext) -> Any:
    stored = ctx.site.bridge.options.get(_name(Params(ctx.params)))
    return None if stored is None else json.loads(stored)


@OPTION_METHODS.add("b2bsync.option.set", SCOPE)
def option_set(ctx: CallContext) -> dict[str, str]:
    params = Params(ctx.params)
    name = _name(params)
    if not params.has("VALUE"):
        raise fail(ERROR_ARGUMENT, "VALUE is required")
    value = params.get("VALUE")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise fail(ERROR_ARGUMENT, "VALUE: not a JSON text") from None
    problem = OPTIONS[name](value)
    if problem:
        raise fail(ERROR_ARGUMENT, problem)
    options = ctx.site.bridge.options
    before = options.get(name)
    if before is not None and canonical(json.loads(before)) == canonical(value):
        return {"ACTION": "unchanged"}
    options[name] = json.dumps(value, ensure_ascii=False)
    return {"ACTION": "added" if before is None else "updated"}
