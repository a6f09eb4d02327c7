"""Writing the ``B2B_COMPANY_ID`` value into many orders without losing their other values.

``sale.propertyvalue.modify`` replaces an order's whole set of property values (the
recordings: every value not sent is deleted — the buyer's name, phone, ИНН, address). So each
order's values are read, one added, and the whole set sent back: the same read-modify-write as
:meth:`bitrix_client.SaleAPI.set_property_value`, done for up to 50 orders per batch request
(one batch of reads, one of writes) instead of two requests per order — the first run links
every historical order of every company, and a cloud site allows 2 requests a second.

Each answer is checked: a value the order had before that is missing afterwards fails that
order loudly (:class:`bitrix_client.ProtocolError`), as the client's single-order method does.
Empty values go back as ``""``: batch commands are form-encoded and a ``None`` would vanish
from the command, which the server rejects ("Required fields: … value").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog

from bitrix_client import BitrixClient, BitrixError, Command, ProtocolError

from ._lists import Query, chunks, list_many, rows_of
from ._values import to_int

log = structlog.get_logger()


@dataclass(frozen=True)
class Link:
    order_id: int
    prop_id: int
    value: str


@dataclass
class LinkReport:
    linked: list[Link] = field(default_factory=list)
    failed: list[tuple[Link, BitrixError]] = field(default_factory=list)


def _wire_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return [_wire_value(v) for v in value]
    return value


async def link_orders(client: BitrixClient, links: Sequence[Link]) -> LinkReport:
    report = LinkReport()
    for part in chunks(list(links)):
        await _link_part(client, list(part), report)
    return report


async def _link_part(client: BitrixClient, links: list[Link], report: LinkReport) -> None:
    current = await list_many(
        client,
        [
            Query(
                "sale.propertyvalue.list",
                {"filter": {"orderId": link.order_id}, "select": ["id", "orderPropsId", "value"]},
                "propertyValues",
            )
            for link in links
        ],
    )
    commands: list[Command] = []
    before: list[set[int]] = []
    for link, rows in zip(links, current, strict=True):
        values = [
            {"orderPropsId": prop, "value": _wire_value(row.get("value"))}
            for row in rows
            if (prop := to_int(row.get("orderPropsId"))) is not None and prop != link.prop_id
        ]
        values.append({"orderPropsId": link.prop_id, "value": link.value})
        before.append({int(v["orderPropsId"]) for v in values})
        commands.append(
            Command(
                "sale.propertyvalue.modify",
                {"fields": {"order": {"id": link.order_id, "propertyValues": values}}},
            )
        )
    answers = await client.batch(commands)
    for link, sent, item in zip(links, before, answers, strict=True):
        try:
            result = item.unwrap()
        except BitrixError as exc:
            report.failed.append((link, exc))
            continue
        kept = {
            prop
            for row in rows_of(result, "propertyValues")
            if (prop := to_int(row.get("orderPropsId"))) is not None
        }
        lost = sent - kept
        if lost:
            error = ProtocolError(
                f"sale.propertyvalue.modify dropped values {sorted(lost)} of order {link.order_id}",
                method="sale.propertyvalue.modify",
            )
            report.failed.append((link, error))
            continue
        report.linked.append(link)
        log.debug("sync.orders.link", order_id=link.order_id, company_id=link.value)
