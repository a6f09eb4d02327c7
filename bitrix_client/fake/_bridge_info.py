"""``b2bsync.info``: what the installed bridge is, so the client can refuse an incompatible one."""

from __future__ import annotations

from typing import Any

from ._api import CallContext, MethodRegistry
from ._bridge_access import access_info
from ._bridge_params import SCOPE

INFO_METHODS = MethodRegistry()

#: The module version (``install/version.php``) and the contract's major version.
VERSION = "1.2.0"
API = 1
FEATURES = (
    "access_control",
    "cabinet",
    "files",
    "link_info",
    "mail_dedup",
    "mail_template_guard",
    "options",
    "order_events",
    "order_guard",
    "order_status",
    "recipients",
    "upsert",
    "upsert_rows",
    "wake_pings",
)


@INFO_METHODS.add("b2bsync.info", SCOPE)
def info(ctx: CallContext) -> dict[str, Any]:
    site = ctx.site
    person_types = [
        {
            "ID": row["id"],
            "NAME": row.get("name", ""),
            "CODE": row.get("code"),
            "ACTIVE": row.get("active", "Y"),
        }
        for row in sorted(site.sale.person_types.values(), key=lambda r: int(r["id"]))
    ]
    return {
        "VERSION": VERSION,
        "API": API,
        "SITE_ID": site.site_id,
        "LANGUAGES": sorted(site.active_languages),
        "PERSON_TYPES": person_types,
        "FEATURES": list(FEATURES),
        "ACCESS": access_info(site.bridge),
    }
