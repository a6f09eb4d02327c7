"""Values the client hands back: a call's answer and a batch command's outcome."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._errors import BitrixError


@dataclass(frozen=True)
class Response:
    """A success envelope: ``result`` plus ``total``/``next`` when the server sent them."""

    result: Any
    total: int | None = None
    next: int | None = None
    time: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Command:
    """One command of a batch. ``name`` is what ``Ref`` and ``$result[…]`` point at."""

    method: str
    params: Mapping[str, Any] = field(default_factory=dict)
    name: str | None = None


@dataclass
class BatchItem:
    """The outcome of one batch command, in input order."""

    name: str
    command: Command
    result: Any = None
    total: int | None = None
    next: int | None = None
    error: BitrixError | None = None
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.skipped

    def unwrap(self) -> Any:
        if self.error is not None:
            raise self.error
        if self.skipped:
            raise BitrixError(f"{self.command.method}: not run (batch halted)", method=self.name)
        return self.result
