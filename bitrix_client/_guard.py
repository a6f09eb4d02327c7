"""A check the application runs before every write a task sends to the site.

The application fences its sync runs: once a run has lost its job's lease, nothing more of it
may reach Bitrix. The check is per task (a context variable), so one client shared by several
runs (the daemon) asks, for each request, the run that makes it. Reads are never checked; a
``batch`` is a write when any command in it is. Whatever the check raises reaches the caller
unchanged and the request is not sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ._retry import is_read

WriteCheck = Callable[[str], None]

_CHECK: ContextVar[WriteCheck | None] = ContextVar("bitrix_write_check", default=None)


@contextmanager
def write_guard(check: WriteCheck) -> Iterator[None]:
    """Run ``check(method)`` before every write sent from this task (and tasks it starts)."""
    token = _CHECK.set(check)
    try:
        yield
    finally:
        _CHECK.reset(token)


def is_write(method: str, params: Mapping[str, Any]) -> bool:
    if method.lower() == "batch":
        commands = params.get("cmd")
        if not isinstance(commands, Mapping):
            return True
        return any(not is_read(str(c).split("?", 1)[0]) for c in commands.values())
    return not is_read(method)


def check_write(method: str, params: Mapping[str, Any]) -> None:
    check = _CHECK.get()
    if check is not None and is_write(method, params):
        check(method)
