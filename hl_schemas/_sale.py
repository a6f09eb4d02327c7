"""Sale objects b2bsync owns: its three order statuses and the ``B2B_COMPANY_ID`` property.

Status codes are configuration (Bitrix keeps at most 2 characters); the symbolic name lives in
``xmlId`` and never changes. ``notify`` is off: b2bsync sends its own B2B_ORDER_* mails, and
Bitrix's notify flag would add its SALE_STATUS_CHANGED_<ID> mail on top.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._model import OrderProperty, Status, Text

#: Workflow role → (default code, xmlId, name, description, colour, sort).
STATUS_KEYS: tuple[str, ...] = ("pending", "approved", "rejected")

_STATUSES: Mapping[str, tuple[str, str, Text, Text, str, int]] = {
    "pending": (
        "PA",
        "APPROVAL_PENDING",
        Text("Ожидает согласования", "Approval pending"),
        Text(
            "Заказ ждёт согласования владельцем компании",
            "The order waits for approval by the company owner",
        ),
        "#FFAA00",
        150,
    ),
    "approved": (
        "AP",
        "APPROVED",
        Text("Согласован", "Approved"),
        Text("Заказ согласован владельцем компании", "The company owner approved the order"),
        "#00AA00",
        160,
    ),
    "rejected": (
        "RJ",
        "REJECTED",
        Text("Отклонён", "Rejected"),
        Text("Заказ отклонён владельцем компании", "The company owner rejected the order"),
        "#AA0000",
        170,
    ),
}

DEFAULT_STATUS_CODES: Mapping[str, str] = {key: row[0] for key, row in _STATUSES.items()}


def statuses(codes: Mapping[str, str]) -> tuple[Status, ...]:
    """The three statuses with the configured ``codes`` (by workflow role)."""
    out = []
    for key in STATUS_KEYS:
        _default, xml_id, name, description, color, sort = _STATUSES[key]
        out.append(
            Status(
                key=key,
                code=codes[key],
                xml_id=xml_id,
                name=name,
                description=description,
                color=color,
                sort=sort,
            )
        )
    return tuple(out)


COMPANY_PROPERTY = OrderProperty(
    code="B2B_COMPANY_ID",
    name=Text("ID компании B2B", "B2B company ID"),
    description=Text(
        "Служебное: ID строки компании в HL-блоке B2bCompanies; заполняет b2bsync",
        "Internal: the company's row ID in HL-block B2bCompanies; written by b2bsync",
    ),
    group_name=Text("B2B", "B2B"),
)


def property_fields(
    prop: OrderProperty, person_type_id: int, group_id: Any, lang: str
) -> dict[str, Any]:
    """``sale.property.add`` fields: a utility string (``util`` hides it from buyers' forms)."""
    return {
        "personTypeId": person_type_id,
        "propsGroupId": group_id,
        "name": prop.name.get(lang),
        "description": prop.description.get(lang),
        "type": prop.type,
        "code": prop.code,
        "xmlId": prop.code,
        "active": "Y",
        "util": "Y",
        "userProps": "N",
        "isFiltered": "Y",
        "required": "N",
        "multiple": "N",
        "sort": prop.sort,
    }


#: Upper-cased payer type ``xmlId``/``code`` values that mark a legal entity.
LEGAL_CODES = frozenset(
    {
        "B2B",
        "COMPANY",
        "CORPORATE",
        "JUR",
        "JURIDICAL",
        "LEGAL",
        "LEGAL_ENTITY",
        "ORGANIZATION",
        "ORGANISATION",
        "UR",
        "UL",
    }
)
#: Name fragments (case-insensitive) that mark a legal entity.
LEGAL_NAME_PARTS: tuple[str, ...] = (
    "юридическ",
    "юр. лиц",
    "юрлиц",
    "организац",
    "компани",
    "legal",
    "company",
    "corporate",
    "business",
    "b2b",
)


def is_legal_entity(person_type: Mapping[str, Any]) -> bool:
    """Whether a payer type (``sale.persontype.list`` row) is for companies.

    Rule used when ``person_type_ids`` is not configured: the payer type is active and its
    ``xmlId`` or ``code`` is one of :data:`LEGAL_CODES` (or starts with ``LEGAL``/``B2B``), or
    its name contains one of :data:`LEGAL_NAME_PARTS` ("Юридическое лицо", "Legal entity",
    "Организация", "Company"…). "Физическое лицо" / "Individual" never match.
    """
    if str(person_type.get("active", "Y")) != "Y":
        return False
    for key in ("xmlId", "code"):
        value = str(person_type.get(key) or "").strip().upper()
        if value in LEGAL_CODES or value.startswith(("LEGAL", "B2B")):
            return True
    name = str(person_type.get("name") or "").casefold()
    return any(part in name for part in LEGAL_NAME_PARTS)
