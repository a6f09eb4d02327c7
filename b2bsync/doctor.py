"""``b2bsync doctor``: what is wrong with this installation, one line per check, with the fix."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from bitrix_client import (
    AccessDeniedError,
    AuthenticationError,
    BitrixClient,
    BitrixError,
    BridgeIncompatibleError,
    InsufficientScopeError,
    RetryableError,
    status_id_problem,
)
from hl_schemas import SchemaError, plan_schema

from ._errors import ConfigError
from ._wiring import bitrix_client
from .schema import schema_config
from .settings import Settings

REQUIRED_SCOPES = ("sale", "b2bsync")


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""
    fix: str = ""

    def line(self) -> str:
        mark = "✓" if self.ok else "✗"
        text = f"{mark} {self.name}"
        if self.detail:
            text += f": {self.detail}"
        if not self.ok and self.fix:
            text += f" — {self.fix}"
        return text


@dataclass
class DoctorState:
    """What earlier checks learnt; a later check is skipped when it cannot mean anything."""

    reachable: bool = False
    authenticated: bool = False
    timing: dict[str, Any] | None = None
    scopes: set[str] = field(default_factory=set)
    bridge: dict[str, Any] | None = None


CheckFn = Callable[[BitrixClient, Settings, DoctorState], Awaitable[Check | None]]


async def _reachable(client: BitrixClient, settings: Settings, state: DoctorState) -> Check:
    try:
        answer = await client.call("server.time")
    except AuthenticationError as exc:
        state.reachable = True
        return Check(
            "webhook accepted",
            False,
            str(exc.code),
            "the webhook URL or secret is wrong: copy it again from the bridge module's settings "
            "page (Service account tab)",
        )
    except RetryableError as exc:
        return Check(
            "site reachable", False, str(exc), "check bitrix.webhook_url, DNS, TLS and firewall"
        )
    except BitrixError as exc:
        return Check("site reachable", False, str(exc), "is this URL a 1C-Bitrix REST endpoint?")
    state.reachable = state.authenticated = True
    state.timing = dict(answer.time) if answer.time else None
    return Check("site reachable, webhook accepted", True, f"server time {answer.result}")


async def _rate_limit(client: BitrixClient, settings: Settings, state: DoctorState) -> Check | None:
    """What the site's answers say about its REST limit, and what the client does about it."""
    if not state.authenticated:
        return None
    limiter = client.limiter
    if limiter.mode in ("boxed", "cloud", "auto"):
        return Check("rate limit", True, limiter.describe())
    has_bucket = bool(state.timing) and "operating" in (state.timing or {})
    profile = settings.bitrix.rate_limit.value
    if not has_bucket and limiter.limit is not None:
        return Check(
            "rate limit",
            True,
            f"{profile} ({limiter.describe()}), but the site's answers carry no time.operating: "
            'it has no REST limit, and rate_limit = "auto" would write at the site\'s speed',
        )
    return Check("rate limit", True, f"{profile}: {limiter.describe()}")


async def _scopes(client: BitrixClient, settings: Settings, state: DoctorState) -> Check | None:
    if not state.authenticated:
        return None
    try:
        granted = (await client.call("scope")).result
    except BitrixError as exc:
        return Check("scopes", False, str(exc), "grant the webhook the sale and b2bsync scopes")
    state.scopes = {str(s) for s in granted} if isinstance(granted, list) else set()
    missing = [s for s in REQUIRED_SCOPES if s not in state.scopes]
    if missing:
        return Check(
            "scopes",
            False,
            f"missing {', '.join(missing)}",
            "use the webhook the bridge module's settings page creates (scopes sale and b2bsync)",
        )
    return Check("scopes", True, ", ".join(REQUIRED_SCOPES) + " granted")


async def _bridge(client: BitrixClient, settings: Settings, state: DoctorState) -> Check | None:
    if "b2bsync" not in state.scopes:
        return None
    try:
        state.bridge = await client.bridge.ensure_compatible()
    except BridgeIncompatibleError as exc:
        return Check(
            "bridge module",
            False,
            str(exc),
            "copy bridge/b2bsync.bridge to /local/modules/ and install it in "
            "Marketplace → Installed solutions (see README, Deployment)",
        )
    except AccessDeniedError as exc:
        return Check(
            "bridge module",
            False,
            str(exc),
            "use the webhook of the service user the bridge module's settings page creates "
            "(Service account tab)",
        )
    except InsufficientScopeError:
        return Check("bridge module", False, "scope b2bsync not granted", "grant it to the webhook")
    except BitrixError as exc:
        return Check("bridge module", False, str(exc), "see the site's error log")
    info = state.bridge
    return Check("bridge module", True, f"version {info.get('VERSION')} (API {info.get('API')})")


async def _languages(client: BitrixClient, settings: Settings, state: DoctorState) -> Check | None:
    if "sale" not in state.scopes:
        return None
    try:
        langs = await client.sale.languages()
    except BitrixError as exc:
        return Check("languages", False, str(exc), "is the sale module installed?")
    active = sorted(str(lang["lid"]) for lang in langs if lang.get("active") == "Y")
    if not active:
        return Check("languages", False, "no active language", "activate a site language")
    return Check("languages", True, "active: " + ", ".join(active))


async def _person_types(
    client: BitrixClient, settings: Settings, state: DoctorState
) -> Check | None:
    if "sale" not in state.scopes:
        return None
    try:
        types = await client.sale.person_types()
    except BitrixError as exc:
        return Check("payer types", False, str(exc), "is the sale module installed?")
    known = {int(t["id"]): str(t.get("name", "")) for t in types}
    wanted = settings.bitrix.person_type_ids
    unknown = [i for i in wanted if i not in known]
    if unknown:
        return Check(
            "payer types",
            False,
            f"configured ids {unknown} do not exist (site has {sorted(known)})",
            "fix bitrix.person_type_ids",
        )
    if not known:
        return Check("payer types", False, "none", "create a legal-entity payer type in the shop")
    listed = ", ".join(f"{i} {name}" for i, name in sorted(known.items()))
    return Check("payer types", True, listed)


def _status_codes(settings: Settings) -> Check:
    codes = {
        "status_pending": settings.bitrix.status_pending,
        "status_approved": settings.bitrix.status_approved,
        "status_rejected": settings.bitrix.status_rejected,
    }
    problems = [f"{k}: {p}" for k, v in codes.items() if (p := status_id_problem(v))]
    if len(set(codes.values())) != len(codes):
        problems.append("the three codes must differ")
    if problems:
        return Check("status codes", False, "; ".join(problems), "fix bitrix.status_* settings")
    return Check("status codes", True, "/".join(codes.values()))


async def _schema(client: BitrixClient, settings: Settings, state: DoctorState) -> Check | None:
    """Skipped while the scopes, the bridge or the status codes are wrong: those lines say why."""
    if "sale" not in state.scopes or state.bridge is None:
        return None
    try:
        config = schema_config(settings.bitrix)
    except ConfigError:
        return None
    try:
        run = await plan_schema(client, config)
    except (BitrixError, SchemaError) as exc:
        return Check("schema in sync", False, str(exc), "see `b2bsync schema check`")
    plan = run.plan
    if plan.in_sync:
        return Check("schema in sync", True, "HL-blocks, statuses, order property, mail templates")
    lines = plan.lines()
    shown = "; ".join(lines[:SCHEMA_LINES])
    if len(lines) > SCHEMA_LINES:
        shown += f"; … {len(lines) - SCHEMA_LINES} more"
    if plan.steps:
        fix = "run `b2bsync schema apply`"
        if plan.drift:
            fix += "; lines with ! need a human (see `b2bsync schema check`)"
    else:
        fix = "apply never changes these: fix them by hand (see `b2bsync schema check`)"
    return Check("schema in sync", False, shown, fix)


SCHEMA_LINES = 3

CHECKS: list[CheckFn] = [
    _reachable,
    _rate_limit,
    _scopes,
    _bridge,
    _languages,
    _person_types,
    _schema,
]


async def run_doctor(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    extra: list[CheckFn] | None = None,
) -> list[Check]:
    results = [Check("configuration", True, f"rate limit {settings.bitrix.rate_limit.value}")]
    results.append(_status_codes(settings))
    try:
        client = bitrix_client(settings.bitrix, transport=transport)
    except ConfigError as exc:
        results.append(Check("bitrix configured", False, str(exc)))
        return results
    state = DoctorState()
    async with client:
        for check in [*CHECKS, *(extra or [])]:
            outcome = await check(client, settings, state)
            if outcome is not None:
                results.append(outcome)
    return results
