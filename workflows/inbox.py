"""The bell on the site: the unread counter, and pruning rows people have read long ago.

The cabinet counts a user's unread notifications as the rows of ``b2b_notifications`` with
``UF_IS_READ = 0`` (the index on ``UF_USER_ID, UF_IS_READ`` answers it); :func:`unread` is the
same count over REST, for checks and tests. The outbox never sends ``UF_IS_READ``: a new row gets
the field's default — 0 on a real site, where booleans are never NULL — and a resent row keeps
what the user did. So the count asks for "not 1", which is 0 there and also counts a row whose
flag was never written (``!`` matches NULL in the bridge's filters).

Read rows older than the configured age are deleted by :func:`prune_read` (rows are never
deleted while unread); the outbox keeps its own record of what was delivered, so a pruned row
is never delivered again.
"""

from __future__ import annotations

from datetime import datetime

from bitrix_client import BitrixClient, Command

from ._delivery import NOTIFICATIONS_BLOCK

BLOCK = NOTIFICATIONS_BLOCK


async def unread(bitrix: BitrixClient, user_id: int) -> int:
    """How many of ``user_id``'s notifications are unread (one request)."""
    answer = await bitrix.call(
        "b2bsync.item.list",
        {"HLBLOCK": BLOCK, "filter": {"UF_USER_ID": user_id, "!UF_IS_READ": 1}, "select": ["ID"]},
    )
    if answer.total is not None:
        return answer.total
    return len(answer.result) if isinstance(answer.result, list) else 0


async def prune_read(bitrix: BitrixClient, before: datetime) -> int:
    """Delete read notifications created before ``before``; returns how many went."""
    rows = bitrix.bridge.items(BLOCK, {"UF_IS_READ": 1, "<UF_CREATED_AT": before}, select=["ID"])
    ids = [int(row["ID"]) async for row in rows]
    if not ids:
        return 0
    items = await bitrix.batch(
        Command("b2bsync.item.delete", {"HLBLOCK": BLOCK, "ID": number}) for number in ids
    )
    return sum(1 for item in items if item.ok)


__all__ = ["prune_read", "unread"]
