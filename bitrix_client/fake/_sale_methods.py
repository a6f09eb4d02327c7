"""The ``sale`` scope of the fake: every ``sale.*`` method, registered by its entity module."""

from __future__ import annotations

from . import _sale_basket, _sale_orders, _sale_props, _sale_status, _sale_values
from ._sale_common import SALE

SALE_METHODS = SALE

__all__ = ["SALE_METHODS"]

_FAMILIES = (_sale_basket, _sale_orders, _sale_props, _sale_status, _sale_values)
