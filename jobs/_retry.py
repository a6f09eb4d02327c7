"""Quarantined records an operator asked to retry (``b2bsync quarantine retry``).

Each entry lowers its scope's read start to the entry's ``changed_at`` for this run (``None``:
read the scope from the beginning). A retried key that is read again either processes (and
its entry is cleared) or is quarantined again (which clears the retry flag). An entry whose
record 1C no longer returns is re-quarantined with a note, so it does not lower the cursor on
every run forever.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ._ports import QuarantineEntry, SyncStore


class RetryPlan:
    def __init__(self, store: SyncStore, feed: str, extra: Iterable[QuarantineEntry] = ()) -> None:
        self._store = store
        self._feed = feed
        self._by_scope: dict[str, list[QuarantineEntry]] = {}
        seen: set[tuple[str, str | None]] = set()
        for entry in [*store.retry_requested(feed), *extra]:
            if (entry.scope, entry.key) in seen:
                continue
            seen.add((entry.scope, entry.key))
            self._by_scope.setdefault(entry.scope, []).append(entry)

    @property
    def scopes(self) -> list[str]:
        return sorted(self._by_scope)

    def entries(self, scope: str) -> list[QuarantineEntry]:
        return list(self._by_scope.get(scope, []))

    def has(self, scope: str) -> bool:
        return scope in self._by_scope

    def since(self, scope: str, since: datetime | None) -> datetime | None:
        """The read start for ``scope``: ``since``, lowered to the oldest retried entry."""
        for entry in self._by_scope.get(scope, []):
            if entry.changed_at is None:
                return None
            if since is not None and entry.changed_at < since:
                since = entry.changed_at
        return since

    def requeue(self, scope: str) -> None:
        """Quarantine the retried entries of ``scope`` again as they were (their scope cannot be
        read in this run, e.g. a counterparty that is still unknown); clears the retry flag."""
        for entry in self._by_scope.pop(scope, []):
            self._store.quarantine(
                self._feed, entry.key, entry.reason, entry.raw, entry.scope, entry.changed_at
            )

    def finish(self, scope: str, seen_keys: set[str], seen_raw: set[str]) -> int:
        """Re-quarantine retried entries of ``scope`` that the re-read did not meet."""
        missed = 0
        for entry in self._by_scope.pop(scope, []):
            met = entry.key in seen_keys if entry.key is not None else _raw(entry) in seen_raw
            if met:
                continue
            missed += 1
            note = " (not returned by 1C on retry)"
            reason = entry.reason if entry.reason.endswith(note) else entry.reason + note
            self._store.quarantine(
                self._feed,
                entry.key,
                reason,
                entry.raw,
                entry.scope,
                entry.changed_at,
            )
        return missed


def _raw(entry: QuarantineEntry) -> str:
    return entry.raw if isinstance(entry.raw, str) else repr(entry.raw)
