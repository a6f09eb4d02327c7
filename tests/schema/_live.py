"""Hand-built live states: an empty site, and one that already holds the whole desired state."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hl_schemas import (
    LANGUAGES,
    Desired,
    LiveBlock,
    LiveEnumValue,
    LiveField,
    LiveIndex,
    LiveLanguage,
    LiveMailTemplate,
    LiveMailType,
    LivePersonType,
    LiveProperty,
    LivePropertyGroup,
    LiveState,
    LiveStatus,
    LiveStatusLang,
    template_fields,
)

LANGS = (LiveLanguage("de", active=False), LiveLanguage("en"), LiveLanguage("ru"))
LEGAL = LivePersonType(1, "Юридическое лицо", code="B2B", xml_id="LEGAL")
PERSON = LivePersonType(2, "Физическое лицо", xml_id="PERSON")


def empty_site(**changes: Any) -> LiveState:
    return replace(
        LiveState(site_id="s1", languages=LANGS, person_types=(LEGAL, PERSON)), **changes
    )


def synced_site(desired: Desired) -> LiveState:
    """What a site looks like right after a successful apply of ``desired``."""
    blocks = []
    field_id = 0
    for n, block in enumerate(desired.blocks, start=1):
        fields = []
        for f in block.fields:
            field_id += 1
            labels = {k: dict(t.as_dict()) for k, t in f.labels().items()}
            enum = tuple(
                LiveEnumValue(i, v.xml_id, v.value.get(desired.language), v.sort, v.default)
                for i, v in enumerate(f.enum, start=1)
            )
            fields.append(
                LiveField(
                    id=field_id,
                    name=f.name,
                    type=f.type,
                    mandatory=f.mandatory,
                    multiple=f.multiple,
                    settings={**dict(f.settings), "EXTRA_DEFAULT": 7},
                    labels=labels,
                    enum=enum,
                )
            )
        indexes = tuple(LiveIndex(ix.name, ix.fields, ix.unique) for ix in block.indexes)
        blocks.append(
            LiveBlock(n, block.name, block.table, block.title.as_dict(), tuple(fields), indexes)
        )
    statuses = tuple(
        LiveStatus(s.code, s.type, s.xml_id, s.sort, s.color, s.notify) for s in desired.statuses
    )
    names = tuple(
        LiveStatusLang(s.code, lid, s.name.get(lid), s.description.get(lid))
        for s in desired.statuses
        for lid in ("en", "ru")
    )
    mail_types = []
    templates = []
    for event in desired.mail_events:
        for lang in LANGUAGES:
            mail_types.append(
                LiveMailType(
                    len(mail_types) + 1,
                    event.name,
                    lang,
                    event.title.get(lang),
                    event.description(lang),
                    event.sort,
                )
            )
            content = template_fields(event, "s1", lang)
            templates.append(
                LiveMailTemplate(
                    len(templates) + 1,
                    event.name,
                    ("s1",),
                    lang,
                    {
                        k: v
                        for k, v in content.items()
                        if k not in {"EVENT_NAME", "LID", "LANGUAGE_ID"}
                    },
                    managed=True,
                )
            )
    return LiveState(
        site_id="s1",
        languages=LANGS,
        blocks=tuple(blocks),
        statuses=(LiveStatus("N", "O", None, 100), *statuses),
        status_langs=names,
        person_types=(LEGAL, PERSON),
        property_groups=(LivePropertyGroup(1, 1, "B2B", 900),),
        properties=(LiveProperty(1, 1, "B2B_COMPANY_ID"),),
        mail_types=tuple(mail_types),
        mail_templates=tuple(templates),
    )


def block_of(live: LiveState, name: str) -> LiveBlock:
    return next(b for b in live.blocks if b.name == name)


def with_block(live: LiveState, block: LiveBlock) -> LiveState:
    return replace(live, blocks=tuple(block if b.name == block.name else b for b in live.blocks))


def with_field(live: LiveState, block: str, name: str, **changes: Any) -> LiveState:
    lb = block_of(live, block)
    fields = tuple(replace(f, **changes) if f.name == name else f for f in lb.fields)
    return with_block(live, replace(lb, fields=fields))


def without_field(live: LiveState, block: str, name: str) -> LiveState:
    lb = block_of(live, block)
    return with_block(live, replace(lb, fields=tuple(f for f in lb.fields if f.name != name)))
