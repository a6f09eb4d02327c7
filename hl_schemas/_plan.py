"""The planner: a pure function of (desired, live) → :class:`Plan`.

It adds what is missing (blocks, fields, enumeration values, indexes, statuses and their names,
property groups and properties, mail types and templates) and updates texts (labels, names,
descriptions, settings b2bsync declares, templates nobody edited). It never drops, retypes or
renames: a field of another type or multiplicity, a status of another type, a code taken by
someone else's status, a conflicting index, a hidden property made visible — all are
:class:`Drift`. Fields, enumeration values, statuses and templates b2bsync does not know are
none of its business and are not drift.

Output order follows the declarations, so two runs over the same input print the same plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._desired import Desired
from ._live import (
    TEMPLATE_CONTENT,
    LiveBlock,
    LiveField,
    LiveMailTemplate,
    LiveState,
    LiveStatus,
)
from ._model import LANGUAGES, Block, Field, MailEvent, frozen_map
from ._options import plan_options
from ._sale import is_legal_entity, property_fields
from ._steps import (
    AddBlock,
    AddField,
    AddOrderProperty,
    AddPropertyGroup,
    AddStatus,
    AddStatusLang,
    DeclareBlocks,
    Drift,
    EnsureIndex,
    EnsureMailTemplate,
    EnsureMailType,
    Plan,
    ReplaceStatusLang,
    Step,
    UpdateBlockLang,
    UpdateField,
)


def plan(desired: Desired, live: LiveState) -> Plan:
    """Every step that brings ``live`` to ``desired``, and every difference it will not touch."""
    steps: list[Step] = []
    drift: list[Drift] = []
    _plan_blocks(desired, live, steps, drift)
    _plan_statuses(desired, live, steps, drift)
    _plan_property(desired, live, steps, drift)
    _plan_mail(desired, live, steps, drift)
    plan_options(desired, live, steps, drift)
    return Plan(tuple(steps), tuple(drift))


# -- comparisons ---------------------------------------------------------------------------------


def same_value(live: Any, wanted: Any) -> bool:
    """Settings equality as PHP stores them: ``1`` = ``"1"`` = ``1.0`` = ``True``."""
    if isinstance(wanted, Mapping):
        return isinstance(live, Mapping) and all(
            same_value(live.get(k), v) for k, v in wanted.items()
        )
    if isinstance(wanted, list | tuple):
        return (
            isinstance(live, list | tuple)
            and len(live) == len(wanted)
            and all(same_value(a, b) for a, b in zip(live, wanted, strict=True))
        )
    if isinstance(wanted, bool | int | float) or isinstance(live, bool | int | float):
        try:
            return float(live) == float(wanted)
        except (TypeError, ValueError):
            return False
    return ("" if live is None else str(live)) == ("" if wanted is None else str(wanted))


def _yn(flag: bool) -> str:
    return "Y" if flag else "N"


# -- HL-blocks -----------------------------------------------------------------------------------


def field_spec(f: Field, language: str) -> dict[str, Any]:
    """``b2bsync.hlblock.field.add`` FIELD for a declared field."""
    spec: dict[str, Any] = {
        "FIELD_NAME": f.name,
        "USER_TYPE_ID": f.type,
        "SORT": f.sort,
        "MULTIPLE": _yn(f.multiple),
        "MANDATORY": _yn(f.mandatory),
        "SETTINGS": dict(f.settings),
    }
    for key, text in f.labels().items():
        spec[key] = text.as_dict()
    if f.enum:
        spec["LIST"] = [
            {
                "XML_ID": v.xml_id,
                "VALUE": v.value.get(language),
                "SORT": v.sort,
                "DEF": _yn(v.default),
            }
            for v in f.enum
        ]
    return spec


def _label_changes(f: Field, lf: LiveField) -> tuple[dict[str, Any], list[str]]:
    changes: dict[str, Any] = {}
    reasons: list[str] = []
    for key, text in f.labels().items():
        current = lf.labels.get(key, {})
        stale = [lang for lang in LANGUAGES if current.get(lang) != text.get(lang)]
        if stale:
            changes[key] = text.as_dict()
            reasons.append(f"{key}[{','.join(stale)}]")
    return changes, reasons


def _field_changes(f: Field, lf: LiveField, language: str) -> tuple[dict[str, Any], list[str]]:
    changes, reasons = _label_changes(f, lf)
    stale_settings = [k for k, v in f.settings.items() if not same_value(lf.settings.get(k), v)]
    if stale_settings:
        # SETTINGS replaces the stored set: keep what the site has, change only ours
        changes["SETTINGS"] = {**dict(lf.settings), **dict(f.settings)}
        reasons.append("settings " + ",".join(stale_settings))
    live_enum = {v.xml_id: v for v in lf.enum}
    items: list[dict[str, Any]] = []
    for value in f.enum:
        text = value.value.get(language)
        current = live_enum.get(value.xml_id)
        if current is None:
            items.append({"XML_ID": value.xml_id, "VALUE": text, "SORT": value.sort, "DEF": "N"})
            reasons.append(f"+value {value.xml_id}")
        elif current.value != text:
            items.append({"XML_ID": value.xml_id, "VALUE": text})
            reasons.append(f"value {value.xml_id} «{current.value}» → «{text}»")
    if items:
        changes["LIST"] = items
    return changes, reasons


def _field_drift(block: Block, f: Field, lf: LiveField) -> list[Drift]:
    target = f"{block.name}.{f.name}"
    if lf.type != f.type:
        return [
            Drift(
                "field_type",
                target,
                f"is {lf.type}, b2bsync needs {f.type}; not changed (a type change needs a data "
                "migration: rename the old field and run apply to add the new one)",
            )
        ]
    out = []
    if lf.multiple != f.multiple:
        want = "multiple" if f.multiple else "single"
        out.append(Drift("field_multiple", target, f"must be {want}-valued; not changed"))
    if lf.mandatory != f.mandatory:
        want = "mandatory" if f.mandatory else "optional"
        out.append(Drift("field_mandatory", target, f"should be {want}; not changed"))
    return out


def _describe_index(fields: tuple[str, ...], unique: bool) -> str:
    return ("UNIQUE " if unique else "") + f"({', '.join(fields)})"


DECLARE_KEY = "declare_hlblocks"


def _plan_blocks(desired: Desired, live: LiveState, steps: list[Step], drift: list[Drift]) -> None:
    by_name = {b.name: b for b in live.blocks}
    by_table = {b.table: b for b in live.blocks}
    undeclared = [
        b.name
        for b in desired.blocks
        if not live.may_use(b.name) and b.name not in by_name and b.table not in by_table
    ]
    if undeclared:
        steps.append(DeclareBlocks(key=DECLARE_KEY, names=tuple(undeclared)))
    for block in desired.blocks:
        lb = by_name.get(block.name)
        if lb is not None and not live.may_use(block.name):
            drift.append(
                Drift(
                    "hlblock_access",
                    block.name,
                    f"exists (ID {lb.id}) but the bridge does not let b2bsync use it: tick it "
                    "on the module settings page (Access tab), then run apply again",
                )
            )
            continue
        if lb is None:
            other = by_table.get(block.table)
            if other is not None:
                drift.append(
                    Drift(
                        "hlblock_table",
                        block.name,
                        f"table {block.table} belongs to HL-block {other.name} (ID {other.id}); "
                        "not created",
                    )
                )
                continue
            _plan_new_block(desired, block, steps)
            continue
        if lb.table != block.table:
            drift.append(
                Drift(
                    "hlblock_table",
                    block.name,
                    f"uses table {lb.table}, b2bsync expects {block.table}; not changed",
                )
            )
        _plan_existing_block(desired, block, lb, steps, drift)


def _plan_new_block(desired: Desired, block: Block, steps: list[Step]) -> None:
    block_key = f"hlblock:{block.name}"
    # no "after" on the declaration: it is the plan's first step, so it runs first in the same
    # batch (the server runs a batch's commands in order), and a refused one fails the adds
    steps.append(
        AddBlock(
            key=block_key,
            name=block.name,
            table=block.table,
            lang=frozen_map(block.title.as_dict()),
        )
    )
    for f in block.fields:
        steps.append(
            AddField(
                key=f"field:{block.name}.{f.name}",
                after=(block_key,),
                block=block.name,
                spec=frozen_map(field_spec(f, desired.language)),
            )
        )
    for ix in block.indexes:
        after = (block_key, *(f"field:{block.name}.{name}" for name in ix.fields))
        steps.append(
            EnsureIndex(
                key=f"index:{block.name}.{ix.name}",
                after=after,
                block=block.name,
                name=ix.name,
                fields=ix.fields,
                unique=ix.unique,
            )
        )


def _plan_existing_block(
    desired: Desired, block: Block, lb: LiveBlock, steps: list[Step], drift: list[Drift]
) -> None:
    stale = {
        lang: block.title.get(lang)
        for lang in LANGUAGES
        if lb.lang.get(lang) != block.title.get(lang)
    }
    if stale:
        steps.append(
            UpdateBlockLang(
                key=f"hlblock_lang:{block.name}",
                name=block.name,
                block_id=lb.id,
                lang=frozen_map(stale),
            )
        )
    live_fields = {f.name: f for f in lb.fields}
    usable: set[str] = set()  # fields an index may use once the plan has run
    for f in block.fields:
        lf = live_fields.get(f.name)
        key = f"field:{block.name}.{f.name}"
        if lf is None:
            steps.append(
                AddField(
                    key=key,
                    block=block.name,
                    block_id=lb.id,
                    spec=frozen_map(field_spec(f, desired.language)),
                )
            )
            usable.add(f.name)
            continue
        problems = _field_drift(block, f, lf)
        drift.extend(problems)
        if any(p.kind == "field_type" for p in problems):
            continue
        if lf.multiple == f.multiple:
            usable.add(f.name)
        changes, reasons = _field_changes(f, lf, desired.language)
        if changes:
            steps.append(
                UpdateField(
                    key=f"field_update:{block.name}.{f.name}",
                    block=block.name,
                    field_name=f.name,
                    field_id=lf.id,
                    changes=frozen_map(changes),
                    reasons=tuple(reasons),
                )
            )
    planned = {s.key for s in steps}
    for ix in block.indexes:
        named = next((i for i in lb.indexes if i.name == ix.name), None)
        target = f"{block.name}.{ix.name}"
        if named is not None:
            if named.fields != ix.fields or named.unique != ix.unique:
                drift.append(
                    Drift(
                        "index_conflict",
                        target,
                        f"exists as {_describe_index(named.fields, named.unique)}, b2bsync needs "
                        f"{_describe_index(ix.fields, ix.unique)}; never dropped or rebuilt",
                    )
                )
            continue
        if any(i.fields == ix.fields and i.unique == ix.unique for i in lb.indexes):
            continue  # the same index under another name
        blocked = [name for name in ix.fields if name not in usable]
        if blocked:
            drift.append(
                Drift(
                    "index_blocked",
                    target,
                    f"not created: field(s) {', '.join(blocked)} have drifted",
                )
            )
            continue
        after = tuple(
            k for k in (f"field:{block.name}.{name}" for name in ix.fields) if k in planned
        )
        steps.append(
            EnsureIndex(
                key=f"index:{block.name}.{ix.name}",
                after=after,
                block=block.name,
                block_id=lb.id,
                name=ix.name,
                fields=ix.fields,
                unique=ix.unique,
            )
        )


# -- statuses ------------------------------------------------------------------------------------


def _find_status(live: LiveState, code: str) -> LiveStatus | None:
    """Status IDs compare case-insensitively (MySQL's default collation)."""
    folded = code.casefold()
    return next((s for s in live.statuses if s.id.casefold() == folded), None)


def _plan_statuses(
    desired: Desired, live: LiveState, steps: list[Step], drift: list[Drift]
) -> None:
    names = {(s.status_id.casefold(), s.lid): s for s in live.status_langs}
    active = live.active_languages
    for status in desired.statuses:
        target = f"status {status.code}"
        current = _find_status(live, status.code)
        status_key = f"status:{status.code}"
        after: tuple[str, ...] = ()
        status_id = status.code
        if current is None:
            holder = next((s for s in live.statuses if s.xml_id == status.xml_id), None)
            if holder is not None:
                drift.append(
                    Drift(
                        "status_xml_id",
                        target,
                        f"xmlId {status.xml_id} already belongs to status {holder.id}; set "
                        f"bitrix.status_{status.key} = {holder.id!r} or change that status",
                    )
                )
                continue
            steps.append(
                AddStatus(
                    key=status_key,
                    fields=frozen_map(
                        {
                            "id": status.code,
                            "type": status.type,
                            "sort": status.sort,
                            "notify": _yn(status.notify),
                            "color": status.color,
                            "xmlId": status.xml_id,
                        }
                    ),
                )
            )
            after = (status_key,)
        else:
            status_id = current.id
            if current.type != status.type:
                drift.append(
                    Drift(
                        "status_type",
                        target,
                        f"has type {current.type}, b2bsync needs {status.type} (an order "
                        "status); not changed: pick another code",
                    )
                )
                continue
            if current.xml_id != status.xml_id:
                drift.append(
                    Drift(
                        "status_xml_id",
                        target,
                        f"has xmlId {current.xml_id!r}, b2bsync expects {status.xml_id!r}: the "
                        "code may belong to another status; pick another code or set its xmlId",
                    )
                )
                continue
        for lid in active:
            name, description = status.name.get(lid), status.description.get(lid)
            present = names.get((status_id.casefold(), lid)) if current is not None else None
            key = f"status_lang:{status.code}:{lid}"
            if present is None:
                steps.append(
                    AddStatusLang(
                        key=key,
                        after=after,
                        status_id=status_id,
                        lid=lid,
                        name=name,
                        description=description,
                    )
                )
            elif present.name != name or (present.description or "") != description:
                steps.append(
                    ReplaceStatusLang(
                        key=key,
                        status_id=status_id,
                        lid=lid,
                        old_name=present.name,
                        name=name,
                        description=description,
                    )
                )


# -- the order property --------------------------------------------------------------------------


def _plan_property(
    desired: Desired, live: LiveState, steps: list[Step], drift: list[Drift]
) -> None:
    prop = desired.order_property
    person_types = {p.id: p for p in live.person_types}
    if desired.person_type_ids:
        targets = []
        for pid in desired.person_type_ids:
            if pid in person_types:
                targets.append(person_types[pid])
            else:
                drift.append(
                    Drift(
                        "payer_type",
                        f"payer type {pid}",
                        f"configured in bitrix.person_type_ids but not on the site (it has "
                        f"{sorted(person_types)})",
                    )
                )
    else:
        targets = [p for p in live.person_types if is_legal_entity(p.as_row())]
        if not targets:
            drift.append(
                Drift(
                    "payer_type",
                    f"order property {prop.code}",
                    "no active payer type looks like a legal entity; set bitrix.person_type_ids",
                )
            )
    for pt in targets:
        found = sorted(
            (p for p in live.properties if p.code == prop.code and p.person_type_id == pt.id),
            key=lambda p: p.id,
        )
        target = f"order property {prop.code} (payer type {pt.id})"
        if not found:
            groups = sorted(
                (g for g in live.property_groups if g.person_type_id == pt.id),
                key=lambda g: (g.sort, g.id),
            )
            after: tuple[str, ...] = ()
            group_id = groups[0].id if groups else 0
            if not groups:
                group_key = f"property_group:{pt.id}"
                steps.append(
                    AddPropertyGroup(
                        key=group_key,
                        person_type_id=pt.id,
                        fields=frozen_map(
                            {
                                "personTypeId": pt.id,
                                "name": prop.group_name.get(desired.language),
                                "sort": prop.group_sort,
                            }
                        ),
                    )
                )
                after = (group_key,)
            steps.append(
                AddOrderProperty(
                    key=f"order_property:{pt.id}",
                    after=after,
                    person_type_id=pt.id,
                    person_type_name=pt.name,
                    fields=frozen_map(property_fields(prop, pt.id, group_id, desired.language)),
                )
            )
            continue
        used = found[0]
        if len(found) > 1:
            others = ", ".join(str(p.id) for p in found[1:])
            drift.append(
                Drift(
                    "property_duplicate",
                    target,
                    f"{len(found)} properties share the code; b2bsync uses ID {used.id}, delete "
                    f"the others ({others})",
                )
            )
        if used.type != prop.type:
            drift.append(Drift("property_type", target, f"is {used.type}, must be {prop.type}"))
        if not used.active:
            drift.append(
                Drift("property_inactive", target, "is inactive: new orders get no value for it")
            )
        if not used.util:
            drift.append(
                Drift(
                    "property_visible",
                    target,
                    "is not a utility property: buyers see and can edit it in checkout",
                )
            )
        if used.multiple:
            drift.append(Drift("property_multiple", target, "must be single-valued"))


# -- mail ----------------------------------------------------------------------------------------


def template_fields(event: MailEvent, site_id: str, lang: str) -> dict[str, str]:
    template = event.templates[lang]
    return {
        "EVENT_NAME": event.name,
        "LID": site_id,
        "LANGUAGE_ID": lang,
        "ACTIVE": "Y",
        "EMAIL_FROM": "#DEFAULT_EMAIL_FROM#",
        "EMAIL_TO": event.email_to,
        "BCC": "",
        "SUBJECT": template.subject,
        "MESSAGE": template.body,
        "BODY_TYPE": "text",
    }


def _covering(
    templates: list[LiveMailTemplate], event: str, site_id: str, lang: str
) -> list[LiveMailTemplate]:
    """Templates Bitrix would send for this event, site and language (an empty LANGUAGE_ID
    matches every language)."""
    return sorted(
        (
            t
            for t in templates
            if t.event_name == event
            and site_id in t.sites
            and (t.language_id is None or t.language_id == lang)
        ),
        key=lambda t: t.id,
    )


def _plan_mail(desired: Desired, live: LiveState, steps: list[Step], drift: list[Drift]) -> None:
    site_id = desired.site_id or live.site_id
    languages = [lang for lang in LANGUAGES if lang in live.known_languages]
    types = {(t.event_name, t.lid): t for t in live.mail_types}
    templates = list(live.mail_templates)
    for event in desired.mail_events:
        type_keys = []
        for lang in languages:
            wanted = {
                "EVENT_NAME": event.name,
                "LID": lang,
                "NAME": event.title.get(lang),
                "DESCRIPTION": event.description(lang),
                "SORT": event.sort,
            }
            current = types.get((event.name, lang))
            key = f"mail_type:{event.name}:{lang}"
            if current is None:
                steps.append(EnsureMailType(key=key, fields=frozen_map(wanted)))
                type_keys.append(key)
            elif (current.name, current.description, current.sort) != (
                wanted["NAME"],
                wanted["DESCRIPTION"],
                wanted["SORT"],
            ):
                steps.append(EnsureMailType(key=key, fields=frozen_map(wanted), update=True))
        for lang in languages:
            wanted_t = template_fields(event, site_id, lang)
            key = f"mail_template:{event.name}:{site_id}:{lang}"
            present = _covering(templates, event.name, site_id, lang)
            if not present:
                steps.append(
                    EnsureMailTemplate(key=key, after=tuple(type_keys), fields=frozen_map(wanted_t))
                )
                continue
            ours = [t for t in present if t.managed and t.language_id == lang]
            if not ours or ours[0].edited:
                continue  # a human's template (or a human's edit) is never touched
            written = {k: ours[0].content.get(k, "") for k in TEMPLATE_CONTENT}
            if written != {k: wanted_t[k] for k in TEMPLATE_CONTENT}:
                steps.append(EnsureMailTemplate(key=key, fields=frozen_map(wanted_t), update=True))
