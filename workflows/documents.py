"""Documents from 1C: who hears that one is ready, and who may download it.

- :func:`document_ready` — a ``document.ready`` fact (the documents job wrote the document for
  the first time) becomes ``B2B_DOCUMENT_READY`` for every active member of the document's
  company whose role sees documents (owners and accountants), keyed ``doc:<guid>`` per user.
- :func:`authorize_download` — the check behind ``GET /documents/download`` once the link's
  signature holds: the document exists and is not marked deleted, and the link's user is an
  active member of its company with a role that sees documents. The link proves who it was
  made for; membership and role are read from the site at that moment, so a user removed from
  the company or moved to a role without documents loses access even with a fresh link.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bitrix_client import BitrixError, FatalError
from hl_schemas import BLOCKS, Text

from ._context import PolicyContext, money_text
from ._cursor import Item
from ._directory import DOCUMENTS, Directory
from ._errors import NotAllowed, NotFound, Unavailable
from ._values import as_id
from .notifications import Notification, Recipient, addressed
from .roles import Capability

TYPE = "B2B_DOCUMENT_READY"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _type_names() -> dict[str, Text]:
    block = next(b for b in BLOCKS if b.name == DOCUMENTS)
    field = next(f for f in block.fields if f.name == "UF_DOC_TYPE")
    return {value.xml_id: value.value for value in field.enum}


DOC_TYPE_NAMES = _type_names()


def type_name(code: str, language: str) -> str:
    names = DOC_TYPE_NAMES.get(code)
    return names.get(language) if names is not None else code


def _fields(data: Any, company_name: str, ctx: PolicyContext) -> Callable[[Recipient], Any]:
    day = _date(data.get("date"))
    currency = str(data.get("currency") or "")

    def fields(recipient: Recipient) -> dict[str, str]:
        language = recipient.language
        return {
            "COMPANY_NAME": company_name,
            "DOC_TYPE_NAME": type_name(str(data.get("type") or ""), language),
            "DOC_NUMBER": str(data.get("number") or ""),
            "DOC_DATE": day.strftime("%d.%m.%Y") if day else "",
            "DOC_AMOUNT": money_text(data.get("amount"), currency, language),
            "DOC_URL": ctx.config.link("documents/"),
        }

    return fields


async def document_ready(items: Sequence[Item], ctx: PolicyContext) -> list[Notification]:
    directory = ctx.directory
    company_ids = [c for item in items if (c := as_id(item.data.get("company_id")))]
    companies = await directory.companies(company_ids)
    await directory.members(company_ids)
    out: list[Notification] = []
    for item in items:
        data = item.data
        company_id = as_id(data.get("company_id"))
        guid = str(data.get("document_guid") or "")
        if company_id is None or not guid:
            continue
        company = companies.get(company_id)
        holders = await directory.holders(company_id, Capability.view_documents)
        recipients = await directory.recipients([m.user_id for m in holders])
        people = [recipients.get(m.user_id) for m in holders]
        fields = _fields(data, company.name if company else "", ctx)
        out += addressed(TYPE, f"doc:{guid}", people, fields, ctx.now)
    return out


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Download:
    """A document the link's user may download."""

    document_id: int
    guid: str
    number: str
    type: str
    company_id: int
    user_id: int

    def filename(self) -> str:
        """``Счёт 0000-000123.pdf``: the type's Russian name and the document's number."""
        number = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", self.number).strip() or str(
            self.document_id
        )
        return f"{type_name(self.type, 'ru')} {number}.pdf"

    def ascii_filename(self) -> str:
        number = re.sub(r"[^A-Za-z0-9._-]+", "_", self.number).strip("_") or str(self.document_id)
        return f"document-{number}.pdf"


async def authorize_download(directory: Directory, reference: str, user_id: int) -> Download:
    """The document behind a link's ``doc`` (row ID in decimal, or the 1C GUID) if ``user_id``
    may download it; :class:`NotFound`, :class:`NotAllowed` or :class:`Unavailable`."""
    bridge = directory.bitrix.bridge
    try:
        if reference.isdigit():
            row = await bridge.item_get(DOCUMENTS, int(reference))
        elif _GUID.match(reference):
            answer = await directory.bitrix.call(
                "b2bsync.item.list",
                {"HLBLOCK": DOCUMENTS, "filter": {"UF_XML_ID": reference.lower()}, "start": -1},
            )
            found = answer.result if isinstance(answer.result, list) else []
            row = found[0] if found and isinstance(found[0], dict) else None
        else:
            row = None
        if row is None or str(row.get("UF_DELETED")) in ("1", "True", "true"):
            raise NotFound("no such document")
        company_id = as_id(row.get("UF_COMPANY_ID"))
        member = await directory.membership(company_id, user_id) if company_id else None
        if member is None or not member.may(Capability.view_documents):
            raise NotAllowed("this account may not download the company's documents")
        type_id = as_id(row.get("UF_DOC_TYPE")) or 0
        types = await directory.enum_codes(DOCUMENTS, "UF_DOC_TYPE", need=type_id)
    except FatalError as exc:
        raise Unavailable(f"the store refused b2bsync's request: {exc}") from exc
    except BitrixError as exc:
        raise Unavailable(f"the store did not answer: {exc}") from exc
    assert company_id is not None
    return Download(
        document_id=int(row["ID"]),
        guid=str(row.get("UF_XML_ID") or "").lower(),
        number=str(row.get("UF_NUMBER") or ""),
        type=types.get(type_id, ""),
        company_id=company_id,
        user_id=user_id,
    )


__all__ = [
    "DOC_TYPE_NAMES",
    "TYPE",
    "Download",
    "authorize_download",
    "document_ready",
    "type_name",
]
