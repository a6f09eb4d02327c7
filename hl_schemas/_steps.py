"""The plan's vocabulary: steps (what apply will write) and drift (what only a human may fix).

Steps are plain frozen data. ``key`` names a step uniquely; ``after`` lists the keys of steps
that must succeed first (a field after its new block, a status name after its new status).
``describe()`` is the migration-style line the CLI prints; ``to_json()`` the machine form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ._model import frozen_map


def plain(value: Any) -> Any:
    """``value`` with mappings and tuples turned into JSON's dicts and lists."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


@dataclass(frozen=True)
class Step:
    kind: ClassVar[str] = "step"
    key: str
    after: tuple[str, ...] = ()

    def describe(self) -> str:
        return self.key

    def payload(self) -> dict[str, Any]:
        return {}

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "after": list(self.after),
            "description": self.describe(),
            **plain(self.payload()),
        }


@dataclass(frozen=True)
class DeclareBlocks(Step):
    """``b2bsync.hlblock.declare``: the bridge adds and serves declared HL-blocks only."""

    kind: ClassVar[str] = "declare_hlblocks"
    names: tuple[str, ...] = ()

    def describe(self) -> str:
        return f"+ declare hlblocks {', '.join(self.names)} (the bridge serves declared blocks)"

    def payload(self) -> dict[str, Any]:
        return {"names": self.names}


@dataclass(frozen=True)
class AddBlock(Step):
    kind: ClassVar[str] = "add_hlblock"
    name: str = ""
    table: str = ""
    lang: Mapping[str, str] = field(default_factory=frozen_map)

    def describe(self) -> str:
        return f"+ hlblock {self.name} (table {self.table})"

    def payload(self) -> dict[str, Any]:
        return {"name": self.name, "table": self.table, "lang": self.lang}


@dataclass(frozen=True)
class UpdateBlockLang(Step):
    kind: ClassVar[str] = "update_hlblock_lang"
    name: str = ""
    block_id: int = 0
    lang: Mapping[str, str] = field(default_factory=frozen_map)

    def describe(self) -> str:
        langs = ", ".join(f"{k} «{v}»" for k, v in self.lang.items())
        return f"~ hlblock {self.name}: names {langs}"

    def payload(self) -> dict[str, Any]:
        return {"name": self.name, "block_id": self.block_id, "lang": self.lang}


@dataclass(frozen=True)
class AddField(Step):
    """``block_id`` is 0 when the block is created by the step named in ``after``."""

    kind: ClassVar[str] = "add_field"
    block: str = ""
    block_id: int = 0
    spec: Mapping[str, Any] = field(default_factory=frozen_map)

    def describe(self) -> str:
        flags = [str(self.spec.get("USER_TYPE_ID"))]
        if self.spec.get("MANDATORY") == "Y":
            flags.append("mandatory")
        if self.spec.get("MULTIPLE") == "Y":
            flags.append("multiple")
        items = self.spec.get("LIST") or ()
        if items:
            flags.append("values " + "|".join(str(i["XML_ID"]) for i in items))
        return f"+ field {self.block}.{self.spec.get('FIELD_NAME')} {', '.join(flags)}"

    def payload(self) -> dict[str, Any]:
        return {"block": self.block, "block_id": self.block_id, "field": self.spec}


@dataclass(frozen=True)
class UpdateField(Step):
    """Labels, settings and new or renamed enumeration values of an existing field."""

    kind: ClassVar[str] = "update_field"
    block: str = ""
    field_name: str = ""
    field_id: int = 0
    changes: Mapping[str, Any] = field(default_factory=frozen_map)
    reasons: tuple[str, ...] = ()

    def describe(self) -> str:
        return f"~ field {self.block}.{self.field_name}: {', '.join(self.reasons)}"

    def payload(self) -> dict[str, Any]:
        return {
            "block": self.block,
            "field_name": self.field_name,
            "field_id": self.field_id,
            "changes": self.changes,
        }


@dataclass(frozen=True)
class EnsureIndex(Step):
    kind: ClassVar[str] = "ensure_index"
    block: str = ""
    block_id: int = 0
    name: str = ""
    fields: tuple[str, ...] = ()
    unique: bool = False

    def describe(self) -> str:
        unique = " UNIQUE" if self.unique else ""
        return f"+ index {self.block}.{self.name}{unique} ({', '.join(self.fields)})"

    def payload(self) -> dict[str, Any]:
        return {
            "block": self.block,
            "block_id": self.block_id,
            "name": self.name,
            "fields": self.fields,
            "unique": self.unique,
        }


@dataclass(frozen=True)
class AddStatus(Step):
    kind: ClassVar[str] = "add_status"
    fields: Mapping[str, Any] = field(default_factory=frozen_map)

    def describe(self) -> str:
        f = self.fields
        return f"+ status {f.get('id')} ({f.get('xmlId')}), type {f.get('type')}"

    def payload(self) -> dict[str, Any]:
        return {"fields": self.fields}


@dataclass(frozen=True)
class AddStatusLang(Step):
    kind: ClassVar[str] = "add_status_lang"
    status_id: str = ""
    lid: str = ""
    name: str = ""
    description: str = ""

    def describe(self) -> str:
        return f"+ status name {self.status_id} [{self.lid}] «{self.name}»"

    def payload(self) -> dict[str, Any]:
        return {
            "status_id": self.status_id,
            "lid": self.lid,
            "name": self.name,
            "status_description": self.description,
        }


@dataclass(frozen=True)
class ReplaceStatusLang(Step):
    """There is no ``sale.statusLang.update``: the old name is deleted and the new one added."""

    kind: ClassVar[str] = "replace_status_lang"
    status_id: str = ""
    lid: str = ""
    old_name: str = ""
    name: str = ""
    description: str = ""

    def describe(self) -> str:
        return (
            f"~ status name {self.status_id} [{self.lid}] «{self.old_name}» → «{self.name}» "
            "(delete + add)"
        )

    def payload(self) -> dict[str, Any]:
        return {
            "status_id": self.status_id,
            "lid": self.lid,
            "old_name": self.old_name,
            "name": self.name,
            "status_description": self.description,
        }


@dataclass(frozen=True)
class AddPropertyGroup(Step):
    kind: ClassVar[str] = "add_property_group"
    person_type_id: int = 0
    fields: Mapping[str, Any] = field(default_factory=frozen_map)

    def describe(self) -> str:
        return f"+ property group «{self.fields.get('name')}» for payer type {self.person_type_id}"

    def payload(self) -> dict[str, Any]:
        return {"person_type_id": self.person_type_id, "fields": self.fields}


@dataclass(frozen=True)
class AddOrderProperty(Step):
    """``fields['propsGroupId']`` is 0 when the group is created by the step in ``after``."""

    kind: ClassVar[str] = "add_order_property"
    person_type_id: int = 0
    person_type_name: str = ""
    fields: Mapping[str, Any] = field(default_factory=frozen_map)

    def describe(self) -> str:
        return (
            f"+ order property {self.fields.get('code')} for payer type {self.person_type_id} "
            f"«{self.person_type_name}»"
        )

    def payload(self) -> dict[str, Any]:
        return {"person_type_id": self.person_type_id, "fields": self.fields}


@dataclass(frozen=True)
class EnsureMailType(Step):
    kind: ClassVar[str] = "ensure_mail_type"
    fields: Mapping[str, Any] = field(default_factory=frozen_map)
    update: bool = False

    def describe(self) -> str:
        sign = "~" if self.update else "+"
        return f"{sign} mail event type {self.fields.get('EVENT_NAME')} [{self.fields.get('LID')}]"

    def payload(self) -> dict[str, Any]:
        return {"fields": self.fields, "update": self.update}


@dataclass(frozen=True)
class EnsureMailTemplate(Step):
    kind: ClassVar[str] = "ensure_mail_template"
    fields: Mapping[str, Any] = field(default_factory=frozen_map)
    update: bool = False

    def describe(self) -> str:
        sign = "~" if self.update else "+"
        f = self.fields
        return (
            f"{sign} mail template {f.get('EVENT_NAME')} site {f.get('LID')} "
            f"[{f.get('LANGUAGE_ID')}]"
        )

    def payload(self) -> dict[str, Any]:
        return {"fields": self.fields, "update": self.update}


@dataclass(frozen=True)
class SetModuleOption(Step):
    """A module option of the bridge (``b2bsync.option.set``): JSON, compared canonically."""

    kind: ClassVar[str] = "set_module_option"
    name: str = ""
    value: Any = None

    def describe(self) -> str:
        return f"~ module option {self.name}"

    def payload(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value}


@dataclass(frozen=True)
class Drift:
    """A difference apply never fixes: a human decides (retype, drop, rename, reconfigure)."""

    kind: str
    target: str
    message: str

    def describe(self) -> str:
        return f"! {self.target}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "target": self.target, "message": self.message}


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...] = ()
    drift: tuple[Drift, ...] = ()

    @property
    def in_sync(self) -> bool:
        """Nothing to write and nothing for a human to look at."""
        return not self.steps and not self.drift

    def lines(self) -> list[str]:
        return [s.describe() for s in self.steps] + [d.describe() for d in self.drift]

    def to_json(self) -> dict[str, Any]:
        return {
            "in_sync": self.in_sync,
            "steps": [s.to_json() for s in self.steps],
            "drift": [d.to_json() for d in self.drift],
        }

    def step(self, key: str) -> Step:
        for s in self.steps:
            if s.key == key:
                return s
        raise KeyError(key)

    def keys(self) -> Sequence[str]:
        return [s.key for s in self.steps]
