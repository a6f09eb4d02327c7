"""``b2b_company_users`` and ``b2b_companies`` on the site, as :class:`~workflows.members.
Membership` values: reading (a company's rows, a user's, rows changed since a moment, all of
them) and the writes :func:`workflows.members.decide` asks for.

Roles are enumeration item IDs on the site; they travel as their ``XML_ID`` codes here, mapped
through the field's list (read once per instance, again for an ID it does not know). Every
write stamps ``UF_UPDATED_AT``, as the cabinet does, so the members watcher sees it; a new row
goes through an upsert on (company, user), so a retried add never makes a second row.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from bitrix_client import BitrixClient, iso_datetime

from ._directory import COMPANIES, MEMBERS, Company, Directory
from ._values import as_id
from .members import Loss, Membership, Write

KEY = ("UF_COMPANY_ID", "UF_USER_ID")
SELECT = (
    "ID",
    "UF_COMPANY_ID",
    "UF_USER_ID",
    "UF_ROLE",
    "UF_ACTIVE",
    "UF_ORDER_LIMIT",
    "UF_UPDATED_AT",
)


def _flag(value: Any) -> bool:
    return str(value) in ("1", "True", "true", "Y")


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _moment(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


class MemberRows:
    def __init__(self, bitrix: BitrixClient, directory: Directory | None = None) -> None:
        self.bitrix = bitrix
        self.directory = directory or Directory(bitrix)

    async def _roles(self, need: int | None = None) -> dict[int, str]:
        return await self.directory.enum_codes(MEMBERS, "UF_ROLE", need=need)

    async def role_ids(self) -> dict[str, int]:
        return {code: number for number, code in (await self._roles()).items()}

    async def parse(self, row: Mapping[str, Any]) -> Membership | None:
        """A site row as a membership (``None`` for a row without company or user)."""
        row_id, company, user = (as_id(row.get(k)) for k in ("ID", *KEY))
        if row_id is None or company is None or user is None:
            return None
        role_id = as_id(row.get("UF_ROLE")) or 0
        roles = await self._roles()
        if role_id and role_id not in roles:
            roles = await self._roles(need=role_id)
        return Membership(
            row_id,
            company,
            user,
            roles.get(role_id, ""),
            _flag(row.get("UF_ACTIVE")),
            _decimal(row.get("UF_ORDER_LIMIT")),
            _moment(row.get("UF_UPDATED_AT")),
        )

    async def _rows(self, flt: Mapping[str, Any]) -> AsyncIterator[Membership]:
        async for row in self.bitrix.bridge.items(MEMBERS, flt, select=SELECT):
            parsed = await self.parse(row)
            if parsed is not None:
                yield parsed

    async def of_company(self, company_id: int) -> list[Membership]:
        return [m async for m in self._rows({"UF_COMPANY_ID": company_id})]

    async def of_user(self, user_id: int) -> list[Membership]:
        return [m async for m in self._rows({"UF_USER_ID": user_id})]

    async def changed_since(self, moment: datetime) -> list[Membership]:
        """Rows stamped at or after ``moment`` (one request when there are few)."""
        return [m async for m in self._rows({">=UF_UPDATED_AT": moment})]

    async def every(self) -> list[Membership]:
        """Every row of every company (pages of 50 by ID, chained into batch requests)."""
        return [m async for m in self._rows({})]

    async def company(self, ref: str | int) -> Company | None:
        """A company by its row ID or its 1C GUID (``UF_XML_ID``)."""
        text = str(ref).strip()
        flt = {"ID": int(text)} if text.isdigit() else {"UF_XML_ID": text}
        async for row in self.bitrix.bridge.items(
            COMPANIES, flt, select=["ID", "UF_NAME", "UF_MANAGER_ID", "UF_XML_ID"]
        ):
            number = as_id(row.get("ID"))
            if number is not None:
                return Company(
                    number,
                    str(row.get("UF_NAME") or ""),
                    as_id(row.get("UF_MANAGER_ID")),
                    str(row.get("UF_XML_ID") or ""),
                )
        return None

    async def _fields(self, values: Mapping[str, Any], now: datetime) -> dict[str, Any]:
        fields: dict[str, Any] = {"UF_UPDATED_AT": iso_datetime(now)}
        if "role" in values:
            fields["UF_ROLE"] = (await self.role_ids())[str(values["role"])]
        if "active" in values:
            fields["UF_ACTIVE"] = 1 if values["active"] else 0
        if "order_limit" in values:
            limit = values["order_limit"]
            fields["UF_ORDER_LIMIT"] = "" if limit is None else str(limit)
        return fields

    async def write(self, write: Write, now: datetime) -> int:
        """Make ``write`` on the site; the row's ID."""
        fields = await self._fields(write.fields, now)
        if write.is_new:
            fields.update(
                {
                    "UF_COMPANY_ID": write.company_id,
                    "UF_USER_ID": write.user_id,
                    "UF_CREATED_AT": iso_datetime(now),
                }
            )
            return (await self.bitrix.bridge.item_upsert(MEMBERS, KEY, fields)).id
        await self.bitrix.bridge.item_update(MEMBERS, write.row_id, fields)
        return write.row_id

    async def restore(self, loss: Loss, now: datetime) -> int:
        """Put the row of ``loss`` back as it was (written again when it was deleted)."""
        before = loss.before
        values = {"role": before.role, "active": before.active}
        row_id = loss.after.row_id if loss.after is not None else 0
        return await self.write(Write(row_id, loss.company_id, loss.user_id, values), now)


__all__ = ["MemberRows"]
