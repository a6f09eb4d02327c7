"""The guard's configuration: the bridge module option ``guard``, written by ``schema apply``.

``{"version": 1, "pending_status": "PA", "over_credit": "approval", "when_blocked": "refuse"}``
and nothing else: the status a new order that needs approval is saved in, and what happens to an
order above the credit still available and to one placed while the company is blocked
(``approval``: saved pending; ``refuse``: the checkout shows why). The PHP twin is
``GuardConfig::parse`` (``bridge/b2bsync.bridge/lib/core/guardconfig.php``); both refuse the
same values (``bridge/contract/71_guard_option.json``), so a value the site stores is one both
sides read alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast

VERSION = 1
RULES = ("approval", "refuse")
#: Statuses Bitrix itself needs (new, finished, and the delivery pair): never "pending".
SYSTEM_STATUSES = frozenset({"N", "F", "DN", "DF"})
KEYS = frozenset({"version", "pending_status", "over_credit", "when_blocked"})

Rule = Literal["approval", "refuse"]


class GuardConfigError(ValueError):
    """A guard option the module would refuse (``ERROR_ARGUMENT``); the text names the key."""


@dataclass(frozen=True)
class GuardConfig:
    pending_status: str = "PA"
    over_credit: Rule = "approval"
    when_blocked: Rule = "refuse"
    version: int = VERSION

    def __post_init__(self) -> None:
        problem = config_problem(self.to_option())
        if problem:
            raise GuardConfigError(problem)

    def to_option(self) -> dict[str, Any]:
        """The option's JSON value, as ``b2bsync.option.set`` stores it."""
        return {
            "version": self.version,
            "pending_status": self.pending_status,
            "over_credit": self.over_credit,
            "when_blocked": self.when_blocked,
        }

    @classmethod
    def from_option(cls, value: Any) -> GuardConfig:
        """The stored value, checked; :class:`GuardConfigError` when the module would refuse it."""
        problem = config_problem(value)
        if problem:
            raise GuardConfigError(problem)
        data = cast(Mapping[str, Any], value)
        return cls(
            pending_status=str(data["pending_status"]),
            over_credit=cast(Rule, data["over_credit"]),
            when_blocked=cast(Rule, data["when_blocked"]),
            version=int(data["version"]),
        )


def config_problem(value: Any) -> str | None:
    """Why ``value`` is not a guard option the module accepts (``None`` when it is)."""
    if not isinstance(value, Mapping) or set(value) != KEYS:
        return "VALUE must be an object with exactly the keys " + ", ".join(sorted(KEYS))
    version = value["version"]
    if isinstance(version, bool) or version != VERSION or not isinstance(version, int):
        return f"VALUE.version must be {VERSION}"
    status = value["pending_status"]
    if (
        not isinstance(status, str)
        or not 1 <= len(status) <= 2
        or not (status.isascii() and status.isalnum())
    ):
        return "VALUE.pending_status must be a status ID: 1–2 Latin letters or digits"
    if status.upper() in SYSTEM_STATUSES:
        return f"VALUE.pending_status {status} is a system status (N, F, DN, DF)"
    for key in ("over_credit", "when_blocked"):
        if value[key] not in RULES:
            return f"VALUE.{key} must be approval or refuse"
    return None
