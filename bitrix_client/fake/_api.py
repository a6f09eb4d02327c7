"""The seam between the fake's protocol core and the method families it serves.

The core (routing, auth, body decoding, envelopes, batch, limits, faults) knows nothing about
sale orders or HL-blocks; each family registers handlers in a :class:`MethodRegistry`. A handler
receives a :class:`CallContext` and returns the ``result`` payload, or a :class:`ListResult` when
the answer is a page (the core then adds ``next``/``total`` as the real server does), or raises
:class:`FakeRestError`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._site import FakeSite


class FakeRestError(Exception):
    """An error answer: ``{"error": code, "error_description": description}`` with ``status``.

    ``code`` is a string for protocol/classic/bridge errors and an int for ``sale.*``.
    """

    def __init__(self, code: str | int, description: str = "", status: int = 400) -> None:
        super().__init__(f"{code}: {description}")
        self.code = code
        self.description = description
        self.status = status


@dataclass
class ListResult:
    """A page: ``result`` is the payload as sent (e.g. ``{"orders": [...]}`` or a bare list)."""

    result: Any
    total: int | None
    next: int | None


#: Scope of the methods every caller may use (``batch``, ``scope``, ``server.time``…).
GLOBAL_SCOPE = "_global"


@dataclass
class CallContext:
    """One call as a handler sees it.

    ``params`` are the request's parameters in their ``json_encode`` view, whatever the wire
    format was: nested form fields (``filter[>id]=5&select[]=id``) and JSON bodies both arrive as
    ``{"filter": {">id": "5"}, "select": ["id"]}``. PHP arrays whose keys are ``0..n-1`` arrive
    as lists, others as dicts with *string* keys. Form values are strings; JSON keeps its types.
    ``method`` is the registered spelling. ``auth_type`` is ``"webhook"`` or ``"oauth"``;
    ``methods`` is the registry in force (for introspection methods). A handler books the rows
    it wrote with :meth:`charge` (``"added"``, ``"updated"``, ``"unchanged"``): a fake with a
    per-row cost (:class:`~._limits.RowCost`) answers as slowly as a real site would.
    """

    site: FakeSite
    method: str
    params: dict[str, Any]
    user_id: int
    scopes: frozenset[str]
    auth_type: str = "webhook"
    client_id: str | None = None
    methods: MethodRegistry | None = None
    work: Counter[str] = field(default_factory=Counter)

    def charge(self, kind: str, rows: int = 1) -> None:
        self.work[kind] += rows


Handler = Callable[[CallContext], Any]


@dataclass(frozen=True)
class MethodSpec:
    name: str
    scope: str
    handler: Handler


class MethodRegistry:
    """Method name (case-insensitive) → handler and the scope that grants it."""

    def __init__(self) -> None:
        self._methods: dict[str, MethodSpec] = {}

    def add(self, name: str, scope: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self._methods[name.lower()] = MethodSpec(name, scope, handler)
            return handler

        return register

    def get(self, name: str) -> MethodSpec | None:
        return self._methods.get(name.lower())

    def names(self) -> list[str]:
        return [spec.name for spec in self._methods.values()]

    def specs(self) -> list[MethodSpec]:
        return list(self._methods.values())

    def merged(self, *others: MethodRegistry) -> MethodRegistry:
        out = MethodRegistry()
        for registry in (self, *others):
            out._methods.update(registry._methods)
        return out
