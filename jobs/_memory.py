"""An in-memory :class:`~jobs.SyncStore` that keeps every rule of the protocol (tests, demos).

Faithful where it matters for the jobs: unknown feeds and naive datetimes are refused (the SQL
store's columns would refuse them too), re-quarantining an entry counts an attempt and clears
its retry flag, keyless entries (a record whose GUID could not be read) are told apart by
their raw form, and everything handed out is a copy or frozen. ``calls`` counts method calls
so a test can assert, say, that a run wrote no cursor.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from ._ports import FEEDS, CreditSeen, IndexedOrder, Known, QuarantineEntry


def _aware(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what}: naive datetime {value!r}")
    return value


def _feed(feed: str) -> str:
    if feed not in FEEDS:
        raise ValueError(f"unknown feed {feed!r}; feeds are {', '.join(FEEDS)}")
    return feed


def _raw_id(scope: str, raw: Any) -> str:
    text = raw if isinstance(raw, str) else repr(raw)
    return "raw:" + hashlib.sha256(f"{scope}\0{text}".encode()).hexdigest()[:24]


class MemoryStore:
    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self._clock = clock or (lambda: datetime.now(UTC))
        self.cursors: dict[tuple[str, str], datetime] = {}
        self.records: dict[str, dict[str, Known]] = {feed: {} for feed in FEEDS}
        self.entries: dict[tuple[str, str], QuarantineEntry] = {}
        self.credit: dict[str, CreditSeen] = {}
        self.orders: dict[int, IndexedOrder] = {}
        self.calls: Counter[str] = Counter()

    # --- cursors --------------------------------------------------------------------------

    def cursor(self, feed: str, scope: str = "") -> datetime | None:
        self.calls["cursor"] += 1
        return self.cursors.get((_feed(feed), scope))

    def set_cursor(self, feed: str, scope: str, value: datetime) -> None:
        self.calls["set_cursor"] += 1
        self.cursors[(_feed(feed), scope)] = _aware(value, "cursor")

    # --- remembered records ---------------------------------------------------------------

    def known(self, feed: str, keys: Iterable[str]) -> dict[str, Known]:
        self.calls["known"] += 1
        records = self.records[_feed(feed)]
        return {key: records[key] for key in keys if key in records}

    def known_in_scope(self, feed: str, scope: str) -> dict[str, Known]:
        self.calls["known_in_scope"] += 1
        return {k: v for k, v in self.records[_feed(feed)].items() if v.scope == scope}

    def remember(self, feed: str, records: Sequence[Known]) -> None:
        self.calls["remember"] += 1
        table = self.records[_feed(feed)]
        for record in records:
            table[record.key] = record

    # --- quarantine -----------------------------------------------------------------------

    def _entry_id(self, feed: str, key: str | None, scope: str, raw: Any) -> tuple[str, str]:
        return (feed, key if key is not None else _raw_id(scope, raw))

    def quarantine(
        self,
        feed: str,
        key: str | None,
        reason: str,
        raw: Any,
        scope: str = "",
        changed_at: datetime | None = None,
    ) -> None:
        self.calls["quarantine"] += 1
        ident = self._entry_id(_feed(feed), key, scope, raw)
        now = self._clock()
        if changed_at is not None:
            _aware(changed_at, "changed_at")
        before = self.entries.get(ident)
        if before is None:
            self.entries[ident] = QuarantineEntry(
                feed=feed,
                key=key,
                reason=reason,
                raw=raw,
                scope=scope,
                changed_at=changed_at,
                attempts=1,
                first_seen=now,
                last_seen=now,
                retry=False,
            )
            return
        self.entries[ident] = replace(
            before,
            reason=reason,
            raw=raw,
            scope=scope,
            changed_at=changed_at if changed_at is not None else before.changed_at,
            attempts=before.attempts + 1,
            last_seen=now,
            retry=False,
        )

    def clear_quarantine(self, feed: str, keys: Iterable[str]) -> None:
        self.calls["clear_quarantine"] += 1
        _feed(feed)
        for key in keys:
            self.entries.pop((feed, key), None)

    def quarantined(self, feed: str) -> list[QuarantineEntry]:
        self.calls["quarantined"] += 1
        _feed(feed)
        found = [e for (f, _), e in self.entries.items() if f == feed]
        return sorted(
            found, key=lambda e: (e.first_seen or datetime.min.replace(tzinfo=UTC), e.key or "")
        )

    def retry_requested(self, feed: str) -> list[QuarantineEntry]:
        self.calls["retry_requested"] += 1
        return [e for e in self.quarantined(feed) if e.retry]

    def request_retry(self, feed: str, key: str | None = None) -> int:
        """What ``b2bsync quarantine retry`` does: flag entries (all of ``feed`` without a key)."""
        flagged = 0
        for ident, entry in list(self.entries.items()):
            if entry.feed == _feed(feed) and (key is None or entry.key == key):
                self.entries[ident] = replace(entry, retry=True)
                flagged += 1
        return flagged

    # --- credit and orders ----------------------------------------------------------------

    def note_credit(self, seen: CreditSeen) -> None:
        self.calls["note_credit"] += 1
        _aware(seen.source_at, "source_at")
        _aware(seen.synced_at, "synced_at")
        self.credit[seen.key] = seen

    def credit_seen(self) -> list[CreditSeen]:
        self.calls["credit_seen"] += 1
        return sorted(self.credit.values(), key=lambda s: s.key)

    def stale(self, now: datetime, after: Any) -> list[str]:
        """Keys whose 1C data is older than ``after`` (a ``timedelta``) at ``now``."""
        return sorted(s.key for s in self.credit.values() if now - s.source_at > after)

    def index_orders(self, orders: Sequence[IndexedOrder]) -> None:
        self.calls["index_orders"] += 1
        for order in orders:
            _aware(order.date_insert, "date_insert")
            _aware(order.date_update, "date_update")
            self.orders[order.order_id] = order

    def orders_of(self, company_id: int) -> list[IndexedOrder]:
        return sorted(
            (o for o in self.orders.values() if o.company_id == company_id),
            key=lambda o: o.order_id,
        )
