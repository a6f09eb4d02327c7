"""Typed facade over the ``sale`` scope: statuses, payer types, properties, orders, baskets."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, cast

import structlog

from ._errors import NotFoundError, ProtocolError
from ._filters import build_filter
from ._types import Command

if TYPE_CHECKING:
    from ._client import BitrixClient

log = structlog.get_logger("bitrix_client")

SYSTEM_STATUSES = frozenset({"N", "F", "DN", "DF"})


class Status(TypedDict, total=False):
    id: str
    type: str
    sort: int | None
    notify: str
    color: str | None
    xmlId: str | None


class StatusLang(TypedDict, total=False):
    statusId: str
    lid: str
    name: str
    description: str | None


class PropertyValue(TypedDict, total=False):
    id: int
    orderId: int
    orderPropsId: int
    code: str
    name: str
    value: Any


def status_id_problem(status_id: str) -> str | None:
    """Why a status code cannot be used, or None. Bitrix stores at most 2 characters."""
    if not status_id or len(status_id) > 2:
        return f"status id {status_id!r} must be 1–2 characters (b_sale_status.ID is varchar(2))"
    if not status_id.isascii() or not status_id.isalnum():
        return f"status id {status_id!r} must be Latin letters or digits"
    return None


class SaleAPI:
    def __init__(self, client: BitrixClient) -> None:
        self._client = client

    # statuses ----------------------------------------------------------------------------
    async def statuses(self) -> list[Status]:
        response = await self._client.call("sale.status.list", {})
        return cast(list[Status], _rows(response.result, "statuses"))

    async def status_get(self, status_id: str) -> Status | None:
        try:
            response = await self._client.call("sale.status.get", {"id": status_id})
        except NotFoundError:
            return None
        return response.result["status"]  # type: ignore[no-any-return]

    async def status_add(self, fields: Status) -> Status:
        problem = status_id_problem(fields.get("id", ""))
        if problem:
            raise ValueError(problem)
        response = await self._client.call("sale.status.add", {"fields": dict(fields)})
        return response.result["status"]  # type: ignore[no-any-return]

    async def status_update(self, status_id: str, fields: Status) -> Status:
        """``type`` is required by the server on every update, so it is always sent."""
        if "type" not in fields:
            raise ValueError("sale.status.update needs the status type in fields")
        response = await self._client.call(
            "sale.status.update", {"id": status_id, "fields": dict(fields)}
        )
        return response.result["status"]  # type: ignore[no-any-return]

    async def status_langs(self, status_id: str | None = None) -> list[StatusLang]:
        flt = {"statusId": status_id} if status_id else {}
        rows = await self._client.list_all(
            "sale.statusLang.list", {"filter": flt}, items_key="statusLangs", keyset=False
        )
        return cast(list[StatusLang], rows)

    async def status_lang_add(self, lang: StatusLang) -> StatusLang:
        response = await self._client.call("sale.statusLang.add", {"fields": dict(lang)})
        return response.result["statusLang"]  # type: ignore[no-any-return]

    async def status_lang_delete(self, status_id: str, lid: str, name: str) -> None:
        """There is no update: a name changes by delete and add (``name`` is required here)."""
        await self._client.call(
            "sale.statusLang.deleteByFilter",
            {"fields": {"statusId": status_id, "lid": lid, "name": name}},
        )

    async def languages(self) -> list[dict[str, Any]]:
        response = await self._client.call("sale.statusLang.getListLangs", {})
        return list(_rows(response.result, "langs"))

    # payer types and properties ----------------------------------------------------------
    async def person_types(self) -> list[dict[str, Any]]:
        return await self._client.list_all(
            "sale.persontype.list", {}, items_key="personTypes", keyset=False
        )

    async def property_groups(self, person_type_id: int | None = None) -> list[dict[str, Any]]:
        flt = {"personTypeId": person_type_id} if person_type_id is not None else {}
        return await self._client.list_all(
            "sale.propertygroup.list", {"filter": flt}, items_key="propertyGroups", keyset=False
        )

    async def property_group_add(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        response = await self._client.call("sale.propertygroup.add", {"fields": dict(fields)})
        return response.result["propertyGroup"]  # type: ignore[no-any-return]

    async def properties(self, flt: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        return await self._client.list_all(
            "sale.property.list", {"filter": build_filter(flt)}, items_key="properties"
        )

    async def property_find(self, code: str, person_type_id: int) -> dict[str, Any] | None:
        """The property with this code for this payer type; the server accepts duplicate codes,
        so the lowest id wins and callers must look up before adding."""
        found = await self.properties({"code": code, "personTypeId": person_type_id})
        return min(found, key=lambda p: int(p["id"])) if found else None

    async def property_add(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        response = await self._client.call("sale.property.add", {"fields": dict(fields)})
        return response.result["property"]  # type: ignore[no-any-return]

    async def property_update(self, prop_id: int, fields: Mapping[str, Any]) -> dict[str, Any]:
        response = await self._client.call(
            "sale.property.update", {"id": prop_id, "fields": dict(fields)}
        )
        return response.result["property"]  # type: ignore[no-any-return]

    # orders ------------------------------------------------------------------------------
    async def order_get(self, order_id: int) -> dict[str, Any]:
        response = await self._client.call("sale.order.get", {"id": order_id})
        return response.result["order"]  # type: ignore[no-any-return]

    def orders(
        self,
        flt: Mapping[str, Any] | None = None,
        select: Sequence[str] | None = None,
        *,
        count_first: bool = True,
        on_total: Callable[[int], None] | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """Every matching order by ascending id (keyset paging); ``on_total`` gets how many
        match, from the first page."""
        params: dict[str, Any] = {"filter": build_filter(flt)}
        if select:
            params["select"] = list(select)
        return self._client.iterate(
            "sale.order.list",
            params,
            items_key="orders",
            count_first=count_first,
            on_total=on_total,
        )

    async def orders_by_ids(
        self, ids: Sequence[int], select: Sequence[str] | None = None
    ) -> list[dict[str, Any]]:
        """Orders by id, 50 ids per command, all commands batched."""
        unique = sorted(set(ids))
        commands = []
        for i in range(0, len(unique), 50):
            params: dict[str, Any] = {"filter": {"@id": unique[i : i + 50]}, "start": -1}
            if select:
                params["select"] = list(select)
            commands.append(Command("sale.order.list", params))
        out: list[dict[str, Any]] = []
        for item in await self._client.batch(commands):
            out.extend(_rows(item.unwrap(), "orders"))
        return out

    async def order_update(self, order_id: int, fields: Mapping[str, Any]) -> dict[str, Any]:
        status = fields.get("statusId")
        if isinstance(status, str) and (problem := status_id_problem(status)):
            raise ValueError(problem)  # the server would store it anyway
        response = await self._client.call(
            "sale.order.update", {"id": order_id, "fields": dict(fields)}
        )
        return response.result["order"]  # type: ignore[no-any-return]

    def basket_items(
        self, flt: Mapping[str, Any] | None = None, select: Sequence[str] | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        params: dict[str, Any] = {"filter": build_filter(flt)}
        if select:
            params["select"] = list(select)
        return self._client.iterate("sale.basketitem.list", params, items_key="basketItems")

    # property values ---------------------------------------------------------------------
    async def property_values(self, order_id: int) -> list[PropertyValue]:
        rows = await self._client.list_all(
            "sale.propertyvalue.list", {"filter": {"orderId": order_id}}, items_key="propertyValues"
        )
        return cast(list[PropertyValue], rows)

    def orders_with_property(self, code: str, value: str) -> AsyncIterator[dict[str, Any]]:
        """Property-value rows (``orderId``, ``value``) whose property ``code`` equals ``value``.

        This is how a company's orders are found: ``sale.order.list`` ignores unknown filter
        keys and would return every order for ``UF_COMPANY_ID``.
        """
        return self._client.iterate(
            "sale.propertyvalue.list",
            {"filter": {"code": code, "value": value}, "select": ["id", "orderId", "value"]},
            items_key="propertyValues",
        )

    async def set_property_value(
        self, order_id: int, prop_id: int, value: Any
    ) -> list[PropertyValue]:
        """Set one property of an order without losing the others.

        ``sale.propertyvalue.modify`` replaces the order's whole set of values (any value not
        sent is deleted), so the current set is read, changed in one place and sent back whole.
        """
        current = await self.property_values(order_id)
        values = [
            {"orderPropsId": int(v["orderPropsId"]), "value": v.get("value")}
            for v in current
            if int(v["orderPropsId"]) != prop_id
        ]
        values.append({"orderPropsId": prop_id, "value": value})
        response = await self._client.call(
            "sale.propertyvalue.modify",
            {"fields": {"order": {"id": order_id, "propertyValues": values}}},
        )
        written = cast(list[PropertyValue], _rows(response.result, "propertyValues"))
        kept = {int(v["orderPropsId"]) for v in written}
        lost = {int(v["orderPropsId"]) for v in current} - kept - {prop_id}
        if lost:
            raise ProtocolError(
                f"sale.propertyvalue.modify dropped values {sorted(lost)} of order {order_id}",
                method="sale.propertyvalue.modify",
            )
        log.info("bitrix.order.property_set", order_id=order_id, prop_id=prop_id)
        return written


def _rows(result: Any, key: str) -> list[Any]:
    from ._client import extract_rows

    return list(extract_rows(result, key))
