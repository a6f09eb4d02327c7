"""Attaches every command group to the app; one import per group keeps start-up explicit."""

from __future__ import annotations

from functools import cache


@cache
def register_commands() -> None:
    from . import _doctor, _onec, _roles, _sandbox, _schema  # noqa: F401  (each module registers its commands)
