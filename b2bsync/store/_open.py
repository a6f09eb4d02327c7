"""Opening the store the settings name."""

from __future__ import annotations

from ..settings import StateSettings
from ._store import Clock, Store


def open_store(state: StateSettings, *, create: bool = True, clock: Clock | None = None) -> Store:
    """The store of ``[state] url``; ``create=False`` for commands that only read or mark."""
    return Store.open(state.url.get_secret_value(), create=create, clock=clock)
