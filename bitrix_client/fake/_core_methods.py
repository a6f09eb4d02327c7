"""Methods of the rest module itself (and the one catalog method the recordings show).

``batch`` is not here: the dispatcher runs it, since it calls back into dispatching.
"""

from __future__ import annotations

from typing import Any

from ._api import GLOBAL_SCOPE, CallContext, FakeRestError, ListResult, MethodRegistry
from ._auth import OAUTH
from ._envelope import iso
from ._php import truthy

CORE_METHODS = MethodRegistry()

#: What ``methods`` answers without parameters on the recorded site (rest 25.600): the global
#: scope's methods. ``sale.*`` and ``catalog.*`` are controller-based and never listed.
GLOBAL_METHOD_LIST: tuple[str, ...] = (
    "batch", "scope", "methods", "method.get", "server.time", "app.option.get",
    "app.option.set", "user.option.get", "user.option.set", "app.info", "feature.get", "events",
    "event.bind", "event.unbind", "event.get", "event.offline.get", "event.offline.clear",
    "event.offline.error", "event.offline.list", "event.test", "user.admin", "user.access",
    "access.name", "profile", "user.history.list", "user.history.fields.list",
)  # fmt: skip

#: Scopes whose methods come from module controllers; ``methods?scope=…`` lists none of them.
UNLISTED_SCOPES = frozenset({"sale", "catalog"})


@CORE_METHODS.add("server.time", GLOBAL_SCOPE)
def server_time(ctx: CallContext) -> str:
    return iso(ctx.site.timestamp(), ctx.site.tz)


@CORE_METHODS.add("profile", GLOBAL_SCOPE)
def profile(ctx: CallContext) -> dict[str, Any]:
    user = ctx.site.users[ctx.user_id]
    return {
        "ID": str(user.id),
        "ADMIN": user.admin,
        "NAME": user.name,
        "LAST_NAME": user.last_name,
        "PERSONAL_GENDER": "",
        "TIME_ZONE": None,
    }


@CORE_METHODS.add("scope", GLOBAL_SCOPE)
def scope(ctx: CallContext) -> list[str]:
    if truthy(ctx.params.get("full")):
        return list(ctx.site.scopes)
    return sorted(ctx.scopes)


def _registry(ctx: CallContext) -> MethodRegistry:
    return ctx.methods if ctx.methods is not None else CORE_METHODS


@CORE_METHODS.add("methods", GLOBAL_SCOPE)
def methods(ctx: CallContext) -> list[str]:
    wanted = ctx.params.get("scope")
    listed = [
        spec
        for spec in _registry(ctx).specs()
        if spec.scope not in UNLISTED_SCOPES and spec.scope != GLOBAL_SCOPE
    ]
    if isinstance(wanted, str) and wanted:
        return [spec.name for spec in listed if spec.scope == wanted]
    if truthy(ctx.params.get("full")):
        return [*GLOBAL_METHOD_LIST, *(spec.name for spec in listed)]
    return list(GLOBAL_METHOD_LIST)


@CORE_METHODS.add("method.get", GLOBAL_SCOPE)
def method_get(ctx: CallContext) -> dict[str, bool]:
    name = ctx.params.get("name")
    if not isinstance(name, str):
        name = ""
    spec = _registry(ctx).get(name)
    if spec is None:
        existing = name.lower() in GLOBAL_METHOD_LIST
        return {"isExisting": existing, "isAvailable": existing}
    available = spec.scope == GLOBAL_SCOPE or spec.scope in ctx.scopes
    return {"isExisting": True, "isAvailable": available}


@CORE_METHODS.add("app.info", GLOBAL_SCOPE)
def app_info(ctx: CallContext) -> dict[str, Any]:
    info: dict[str, Any] = {}
    if ctx.auth_type == OAUTH:
        info.update(
            {
                "ID": _app_number(ctx),
                "CODE": ctx.client_id,
                "VERSION": 1,
                "STATUS": "L",
                "INSTALLED": True,
                "PAYMENT_EXPIRED": "N",
                "DAYS": None,
            }
        )
    info.update(
        {
            "SCOPE": sorted(ctx.scopes),
            "LICENSE": "ru_business",
            "LICENSE_TYPE": "business",
            "LICENSE_FAMILY": "business",
        }
    )
    return info


def _app_number(ctx: CallContext) -> int:
    for number, client_id in enumerate(ctx.site.oauth.apps, start=1):
        if client_id == ctx.client_id:
            return number
    return 0


@CORE_METHODS.add("user.admin", GLOBAL_SCOPE)
def user_admin(ctx: CallContext) -> bool:
    return ctx.site.users[ctx.user_id].admin


@CORE_METHODS.add("user.option.get", GLOBAL_SCOPE)
def user_option_get(ctx: CallContext) -> Any:
    options = ctx.site.user_options.setdefault(ctx.user_id, {})
    return _option_get(options, ctx.params.get("option"))


@CORE_METHODS.add("user.option.set", GLOBAL_SCOPE)
def user_option_set(ctx: CallContext) -> bool:
    options = ctx.site.user_options.setdefault(ctx.user_id, {})
    return _option_set(options, ctx.params.get("options"))


@CORE_METHODS.add("app.option.get", GLOBAL_SCOPE)
def app_option_get(ctx: CallContext) -> Any:
    options = ctx.site.app_options.setdefault(_app_key(ctx), {})
    return _option_get(options, ctx.params.get("option"))


@CORE_METHODS.add("app.option.set", GLOBAL_SCOPE)
def app_option_set(ctx: CallContext) -> bool:
    if ctx.auth_type != OAUTH:
        raise FakeRestError(
            "WRONG_AUTH_TYPE", "Current authorization type is denied for this method", 403
        )
    options = ctx.site.app_options.setdefault(_app_key(ctx), {})
    return _option_set(options, ctx.params.get("options"))


def _app_key(ctx: CallContext) -> str:
    return ctx.client_id or f"webhook:{ctx.user_id}"


def _option_get(options: dict[str, Any], option: Any) -> Any:
    if isinstance(option, str) and option:
        return options.get(option)
    return dict(options)


def _option_set(options: dict[str, Any], values: Any) -> bool:
    if not isinstance(values, dict) or not values:
        raise FakeRestError("ERROR_CORE", "Wrong option data", 400)
    options.update(values)
    return True


@CORE_METHODS.add("catalog.catalog.list", "catalog")
def catalog_catalog_list(ctx: CallContext) -> ListResult:
    start = ctx.params.get("start")
    counted = not (isinstance(start, int | str) and str(start).strip() == "-1")
    return ListResult({"catalogs": []}, total=0 if counted else None, next=None)
