"""Field descriptions of the ``sale.*`` entities: types, attributes and ``getFields`` answers.

Each entity is a tuple of ``(name, type, flags)`` in the module's own declaration order (that
order is the order of names in "Required fields: a, b" messages); flags: ``R`` required, ``O``
read-only, ``I`` immutable. ``status``, ``statusLang``, ``basketItem`` and ``basketProperties``
are copied from the recorded ``getFields`` answers; the others follow the sale module's REST
entity classes (``Bitrix\\Sale\\Rest\\Entity\\*``).
"""

from __future__ import annotations

from typing import Any

from ._filters import Fields, FieldType

Spec = tuple[tuple[str, str, str], ...]

STATUS: Spec = (
    ("id", "string", "RI"),
    ("type", "char", "R"),
    ("sort", "integer", ""),
    ("notify", "string", ""),
    ("color", "string", ""),
    ("xmlId", "string", ""),
)
STATUS_LANG: Spec = (
    ("statusId", "string", "RI"),
    ("lid", "string", "RI"),
    ("name", "string", "R"),
    ("description", "string", ""),
)
PERSON_TYPE: Spec = (
    ("id", "integer", "O"),
    ("lid", "string", "R"),
    ("name", "string", "R"),
    ("code", "string", ""),
    ("sort", "string", ""),
    ("active", "string", ""),
    ("xmlId", "string", ""),
)
PROPERTY_GROUP: Spec = (
    ("id", "integer", "O"),
    ("personTypeId", "integer", "R"),
    ("name", "string", "R"),
    ("sort", "integer", ""),
)
_PROPERTY_COMMON: Spec = (
    ("id", "integer", "O"),
    ("personTypeId", "integer", "RI"),
    ("propsGroupId", "integer", "RI"),
    ("name", "string", "R"),
    ("code", "string", ""),
    ("active", "char", ""),
    ("util", "char", ""),
    ("userProps", "char", ""),
    ("isFiltered", "char", ""),
    ("sort", "integer", ""),
    ("description", "string", ""),
    ("xmlId", "string", ""),
    ("type", "string", "RI"),
    ("required", "char", ""),
    ("multiple", "char", ""),
    ("defaultValue", "string", ""),
    ("settings", "datatype", ""),
    ("entityType", "string", ""),
)
_PROPERTY_STRING: Spec = (
    ("isProfileName", "char", ""),
    ("isPayer", "char", ""),
    ("isEmail", "char", ""),
    ("isPhone", "char", ""),
    ("isZip", "char", ""),
    ("isAddress", "char", ""),
    ("isAddressFrom", "char", ""),
    ("isAddressTo", "char", ""),
)
_PROPERTY_LOCATION: Spec = (
    ("isLocation", "char", ""),
    ("inputFieldLocation", "string", ""),
    ("isLocation4tax", "char", ""),
)
PROPERTY: Spec = _PROPERTY_COMMON + _PROPERTY_STRING + _PROPERTY_LOCATION
PROPERTY_TYPES = ("STRING", "Y/N", "NUMBER", "ENUM", "FILE", "DATE", "LOCATION")
_PROPERTY_SETTINGS: dict[str, Spec] = {
    "STRING": (
        ("minlength", "integer", ""),
        ("maxlength", "integer", ""),
        ("pattern", "string", ""),
        ("multiline", "char", ""),
        ("cols", "integer", ""),
        ("rows", "integer", ""),
        ("size", "integer", ""),
    ),
    "NUMBER": (("min", "integer", ""), ("max", "integer", ""), ("step", "integer", "")),
    "ENUM": (("multielement", "char", ""), ("size", "integer", "")),
    "FILE": (("maxsize", "integer", ""), ("accept", "string", "")),
    "DATE": (("time", "char", ""),),
}
PROPERTY_VALUE: Spec = (
    ("name", "string", ""),
    ("code", "string", ""),
    ("orderPropsXmlId", "string", "O"),
    ("id", "integer", "OI"),
    ("orderId", "integer", "RI"),
    ("value", "string", "R"),
    ("orderPropsId", "integer", "R"),
)
ORDER: Spec = (
    ("personTypeId", "integer", "RI"),
    ("userId", "integer", "I"),
    ("currency", "string", "RI"),
    ("lid", "string", "RI"),
    ("personTypeXmlId", "string", "O"),
    ("statusXmlId", "string", "O"),
    ("accountNumber", "string", "O"),
    ("id", "integer", "O"),
    ("canceled", "char", ""),
    ("dateCanceled", "datetime", "O"),
    ("deducted", "char", "O"),
    ("empCanceledId", "integer", ""),
    ("reasonCanceled", "string", ""),
    ("statusId", "char", ""),
    ("dateStatus", "datetime", "O"),
    ("empStatusId", "integer", ""),
    ("marked", "char", ""),
    ("dateMarked", "datetime", "O"),
    ("empMarkedId", "integer", ""),
    ("reasonMarked", "string", ""),
    ("price", "double", ""),
    ("payed", "char", "O"),
    ("discountValue", "double", ""),
    ("dateInsert", "datetime", ""),
    ("dateUpdate", "datetime", "O"),
    ("userDescription", "string", ""),
    ("additionalInfo", "string", ""),
    ("comments", "string", ""),
    ("taxValue", "double", "O"),
    ("recurringId", "char", ""),
    ("lockedBy", "char", ""),
    ("dateLock", "datetime", "O"),
    ("recountFlag", "char", ""),
    ("affiliateId", "integer", ""),
    ("updated1c", "char", ""),
    ("orderTopic", "string", ""),
    ("responsibleId", "integer", ""),
    ("xmlId", "string", ""),
    ("id1c", "string", ""),
    ("version1c", "string", ""),
    ("version", "integer", "O"),
    ("externalOrder", "char", ""),
    ("companyId", "integer", ""),
)
BASKET_ITEM: Spec = (
    ("orderId", "integer", "RI"),
    ("id", "integer", "O"),
    ("fuserId", "integer", "O"),
    ("lid", "string", "O"),
    ("sort", "integer", ""),
    ("productId", "integer", "RI"),
    ("price", "double", ""),
    ("customPrice", "char", "O"),
    ("currency", "string", "RI"),
    ("quantity", "double", "R"),
    ("xmlId", "string", ""),
    ("dateInsert", "datetime", "O"),
    ("dateUpdate", "datetime", "O"),
    ("name", "string", ""),
    ("productPriceId", "integer", ""),
    ("priceTypeId", "integer", ""),
    ("detailPageUrl", "string", "O"),
    ("basePrice", "double", ""),
    ("discountPrice", "double", ""),
    ("weight", "double", ""),
    ("dimensions", "string", ""),
    ("measureCode", "string", ""),
    ("measureName", "string", ""),
    ("canBuy", "char", ""),
    ("vatRate", "double", ""),
    ("vatIncluded", "char", ""),
    ("type", "integer", ""),
    ("setParentId", "integer", ""),
    ("catalogXmlId", "string", "I"),
    ("productXmlId", "string", "I"),
    ("productProviderClass", "string", "I"),
    ("module", "string", "I"),
)
BASKET_PROPERTY: Spec = (
    ("basketId", "integer", "RI"),
    ("name", "string", "R"),
    ("value", "string", "R"),
    ("code", "string", "R"),
    ("sort", "integer", ""),
    ("xmlId", "string", ""),
    ("id", "integer", "O"),
)

_FILTER_TYPES: dict[str, FieldType] = {
    "integer": "integer",
    "double": "double",
    "string": "string",
    "char": "char",
    "datetime": "datetime",
    "date": "date",
}


def list_fields(spec: Spec) -> Fields:
    """Name → type of the fields a list method can filter, select and order by."""
    return {name: _FILTER_TYPES[kind] for name, kind, _ in spec if kind in _FILTER_TYPES}


def field_infos(spec: Spec) -> dict[str, Any]:
    """The ``getFields`` answer for ``spec``: keys sorted like every ``sale.*`` answer."""
    return {
        name: {
            "isImmutable": "I" in flags,
            "isReadOnly": "O" in flags,
            "isRequired": "R" in flags,
            "type": kind,
        }
        for name, kind, flags in sorted(spec)
    }


def property_fields_by_type(kind: str) -> dict[str, Any]:
    """``sale.property.getFieldsByType``: common fields, the type's own, ``settings.fields``."""
    spec = _PROPERTY_COMMON
    if kind == "STRING":
        spec += _PROPERTY_STRING
    elif kind == "LOCATION":
        spec += _PROPERTY_LOCATION
    infos = field_infos(spec)
    infos["settings"]["fields"] = field_infos(_PROPERTY_SETTINGS.get(kind, ()))
    return infos


def settable(spec: Spec, *, update: bool) -> dict[str, str]:
    """Fields a write accepts: not read-only, and on update not immutable either."""
    skip = "OI" if update else "O"
    return {name: kind for name, kind, flags in spec if not any(f in flags for f in skip)}


def required(spec: Spec, *, update: bool) -> list[str]:
    fields = settable(spec, update=update)
    return [name for name, _, flags in spec if "R" in flags and name in fields]


STATUS_FIELDS = list_fields(STATUS)
STATUS_LANG_FIELDS = list_fields(STATUS_LANG)
PERSON_TYPE_FIELDS = list_fields(PERSON_TYPE)
PROPERTY_GROUP_FIELDS = list_fields(PROPERTY_GROUP)
PROPERTY_FIELDS = list_fields(PROPERTY)
PROPERTY_VALUE_FIELDS = list_fields(PROPERTY_VALUE)
ORDER_FIELDS = list_fields(ORDER)
BASKET_ITEM_FIELDS = list_fields(BASKET_ITEM)
BASKET_PROPERTY_FIELDS = list_fields(BASKET_PROPERTY)
