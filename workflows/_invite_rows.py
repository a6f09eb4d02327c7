"""``b2b_invites`` on the site, as :class:`~workflows.invites.Invite` values.

Role and status are enumeration item IDs on the site and codes here (``owner``, ``pending``),
mapped through the fields' lists (read once per instance, again for an ID the mapping lacks).
A row is found by its token through the SHA-256 the row stores (unique index) — the token itself
is never sent to the site.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bitrix_client import BitrixClient, iso_datetime

from ._directory import Directory
from ._values import as_id
from .invites import Invite, Status, token_hash

BLOCK = "B2bInvites"
SELECT = (
    "ID",
    "UF_COMPANY_ID",
    "UF_EMAIL",
    "UF_ROLE",
    "UF_STATUS",
    "UF_TOKEN_HASH",
    "UF_INVITED_BY",
    "UF_EXPIRES_AT",
    "UF_ACCEPTED_USER_ID",
    "UF_CREATED_AT",
)


def _moment(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def placeholder_hash() -> str:
    """The hash of a token nobody holds: a ``requested`` row's ``UF_TOKEN_HASH`` (the field is
    mandatory and unique, and a real site stores a missing string as ``''``)."""
    return token_hash(secrets.token_urlsafe(32))


class InviteRows:
    def __init__(self, bitrix: BitrixClient, directory: Directory | None = None) -> None:
        self.bitrix = bitrix
        self.directory = directory or Directory(bitrix)

    async def _codes(self, field: str, need: int | None = None) -> dict[int, str]:
        return await self.directory.enum_codes(BLOCK, field, need=need)

    async def _ids(self, field: str) -> dict[str, int]:
        return {code: number for number, code in (await self._codes(field)).items()}

    async def _code(self, field: str, value: Any) -> str:
        number = as_id(value) or 0
        codes = await self._codes(field)
        if number and number not in codes:
            codes = await self._codes(field, need=number)
        return codes.get(number, "")

    async def parse(self, row: Mapping[str, Any]) -> Invite | None:
        number, company = as_id(row.get("ID")), as_id(row.get("UF_COMPANY_ID"))
        if number is None or company is None:
            return None
        return Invite(
            id=number,
            company_id=company,
            email=str(row.get("UF_EMAIL") or "").strip().lower(),
            role=await self._code("UF_ROLE", row.get("UF_ROLE")),
            status=await self._code("UF_STATUS", row.get("UF_STATUS")),
            token_hash=str(row.get("UF_TOKEN_HASH") or ""),
            invited_by=as_id(row.get("UF_INVITED_BY")),
            expires_at=_moment(row.get("UF_EXPIRES_AT")),
            accepted_user_id=as_id(row.get("UF_ACCEPTED_USER_ID")),
            created_at=_moment(row.get("UF_CREATED_AT")),
        )

    async def find(self, flt: Mapping[str, Any]) -> list[Invite]:
        out: list[Invite] = []
        async for row in self.bitrix.bridge.items(BLOCK, flt, select=SELECT):
            parsed = await self.parse(row)
            if parsed is not None:
                out.append(parsed)
        return out

    async def get(self, invite_id: int) -> Invite | None:
        row = await self.bitrix.bridge.item_get(BLOCK, invite_id)
        return None if row is None else await self.parse(row)

    async def by_token(self, token: str) -> Invite | None:
        """The row whose hash is the token's (one request)."""
        found = await self.find({"UF_TOKEN_HASH": token_hash(token)})
        return found[0] if found else None

    async def listed(
        self,
        *,
        company_id: int | None = None,
        statuses: Sequence[str] = (),
        email: str | None = None,
    ) -> list[Invite]:
        flt: dict[str, Any] = {}
        if company_id is not None:
            flt["UF_COMPANY_ID"] = company_id
        if email:
            flt["UF_EMAIL"] = email.strip().lower()
        if statuses:
            ids = await self._ids("UF_STATUS")
            flt["@UF_STATUS"] = [ids[s] for s in statuses if s in ids] or [0]
        return await self.find(flt)

    async def expired_pending(self, now: datetime) -> list[Invite]:
        """Pending rows whose expiry has passed (what the sweep marks ``expired``)."""
        ids = await self._ids("UF_STATUS")
        return await self.find({"UF_STATUS": ids[Status.pending], "<=UF_EXPIRES_AT": now})

    async def add_requested(
        self, company_id: int, email: str, role: str, invited_by: int | None, now: datetime
    ) -> int:
        """A ``requested`` row, as the cabinet writes one (placeholder hash)."""
        fields: dict[str, Any] = {
            "UF_COMPANY_ID": company_id,
            "UF_EMAIL": email.strip().lower(),
            "UF_ROLE": (await self._ids("UF_ROLE"))[role],
            "UF_STATUS": (await self._ids("UF_STATUS"))[Status.requested],
            "UF_TOKEN_HASH": placeholder_hash(),
            "UF_CREATED_AT": iso_datetime(now),
        }
        if invited_by:
            fields["UF_INVITED_BY"] = invited_by
        return await self.bitrix.bridge.item_add(BLOCK, fields)

    async def update(
        self,
        invite_id: int,
        *,
        status: Status | None = None,
        token_hash: str | None = None,
        expires_at: datetime | None = None,
        accepted_user_id: int | None = None,
    ) -> None:
        fields: dict[str, Any] = {}
        if status is not None:
            fields["UF_STATUS"] = (await self._ids("UF_STATUS"))[status]
        if token_hash is not None:
            fields["UF_TOKEN_HASH"] = token_hash
        if expires_at is not None:
            fields["UF_EXPIRES_AT"] = iso_datetime(expires_at)
        if accepted_user_id is not None:
            fields["UF_ACCEPTED_USER_ID"] = accepted_user_id
        await self.bitrix.bridge.item_update(BLOCK, invite_id, fields)


__all__ = ["BLOCK", "InviteRows", "placeholder_hash"]
