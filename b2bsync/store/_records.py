"""What the store hands back besides the ``jobs`` protocol's own types: leases and runs."""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any, Literal

RunStatus = Literal["ok", "failed", "stopped", "running", "interrupted"]
FINAL_STATUSES: tuple[str, ...] = ("ok", "failed", "stopped")


@dataclass(frozen=True)
class Lease:
    """``holder`` may run ``job`` until ``expires_at`` (renew before then). ``generation`` is the
    lease's fencing number: it goes up whenever the lease passes to a new run."""

    job: str
    holder: str
    acquired_at: datetime
    expires_at: datetime
    generation: int = 0

    def alive(self, now: datetime) -> bool:
        return self.expires_at > now


@dataclass(frozen=True)
class Fence:
    """What one run was given when it took its leases: its holder name and, per job, the
    lease's generation. A write is allowed only while every one of them still stands."""

    holder: str
    generations: Mapping[str, int]

    @classmethod
    def of(cls, leases: Sequence[Lease]) -> Fence:
        holders = {lease.holder for lease in leases}
        if len(holders) != 1:
            raise ValueError(f"a fence covers the leases of one holder, got {sorted(holders)}")
        return cls(
            holders.pop(), MappingProxyType({lease.job: lease.generation for lease in leases})
        )

    @property
    def jobs(self) -> list[str]:
        return sorted(self.generations)


@dataclass(frozen=True)
class RunRecord:
    """One job run. ``status`` is ``running`` while its holder keeps a live lease and
    ``interrupted`` once that lease is gone (the process was killed before finishing)."""

    id: int
    job: str
    holder: str
    started_at: datetime
    ended_at: datetime | None
    status: RunStatus
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def duration(self) -> timedelta | None:
        return None if self.ended_at is None else self.ended_at - self.started_at

    def to_json(self) -> dict[str, Any]:
        duration = self.duration
        return {
            "id": self.id,
            "job": self.job,
            "holder": self.holder,
            "status": self.status,
            "started_at": self.started_at.isoformat(),
            "ended_at": None if self.ended_at is None else self.ended_at.isoformat(),
            "duration_s": None if duration is None else round(duration.total_seconds(), 3),
            "counts": dict(self.counts),
            "errors": list(self.errors),
            "notes": dict(self.notes),
        }


def new_holder() -> str:
    """A lease holder name unique to this process: ``host:pid:random``."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
