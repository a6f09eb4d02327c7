"""The ``b2bsync`` scope the ``b2bsync.bridge`` module registers (``BRIDGE_METHODS``).

Contract: ``bridge/contract/`` (scenarios every handler here passes, error codes, shapes).
"""

from __future__ import annotations

from ._bridge_blocks import BLOCK_METHODS
from ._bridge_fields import FIELD_METHODS
from ._bridge_info import INFO_METHODS
from ._bridge_items import ITEM_METHODS
from ._bridge_mail import MAIL_METHODS
from ._bridge_notify import NOTIFY_METHODS
from ._bridge_options import OPTION_METHODS
from ._bridge_users import USER_METHODS

BRIDGE_METHODS = INFO_METHODS.merged(
    BLOCK_METHODS,
    FIELD_METHODS,
    ITEM_METHODS,
    USER_METHODS,
    MAIL_METHODS,
    NOTIFY_METHODS,
    OPTION_METHODS,
)

__all__ = ["BRIDGE_METHODS"]
