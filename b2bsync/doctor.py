"""``b2bsync doctor``: what is wrong with this installation, one line per check, with the fix."""

from __future__ import annotations

import hmac
import secrets
import stat
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bitrix_client import (
    AccessDeniedError,
    AuthenticationError,
    BitrixClient,
    BitrixError,
    BridgeIncompatibleError,
    InsufficientScopeError,
    MethodNotFoundError,
    RetryableError,
    status_id_problem,
)
from hl_schemas import SchemaError, plan_schema

from ._errors import ConfigError
from ._wiring import bitrix_client
from .schema import schema_config
from .settings import Settings
from .store._url import parse_store_url
from .web import probe_signature

REQUIRED_SCOPES = ("sale", "b2bsync")
#: The oldest bridge module this b2bsync works with: 1.2 ships the order guard,
#: ``b2bsync.order.status.set`` (the approval moves, the one-click links) and the cabinet.
MIN_BRIDGE_VERSION = (1, 2, 0)


@dataclass
class Check:
    """One line. A warning (``⚠``) is shown with its fix but does not fail the doctor."""

    name: str
    ok: bool
    detail: str = ""
    fix: str = ""
    warning: bool = False

    def line(self) -> str:
        mark = "⚠" if self.warning else ("✓" if self.ok else "✗")
        text = f"{mark} {self.name}"
        if self.detail:
            text += f": {self.detail}"
        if (self.warning or not self.ok) and self.fix:
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
    link_info: dict[str, Any] | None = None


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
    found = f"version {info.get('VERSION')} (API {info.get('API')})"
    version = _version(info.get("VERSION"))
    if version is not None and version < MIN_BRIDGE_VERSION:
        needed = ".".join(str(part) for part in MIN_BRIDGE_VERSION)
        return Check(
            "bridge module",
            False,
            f"{found}: b2bsync needs {needed} or later (the order guard, "
            "b2bsync.order.status.set, the cabinet)",
            "install this version's bridge/b2bsync.bridge over the old one and run Install again",
        )
    return Check("bridge module", True, found)


def _version(text: object) -> tuple[int, ...] | None:
    """``1.2.0`` as ``(1, 2, 0)``; ``None`` when it is not dotted numbers."""
    try:
        return tuple(int(part) for part in str(text).split("."))
    except ValueError:
        return None


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
        config = schema_config(settings.bitrix, settings.approval)
    except ConfigError:
        return None
    try:
        run = await plan_schema(client, config)
    except (BitrixError, SchemaError) as exc:
        return Check("schema in sync", False, str(exc), "see `b2bsync schema check`")
    plan = run.plan
    if plan.in_sync:
        return Check(
            "schema in sync",
            True,
            "HL-blocks, statuses, order property, mail templates, "
            "module options (roles, order guard)",
        )
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

#: Group or other may read or write: the webhook secret, 1C's password, the OAuth pair or the
#: state (which names every company and document) would be open to every local account.
_OPEN_BITS = 0o066


def secret_files(settings: Settings, config_file: Path | None, env_file: Path | None) -> list[Path]:
    """The files that may hold secrets or the sync's state, those that exist."""
    candidates: list[Path] = []
    if config_file is not None:
        candidates.append(config_file)
    if env_file is not None:
        candidates.append(env_file)
    if settings.bitrix.token_file:
        candidates.append(Path(settings.bitrix.token_file))
    try:
        state = parse_store_url(settings.state.url.get_secret_value()).sqlite_path
    except (ConfigError, ValueError):
        state = None
    if state is not None:
        candidates += [state, state.with_name(state.name + "-wal")]
    return [path for path in dict.fromkeys(candidates) if path.is_file()]


def file_permissions(
    settings: Settings, *, config_file: Path | None = None, env_file: Path | None = None
) -> list[Check]:
    """A warning per config, env, token or state file others can read (or write)."""
    files = secret_files(settings, config_file, env_file)
    warnings = []
    for path in files:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & _OPEN_BITS:
            warnings.append(
                Check(
                    "file permissions",
                    True,
                    f"{path} is {'readable' if mode & 0o044 else 'writable'} by others "
                    f"({mode:04o})",
                    f"chmod 600 {path} (and run b2bsync as its owner)",
                    warning=True,
                )
            )
    if warnings or not files:
        return warnings
    return [Check("file permissions", True, f"owner only ({len(files)} files)")]


_MODULE_SETTINGS = "Settings → Module settings → b2bsync bridge"


async def _shared_secret(
    client: BitrixClient, settings: Settings, state: DoctorState
) -> Check | None:
    """The module and b2bsync hold the same shared secret: the module signs a probe link
    (``b2bsync.link.info``) and b2bsync checks the signature with its own secret — the secret
    itself never crosses the wire."""
    if state.bridge is None:
        return None
    secret = settings.web.secret
    if secret is None:
        return Check(
            "shared secret",
            False,
            "web.secret is not set",
            "set B2BSYNC_WEB__SECRET to the module's shared signing secret "
            f"({_MODULE_SETTINGS}); needed for document links and pings",
        )
    nonce = secrets.token_urlsafe(16)
    try:
        info = await client.bridge.link_info(nonce)
    except MethodNotFoundError:
        return Check(
            "shared secret",
            False,
            "the bridge module has no b2bsync.link.info",
            "install this version's bridge/b2bsync.bridge over the old one and run Install again",
        )
    except BitrixError as exc:
        return Check("shared secret", False, str(exc), "see the site's error log")
    state.link_info = info
    signature = info.get("SIGNATURE")
    if not signature:
        return Check(
            "shared secret",
            False,
            "the module has no secret",
            f"enter web.secret as the shared signing secret in {_MODULE_SETTINGS}",
        )
    if not hmac.compare_digest(str(signature), probe_signature(secret.get_secret_value(), nonce)):
        return Check(
            "shared secret",
            False,
            "the module signs with another secret than web.secret",
            f"enter the same value in {_MODULE_SETTINGS} and in B2BSYNC_WEB__SECRET",
        )
    pings = info.get("EVENTS_URL") or "off"
    return Check("shared secret", True, f"the module signs links with web.secret; pings: {pings}")


async def _addresses(client: BitrixClient, settings: Settings, state: DoctorState) -> Check | None:
    """Where the module sends browsers and pings, against ``web.public_url``."""
    public = settings.web.public_url
    info = state.link_info
    if info is None or public is None:
        return None
    wanted = {"BASE_URL": f"{public}/documents/download", "EVENTS_URL": f"{public}/events"}
    wrong = [
        f"{key} is {repr(info[key]) if info.get(key) else 'empty'}, expected {value!r}"
        for key, value in wanted.items()
        if info.get(key) != value
    ]
    if wrong:
        return Check(
            "module addresses",
            False,
            "; ".join(wrong),
            f"in {_MODULE_SETTINGS}: download address {wanted['BASE_URL']}, "
            f"b2bsync address {public}",
        )
    return Check("module addresses", True, f"links and pings go to {public}")


CHECKS: list[CheckFn] = [
    _reachable,
    _rate_limit,
    _scopes,
    _bridge,
    _shared_secret,
    _addresses,
    _languages,
    _person_types,
    _schema,
]


async def run_doctor(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    extra: list[CheckFn] | None = None,
    config_file: Path | None = None,
    env_file: Path | None = None,
) -> list[Check]:
    results = [Check("configuration", True, f"rate limit {settings.bitrix.rate_limit.value}")]
    results += file_permissions(settings, config_file=config_file, env_file=env_file)
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
