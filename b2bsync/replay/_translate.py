"""One scenario's requests in the site's IDs and names, and the site's answers in the scenario's.

What is an ID of which kind follows the contract (``bridge/contract/README.md``): ``HLBLOCK`` /
``HLBLOCK_ID`` and a block's ``ID`` are blocks, a field's ``ID`` a field, a row's ``ID`` a row of
its block, an enumeration field's value an item, a file field's value a file, ``GROUP_IDS``
groups; answers name the same kinds in the same places.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ._ids import IdMap, Names, positive_id, same_form

_FILTER_KEY = re.compile(r"(!@|!%|!=|>=|<=|!|>|<|=|@|%)?([A-Za-z0-9_]+)")


def _upper(params: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k).upper(): v for k, v in params.items()}


class Translator:
    """The state of one scenario's replay: its IDs, names, blocks and fields."""

    def __init__(self, names: Names, *, site_id: str, groups: Mapping[int, int]) -> None:
        self.ids = IdMap()
        self.names = names
        self.site_id = site_id
        if site_id != "s1":
            names.alias(site_id, "s1")
        for expected, actual in groups.items():
            self.ids.bind("group", expected, actual)
        self.block_names: dict[str, int] = {}  # scenario's block NAME → scenario's block ID
        self.fields: dict[int, dict[str, str]] = {}  # scenario's block → field → type
        self.field_block: dict[int, int] = {}  # scenario's field ID → scenario's block ID
        self.field_types: dict[int, str] = {}
        self.enum_items: dict[int, dict[str, int]] = {}  # scenario's field → XML_ID → item ID
        self.enum_next = 0

    # -- requests --------------------------------------------------------------------------

    def _id(self, kind: str, value: Any) -> Any:
        number = positive_id(value)
        return value if number is None else same_form(value, self.ids.to_site(kind, number))

    def block_ref(self, value: Any) -> Any:
        """``HLBLOCK``: an ID, or a NAME this scenario made."""
        if isinstance(value, str) and not value.isdigit():
            return self.names.block(value) if value in self.block_names else value
        return self._id("block", value)

    def block_of(self, params: Mapping[str, Any]) -> int | None:
        """The scenario's ID of the block a request names."""
        upper = _upper(params)
        raw = upper.get("HLBLOCK", upper.get("HLBLOCK_ID"))
        if isinstance(raw, str) and not raw.isdigit():
            return self.block_names.get(raw)
        return positive_id(raw)

    def _value(self, block: int | None, field: str, value: Any) -> Any:
        kind = self.fields.get(block or 0, {}).get(field.upper())
        if kind == "enumeration":
            return (
                [self._id("enum", v) for v in value]
                if isinstance(value, list)
                else self._id("enum", value)
            )
        if kind == "file":
            if isinstance(value, list):
                return [self._value(block, field, v) for v in value]
            if isinstance(value, Mapping) and "id" in value:
                return {**value, "id": self._id("file", value["id"])}
            return self._id("file", value)
        return value

    def _row_fields(self, block: int | None, fields: Any) -> Any:
        if not isinstance(fields, Mapping):
            return fields
        return {k: self._value(block, str(k), v) for k, v in fields.items()}

    def _filter(self, block: int | None, raw: Any, id_kind: str) -> Any:
        if not isinstance(raw, Mapping):
            return raw
        out: dict[str, Any] = {}
        for key, value in raw.items():
            match = _FILTER_KEY.fullmatch(str(key))
            name = match.group(2).upper() if match else ""
            if name == "ID":
                out[key] = (
                    [self._id(id_kind, v) for v in value]
                    if isinstance(value, list)
                    else self._id(id_kind, value)
                )
            elif name in ("NAME",) and isinstance(value, str):
                out[key] = self.names.block(value) if value in self.block_names else value
            else:
                out[key] = self._value(block, name, value)
        return out

    def params(self, method: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """The request as the site must get it."""
        name = method.lower()
        block = self.block_of(params)
        row_kind = f"row:{block}"
        out: dict[str, Any] = {}
        for key, value in params.items():
            upper = str(key).upper()
            out[key] = self._param(name, upper, value, block, row_kind)
        return out

    def _param(self, method: str, key: str, value: Any, block: int | None, row_kind: str) -> Any:
        if key in ("HLBLOCK", "HLBLOCK_ID"):
            return self.block_ref(value)
        if method.startswith("b2bsync.hlblock.field."):
            if key == "ID":
                return self._id("field", value)
            if key == "FILTER":
                return self._filter(block, value, "field")
            return value
        if method.startswith("b2bsync.hlblock."):
            return self._block_param(method, key, value, block)
        if method.startswith("b2bsync.item."):
            if key == "ID":
                return self._id(row_kind, value)
            if key == "FIELDS":
                return self._row_fields(block, value)
            if key == "ROWS" and isinstance(value, list):
                return [self._row_fields(block, r) for r in value]
            if key == "FILTER":
                return self._filter(block, value, row_kind)
            return value
        if method.startswith("b2bsync.user."):
            if key == "EMAIL" and isinstance(value, str):
                return self.names.email(value)
            if key == "LOGIN" and isinstance(value, str):
                return self.names.login(value)
            if key == "GROUP_IDS" and isinstance(value, list):
                return [self._id("group", v) for v in value]
            return value
        if method.startswith("b2bsync.mail."):
            return self._mail_param(key, value)
        return value

    def _block_param(self, method: str, key: str, value: Any, block: int | None) -> Any:
        if key == "ID":
            return self._id("block", value)
        if key == "NAME" and isinstance(value, str):
            known = method.endswith(".add") or value in self.block_names
            return self.names.block(value) if known else value
        if key == "NAMES" and isinstance(value, list):
            return [self.names.block(v) if isinstance(v, str) else v for v in value]
        if key == "TABLE_NAME" and isinstance(value, str) and method.endswith(".add"):
            return self.names.table(value)
        if key == "FILTER":
            return self._filter(block, value, "block")
        return value

    def _mail_param(self, key: str, value: Any) -> Any:
        if key == "EVENT_NAME" and isinstance(value, str):
            return self.names.event(value)
        if key == "DEDUP_KEY" and isinstance(value, str):
            return self.names.dedup(value)
        if key == "LID":
            if isinstance(value, list):
                return [self.site_id if v == "s1" else v for v in value]
            return self.site_id if value == "s1" else value
        return value

    # -- learning --------------------------------------------------------------------------

    def learn_request(self, method: str, params: Mapping[str, Any], answer: Any) -> None:
        """What a successful request tells about the scenario's own objects."""
        name = method.lower()
        upper = _upper(params)
        if name == "b2bsync.hlblock.add" and isinstance(upper.get("NAME"), str):
            expected = positive_id(answer)
            if expected is not None:
                self.block_names[upper["NAME"]] = expected
                self.fields.setdefault(expected, {})
        if name == "b2bsync.hlblock.field.add":
            field = _upper(upper.get("FIELD") or {})
            block = self.block_of(params)
            expected = positive_id(answer)
            if block is not None and expected is not None:
                kind = str(field.get("USER_TYPE_ID", ""))
                self.fields.setdefault(block, {})[str(field.get("FIELD_NAME", "")).upper()] = kind
                self.field_block[expected] = block
                self.field_types[expected] = kind

    def new_enum_items(self, field_id: int, xml_ids: list[str]) -> list[tuple[str, int]]:
        """Scenario IDs for the items a field gained, in the order a fresh site numbers them."""
        known = self.enum_items.setdefault(field_id, {})
        out = []
        for xml_id in xml_ids:
            if xml_id not in known:
                self.enum_next += 1
                known[xml_id] = self.enum_next
                out.append((xml_id, self.enum_next))
        return out

    # -- answers ---------------------------------------------------------------------------

    def bind_or_map(self, kind: str, actual: Any, hint: Any) -> Any:
        """The scenario's ID for ``actual``: bound before, or bound now to ``hint`` (what the
        scenario expects at that place); else a marker no expectation matches."""
        number = positive_id(actual)
        if number is None or isinstance(actual, str):
            return actual
        mapped = self.ids.to_scenario(kind, number)
        if mapped is not None:
            return mapped
        wanted = positive_id(hint)
        if wanted is not None and self.ids.bind(kind, wanted, number):
            return wanted
        return f"site {kind} {number}"

    def row(self, block: int | None, row: Any, hint: Any) -> Any:
        """A row of ``block`` in the scenario's IDs (``hint``: the expected row, if any)."""
        if not isinstance(row, Mapping):
            return row
        hint = hint if isinstance(hint, Mapping) else {}
        out: dict[str, Any] = {}
        for name, value in row.items():
            expected = hint.get(name)
            if name == "ID":
                out[name] = self.bind_or_map(f"row:{block}", value, expected)
                continue
            kind = self.fields.get(block or 0, {}).get(name)
            if kind in ("enumeration", "file"):
                id_kind = "enum" if kind == "enumeration" else "file"
                if isinstance(value, list):
                    hints = expected if isinstance(expected, list) else []
                    out[name] = [
                        self.bind_or_map(id_kind, v, hints[i] if i < len(hints) else None)
                        for i, v in enumerate(value)
                    ]
                else:
                    out[name] = self.bind_or_map(id_kind, value, expected)
            else:
                out[name] = self.names.strings_back(value)
        return out
