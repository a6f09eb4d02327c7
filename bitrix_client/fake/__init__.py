"""A stateful ASGI fake of a 1C-Bitrix site's REST API (with the b2bsync bridge scope)."""

from ._api import CallContext, FakeRestError, ListResult, MethodRegistry

__all__ = ["CallContext", "FakeRestError", "ListResult", "MethodRegistry"]
