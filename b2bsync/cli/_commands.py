"""Attaches every command group to the app; one import per group keeps start-up explicit."""

from __future__ import annotations

from functools import cache


@cache
def register_commands() -> None:
    from . import (  # noqa: F401  (each module registers its commands)
        _bridge,
        _company,
        _doctor,
        _invite,
        _onec,
        _orders,
        _outbox,
        _quarantine,
        _roles,
        _sandbox,
        _schema,
        _serve,
        _status,
        _sync,
    )
