"""Raw field values → normalised record, or a quarantined record with a one-line reason.

Every adapter reduces what it read to a flat mapping of canonical field names (``guid``,
``number``, ``amount``…) to raw values and hands it here; the 1C habits are applied by
:mod:`._habits`. One bad record never stops the others: the caller gets a :class:`Quarantined`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from . import _habits as h
from ._models import (
    Counterparty,
    CounterpartyItem,
    CreditItem,
    CreditStatus,
    DocType,
    Document,
    DocumentItem,
    Quarantined,
    RecordKind,
    parse_doc_type,
)

RawForm = str | Callable[[], str]
RAW_LIMIT = 64 * 1024


class _Bad(ValueError):
    """A field that cannot be normalised; the message names the field."""


def json_raw(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, default=str)[:RAW_LIMIT]


def _field(name: str, parse: Callable[[Any], Any], value: Any) -> Any:
    try:
        return parse(value)
    except ValueError as exc:
        raise _Bad(f"{name}: {exc}") from None


@dataclass(frozen=True)
class Normaliser:
    """Applies the configured 1C time zone, date formats and document-kind names."""

    tz: tzinfo
    date_formats: tuple[str, ...] = ()
    doc_types: Mapping[str, DocType] = field(default_factory=dict)

    # --- helpers ------------------------------------------------------------------------------

    def _when(self, name: str, value: Any) -> datetime | None:
        moment: datetime | None = _field(
            name, lambda v: h.parse_datetime(v, self.tz, self.date_formats), value
        )
        return moment

    def _quarantine(
        self,
        kind: RecordKind,
        *,
        fields: Mapping[str, Any],
        raw: RawForm,
        reason: str,
        origin: str | None,
        key_field: str,
    ) -> Quarantined:
        key: str | None
        try:
            key = h.parse_guid(fields.get(key_field))
        except ValueError:
            key = h.optional_text(_scalar_or_none(fields.get(key_field)))
        changed_field = "as_of" if kind == "credit" else "changed_at"
        try:
            changed = h.parse_datetime(fields.get(changed_field), self.tz, self.date_formats)
        except (ValueError, TypeError):
            changed = None
        return Quarantined(
            kind=kind,
            raw=(raw if isinstance(raw, str) else raw())[:RAW_LIMIT],
            reason=h.first_line(reason, 300),
            key=key,
            changed_at=changed,
            origin=origin,
        )

    # --- records ------------------------------------------------------------------------------

    def counterparty(
        self, fields: Mapping[str, Any], raw: RawForm, origin: str | None = None
    ) -> CounterpartyItem:
        try:
            active = True
            if fields.get("active") is not None:
                active = bool(_field("active", h.parse_bool, fields["active"]))
            elif fields.get("deleted") is not None:
                active = not _field("deleted", h.parse_bool, fields["deleted"])
            return Counterparty(
                guid=_field(
                    "guid", lambda v: h.require_guid(v, "counterparty GUID"), fields.get("guid")
                ),
                name=_field("name", lambda v: h.parse_name(v, "name"), fields.get("name")),
                inn=_field("inn", h.parse_inn, fields.get("inn")),
                kpp=_field("kpp", h.parse_kpp, fields.get("kpp")),
                active=active,
                changed_at=self._when("changed_at", fields.get("changed_at")),
            )
        except (_Bad, ValidationError) as exc:
            return self._quarantine(
                "counterparty",
                fields=fields,
                raw=raw,
                reason=_reason(exc),
                origin=origin,
                key_field="guid",
            )

    def document(
        self,
        fields: Mapping[str, Any],
        raw: RawForm,
        origin: str | None = None,
        *,
        expected_counterparty: str | None = None,
    ) -> DocumentItem:
        try:
            guid = _field("guid", lambda v: h.require_guid(v, "document GUID"), fields.get("guid"))
            owner = _field(
                "counterparty",
                lambda v: h.require_guid(v, "document's counterparty"),
                fields.get("counterparty"),
            )
            if expected_counterparty is not None and owner != expected_counterparty:
                raise _Bad(
                    f"counterparty: document belongs to {owner}, asked for {expected_counterparty}"
                )
            type_text = _field(
                "type", lambda v: h.parse_name(v, "document type"), fields.get("type")
            )
            doc_type = _field("type", lambda v: parse_doc_type(v, dict(self.doc_types)), type_text)
            display, number = _field("number", h.split_number, fields.get("number"))
            when = _field(
                "date",
                lambda v: (
                    h.combine_date_time(v, fields.get("time"), self.tz)
                    if fields.get("time") is not None
                    else h.parse_datetime(v, self.tz, self.date_formats)
                ),
                fields.get("date"),
            )
            if when is None:
                raise _Bad("date: document date is missing (empty or 0001-01-01)")
            return Document(
                guid=guid,
                counterparty_guid=owner,
                type=doc_type,
                number=number,
                number_display=display,
                date=when,
                amount=_field("amount", h.parse_decimal, fields.get("amount")),
                currency=_field("currency", h.parse_currency, fields.get("currency")),
                order_ref=_field("order_ref", h.parse_reference, fields.get("order_ref")),
                has_file=bool(_field("has_file", h.parse_bool, fields.get("has_file"))),
                deleted=bool(_field("deleted", h.parse_bool, fields.get("deleted"))),
                changed_at=self._when("changed_at", fields.get("changed_at")),
            )
        except (_Bad, ValidationError) as exc:
            return self._quarantine(
                "document",
                fields=fields,
                raw=raw,
                reason=_reason(exc),
                origin=origin,
                key_field="guid",
            )

    def credit(
        self,
        fields: Mapping[str, Any],
        raw: RawForm,
        origin: str | None = None,
        *,
        expected_counterparty: str | None = None,
    ) -> CreditItem:
        try:
            owner = _field(
                "counterparty",
                lambda v: h.require_guid(v, "counterparty GUID"),
                fields.get("counterparty"),
            )
            if expected_counterparty is not None and owner != expected_counterparty:
                raise _Bad(
                    f"counterparty: credit row belongs to {owner}, "
                    f"asked for {expected_counterparty}"
                )
            limit = _field("limit", h.parse_decimal, fields.get("limit"))
            used = _field("used", h.parse_decimal, fields.get("used"))
            overdue = _field("overdue_amount", h.parse_decimal, fields.get("overdue_amount"))
            for name, amount in (("limit", limit), ("used", used), ("overdue_amount", overdue)):
                if amount is not None and amount < 0:
                    raise _Bad(f"{name}: negative amount {amount}")
            return CreditStatus(
                counterparty_guid=owner,
                limit=limit,
                used=used if used is not None else Decimal(0),
                overdue_amount=overdue if overdue is not None else Decimal(0),
                overdue_since=_field(
                    "overdue_since",
                    lambda v: h.parse_date(v, self.tz, self.date_formats),
                    fields.get("overdue_since"),
                ),
                currency=_field("currency", h.parse_currency, fields.get("currency")),
                as_of=self._when("as_of", fields.get("as_of")),
            )
        except (_Bad, ValidationError) as exc:
            return self._quarantine(
                "credit",
                fields=fields,
                raw=raw,
                reason=_reason(exc),
                origin=origin,
                key_field="counterparty",
            )


def _scalar_or_none(value: Any) -> Any:
    return value if isinstance(value, str | int | Decimal) else None


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "record"
        return f"{where}: {first['msg']}"
    return str(exc)
