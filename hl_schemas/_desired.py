"""What the site should hold, as one value: the declarations plus the few configurable choices."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bitrix_client import SYSTEM_STATUSES, status_id_problem

from ._blocks import BLOCKS
from ._errors import SchemaConfigError
from ._mail import MAIL_EVENTS
from ._model import LANGUAGES, Block, MailEvent, OrderProperty, Status, frozen_map
from ._sale import COMPANY_PROPERTY, DEFAULT_STATUS_CODES, STATUS_KEYS, statuses


@dataclass(frozen=True)
class SchemaConfig:
    """The configurable part of the schema.

    ``status_codes``: workflow role (``pending``/``approved``/``rejected``) → 1–2 character
    status ID. ``person_type_ids``: payer types that get the ``B2B_COMPANY_ID`` property; empty
    means every active payer type :func:`~hl_schemas.is_legal_entity` accepts. ``language``:
    the text used where Bitrix stores one language only (enumeration values, the order
    property's name). ``site_id``: the site mail templates are bound to (default: the bridge's
    ``SITE_ID``). ``module_options``: bridge module options by name, JSON values (the
    application passes the cabinet's role table as ``roles``).
    """

    status_codes: Mapping[str, str] = field(
        default_factory=lambda: frozen_map(DEFAULT_STATUS_CODES)
    )
    person_type_ids: tuple[int, ...] = ()
    language: str = "ru"
    site_id: str | None = None
    module_options: Mapping[str, Any] = field(default_factory=frozen_map)

    def problems(self) -> list[str]:
        """Every reason this configuration cannot be applied (empty when it can)."""
        out: list[str] = []
        for key in STATUS_KEYS:
            code = self.status_codes.get(key)
            if code is None:
                out.append(f"status code for {key!r} is missing")
                continue
            if problem := status_id_problem(code):
                out.append(f"status_{key}: {problem}")
            elif code.upper() in SYSTEM_STATUSES:
                out.append(f"status_{key}: {code!r} is a Bitrix system status (N, F, DN, DF)")
        unknown = sorted(set(self.status_codes) - set(STATUS_KEYS))
        if unknown:
            out.append(f"unknown status roles {unknown}; expected {list(STATUS_KEYS)}")
        codes = [c.casefold() for k, c in self.status_codes.items() if k in STATUS_KEYS]
        if len(set(codes)) != len(codes):
            out.append("the pending, approved and rejected status codes must differ")
        if self.language not in LANGUAGES:
            out.append(f"language {self.language!r} is not one of {list(LANGUAGES)}")
        if any(i <= 0 for i in self.person_type_ids):
            out.append("payer type ids must be positive")
        return out


@dataclass(frozen=True)
class Desired:
    """The declarations, with the configured codes filled in."""

    blocks: tuple[Block, ...]
    statuses: tuple[Status, ...]
    order_property: OrderProperty
    person_type_ids: tuple[int, ...]
    mail_events: tuple[MailEvent, ...]
    language: str
    site_id: str | None
    module_options: Mapping[str, Any] = field(default_factory=frozen_map)


def desired_state(config: SchemaConfig | None = None) -> Desired:
    """The desired state for ``config``; :class:`SchemaConfigError` before anything is sent."""
    config = config or SchemaConfig()
    problems = config.problems()
    if problems:
        raise SchemaConfigError("; ".join(problems))
    return Desired(
        blocks=BLOCKS,
        statuses=statuses(config.status_codes),
        order_property=COMPANY_PROPERTY,
        person_type_ids=tuple(dict.fromkeys(config.person_type_ids)),
        mail_events=MAIL_EVENTS,
        language=config.language,
        site_id=config.site_id,
        module_options=frozen_map(config.module_options),
    )
