"""Switchable quirks and deterministic faults of the 1C fake."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal["500", "html", "drop", "fault", "timeout"]
FAULT_KINDS: tuple[FaultKind, ...] = ("500", "html", "drop", "fault", "timeout")


@dataclass
class Quirks:
    """1C habits the fake can show (all off by default: the clean contract).

    * ``bom`` — UTF-8 BOM before JSON bodies, SOAP answers and export files.
    * ``padded_numbers`` — document numbers padded with spaces to 11 characters.
    * ``empty_values`` — all-zero GUIDs and ``0001-01-01T00:00:00`` where 1C has no value.
    * ``windows1251`` — bodies and files in windows-1251 (declared), as some 1C code writes them.
    * ``slow_first_call`` — the first request hangs (``slow_seconds`` on loopback) or, in
      process, raises ``httpx.ReadTimeout`` as a client with a short timeout would see it.
    * ``file_base64`` — the HTTP file endpoint answers JSON with base64 (lines of 76 + CRLF)
      instead of the binary body.
    """

    bom: bool = False
    padded_numbers: bool = False
    empty_values: bool = False
    windows1251: bool = False
    slow_first_call: bool = False
    slow_seconds: float = 5.0
    file_base64: bool = False

    @property
    def charset(self) -> str:
        return "windows-1251" if self.windows1251 else "utf-8"


@dataclass
class _Planned:
    kind: FaultKind
    route: str | None
    remaining: int


@dataclass
class FaultPlan:
    """Faults for coming requests: queued ones first, then optional seeded chaos.

    ``route`` limits a fault to one route name (``counterparties``, ``documents``, ``file``,
    ``credit``, ``wsdl``, ``soap`` for any SOAP call, or ``soap:<Operation>``).
    """

    _queue: list[_Planned] = field(default_factory=list)
    _rng: random.Random | None = None
    _rate: float = 0.0
    _kinds: tuple[FaultKind, ...] = ()
    fired: list[tuple[str, FaultKind]] = field(default_factory=list)

    def inject(self, kind: FaultKind, times: int = 1, *, route: str | None = None) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; known: {', '.join(FAULT_KINDS)}")
        self._queue.append(_Planned(kind, route, times))

    def chaos(self, seed: int, rate: float, kinds: tuple[FaultKind, ...] = ("500", "drop")) -> None:
        """Each request fails with probability ``rate``, drawn from ``Random(seed)``."""
        self._rng = random.Random(seed)  # noqa: S311  (reproducible faults)
        self._rate = rate
        self._kinds = kinds

    def clear(self) -> None:
        self._queue.clear()
        self._rng = None

    def take(self, route: str) -> FaultKind | None:
        for planned in self._queue:
            if planned.route is None or _matches(planned.route, route):
                planned.remaining -= 1
                if planned.remaining <= 0:
                    self._queue.remove(planned)
                self.fired.append((route, planned.kind))
                return planned.kind
        if self._rng is not None and self._kinds and self._rng.random() < self._rate:
            kind = self._rng.choice(self._kinds)
            self.fired.append((route, kind))
            return kind
        return None


def _matches(wanted: str, route: str) -> bool:
    return wanted == route or (wanted == "soap" and route.startswith("soap:"))
