"""A store emulator with b2bsync's schema applied, for the order guard's tests.

:func:`guarded_shop` seeds a store as before b2bsync (payer types 1 «Физическое лицо» and 2
«Юридическое лицо», no orders), applies the schema through the real client — HL-blocks, statuses,
``B2B_COMPANY_ID`` on payer type 2, and the module options ``roles`` and ``guard`` built from the
settings as ``b2bsync schema apply`` builds them — and returns a :class:`GuardedShop` whose
helpers write companies, members and credit rows over REST, as the sync jobs and the cabinet do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from b2bsync.schema import schema_config
from b2bsync.settings import ApprovalSettings, BitrixSettings
from bitrix_client import BitrixClient
from bitrix_client.fake import FakeSite
from hl_schemas import apply_schema
from tests.schema._shop import LEGAL_TYPE, Shop, make_shop

NATURAL_TYPE = 1
ENUMS = {
    ("B2bCompanies", "UF_APPROVAL_MODE"): "approval_mode",
    ("B2bCompanyUsers", "UF_ROLE"): "role",
}


@dataclass
class GuardedShop:
    shop: Shop
    enums: dict[tuple[str, str], dict[str, int]]

    @property
    def site(self) -> FakeSite:
        return self.shop.site

    @property
    def client(self) -> BitrixClient:
        return self.shop.client

    async def add(self, block: str, fields: dict[str, Any]) -> int:
        """A row added over REST; enumeration fields given by their codes."""
        sent = dict(fields)
        for (name, field), _ in ENUMS.items():
            if name == block and isinstance(sent.get(field), str):
                sent[field] = self.enums[(name, field)][sent[field]]
        return await self.client.bridge.item_add(block, sent)

    async def company(
        self, name: str, *, mode: str | None = "none", threshold: float | None = None
    ) -> int:
        number = len(self.site.hl_rows("B2bCompanies")) + 1
        return await self.add(
            "B2bCompanies",
            {
                "UF_XML_ID": f"7f0c{number:04d}-0000-4000-8000-000000000000",
                "UF_NAME": name,
                "UF_APPROVAL_MODE": mode,
                "UF_APPROVAL_THRESHOLD": threshold,
            },
        )

    async def member(
        self,
        company: int,
        user: int,
        role: str,
        *,
        active: bool = True,
        limit: float | None = None,
    ) -> int:
        return await self.add(
            "B2bCompanyUsers",
            {
                "UF_COMPANY_ID": company,
                "UF_USER_ID": user,
                "UF_ROLE": role,
                "UF_ACTIVE": 1 if active else 0,
                "UF_ORDER_LIMIT": limit,
            },
        )

    async def credit(self, company: int, **fields: Any) -> int:
        return await self.add("B2bCreditStatus", {"UF_COMPANY_ID": company, **fields})

    def events(self, order_id: int) -> list[tuple[str | None, str, int | None]]:
        """The status log of an order: (old, new, user) per row."""
        return [
            (r["UF_OLD_STATUS"], r["UF_NEW_STATUS"], r["UF_USER_ID"])
            for r in self.site.hl_rows("B2bOrderEvents")
            if r["UF_ORDER_ID"] == order_id
        ]

    def company_link(self, order_id: int) -> Any:
        values = self.site.sale.values_of(order_id)
        return next((v["value"] for v in values if v["code"] == "B2B_COMPANY_ID"), "no property")

    def option(self, name: str) -> Any:
        text = self.site.bridge.options.get(name)
        return None if text is None else json.loads(text)


async def guarded_shop(
    approval: ApprovalSettings | None = None, bitrix: BitrixSettings | None = None
) -> GuardedShop:
    shop = make_shop()
    run = await apply_schema(shop.client, schema_config(bitrix or BitrixSettings(), approval))
    assert run.report is not None
    assert run.report.ok
    enums: dict[tuple[str, str], dict[str, int]] = {}
    for block, field in ENUMS:
        found = await shop.client.bridge.hlblock_get(block)
        assert found is not None
        for spec in await shop.client.bridge.fields(int(found["ID"])):
            if spec["FIELD_NAME"] == field:
                enums[(block, field)] = {i["XML_ID"]: int(i["ID"]) for i in spec["LIST"]}
    return GuardedShop(shop, enums)


__all__ = ["LEGAL_TYPE", "NATURAL_TYPE", "GuardedShop", "guarded_shop"]
