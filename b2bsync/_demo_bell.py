"""The demo's bell: what the cabinet's bell shows two people of the company — the unread count
(the cabinet's own query: the user's ``b2b_notifications`` rows not read) and what they are."""

from __future__ import annotations

from collections import Counter

from workflows import NOTIFICATIONS_BLOCK, unread

from ._demo_scene import Scene


async def bell(scene: Scene) -> tuple[list[str], bool]:
    """Step 9: a line per person; whether each has unread rows and the count matches them."""
    lines: list[str] = []
    ok = True
    for user, role in ((scene.owner, "owner"), (scene.buyer, "buyer")):
        count = await unread(scene.bitrix, user)
        flt = {"UF_USER_ID": user, "!UF_IS_READ": 1}
        rows = [row async for row in scene.bitrix.bridge.items(NOTIFICATIONS_BLOCK, flt)]
        kinds = Counter(str(row["UF_TYPE"]) for row in rows)
        shown = ", ".join(f"{kind} ×{n}" for kind, n in sorted(kinds.items()))
        lines.append(f"{scene.name(user)} ({role}): {count} unread — {shown or 'nothing'}")
        ok = ok and count == len(rows) > 0
    return lines, ok


__all__ = ["bell"]
