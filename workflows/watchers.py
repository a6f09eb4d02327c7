"""The watchers: which source each reads, which policy acts on it, and what wakes it.

Every watcher runs the same loop (:func:`workflows.poll`); they differ only in their source and
policy:

====================  ==============================  ==========================================
watcher               reads                           notifies
====================  ==============================  ==========================================
``order_events``      ``b2b_order_events`` (bridge)   ``B2B_ORDER_CREATED``,
                                                      ``…_APPROVAL_REQUIRED``,
                                                      ``…_APPROVED``, ``…_REJECTED``,
                                                      ``…_STATUS_CHANGED`` (and the approval
                                                      workflow's moves, :mod:`workflows.orders`)
``order_comments``    ``order_comments``              ``B2B_ORDER_COMMENT``
``invites``           ``b2b_invites``                 ``B2B_COMPANY_INVITE`` (issues the token)
``facts``             the sync jobs' facts journal    ``B2B_DOCUMENT_READY``, ``B2B_CREDIT_BLOCKED``
====================  ==============================  ==========================================

The bridge pings ``POST /events`` with the table name of the block that got a row
(:data:`WAKES`); a ping only wakes the watcher, which reads the rows back from the site like
any poll. Each workflow adds its blocks here and its policies in its own module; work no new row
announces runs as a sweep (:mod:`workflows.sweeps`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from bitrix_client import BitrixClient

from ._cursor import Item, Watcher
from ._ports import WorkflowStore
from .comments import order_comment
from .facts import FactSource, facts_policy
from .invitations import Invitations
from .orders import status_log

ORDER_EVENTS = "order_events"
ORDER_COMMENTS = "order_comments"
INVITES = "invites"
FACTS = "facts"

#: The order the daemon polls them in (and the order of ``b2bsync status`` lines).
WATCH_ORDER: tuple[str, ...] = (ORDER_EVENTS, ORDER_COMMENTS, INVITES, FACTS)

#: Table name in a ping → the watcher it wakes.
WAKES: Mapping[str, str] = MappingProxyType(
    {"b2b_order_events": ORDER_EVENTS, "order_comments": ORDER_COMMENTS, "b2b_invites": INVITES}
)


class HlSource:
    """Rows of an HL-block by ascending ``ID``, one page (up to 50 rows) per request."""

    def __init__(self, bitrix: BitrixClient, block: str, select: Sequence[str]) -> None:
        self.bitrix = bitrix
        self.block = block
        self.select = ["ID", *select]

    async def newest(self) -> int:
        answer = await self.bitrix.call(
            "b2bsync.item.list",
            {"HLBLOCK": self.block, "order": {"ID": "DESC"}, "select": ["ID"], "start": -1},
        )
        rows = _rows(answer.result)
        return int(rows[0]["ID"]) if rows else 0

    async def after(self, cursor: int, limit: int) -> list[Item]:
        answer = await self.bitrix.call(
            "b2bsync.item.list",
            {
                "HLBLOCK": self.block,
                "filter": {">ID": cursor},
                "order": {"ID": "ASC"},
                "select": self.select,
                "start": -1,
            },
        )
        return [
            Item(int(row["ID"]), row, _moment(row.get("UF_CREATED_AT")))
            for row in _rows(answer.result)[:limit]
        ]


def _rows(result: Any) -> list[dict[str, Any]]:
    if isinstance(result, dict):
        result = list(result.values())
    return (
        [r for r in result if isinstance(r, dict) and "ID" in r] if isinstance(result, list) else []
    )


def _moment(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def status_log_source(bitrix: BitrixClient) -> HlSource:
    """The bridge's status log, ``b2b_order_events``."""
    select = ["UF_ORDER_ID", "UF_OLD_STATUS", "UF_NEW_STATUS", "UF_USER_ID", "UF_REASON"]
    return HlSource(bitrix, "B2bOrderEvents", [*select, "UF_CREATED_AT"])


def build_watchers(bitrix: BitrixClient, store: WorkflowStore) -> list[Watcher]:
    """Every watcher, in :data:`WATCH_ORDER`."""
    made = {
        ORDER_EVENTS: Watcher(ORDER_EVENTS, status_log_source(bitrix), status_log),
        ORDER_COMMENTS: Watcher(
            ORDER_COMMENTS,
            HlSource(
                bitrix,
                "OrderComments",
                ["UF_ORDER_ID", "UF_USER_ID", "UF_TEXT", "UF_IS_INTERNAL", "UF_CREATED_AT"],
            ),
            order_comment,
        ),
        INVITES: Watcher(
            INVITES,
            HlSource(
                bitrix,
                "B2bInvites",
                [
                    "UF_COMPANY_ID",
                    "UF_EMAIL",
                    "UF_ROLE",
                    "UF_STATUS",
                    "UF_TOKEN_HASH",
                    "UF_INVITED_BY",
                    "UF_EXPIRES_AT",
                    "UF_CREATED_AT",
                ],
            ),
            Invitations(bitrix, store).policy,
        ),
        # b2bsync's own journal: its ids commit in order, a gap is never a row still coming
        FACTS: Watcher(
            FACTS, FactSource(store), facts_policy, from_start=True, gap_grace=timedelta(0)
        ),
    }
    return [made[name] for name in WATCH_ORDER]


__all__ = [
    "FACTS",
    "INVITES",
    "ORDER_COMMENTS",
    "ORDER_EVENTS",
    "WAKES",
    "WATCH_ORDER",
    "HlSource",
    "build_watchers",
    "status_log_source",
]
