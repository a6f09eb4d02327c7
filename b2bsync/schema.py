"""Settings → the schema's configuration, and the plan/apply/check runs the CLI, the doctor and
the demo share. :mod:`hl_schemas` never sees the settings or the environment: this is the bridge.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import httpx

from bitrix_client import BitrixClient
from bitrix_client.order_guard import OPTION as GUARD_OPTION
from bitrix_client.order_guard import GuardConfig
from hl_schemas import SchemaConfig, SchemaRun, apply_schema, plan_schema

from ._errors import B2BSyncError, ConfigError
from ._wiring import bitrix_client
from .roles import export_table
from .settings import ApprovalSettings, BitrixSettings, Settings


def guard_option(bitrix: BitrixSettings, approval: ApprovalSettings) -> dict[str, Any]:
    """The bridge's option ``guard``: the order guard saves an order that needs approval in
    ``bitrix.status_pending``, and treats orders over the available credit and orders of a
    blocked company by the ``[approval]`` rules."""
    return GuardConfig(
        pending_status=bitrix.status_pending,
        over_credit=approval.over_credit,
        when_blocked=approval.when_blocked,
    ).to_option()


def approval_statuses(bitrix: BitrixSettings, approval: ApprovalSettings) -> dict[str, str]:
    """The bridge option ``approval_statuses``: the only statuses ``b2bsync.order.status.set``
    may set (the one-click links and b2bsync's own approval moves)."""
    return {
        "pending": bitrix.status_pending,
        "approved": bitrix.status_approved,
        "rejected": bitrix.status_rejected,
        "next": approval.next_status,
    }


def schema_config(bitrix: BitrixSettings, approval: ApprovalSettings | None = None) -> SchemaConfig:
    """The schema configuration of these settings; :class:`ConfigError` (naming the setting)
    when Bitrix could not hold it — checked before any request is made."""
    approval = approval or ApprovalSettings()
    if approval.next_status == bitrix.status_pending:
        raise ConfigError(
            f"approval.next_status: {approval.next_status} is the pending status itself; "
            "name the status an approved order goes on to (e.g. N)"
        )
    base = SchemaConfig(
        status_codes={
            "pending": bitrix.status_pending,
            "approved": bitrix.status_approved,
            "rejected": bitrix.status_rejected,
        },
        person_type_ids=tuple(bitrix.person_type_ids),
    )
    problems = base.problems()
    if problems:
        raise ConfigError(
            "; ".join(f"bitrix.{p}" if p.startswith("status_") else p for p in problems)
        )
    options = {
        # the cabinet components enforce this table
        "roles": export_table(),
        # the order guard decides at checkout with these (the status codes are valid by now)
        GUARD_OPTION: guard_option(bitrix, approval),
        # the only statuses b2bsync.order.status.set may set
        "approval_statuses": approval_statuses(bitrix, approval),
    }
    return replace(base, module_options=options)


class SchemaApplyError(B2BSyncError):
    """Some steps of the schema plan failed (the others were applied)."""


async def ensure_schema(
    client: BitrixClient, bitrix: BitrixSettings, approval: ApprovalSettings | None = None
) -> SchemaRun:
    """Bring the site to the schema with an open client (the sandbox demo's entry point).

    Returns the run (plan, report, request counts); :class:`SchemaApplyError` when a step
    failed. Drift is left in ``run.plan.drift`` for the caller to report.
    """
    run = await apply_schema(client, schema_config(bitrix, approval))
    report = run.report
    if report is not None and not report.ok:
        bad = [r.line() for r in report.results if r.outcome != "done"]
        raise SchemaApplyError(f"{len(bad)} schema step(s) did not apply; first: {bad[0]}")
    return run


Action = Callable[[BitrixClient, SchemaConfig], Awaitable[SchemaRun]]


async def run_schema(
    settings: Settings, *, apply: bool, transport: httpx.AsyncBaseTransport | None = None
) -> SchemaRun:
    """Plan (``apply=False``) or plan and apply against the configured site."""
    config = schema_config(settings.bitrix, settings.approval)
    action: Action = apply_schema if apply else plan_schema
    async with bitrix_client(settings.bitrix, transport=transport) as client:
        return await action(client, config)
