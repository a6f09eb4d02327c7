"""HL-block metadata a job needs: block ids and enumeration item IDs, read once per run.

An enumeration field stores the ID of one of its ``LIST`` items, not the item's ``XML_ID``
(bridge contract, "Row"); the IDs differ from site to site, so they are looked up by
``XML_ID`` (``invoice``, ``waybill`` …) from ``b2bsync.hlblock.field.list``.
"""

from __future__ import annotations

from typing import Any

from bitrix_client import BitrixClient

from ._errors import JobFailed
from ._values import to_int

COMPANIES = "B2bCompanies"
DOCUMENTS = "B2bDocuments"
CREDIT = "B2bCreditStatus"


class MissingEnumItem(LookupError):
    """The field's LIST has no item with that XML_ID (the record is quarantined)."""


class HlMeta:
    """Per-run cache; create one per job run so a schema change is seen on the next run."""

    def __init__(self, client: BitrixClient) -> None:
        self._client = client
        self._blocks: dict[str, int] = {}
        self._enums: dict[tuple[str, str], dict[str, int]] = {}

    async def block_id(self, name: str) -> int:
        if name not in self._blocks:
            block = await self._client.bridge.hlblock_get(name)
            if block is None:
                raise JobFailed(
                    f"HL-block {name} does not exist on the site; run `b2bsync schema apply`"
                )
            self._blocks[name] = int(block["ID"])
        return self._blocks[name]

    async def enum_ids(self, block: str, field: str) -> dict[str, int]:
        """``XML_ID`` → item ID of an enumeration field."""
        key = (block, field)
        if key not in self._enums:
            fields = await self._client.bridge.fields(await self.block_id(block))
            found = next((f for f in fields if f.get("FIELD_NAME") == field), None)
            if found is None:
                raise JobFailed(f"{block} has no field {field}; run `b2bsync schema apply`")
            items: Any = found.get("LIST") or []
            self._enums[key] = {
                str(item["XML_ID"]): item_id
                for item in items
                if isinstance(item, dict) and (item_id := to_int(item.get("ID"))) is not None
            }
        return self._enums[key]

    async def enum_id(self, block: str, field: str, xml_id: str) -> int:
        ids = await self.enum_ids(block, field)
        if xml_id not in ids:
            raise MissingEnumItem(f"{block}.{field} has no list item with XML_ID {xml_id!r}")
        return ids[xml_id]
