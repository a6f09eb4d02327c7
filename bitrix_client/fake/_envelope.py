"""Answer bodies as the rest module prints them: ``json_encode`` of PHP arrays, ``time`` block.

PHP prints an array as a JSON list when its keys are exactly ``0..n-1`` in order (so an empty
array is ``[]`` even where an object is meant) and as an object otherwise; strings are raw UTF-8.
"""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from typing import Any

from ._php import is_list_shaped, php_key

_CONTAINERS = (dict, list, tuple)
_EMPTY = object()


def php_view(value: Any) -> Any:
    """The structure ``json_encode`` prints for ``value`` (dicts may become lists).

    Only a dict whose first key is 0 can be list-shaped, so the others (every row of a list
    answer) skip converting their keys; scalars are not recursed into.
    """
    if isinstance(value, dict):
        first = next(iter(value), _EMPTY)
        if first is _EMPTY or (isinstance(first, int | str) and php_key(first) == 0):
            keys = [php_key(k) if isinstance(k, int | str) else str(k) for k in value]
            if is_list_shaped(keys):
                return [php_view(v) for v in value.values()]
        return {str(k): php_view(v) if isinstance(v, _CONTAINERS) else v for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [php_view(v) for v in value]
    return value


def encode_json(value: Any) -> bytes:
    return json.dumps(php_view(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def iso(ts: float, tz: tzinfo) -> str:
    """``date('c')``: seconds precision with the site's UTC offset."""
    return datetime.fromtimestamp(ts, tz).isoformat(timespec="seconds")


def time_block(
    start: float,
    finish: float,
    processing: float,
    tz: tzinfo,
    *,
    operating: float | None = None,
    operating_reset_at: int | None = None,
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "start": start,
        "finish": finish,
        "duration": finish - start,
        "processing": processing,
        "date_start": iso(start, tz),
        "date_finish": iso(finish, tz),
    }
    if operating_reset_at is not None:
        block["operating_reset_at"] = operating_reset_at
    if operating is not None:
        block["operating"] = operating
    return block


def success_body(
    result: Any, *, next_: int | None, total: int | None, time: dict[str, Any]
) -> dict[str, Any]:
    body: dict[str, Any] = {"result": result}
    if next_ is not None:
        body["next"] = next_
    if total is not None:
        body["total"] = total
    body["time"] = time
    return body


def error_body(code: str | int, description: str) -> dict[str, Any]:
    return {"error": code, "error_description": description}
