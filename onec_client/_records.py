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


def _field(name: str, parse: Callable[..., Any], value: Any, *args: Any) -> Any:
    """``parse(value, *args)``; a ValueError becomes a reason naming the field."""
    try:
        return parse(value, *args)
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
        moment: datetime | None = _field(name, h.parse_datetime, value, self.tz, self.date_formats)
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
                guid=_field("guid", h.require_guid, fields.get("guid"), "counterparty GUID"),
                name=_field("name", h.parse_name, fields.get("name"), "name"),
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
        # The hot path of every adapter: one try block, ``at`` names the field being read.
        at = "guid"
        get = fields.get
        try:
            guid = h.require_guid(get("guid"), "document GUID")
            at = "counterparty"
            owner = h.require_guid(get("counterparty"), "document's counterparty")
            if expected_counterparty is not None and owner != expected_counterparty:
                raise ValueError(f"document belongs to {owner}, asked for {expected_counterparty}")
            at = "type"
            doc_type = parse_doc_type(h.parse_name(get("type"), "document type"), self.doc_types)
            at = "number"
            display, number = h.split_number(get("number"))
            at = "date"
            clock = get("time")
            if clock is not None:
                when = h.combine_date_time(get("date"), clock, self.tz)
            else:
                when = h.parse_datetime(get("date"), self.tz, self.date_formats)
            if when is None:
                raise ValueError("document date is missing (empty or 0001-01-01)")
            at = "amount"
            amount = h.parse_decimal(get("amount"))
            at = "currency"
            currency = h.parse_currency(get("currency"))
            at = "order_ref"
            order_ref = h.parse_reference(get("order_ref"))
            at = "has_file"
            has_file = bool(h.parse_bool(get("has_file")))
            at = "deleted"
            deleted = bool(h.parse_bool(get("deleted")))
            at = "changed_at"
            changed_at = h.parse_datetime(get("changed_at"), self.tz, self.date_formats)
            at = "record"
            return Document(
                guid=guid,
                counterparty_guid=owner,
                type=doc_type,
                number=number,
                number_display=display,
                date=when,
                amount=amount,
                currency=currency,
                order_ref=order_ref,
                has_file=has_file,
                deleted=deleted,
                changed_at=changed_at,
            )
        except ValidationError as exc:
            reason = _reason(exc)
        except ValueError as exc:
            reason = f"{at}: {exc}"
        return self._quarantine(
            "document",
            fields=fields,
            raw=raw,
            reason=reason,
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
                "counterparty", h.require_guid, fields.get("counterparty"), "counterparty GUID"
            )
            if expected_counterparty is not None and owner != expected_counterparty:
                raise _Bad(
                    f"counterparty: credit row belongs to {owner}, "
                    f"asked for {expected_counterparty}"
                )
            limit = _field("limit", h.parse_decimal, fields.get("limit"))
            used = _field("used", h.parse_decimal, fields.get("used"))
            overdue = _field("overdue_amount", h.parse_decimal, fields.get("overdue_amount"))
            # a negative debt is an advance payment (the buyer paid ahead): a valid position;
            # a negative limit or overdue amount means nothing
            for name, amount in (("limit", limit), ("overdue_amount", overdue)):
                if amount is not None and amount < 0:
                    raise _Bad(f"{name}: negative amount {amount}")
            return CreditStatus(
                counterparty_guid=owner,
                limit=limit,
                used=used if used is not None else Decimal(0),
                overdue_amount=overdue if overdue is not None else Decimal(0),
                overdue_since=_field(
                    "overdue_since",
                    h.parse_date,
                    fields.get("overdue_since"),
                    self.tz,
                    self.date_formats,
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
