"""``b2bsync.mail.*``: mail event types, templates (never overwriting an edited one) and sending.

How "edited" is decided is in ``bridge/contract/README.md`` ("Mail templates"); the PHP twin of
the decision is ``bridge/b2bsync.bridge/lib/core/templateguard.php``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ._api import CallContext, MethodRegistry
from ._bridge_access import check_event, check_template, is_b2b_event
from ._bridge_params import (
    ERROR_ARGUMENT,
    ERROR_NOT_FOUND,
    SCOPE,
    Params,
    fail,
    flag,
    parse_positive_int,
    yn,
)
from ._bridge_rules import check_event_name
from ._bridge_state import BridgeState, MailTemplate, MailType, ManagedTemplate, SentMail
from ._filters import php_strval
from ._site import FakeSite

MAIL_METHODS = MethodRegistry()
BODY_TYPES = frozenset({"text", "html"})
MAX_DEDUP_KEY = 255


def _language(site: FakeSite, lid: str, what: str) -> str:
    if all(lang.lid != lid for lang in site.languages):
        raise fail(ERROR_ARGUMENT, f"{what}: no language {lid!r} on the site")
    return lid


def _site_id(site: FakeSite, lid: str) -> str:
    if lid != site.site_id:
        raise fail(ERROR_ARGUMENT, f"LID: no site {lid!r}")
    return lid


def _event_name(params: Params) -> str:
    """EVENT_NAME: well-formed and a B2B_ event (the bridge touches no other)."""
    name = params.string("EVENT_NAME")
    check_event_name(name)
    check_event(name)
    return name


# event types ----------------------------------------------------------------------------------
def _type_answer(row: MailType) -> dict[str, Any]:
    return {
        "ID": row.id,
        "EVENT_NAME": row.event_name,
        "LID": row.lid,
        "NAME": row.name,
        "DESCRIPTION": row.description,
        "SORT": row.sort,
    }


@MAIL_METHODS.add("b2bsync.mail.type.list", SCOPE)
def type_list(ctx: CallContext) -> list[dict[str, Any]]:
    params = Params(ctx.params)
    wanted = _event_name(params) if params.has("EVENT_NAME") else None
    rows = sorted(ctx.site.bridge.mail_types.values(), key=lambda t: t.id)
    return [
        _type_answer(t)
        for t in rows
        if (wanted is None or t.event_name == wanted) and is_b2b_event(t.event_name)
    ]


@MAIL_METHODS.add("b2bsync.mail.type.ensure", SCOPE)
def type_ensure(ctx: CallContext) -> dict[str, Any]:
    params = Params(ctx.params)
    state = ctx.site.bridge
    event_name = _event_name(params)
    lid = _language(ctx.site, params.string("LID"), "LID")
    name = params.string("NAME")
    description = (
        params.string("DESCRIPTION", required=False) if params.has("DESCRIPTION") else None
    )
    sort = _sort(params)
    found = next(
        (t for t in state.mail_types.values() if t.event_name == event_name and t.lid == lid), None
    )
    if found is None:
        row = MailType(state.next_id("mail_type"), event_name, lid, name, description or "")
        row.sort = 100 if sort is None else sort
        state.mail_types[row.id] = row
        return {"ID": row.id, "ACTION": "added"}
    wanted = (
        name,
        found.description if description is None else description,
        found.sort if sort is None else sort,
    )
    if wanted == (found.name, found.description, found.sort):
        return {"ID": found.id, "ACTION": "unchanged"}
    found.name, found.description, found.sort = wanted
    return {"ID": found.id, "ACTION": "updated"}


def _sort(params: Params) -> int | None:
    if not params.has("SORT"):
        return None
    raw = params.get("SORT")
    value = parse_positive_int(raw)
    if value is None and raw not in (0, "0"):
        raise fail(ERROR_ARGUMENT, "SORT must be a non-negative integer")
    return value or 0


# templates ------------------------------------------------------------------------------------
CONTENT_KEYS = ("ACTIVE", "EMAIL_FROM", "EMAIL_TO", "BCC", "SUBJECT", "MESSAGE", "BODY_TYPE")


def content_of(template: MailTemplate) -> dict[str, str]:
    return {
        "ACTIVE": yn(template.active),
        "EMAIL_FROM": template.email_from,
        "EMAIL_TO": template.email_to,
        "BCC": template.bcc,
        "SUBJECT": template.subject,
        "MESSAGE": template.message,
        "BODY_TYPE": template.body_type,
    }


def fingerprint(content: dict[str, str]) -> str:
    """SHA-256 of the content as a JSON list in ``CONTENT_KEYS`` order (same bytes as PHP's
    ``json_encode($list, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES)``)."""
    encoded = json.dumps(
        [content[k] for k in CONTENT_KEYS], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(encoded.encode()).hexdigest()


def identity(event_name: str, sites: list[str], language_id: str) -> str:
    return f"{event_name}|{','.join(sorted(sites))}|{language_id}"


def _template_answer(state: BridgeState, template: MailTemplate) -> dict[str, Any]:
    record = next(
        (r for r in state.managed_templates.values() if r.template_id == template.id), None
    )
    content = content_of(template)
    return {
        "ID": template.id,
        "EVENT_NAME": template.event_name,
        "LID": list(template.sites),
        "LANGUAGE_ID": template.language_id,
        **content,
        "MANAGED": yn(record is not None),
        "EDITED": yn(record is not None and record.fingerprint != fingerprint(content)),
    }


@MAIL_METHODS.add("b2bsync.mail.template.list", SCOPE)
def template_list(ctx: CallContext) -> list[dict[str, Any]]:
    params = Params(ctx.params)
    state = ctx.site.bridge
    wanted = _event_name(params) if params.has("EVENT_NAME") else None
    rows = sorted(state.mail_templates.values(), key=lambda t: t.id)
    return [
        _template_answer(state, t)
        for t in rows
        if wanted in (None, t.event_name) and is_b2b_event(t.event_name)
    ]


@MAIL_METHODS.add("b2bsync.mail.template.ensure", SCOPE)
def template_ensure(ctx: CallContext) -> dict[str, Any]:
    params = Params(ctx.params)
    state = ctx.site.bridge
    desired = _desired_template(ctx.site, params)
    check_template(content_of(desired))
    if not any(t.event_name == desired.event_name for t in state.mail_types.values()):
        raise fail(ERROR_NOT_FOUND, f"no mail event type {desired.event_name}")
    key = identity(desired.event_name, desired.sites, desired.language_id)
    wanted = fingerprint(content_of(desired))
    record = state.managed_templates.get(key)
    current = state.mail_templates.get(record.template_id) if record else None
    if record is not None and current is not None:
        if fingerprint(content_of(current)) != record.fingerprint:
            return {"ID": current.id, "ACTION": "kept"}
        if wanted == record.fingerprint:
            return {"ID": current.id, "ACTION": "unchanged"}
        _copy_content(desired, current)
        record.fingerprint = wanted
        return {"ID": current.id, "ACTION": "updated"}
    foreign = [
        t
        for t in state.mail_templates.values()
        if t.event_name == desired.event_name
        and set(t.sites) & set(desired.sites)
        and t.language_id == desired.language_id
    ]
    if foreign:
        return {"ID": min(t.id for t in foreign), "ACTION": "kept"}
    desired.id = state.next_id("mail_template")
    state.mail_templates[desired.id] = desired
    state.managed_templates[key] = ManagedTemplate(desired.id, wanted)
    return {"ID": desired.id, "ACTION": "added"}


def _copy_content(source: MailTemplate, target: MailTemplate) -> None:
    target.active, target.email_from, target.email_to = (
        source.active,
        source.email_from,
        source.email_to,
    )
    target.bcc, target.subject, target.message, target.body_type = (
        source.bcc,
        source.subject,
        source.message,
        source.body_type,
    )


def _desired_template(site: FakeSite, params: Params) -> MailTemplate:
    event_name = _event_name(params)
    sites = _sites(site, params.get("LID") if params.has("LID") else None)
    language_id = params.string("LANGUAGE_ID", required=False)
    if language_id:
        _language(site, language_id, "LANGUAGE_ID")
    body_type = params.string("BODY_TYPE", required=False, default="text")
    if body_type not in BODY_TYPES:
        raise fail(ERROR_ARGUMENT, "BODY_TYPE must be text or html")
    active = flag(params.get("ACTIVE"), "ACTIVE") if params.has("ACTIVE") else True
    return MailTemplate(
        id=0,
        event_name=event_name,
        sites=sites,
        language_id=language_id,
        subject=params.string("SUBJECT"),
        message=params.string("MESSAGE"),
        email_to=params.string("EMAIL_TO"),
        email_from=params.string("EMAIL_FROM", required=False, default="#DEFAULT_EMAIL_FROM#"),
        bcc=params.string("BCC", required=False),
        body_type=body_type,
        active=active,
    )


def _sites(site: FakeSite, raw: object) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    if not items or not all(isinstance(item, str) for item in items):
        raise fail(ERROR_ARGUMENT, "LID must be a site id or a list of them")
    return sorted({_site_id(site, str(item)) for item in items})


# sending --------------------------------------------------------------------------------------
@MAIL_METHODS.add("b2bsync.mail.send", SCOPE)
def mail_send(ctx: CallContext) -> dict[str, Any]:
    params = Params(ctx.params)
    state = ctx.site.bridge
    event_name = _event_name(params)
    lid = params.string("LID")
    fields = _mail_fields(params)
    dedup_key = _dedup_key(params)
    _site_id(ctx.site, lid)
    language_id = (
        _language(ctx.site, params.string("LANGUAGE_ID"), "LANGUAGE_ID")
        if params.get("LANGUAGE_ID") is not None
        else None
    )
    if not any(t.event_name == event_name for t in state.mail_types.values()):
        raise fail(ERROR_NOT_FOUND, f"no mail event type {event_name}")
    if dedup_key is not None and dedup_key in state.dedup_keys:
        return {"ID": state.dedup_keys[dedup_key], "DUPLICATE": True}
    mail = SentMail(
        state.next_id("mail_event"),
        event_name,
        lid,
        fields,
        dedup_key,
        ctx.site.now(),
        language_id=language_id,
    )
    state.sent_mails.append(mail)
    if dedup_key is not None:
        state.dedup_keys[dedup_key] = mail.id
    return {"ID": mail.id, "DUPLICATE": False}


def _mail_fields(params: Params) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in params.object("FIELDS", required=False).items():
        if isinstance(value, bool | list | dict):
            raise fail(ERROR_ARGUMENT, f"FIELDS.{key} must be a string or a number")
        out[key] = php_strval(value)
    return out


def _dedup_key(params: Params) -> str | None:
    if params.get("DEDUP_KEY") is None:
        return None
    key = params.string("DEDUP_KEY")
    if not 1 <= len(key) <= MAX_DEDUP_KEY:
        raise fail(ERROR_ARGUMENT, f"DEDUP_KEY must be 1-{MAX_DEDUP_KEY} characters")
    return key
