"""PHP value semantics the wire protocol leaks: array keys, list detection, truthiness.

A PHP array is modelled as a ``dict`` whose keys are ``int`` or ``str`` (numeric strings such as
``"7"`` become ``int`` exactly as PHP's symbol tables do). Handlers never see these: params are
handed over in their ``json_encode`` view (see :func:`to_plain`).
"""

from __future__ import annotations

import re
from typing import Any

_INT_KEY = re.compile(r"(?:0|-?[1-9][0-9]*)")
_INT_MAX = 2**63 - 1
_INT_MIN = -(2**63)


class PhpArray(dict[int | str, Any]):
    """An ordered PHP array that remembers its next free integer index."""

    next_index: int = 0

    def set(self, key: int | str, value: Any) -> None:
        key = php_key(key)
        self[key] = value
        if isinstance(key, int) and key >= self.next_index:
            self.next_index = key + 1

    def append(self, value: Any) -> None:
        self.set(self.next_index, value)


def php_key(key: int | str) -> int | str:
    """The key PHP actually stores: canonical decimal integer strings become ints."""
    if isinstance(key, int):
        return key
    if _INT_KEY.fullmatch(key) and key != "-0":
        value = int(key)
        if _INT_MIN <= value <= _INT_MAX:
            return value
    return key


def is_list_shaped(keys: list[int | str]) -> bool:
    """True when ``json_encode`` would print the array as a JSON list."""
    return all(key == index for index, key in enumerate(keys))


def to_plain(value: Any) -> Any:
    """The ``json_encode`` view of a PHP value: list-shaped arrays become lists, others dicts
    with string keys; scalars unchanged. Python lists are kept as lists."""
    if isinstance(value, dict):
        keys = [php_key(k) for k in value]
        if is_list_shaped(keys):
            return [to_plain(v) for v in value.values()]
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    return value


def to_php(value: Any) -> Any:
    """The PHP array behind a decoded JSON value (``json_decode($s, true)``)."""
    if isinstance(value, dict):
        out = PhpArray()
        for key, item in value.items():
            out.set(key, to_php(item))
        return out
    if isinstance(value, list):
        out = PhpArray()
        for item in value:
            out.append(to_php(item))
        return out
    return value


def truthy(value: Any) -> bool:
    """PHP's ``(bool)`` cast: ``"0"`` and ``""`` are false, ``"false"`` is true."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        return value not in ("", "0")
    if isinstance(value, dict | list):
        return len(value) > 0
    return True
