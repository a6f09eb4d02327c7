"""From a method name and params to an outcome: lookup, scope and auth-type checks, the operating
budget, the handler. Used for plain requests and for each ``batch`` sub-call alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._api import GLOBAL_SCOPE, CallContext, FakeRestError, ListResult, MethodRegistry
from ._auth import WEBHOOK, Principal
from ._envelope import time_block
from ._limits import Limiter
from ._php import PhpArray, to_plain
from ._site import FakeSite
from ._stats import FakeStats

#: Methods a webhook may never call (the real site answers 403 ``WRONG_AUTH_TYPE``).
EVENT_METHODS = frozenset(
    {
        "events",
        "event.bind",
        "event.unbind",
        "event.get",
        "event.test",
        "event.offline.get",
        "event.offline.clear",
        "event.offline.error",
        "event.offline.list",
    }
)

METHOD_NOT_FOUND = FakeRestError("ERROR_METHOD_NOT_FOUND", "Method not found!", 404)
INSUFFICIENT_SCOPE_TEXT = (
    "The request requires higher privileges than provided by the webhook token"
)


@dataclass
class Outcome:
    """One executed call: its payload (or error) and its ``time`` block values."""

    start: float
    finish: float
    processing: float
    result: Any = None
    total: int | None = None
    next: int | None = None
    error: FakeRestError | None = None
    operating: tuple[float, int] | None = None

    def time(self, site: FakeSite) -> dict[str, Any]:
        operating, reset_at = self.operating if self.operating else (None, None)
        return time_block(
            self.start,
            self.finish,
            self.processing,
            site.tz,
            operating=operating,
            operating_reset_at=reset_at,
        )


BatchRunner = Callable[["Dispatcher", Principal, PhpArray, float], Outcome]


class Dispatcher:
    def __init__(
        self,
        site: FakeSite,
        limiter: Limiter,
        stats: FakeStats,
        registry: Callable[[], MethodRegistry],
        batch: BatchRunner,
    ) -> None:
        self.site = site
        self.limiter = limiter
        self.stats = stats
        self._registry = registry
        self._batch = batch

    def registry(self) -> MethodRegistry:
        return self._registry()

    def call(
        self,
        principal: Principal,
        method: str,
        params: PhpArray,
        *,
        start: float,
        in_batch: bool = False,
    ) -> Outcome:
        try:
            return self._call(principal, method, params, start=start)
        except FakeRestError as exc:
            if in_batch and exc.code == "insufficient_scope":
                exc = FakeRestError(exc.code, "", exc.status)
            return Outcome(start=start, finish=start, processing=0.0, error=exc)

    def _call(
        self, principal: Principal, method: str, params: PhpArray, *, start: float
    ) -> Outcome:
        registry = self.registry()
        name = method.lower()
        if name == "batch":
            self.stats.calls["batch"] += 1
            return self._batch(self, principal, params, start)
        spec = registry.get(name)
        if spec is None:
            prefix = name.split(".", 1)[0]
            if prefix in self.site.scopes and prefix not in principal.scopes:
                raise FakeRestError("insufficient_scope", INSUFFICIENT_SCOPE_TEXT, 401)
            if name in EVENT_METHODS and principal.auth_type == WEBHOOK:
                raise _wrong_auth_type()
            raise METHOD_NOT_FOUND
        if spec.scope != GLOBAL_SCOPE and spec.scope not in principal.scopes:
            raise FakeRestError("insufficient_scope", INSUFFICIENT_SCOPE_TEXT, 401)
        if name in EVENT_METHODS and principal.auth_type == WEBHOOK:
            raise _wrong_auth_type()
        self.stats.calls[spec.name] += 1
        reset_at = self.limiter.operating_blocked_until(spec.name, start)
        if reset_at is not None:
            self.stats.operation_limit_sent += 1
            raise OperationTimeLimit(reset_at)
        plain = to_plain(params)
        ctx = CallContext(
            site=self.site,
            method=spec.name,
            params=plain if isinstance(plain, dict) else {},
            user_id=principal.user_id,
            scopes=principal.scopes,
            auth_type=principal.auth_type,
            client_id=principal.client_id,
            methods=registry,
        )
        limits = self.limiter.limits
        outcome = Outcome(start=start, finish=start, processing=0.0)
        try:
            answer = spec.handler(ctx)
        except FakeRestError as exc:
            outcome.error = exc
        self.stats.work.update(ctx.work)
        cost = limits.cost(spec.name) + (limits.row_cost.of(ctx.work) if limits.row_cost else 0.0)
        outcome.finish, outcome.processing = start + cost, cost
        if outcome.error is None:
            if isinstance(answer, ListResult):
                outcome.result, outcome.total, outcome.next = (
                    answer.result,
                    answer.total,
                    answer.next,
                )
            else:
                outcome.result = answer
        outcome.operating = self.limiter.record(spec.name, cost, start)
        return outcome


class OperationTimeLimit(FakeRestError):
    """429: the method spent its operating-time budget; ``reset_at`` says when it frees up."""

    def __init__(self, reset_at: int) -> None:
        super().__init__(
            "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.", 429
        )
        self.reset_at = reset_at


def _wrong_auth_type() -> FakeRestError:
    return FakeRestError(
        "WRONG_AUTH_TYPE", "Current authorization type is denied for this method", 403
    )
