"""Progress of a sync run: a rich progress bar on a terminal, JSON lines otherwise (cron/timers)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


class JsonLinesProgress:
    """One JSON object per line: stages, events, and throttled progress counts."""

    def __init__(
        self,
        job: str,
        stream: TextIO | None = None,
        *,
        every: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.job = job
        self._stream = stream
        self._every = every
        self._clock = clock
        self._stage: str | None = None
        self._total: int | None = None
        self._done = 0
        self._last = float("-inf")

    def _emit(self, event: str, **values: Any) -> None:
        out = self._stream or sys.stdout
        line = {"event": event, "job": self.job, **values}
        out.write(json.dumps(line, ensure_ascii=False, default=_jsonable) + "\n")
        out.flush()

    def stage(self, name: str, total: int | None = None) -> None:
        self._flush()
        self._stage, self._total, self._done = name, total, 0
        self._emit("sync.stage", stage=name, total=total)

    def advance(self, amount: int = 1) -> None:
        self._done += amount
        now = self._clock()
        if now - self._last >= self._every:
            self._last = now
            self._emit("sync.progress", stage=self._stage, done=self._done, total=self._total)

    def event(self, name: str, **values: Any) -> None:
        self._emit(name, **values)

    def _flush(self) -> None:
        if self._stage is not None and self._done:
            self._emit("sync.progress", stage=self._stage, done=self._done, total=self._total)

    def close(self) -> None:
        self._flush()


class BarProgress:
    """A rich progress bar per stage with its total and an ETA once the total is known (the
    orders job opens its stage with the first page's ``total``); events, and log lines written
    to stderr meanwhile, are printed above the bars."""

    def __init__(
        self,
        job: str,
        console: Console | None = None,
        *,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.job = job
        self._console = console or Console(stderr=True)
        self._bars = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self._console,
            transient=False,
            get_time=clock,
        )
        self._task: TaskID | None = None
        self._bars.start()

    def stage(self, name: str, total: int | None = None) -> None:
        self._task = self._bars.add_task(f"{self.job}: {name}", total=total)

    def advance(self, amount: int = 1) -> None:
        if self._task is not None:
            self._bars.advance(self._task, amount)

    def event(self, name: str, **values: Any) -> None:
        details = " ".join(
            f"{k}={_jsonable(v) if not isinstance(v, int | float) else v}"
            for k, v in values.items()
        )
        self._bars.console.print(f"[dim]{name}[/] {details}")

    def close(self) -> None:
        self._bars.stop()


def progress_for(job: str, *, tty: bool | None = None) -> JsonLinesProgress | BarProgress:
    interactive = sys.stdout.isatty() if tty is None else tty
    return BarProgress(job) if interactive else JsonLinesProgress(job)
