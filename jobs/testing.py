"""Test and demo support for the jobs: an in-memory store, a recording progress, and ``World``.

- :class:`MemoryStore` — a :class:`~jobs.SyncStore` in memory, faithful to the protocol
  (cursors, remembered hashes, quarantine with retry requests, credit freshness, order index);
- :class:`RecordingProgress` — a :class:`~jobs.Progress` that keeps what it was told and can
  run a hook on each event (to raise, or to set the stop flag, mid-run);
- :class:`World` — the Bitrix fake and the 1C fake describing the same companies (see
  :mod:`jobs._world`), usable in process and on loopback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._memory import MemoryStore
from ._world import Endpoints, World, world_dataset


@dataclass
class RecordingProgress:
    stages: list[tuple[str, int | None]] = field(default_factory=list)
    advanced: int = 0
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    on_event: Callable[[str, dict[str, Any]], None] | None = None

    def stage(self, name: str, total: int | None = None) -> None:
        self.stages.append((name, total))

    def advance(self, amount: int = 1) -> None:
        self.advanced += amount

    def event(self, name: str, **values: Any) -> None:
        self.events.append((name, values))
        if self.on_event is not None:
            self.on_event(name, values)

    def named(self, name: str) -> list[dict[str, Any]]:
        return [values for event, values in self.events if event == name]


__all__ = ["Endpoints", "MemoryStore", "RecordingProgress", "World", "world_dataset"]
