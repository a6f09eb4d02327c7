"""Delivering the outbox: batched requests, retries with backoff, parking with a reason.

**Batches.** One request is one ``batch`` of at most 50 commands: every bell row of the group in
a single ``b2bsync.item.upsert`` with ``ROWS`` (keyed on ``UF_DEDUP_KEY``, at most
``rows_per_request`` rows), plus one ``b2bsync.mail.send`` per mail (``DEDUP_KEY`` = the
notification's key, ``LANGUAGE_ID`` = the recipient's). So a group carries 49 notifications
that go both ways (1 + 49 commands), and a burst of 1,000 costs 21 requests instead of 2,000.
Several groups are in flight at once; the client's rate limiter paces them.

**Outcomes**, per channel of each notification (the other channel is unaffected):

- confirmed → done;
- a transient failure (network, 5xx, ``ERROR_BUSY``, a lost answer) → due again after
  ``first_retry × 2^(attempts-1)`` (capped at ``max_retry``); after ``max_attempts`` → parked;
- a refusal that will not change by itself (``ERROR_VALIDATION``, a language the site does not
  have, a missing mail type or block) → parked at once with the site's reason;
- a fatal error (credentials, scope, no bridge) → nothing is recorded, the round stops and
  the deliveries stay due: they are not the deliveries' fault.

The bell row is sent without ``UF_IS_READ`` (a new row gets the field's default, 0; a resent one
keeps whatever the user did with it) and with the notification's own ``UF_CREATED_AT``, so a
replay after a crash is an ``unchanged`` upsert.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog

from bitrix_client import (
    BatchItem,
    BitrixClient,
    BitrixError,
    Command,
    FatalError,
    SkippableError,
    iso_datetime,
    row_outcomes,
)

from ._ports import Clock, Delivery, Outcome, WorkflowStore
from .notifications import Channel

log = structlog.get_logger("workflows")

NOTIFICATIONS_BLOCK = "B2bNotifications"
BATCH_COMMANDS = 50
UPSERT = "b2bsync.item.upsert"
SEND = "b2bsync.mail.send"


@dataclass(frozen=True)
class DeliveryConfig:
    """How the outbox is delivered (the application maps its settings here)."""

    site_id: str = ""  # "" = the site's default (b2bsync.info SITE_ID, read at start)
    rows_per_request: int = 50
    in_flight: int = 4
    first_retry: timedelta = timedelta(seconds=30)
    max_retry: timedelta = timedelta(hours=1)
    max_attempts: int = 8
    block: str = NOTIFICATIONS_BLOCK


@dataclass
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    parked: int = 0
    requests: int = 0
    stopped: str = ""

    def add(self, other: DeliveryReport) -> None:
        self.delivered += other.delivered
        self.retrying += other.retrying
        self.parked += other.parked
        self.requests += other.requests
        self.stopped = self.stopped or other.stopped


def backoff(attempts: int, config: DeliveryConfig) -> timedelta:
    """The wait after the ``attempts``-th failure (1 → ``first_retry``)."""
    wait: timedelta = config.first_retry * (2 ** max(0, attempts - 1))
    return min(wait, config.max_retry)


def plan_groups(deliveries: Sequence[Delivery], config: DeliveryConfig) -> list[list[Delivery]]:
    """Split due deliveries into requests: at most ``rows_per_request`` bell rows (one
    command) and mails filling the batch up to 50 commands."""
    groups: list[list[Delivery]] = []
    group: list[Delivery] = []
    rows = mails = 0
    for delivery in deliveries:
        is_row = delivery.channel == Channel.cabinet
        next_rows, next_mails = rows + is_row, mails + (not is_row)
        commands = (1 if next_rows else 0) + next_mails
        if group and (next_rows > config.rows_per_request or commands > BATCH_COMMANDS):
            groups.append(group)
            group, rows, mails = [], 0, 0
            next_rows, next_mails = int(is_row), int(not is_row)
        group.append(delivery)
        rows, mails = next_rows, next_mails
    if group:
        groups.append(group)
    return groups


def bell_row(delivery: Delivery) -> dict[str, Any]:
    note = delivery.notification
    created = note.created_at
    return {
        "UF_USER_ID": note.recipient.user_id,
        "UF_TYPE": note.type,
        "UF_TEXT": note.text(),
        "UF_LINK": note.link(),
        "UF_CREATED_AT": iso_datetime(created) if created is not None else "",
        "UF_DEDUP_KEY": note.key,
    }


def mail_params(delivery: Delivery, site_id: str) -> dict[str, Any]:
    note = delivery.notification
    return {
        "EVENT_NAME": note.type,
        "LID": site_id,
        "LANGUAGE_ID": note.recipient.language,
        "FIELDS": note.mail_fields(),
        "DEDUP_KEY": note.key,
    }


class _Fatal(Exception):
    def __init__(self, error: BitrixError) -> None:
        super().__init__(str(error))
        self.error = error


class Deliverer:
    """Sends what is due, records what became of it. One per process (the daemon's)."""

    def __init__(
        self,
        bitrix: BitrixClient,
        store: WorkflowStore,
        clock: Clock,
        config: DeliveryConfig | None = None,
    ) -> None:
        self.bitrix = bitrix
        self.store = store
        self.clock = clock
        self.config = config or DeliveryConfig()

    async def deliver_due(self, *, rounds: int | None = None) -> DeliveryReport:
        """Deliver until nothing is due (or ``rounds`` fetches were made)."""
        report = DeliveryReport()
        fetch = self.config.rows_per_request * self.config.in_flight * 2
        done = 0
        while rounds is None or done < rounds:
            done += 1
            due = self.store.due(self.clock(), fetch)
            if not due:
                break
            groups = plan_groups(due, self.config)
            if len(due) == fetch and len(groups) > 1:
                groups.pop()  # not full yet: it waits for the next fetch to fill it
            part = await self._round(groups)
            report.add(part)
            if part.stopped:
                break
        return report

    async def _round(self, groups: list[list[Delivery]]) -> DeliveryReport:
        report = DeliveryReport()
        before = self.bitrix.stats.requests
        queue = asyncio.Queue[list[Delivery]]()
        for group in groups:
            queue.put_nowait(group)

        async def worker() -> None:
            while not queue.empty() and not report.stopped:
                group = queue.get_nowait()
                try:
                    outcomes = await self._send(group)
                except _Fatal as exc:
                    report.stopped = str(exc.error)
                    log.error("outbox.stopped", reason=report.stopped)
                    return
                self.store.record(outcomes, self.clock())
                for outcome in outcomes:
                    if outcome.delivered:
                        report.delivered += 1
                    elif outcome.retry_at is not None:
                        report.retrying += 1
                    else:
                        report.parked += 1

        await asyncio.gather(*(worker() for _ in range(max(1, self.config.in_flight))))
        report.requests = self.bitrix.stats.requests - before
        log.info(
            "outbox.delivered",
            delivered=report.delivered,
            retrying=report.retrying,
            parked=report.parked,
            requests=report.requests,
        )
        return report

    async def _send(self, group: list[Delivery]) -> list[Outcome]:
        rows = [d for d in group if d.channel == Channel.cabinet]
        mails = [d for d in group if d.channel == Channel.mail]
        commands: list[Command] = []
        if rows:
            params = {
                "HLBLOCK": self.config.block,
                "KEY": ["UF_DEDUP_KEY"],
                "ROWS": [bell_row(d) for d in rows],
            }
            commands.append(Command(UPSERT, params, name="bell"))
        commands += [
            Command(SEND, mail_params(d, self.config.site_id), name=f"mail{i}")
            for i, d in enumerate(mails)
        ]
        try:
            items = await self.bitrix.batch(commands)
        except FatalError as exc:
            raise _Fatal(exc) from exc
        except BitrixError as exc:
            return [self._failed(d, exc) for d in group]
        outcomes: list[Outcome] = []
        by_name = {item.name: item for item in items}
        if rows:
            outcomes += self._rows(rows, by_name["bell"])
        for i, delivery in enumerate(mails):
            outcomes.append(self._one(delivery, by_name[f"mail{i}"]))
        return outcomes

    def _rows(self, rows: list[Delivery], item: BatchItem) -> list[Outcome]:
        if item.error is not None or item.skipped:
            error = item.error or BitrixError(f"{UPSERT}: not run", method=UPSERT)
            self._raise_fatal(error)
            return [self._failed(d, error) for d in rows]
        outcomes = []
        for delivery, outcome in zip(rows, row_outcomes(item.result, len(rows)), strict=True):
            if isinstance(outcome, BitrixError):
                outcomes.append(self._failed(delivery, outcome))
            else:
                outcomes.append(self._done(delivery))
        return outcomes

    def _one(self, delivery: Delivery, item: BatchItem) -> Outcome:
        if item.error is None and not item.skipped:
            return self._done(delivery)
        error = item.error or BitrixError(f"{SEND}: not run", method=SEND)
        self._raise_fatal(error)
        return self._failed(delivery, error)

    @staticmethod
    def _raise_fatal(error: BitrixError) -> None:
        if isinstance(error, FatalError):
            raise _Fatal(error)

    @staticmethod
    def _done(delivery: Delivery) -> Outcome:
        return Outcome(_id(delivery), delivery.channel, True)

    def _failed(self, delivery: Delivery, error: BitrixError) -> Outcome:
        reason = " ".join(str(error).split())[:500]
        attempts = delivery.attempts + 1
        if isinstance(error, SkippableError) or attempts >= self.config.max_attempts:
            log.warning(
                "outbox.parked",
                key=delivery.notification.key,
                channel=delivery.channel,
                reason=reason,
            )
            return Outcome(_id(delivery), delivery.channel, False, reason)
        retry_at = self.clock() + backoff(attempts, self.config)
        return Outcome(_id(delivery), delivery.channel, False, reason, retry_at)


def _id(delivery: Delivery) -> int:
    number = delivery.notification.id
    if number is None:
        raise ValueError("a delivery of a notification that was never stored")
    return number


def in_seconds(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else max(0.0, (moment - now).total_seconds())


__all__ = [
    "NOTIFICATIONS_BLOCK",
    "Deliverer",
    "DeliveryConfig",
    "DeliveryReport",
    "backoff",
    "bell_row",
    "mail_params",
    "plan_groups",
]
