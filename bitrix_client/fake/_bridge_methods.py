"""The ``b2bsync`` scope the ``b2bsync.bridge`` module registers (``BRIDGE_METHODS``).

Contract: ``bridge/contract/`` (scenarios every handler here passes, error codes, shapes). Every
handler runs behind the module's caller check (a member of the service group or an
administrator, :mod:`._bridge_access`), and its errors are described in the site's language as
the module's ``RestService`` describes them (:mod:`._bridge_messages`).
"""

from __future__ import annotations

from typing import Any

from ._api import CallContext, FakeRestError, Handler, MethodRegistry
from ._bridge_access import check_caller
from ._bridge_blocks import BLOCK_METHODS
from ._bridge_fields import FIELD_METHODS
from ._bridge_info import INFO_METHODS
from ._bridge_items import ITEM_METHODS
from ._bridge_mail import MAIL_METHODS
from ._bridge_messages import describe
from ._bridge_notify import NOTIFY_METHODS
from ._bridge_options import OPTION_METHODS
from ._bridge_orders import ORDER_METHODS
from ._bridge_users import USER_METHODS


def _guarded(handler: Handler) -> Handler:
    def call(ctx: CallContext) -> Any:
        try:
            check_caller(ctx.site, ctx.user_id)
            return handler(ctx)
        except FakeRestError as exc:
            if isinstance(exc.code, str):
                exc.description = describe(exc.code, exc.description, ctx.site.language_id)
            raise

    call.__doc__ = handler.__doc__
    return call


def _registry() -> MethodRegistry:
    out = MethodRegistry()
    families = INFO_METHODS.merged(
        BLOCK_METHODS,
        FIELD_METHODS,
        ITEM_METHODS,
        USER_METHODS,
        MAIL_METHODS,
        NOTIFY_METHODS,
        OPTION_METHODS,
        ORDER_METHODS,
    )
    for spec in families.specs():
        out.add(spec.name, spec.scope)(_guarded(spec.handler))
    return out


BRIDGE_METHODS = _registry()

__all__ = ["BRIDGE_METHODS"]
