"""The ``b2b_documents`` row of one 1C document, by the file plan (see :mod:`jobs.documents`):
what decides the row before any file is fetched (the metadata and its hash), then the row
itself — a link, an attached PDF, a file uploaded beside the site, or no file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from onec_client import Document, OneCSource

from . import _files
from ._companies_map import CompanyRef
from ._context import FileMode, SyncConfig
from ._errors import JobFailed
from ._hash import content_hash
from ._ports import JobResult
from ._values import EMPTY, date_text, datetime_text, decimal_text
from ._writer import Row

Plan = Literal["none", "deleted", "link", "attach", "upload"]
_PLANS: dict[FileMode, Plan] = {
    FileMode.link: "link",
    FileMode.attach: "attach",
    FileMode.upload: "upload",
}


@dataclass
class Prepared:
    doc: Document
    company: CompanyRef
    meta: dict[str, Any]
    plan: Plan
    link: str | None
    hash: str


class DocumentRows:
    """Builds rows for one run. ``announced`` holds the GUIDs whose rows are news (the run
    fills it as it reads); for those the row's data is kept in ``fact_data`` for the
    ``document.ready`` fact recorded once Bitrix confirmed the row."""

    def __init__(
        self,
        cfg: SyncConfig,
        onec: OneCSource,
        result: JobResult,
        now: datetime,
        announced: set[str],
    ) -> None:
        self.cfg = cfg
        self.onec = onec
        self.result = result
        self.now = now
        self.announced = announced
        self.fact_data: dict[str, dict[str, Any]] = {}

    def link(self, guid: str) -> str | None:
        base = self.cfg.download_base_url
        return f"{base.rstrip('/')}/documents/download?doc={guid}" if base else None

    def prepare(self, doc: Document, company: CompanyRef, type_id: int) -> Prepared:
        """The metadata fields and the hash of everything that decides the row."""
        meta: dict[str, Any] = {
            "UF_XML_ID": doc.guid,
            "UF_COMPANY_ID": company.bitrix_id,
            "UF_DOC_TYPE": type_id,
            "UF_NUMBER": doc.number,
            "UF_DATE": date_text(doc.date, self.cfg.site_timezone),
            "UF_AMOUNT": decimal_text(doc.amount),
            "UF_CURRENCY": doc.currency or EMPTY,
            "UF_DELETED": 1 if doc.deleted else 0,
        }
        plan: Plan
        if doc.deleted:
            plan = "deleted"
        elif not doc.has_file:
            plan = "none"
        else:
            plan = _PLANS[FileMode(self.cfg.file_mode)]
        link = self.link(doc.guid) if plan in ("link", "attach") else None
        basis: dict[str, Any] = {**meta, "order_ref": doc.order_ref or EMPTY, "file": plan}
        if plan == "link":
            basis["link"] = link
        if plan in ("attach", "upload"):
            basis["changed_at"] = doc.changed_at
            basis["upload_url_prefix"] = self.cfg.upload_url_prefix if plan == "upload" else None
        return Prepared(doc, company, meta, plan, link, content_hash(basis))

    async def row(self, prepared: Prepared, orders: dict[str, int]) -> tuple[Row, int]:
        """The row and the size of the base64 it carries (attach mode)."""
        fields = self._base_fields(prepared, orders)
        plan = prepared.plan
        if plan == "deleted":
            return self._finish(prepared, fields, None), 0
        if plan == "none":
            return self.without_file(prepared, orders), 0
        if plan == "link":
            fields["UF_FILE_ID"] = EMPTY
            fields["UF_EXTERNAL_URL"] = prepared.link or EMPTY
            self.result.add("links")
            return self._finish(prepared, fields, None), 0
        if plan == "attach":
            return await self._attached(prepared, fields)
        return await self._uploaded(prepared, fields), 0

    def without_file(self, prepared: Prepared, orders: dict[str, int]) -> Row:
        fields = self._base_fields(prepared, orders)
        fields["UF_FILE_ID"] = EMPTY
        fields["UF_EXTERNAL_URL"] = EMPTY
        return self._finish(prepared, fields, None)

    async def _attached(self, prepared: Prepared, fields: dict[str, Any]) -> tuple[Row, int]:
        cfg = self.cfg
        doc = prepared.doc
        got = await _files.attach(self.onec, doc, cfg.max_attach_bytes, cfg.extra_file_types)
        if isinstance(got, _files.TooLarge):
            fields["UF_FILE_ID"] = EMPTY
            fields["UF_EXTERNAL_URL"] = prepared.link or EMPTY
            self.result.add("attach_fallback")
            why = f"{prepared.doc.guid}: {got.size} bytes > {cfg.max_attach_bytes}, linked"
            self.result.example("attach_fallback", why)
            return self._finish(prepared, fields, None), 0
        fields["UF_FILE_ID"] = {"fileData": [got.name, got.base64]}
        fields["UF_EXTERNAL_URL"] = EMPTY
        self.result.add("files_attached")
        return self._finish(prepared, fields, got.sha256), len(got.base64)

    async def _uploaded(self, prepared: Prepared, fields: dict[str, Any]) -> Row:
        upload_dir = self.cfg.upload_dir
        if upload_dir is None:  # checked at the start; keeps the type checker honest
            raise JobFailed("file_mode=upload needs upload_dir")
        uploaded = await _files.upload(
            self.onec,
            prepared.doc,
            upload_dir,
            prepared.company.bitrix_id,
            self.cfg.upload_url_prefix,
            self.cfg.extra_file_types,
        )
        fields["UF_FILE_ID"] = EMPTY
        fields["UF_EXTERNAL_URL"] = uploaded.url
        self.result.add("files_uploaded")
        return self._finish(prepared, fields, uploaded.sha256)

    def _base_fields(self, prepared: Prepared, orders: dict[str, int]) -> dict[str, Any]:
        fields = dict(prepared.meta)
        ref = prepared.doc.order_ref
        order_id = orders.get(ref.lower()) if ref else None
        fields["UF_ORDER_ID"] = order_id if order_id is not None else EMPTY
        return fields

    def _finish(self, prepared: Prepared, fields: dict[str, Any], file_sha: str | None) -> Row:
        doc = prepared.doc
        fields["UF_HASH"] = content_hash(
            {
                "xml_id": doc.guid,
                "type": doc.type.value,
                "number": doc.number,
                "date": fields["UF_DATE"],
                "amount": fields["UF_AMOUNT"],
                "currency": fields["UF_CURRENCY"],
                "order_ref": doc.order_ref or EMPTY,
                "deleted": fields["UF_DELETED"],
                "file_sha256": file_sha,
            }
        )
        fields["UF_SYNCED_AT"] = datetime_text(self.now)
        if doc.guid in self.announced:
            self.fact_data[doc.guid] = {
                "document_guid": doc.guid,
                "company_id": prepared.company.bitrix_id,
                "company_guid": prepared.company.guid,
                "type": doc.type.value,
                "number": doc.number,
                "date": fields["UF_DATE"],
                "amount": fields["UF_AMOUNT"],
                "currency": fields["UF_CURRENCY"],
            }
        return Row(
            key=doc.guid,
            fields=fields,
            hash=prepared.hash,
            scope=prepared.company.guid,
            raw=doc.as_json(),
            changed_at=doc.changed_at,
            deleted=doc.deleted,
        )
