"""Between a scenario's fresh site and a real one: IDs and names.

The scenarios expect the IDs a fresh site hands out (1, 2, … per kind); a real site has other
modules' user fields, enumeration items, files, users and templates, uses up an auto-increment
value for a refused insert, and keeps what earlier scenarios made (HL-blocks cannot be deleted
over REST). So every ID the site hands out is bound to the one the scenario expected where it
appears (an ``add`` result, an ``{ID, …}`` answer, the ``LIST`` of a new enumeration field, a
file in a row), requests carry the site's IDs, and answers are read back in the scenario's.
Names a scenario creates (blocks, tables, e-mails, logins, mail events, dedup keys) get a suffix
of the run, so scenarios and runs never meet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: An ID the site does not hand out: what a scenario's "no such ID" (99) becomes.
PHANTOM = 2_000_000_000

_BLOCK_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")
_TABLE_NAME = re.compile(r"[a-z0-9_]+")
_EVENT = re.compile(r"B2B_[A-Z0-9_]+")
_EMAIL = re.compile(r"(\s*)([^@\s]+)@([^@\s]+)(\s*)")


class IdMap:
    """The scenario's IDs ↔ the site's, per kind (``block``, ``field``, ``enum``, ``file``,
    ``user``, ``group``, ``mail_type``, ``template``, ``event``, ``row:<block>``)."""

    def __init__(self) -> None:
        self._site: dict[str, dict[int, int]] = {}
        self._scenario: dict[str, dict[int, int]] = {}

    def bind(self, kind: str, expected: int, actual: int) -> bool:
        """Pair the two; False when either is paired with something else already."""
        site, scenario = self._site.setdefault(kind, {}), self._scenario.setdefault(kind, {})
        if site.get(expected, actual) != actual or scenario.get(actual, expected) != expected:
            return False
        site[expected] = actual
        scenario[actual] = expected
        return True

    def to_site(self, kind: str, expected: int) -> int:
        return self._site.get(kind, {}).get(expected, PHANTOM + expected)

    def to_scenario(self, kind: str, actual: int) -> int | None:
        return self._scenario.get(kind, {}).get(actual)

    def known(self, kind: str) -> dict[int, int]:
        return dict(self._site.get(kind, {}))


class Names:
    """The names a scenario uses, made unique to one run: ``token`` is appended (or, for a
    name at its length limit, replaces its tail, so length rules keep holding)."""

    def __init__(self, token: str) -> None:
        self.token = token
        self._back: dict[str, str] = {}

    def _keep(self, mapped: str, original: str) -> str:
        self._back[mapped] = original
        return mapped

    def back(self, text: str) -> str:
        return self._back.get(text, text)

    def alias(self, site: str, scenario: str) -> None:
        """A name the site has under another spelling (its site ID for the scenarios' ``s1``)."""
        self._back[site] = scenario

    def is_mine(self, text: str) -> bool:
        """Whether ``text`` is a name this run made."""
        return text in self._back

    def block(self, name: str) -> str:
        if not _BLOCK_NAME.fullmatch(name) or len(name) > 100 or name.lower().endswith("table"):
            return name  # refused by the name rules either way
        token = self.token.capitalize()
        mapped = name + token if len(name) + len(token) <= 100 else name[: -len(token)] + token
        return self._keep(mapped, name)

    def table(self, name: str) -> str:
        if not _TABLE_NAME.fullmatch(name) or len(name) > 64 or name.startswith("b_"):
            return name  # a refused name, or one of the core's tables (expected to exist)
        suffix = f"_{self.token.lower()}"
        mapped = name + suffix if len(name) + len(suffix) <= 64 else name[: -len(suffix)] + suffix
        return self._keep(mapped, name)

    def email(self, text: str) -> str:
        match = _EMAIL.fullmatch(text)
        if match is None:
            return text
        before, local, domain, after = match.groups()
        mapped = f"{before}{local}+{self.token}@{domain}{after}"
        self._keep(f"{local}+{self.token}@{domain}".lower(), f"{local}@{domain}".lower())
        return mapped

    def login(self, login: str) -> str:
        if "@" in login:
            return self.email(login)
        return login if len(login.strip()) < 3 else self._keep(f"{login}_{self.token}", login)

    def event(self, name: str) -> str:
        if not _EVENT.fullmatch(name):
            return name  # malformed or not B2B_: refused either way
        return self._keep(f"{name}_{self.token.upper()}", name)

    def dedup(self, key: str) -> str:
        """A mail dedup key (at most 255 characters: a longer one stays longer)."""
        if not key:
            return key
        suffix = f":{self.token}"
        mapped = key + suffix if len(key) + len(suffix) <= 255 else key[: -len(suffix)] + suffix
        return self._keep(mapped, key)

    def strings_back(self, value: Any) -> Any:
        """``value`` with every name this run made replaced by the scenario's."""
        if isinstance(value, str):
            return self._back.get(value, self._back.get(value.lower(), value))
        if isinstance(value, list):
            return [self.strings_back(v) for v in value]
        if isinstance(value, Mapping):
            return {k: self.strings_back(v) for k, v in value.items()}
        return value


def positive_id(value: object) -> int | None:
    """An ID as a request may carry one: a positive int or its digits; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.isdigit():
        number = int(value)
        return number if number > 0 else None
    return None


def same_form(original: object, number: int) -> int | str:
    """``number`` in the form the scenario wrote its ID (``"1"`` stays a string)."""
    return str(number) if isinstance(original, str) else number
