"""The role table as the guard reads it from the module option ``roles``.

The option is checked when it is stored (``b2bsync.option.set``), so reading is lenient: a value
without the expected shape counts as no table at all — the guard then cannot tell who may order
and lets every order pass, as the PHP side (``CabinetAccess::fromOption``) does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

CREATE_ORDERS = "orders.create"


@dataclass(frozen=True)
class RoleTable:
    #: role code → (ru title, en title)
    titles: Mapping[str, tuple[str, str]]
    #: role code → capability codes
    grants: Mapping[str, frozenset[str]]

    @classmethod
    def from_option(cls, value: Any) -> RoleTable | None:
        if not isinstance(value, Mapping) or not isinstance(value.get("roles"), list):
            return None
        titles: dict[str, tuple[str, str]] = {}
        grants: dict[str, frozenset[str]] = {}
        for role in value["roles"]:
            if not isinstance(role, Mapping) or not isinstance(role.get("code"), str):
                return None
            title = role.get("title")
            capabilities = role.get("capabilities")
            if not isinstance(title, Mapping) or not isinstance(capabilities, list):
                return None
            titles[role["code"]] = (str(title.get("ru", "")), str(title.get("en", "")))
            grants[role["code"]] = frozenset(str(c) for c in capabilities)
        return cls(titles, grants)

    def has(self, role: str) -> bool:
        return role in self.grants

    def can(self, role: str, capability: str) -> bool:
        return capability in self.grants.get(role, frozenset())

    def title(self, role: str, language: str) -> str:
        """The role's title in ``language`` (ru, else English); the code for an unknown role."""
        found = self.titles.get(role)
        if found is None:
            return role
        return found[0] if language == "ru" else found[1]
