"""Invite claims in the state store (:class:`workflows.InviteStore`): what makes accepting an
invite happen once.

``claim_invite`` inserts with ``ON CONFLICT DO NOTHING`` on the invite: of two requests at the
same moment the database lets one insert, and the other reads the winner's row. A claim older
than ``stale_after`` and not completed is taken over with an update that names the old holder
and time, so two late-comers cannot both take it. Every later write names its holder and
touches nothing once the holder lost the claim. ``has_notification`` reads the outbox: whether
an invite's mail for a given token was stored; ``forget_links`` blanks the link of invite mails
the site confirmed, so the token leaves the state store.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, select, update

from workflows import Claim, Claimed

from ._models import invite_claims, outbox, outbox_deliveries

if TYPE_CHECKING:
    from ._store import Store


def _claim(row: Any) -> Claim:
    return Claim(
        row.invite_id, row.token_hash, row.holder, row.claimed_at, row.user_id, row.completed_at
    )


class InviteTables:
    """The invites' half of :class:`~b2bsync.store.SqlWorkflowStore`."""

    store: Store

    def has_notification(self, key: str) -> bool:
        with self.store.transaction(write=False) as conn:
            found = conn.execute(
                select(outbox.c.id).where(outbox.c.dedup_key == key)
            ).scalar_one_or_none()
        return found is not None

    def claim_invite(
        self, invite_id: int, token_hash: str, holder: str, now: datetime, stale_after: timedelta
    ) -> Claimed:
        c = invite_claims.c
        with self.store.transaction() as conn:
            inserted = conn.execute(
                self.store._insert(invite_claims)
                .values(invite_id=invite_id, token_hash=token_hash, holder=holder, claimed_at=now)
                .on_conflict_do_nothing(index_elements=["invite_id"])
            ).rowcount
            row = conn.execute(select(invite_claims).where(c.invite_id == invite_id)).one()
            if inserted:
                return Claimed(_claim(row), won=True)
            found = _claim(row)
            if found.completed or now - found.claimed_at < stale_after:
                return Claimed(found, won=False)
            taken = conn.execute(
                update(invite_claims)
                .where(
                    c.invite_id == invite_id,
                    c.holder == found.holder,
                    c.claimed_at == found.claimed_at,
                    c.completed_at.is_(None),
                )
                .values(holder=holder, claimed_at=now)
            ).rowcount
            row = conn.execute(select(invite_claims).where(c.invite_id == invite_id)).one()
        return Claimed(_claim(row), won=bool(taken), taken_over=bool(taken))

    def _held(self, invite_id: int, holder: str) -> Any:
        c = invite_claims.c
        return and_(c.invite_id == invite_id, c.holder == holder, c.completed_at.is_(None))

    def set_claim_user(self, invite_id: int, holder: str, user_id: int) -> bool:
        stmt = update(invite_claims).where(self._held(invite_id, holder)).values(user_id=user_id)
        with self.store.transaction() as conn:
            return bool(conn.execute(stmt).rowcount)

    def complete_claim(self, invite_id: int, holder: str, user_id: int, now: datetime) -> bool:
        stmt = (
            update(invite_claims)
            .where(self._held(invite_id, holder))
            .values(user_id=user_id, completed_at=now)
        )
        with self.store.transaction() as conn:
            return bool(conn.execute(stmt).rowcount)

    def release_claim(self, invite_id: int, holder: str) -> bool:
        stmt = delete(invite_claims).where(self._held(invite_id, holder))
        with self.store.transaction() as conn:
            return bool(conn.execute(stmt).rowcount)

    def forget_links(self, type_name: str, field: str, since: datetime) -> int:
        d = outbox_deliveries.c
        waiting = select(d.notification_id).where(d.state != "done")
        query = select(outbox.c.id, outbox.c.fields).where(
            outbox.c.type == type_name,
            outbox.c.created_at >= since,
            outbox.c.id.not_in(waiting),
        )
        count = 0
        with self.store.transaction() as conn:
            for number, fields in conn.execute(query).all():
                if (fields or {}).get(field):
                    conn.execute(
                        update(outbox)
                        .where(outbox.c.id == number)
                        .values(fields={**fields, field: ""})
                    )
                    count += 1
        return count

    def invite_claim(self, invite_id: int) -> Claim | None:
        c = invite_claims.c
        with self.store.transaction(write=False) as conn:
            row = conn.execute(select(invite_claims).where(c.invite_id == invite_id)).one_or_none()
        return None if row is None else _claim(row)


__all__ = ["InviteTables"]
