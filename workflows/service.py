"""The workflows as a running service: watchers on their interval, woken early by pings; the
outbox delivered as soon as something is due; old read notifications pruned.

:class:`WorkflowService` offers the single steps (:meth:`poll`, :meth:`deliver`,
:meth:`prune`) — tests and the CLI call them — and :meth:`run`, the daemon's loop, which runs
until its ``stop`` event is set:

- one task per watcher: poll, then wait for the interval, a wake-up or the stop; one per sweep
  (:mod:`workflows.sweeps`: the members watcher, invite expiry, the approval reminders) the same
  way, on its own interval;
- after each poll of the status log, the approval workflow's due moves are made
  (:func:`workflows.apply_moves`); when one was, the status log is polled again at once, so
  b2bsync's own change is recognised before anyone else's;
- the deliverer: deliver what is due, then wait until the next delivery falls due, a watcher
  produced something, or the interval passed;
- the wake reader: every ``wake_check`` it takes the wake requests another process (a
  separate ``b2bsync serve``) left in the state store; pings that reach this process's own HTTP
  app set the in-process :class:`Wakeups` directly;
- the pruner: once per ``prune_every``.

A failed poll or delivery is logged as one line and tried again on the next round; the loop
itself never dies of a Bitrix error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta

import structlog

from bitrix_client import BitrixClient, BitrixError

from ._context import PolicyContext, WatchConfig
from ._cursor import PollResult, Watcher, poll
from ._delivery import Deliverer, DeliveryConfig, DeliveryReport
from ._directory import Directory
from ._errors import WorkflowError
from ._moves import MoveReport, apply_moves
from ._ports import Clock, WorkflowStore
from .inbox import prune_read
from .member_watch import MemberWatchConfig
from .reminders import ReminderReport, remind_pending
from .sweeps import Sweep, build_sweeps
from .watchers import FACTS, ORDER_EVENTS, WATCH_ORDER, build_watchers

log = structlog.get_logger("workflows")


@dataclass(frozen=True)
class ServiceConfig:
    poll_every: timedelta = timedelta(seconds=15)
    wake_check: timedelta = timedelta(seconds=1)
    prune_read_after: timedelta = timedelta(days=90)
    keep_delivered: timedelta = timedelta(days=30)
    prune_every: timedelta = timedelta(hours=24)
    delivery: DeliveryConfig = field(default_factory=DeliveryConfig)
    watch: WatchConfig = field(default_factory=WatchConfig)
    members: MemberWatchConfig = field(default_factory=MemberWatchConfig)
    invite_expiry_every: timedelta = timedelta(minutes=1)
    remind_every: timedelta = timedelta(minutes=5)


class Wakeups:
    """One flag per watcher; ``wake`` is what ``POST /events`` calls in this process."""

    def __init__(self) -> None:
        self._events: dict[str, asyncio.Event] = {name: asyncio.Event() for name in WATCH_ORDER}
        self.delivery = asyncio.Event()

    def wake(self, watcher: str) -> bool:
        event = self._events.get(watcher)
        if event is None:
            return False
        event.set()
        return True

    def event(self, watcher: str) -> asyncio.Event:
        return self._events.setdefault(watcher, asyncio.Event())


async def _wait(events: list[asyncio.Event], seconds: float) -> None:
    """Until one of ``events`` is set or ``seconds`` passed."""
    waiters = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, timeout=max(0.0, seconds), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


class WorkflowService:
    def __init__(
        self,
        bitrix: BitrixClient,
        store: WorkflowStore,
        clock: Clock,
        config: ServiceConfig | None = None,
        *,
        wakeups: Wakeups | None = None,
        watchers: list[Watcher] | None = None,
        sweeps: list[Sweep] | None = None,
    ) -> None:
        self.bitrix = bitrix
        self.store = store
        self.clock = clock
        self.config = config or ServiceConfig()
        self.wakeups = wakeups or Wakeups()
        self.watchers = watchers if watchers is not None else build_watchers(bitrix, store)
        self.sweeps = (
            sweeps
            if sweeps is not None
            else build_sweeps(
                bitrix,
                store,
                self.config.members,
                expire_every=self.config.invite_expiry_every,
                remind_every=self.config.remind_every,
            )
        )
        self.deliverer = Deliverer(bitrix, store, clock, self.config.delivery)
        self._languages: set[str] = set()
        self._enums: dict[tuple[str, str], dict[int, str]] = {}
        self._started = False

    async def start(self) -> None:
        """Read the site's id and languages once (mails need the site id)."""
        if self._started:
            return
        info = await self.bitrix.bridge.ensure_compatible()
        self._languages = {str(lang) for lang in info.get("LANGUAGES") or []}
        site_id = str(info.get("SITE_ID") or "")
        if site_id and not self.deliverer.config.site_id:
            self.deliverer.config = _with_site(self.deliverer.config, site_id)
        self._started = True

    def context(self) -> PolicyContext:
        directory = Directory(
            self.bitrix,
            default_language=self.config.watch.default_language,
            languages=self._languages,
            enums=self._enums,
        )
        return PolicyContext(directory, self.config.watch, self.clock(), self.store)

    # single steps
    async def poll(self, name: str | None = None) -> list[PollResult]:
        """Poll one watcher, or all of them in order (the status log's moves made after it;
        then the sweeps)."""
        await self.start()
        out = []
        for watcher in self.watchers:
            if name is None or watcher.name == name:
                out.append(await poll(watcher, self.store, self.context, self.clock))
                if watcher.name == ORDER_EVENTS:
                    await self.moves()
        for sweep in self.sweeps:
            if name is None or sweep.name == name:
                await sweep.step(self.context())
        return out

    async def sweep(self, name: str) -> object:
        """Run one sweep now; what it reports."""
        await self.start()
        for sweep in self.sweeps:
            if sweep.name == name:
                return await sweep.step(self.context())
        raise ValueError(f"no sweep {name!r}")

    async def moves(self) -> MoveReport:
        """Make the approval workflow's due moves."""
        await self.start()
        return await apply_moves(self.bitrix, self.store, self.clock, self.config.watch.approval)

    async def remind(self) -> ReminderReport:
        """Remind the owners of, and escalate, orders pending too long (the sweep's step)."""
        await self.start()
        events = next((w.source for w in self.watchers if w.name == ORDER_EVENTS), None)
        return await remind_pending(self.context(), self.store, events)

    async def deliver(self) -> DeliveryReport:
        await self.start()
        return await self.deliverer.deliver_due()

    async def prune(self) -> tuple[int, int]:
        """Delete old read bell rows on the site and forget long-delivered notifications."""
        now = self.clock()
        pruned = await prune_read(self.bitrix, now - self.config.prune_read_after)
        forgotten = self.store.prune_outbox(now - self.config.keep_delivered)
        passed = self.store.watch_cursor(FACTS)
        if passed:
            self.store.prune_facts(now - self.config.keep_delivered, passed)
        log.info("outbox.pruned", read_rows=pruned, delivered=forgotten)
        return pruned, forgotten

    # the daemon loop
    async def run(self, stop: asyncio.Event) -> None:
        tasks = [
            asyncio.create_task(self._watch(watcher, stop), name=f"watch-{watcher.name}")
            for watcher in self.watchers
        ]
        tasks += [
            asyncio.create_task(self._sweep(sweep, stop), name=f"sweep-{sweep.name}")
            for sweep in self.sweeps
        ]
        tasks += [
            asyncio.create_task(self._deliver_loop(stop), name="outbox"),
            asyncio.create_task(self._wake_reader(stop), name="wakes"),
            asyncio.create_task(self._prune_loop(stop), name="prune"),
        ]
        log.info("workflows.started", watchers=[w.name for w in self.watchers])
        try:
            await stop.wait()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            log.info("workflows.stopped")

    async def _guarded(self, what: str, step: Callable[[], Awaitable[object]]) -> bool:
        try:
            await step()
        except (BitrixError, WorkflowError) as exc:
            log.warning(f"{what}.failed", error=" ".join(str(exc).split()))
            return False
        return True

    async def _watch(self, watcher: Watcher, stop: asyncio.Event) -> None:
        wake = self.wakeups.event(watcher.name)
        interval = self.config.poll_every.total_seconds()
        while not stop.is_set():
            wake.clear()
            results: list[PollResult] = []
            moved: list[MoveReport] = []

            async def step(
                watcher: Watcher = watcher,
                results: list[PollResult] = results,
                moved: list[MoveReport] = moved,
            ) -> None:
                await self.start()
                results.append(await poll(watcher, self.store, self.context, self.clock))
                if watcher.name == ORDER_EVENTS:
                    moved.append(await self.moves())

            await self._guarded(f"watch.{watcher.name}", step)
            if any(r.new for r in results):
                self.wakeups.delivery.set()
            if any(m.done for m in moved):
                continue  # read b2bsync's own changes back now
            await _wait([wake, stop], interval)

    async def _sweep(self, sweep: Sweep, stop: asyncio.Event) -> None:
        wake = self.wakeups.event(sweep.name)
        interval = (sweep.every or self.config.poll_every).total_seconds()
        while not stop.is_set():
            wake.clear()

            async def step(sweep: Sweep = sweep) -> None:
                await self.start()
                await sweep.step(self.context())

            if await self._guarded(f"sweep.{sweep.name}", step):
                self.wakeups.delivery.set()  # a sweep may have put notifications in the outbox
            await _wait([wake, stop], interval)

    async def _deliver_loop(self, stop: asyncio.Event) -> None:
        nudge = self.wakeups.delivery
        interval = self.config.poll_every.total_seconds()
        while not stop.is_set():
            nudge.clear()
            await self._guarded("outbox", self.deliver)
            due = self.store.next_due()
            wait = interval
            if due is not None:
                wait = min(interval, max(0.0, (due - self.clock()).total_seconds()))
            await _wait([nudge, stop], wait)

    async def _wake_reader(self, stop: asyncio.Event) -> None:
        interval = self.config.wake_check.total_seconds()
        while not stop.is_set():
            for name in self.store.take_wakes():
                self.wakeups.wake(name)
            await _wait([stop], interval)

    async def _prune_loop(self, stop: asyncio.Event) -> None:
        interval = self.config.prune_every.total_seconds()
        while not stop.is_set():
            await self._guarded("outbox.prune", self.prune)
            await _wait([stop], interval)


def _with_site(config: DeliveryConfig, site_id: str) -> DeliveryConfig:
    return replace(config, site_id=site_id)


__all__ = ["ServiceConfig", "Wakeups", "WorkflowService"]
