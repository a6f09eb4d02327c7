"""The 1C platform's own XML values (namespace ``http://v8.1c.ru/8.1/data/core``).

1C serialises an untyped ``Структура`` as ``<Property name="…"><Value xsi:type="…">`` and an
``Массив`` as repeated ``<Value>``. zeep reads them through the types the WSDL inlines and hands
back compound values; when a WSDL does not declare them it hands back raw elements. Both end up
here as plain dicts and lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from ._zeep import serialize_object

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _typed(elem: etree._Element) -> Any:
    if elem.get(XSI_NIL) in ("true", "1"):
        return None
    kind = (elem.get(XSI_TYPE) or "").rpartition(":")[2]
    if kind == "Structure":
        return element_structure(elem)
    if kind == "Array":
        return [_typed(child) for child in elem if _local(child.tag) == "Value"]
    text = elem.text or ""
    if kind == "decimal":
        try:
            return Decimal(text.strip())
        except InvalidOperation:
            return text
    if kind == "boolean":
        return text.strip() in ("true", "1")
    if kind == "dateTime":
        try:
            return datetime.fromisoformat(text.strip())
        except ValueError:
            return text
    return text


def element_structure(elem: etree._Element) -> dict[str, Any]:
    """``<… xsi:type="Structure"><Property name=…><Value …/></Property>…`` as a dict."""
    out: dict[str, Any] = {}
    for prop in elem:
        if _local(prop.tag) != "Property":
            continue
        value = next((c for c in prop if _local(c.tag) == "Value"), None)
        out[prop.get("name", "")] = None if value is None else _typed(value)
    return out


def structure(value: Any) -> dict[str, Any] | None:
    """A 1C ``Structure`` from whatever zeep made of it; ``None`` if it is not one."""
    if isinstance(value, etree._Element):
        return element_structure(value)
    if hasattr(value, "value") and not isinstance(value, Mapping | list):
        return structure(value.value)
    plain = serialize_object(value, dict)
    if not isinstance(plain, Mapping):
        return None
    props = plain.get("Property")
    if props is None:
        return None
    out: dict[str, Any] = {}
    for prop in props if isinstance(props, list) else [props]:
        if isinstance(prop, etree._Element):
            inner = next((c for c in prop if _local(c.tag) == "Value"), None)
            out[prop.get("name", "")] = None if inner is None else _typed(inner)
        elif isinstance(prop, Mapping) and "name" in prop:
            out[str(prop["name"])] = plain_value(prop.get("Value"))
    return out


def plain_value(value: Any) -> Any:
    if isinstance(value, etree._Element):
        return _typed(value)
    if hasattr(value, "value") and type(value).__name__ == "AnyObject":
        return plain_value(value.value)
    return value


def array_items(value: Any) -> list[Any]:
    """The items of a 1C ``Array`` (zeep gives a list, or a compound with ``Value``)."""
    if value is None:
        return []
    if isinstance(value, etree._Element):
        return [_typed(c) for c in value if _local(c.tag) == "Value"]
    if isinstance(value, list):
        return value
    plain = serialize_object(value, dict)
    if isinstance(plain, Mapping) and "Value" in plain:
        inner = plain["Value"]
        return inner if isinstance(inner, list) else [inner]
    return [value]
