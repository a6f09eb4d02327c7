"""The guard's option through ``b2bsync schema apply``: built from ``[bitrix]`` and
``[approval]``, stored once, drift shown, and a bridge that does not know the option reported
instead of failing the run."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest

from b2bsync._errors import ConfigError
from b2bsync.cli._schema import plan_command
from b2bsync.schema import run_schema, schema_config
from b2bsync.settings import ApprovalSettings, BitrixSettings, Settings
from bitrix_client.fake import _bridge_options
from hl_schemas import SchemaConfig, SetModuleOption, desired_state, plan
from tests.schema._live import empty_site
from tests.schema._shop import WEBHOOK, Shop, make_shop

GUARD = {"version": 1, "pending_status": "PA", "over_credit": "approval", "when_blocked": "refuse"}


def settings(approval: ApprovalSettings | None = None, **bitrix: object) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        bitrix=BitrixSettings(webhook_url=WEBHOOK, **bitrix),  # type: ignore[arg-type]
        approval=approval or ApprovalSettings(),
    )


def transport(shop: Shop) -> httpx.AsyncBaseTransport:
    return httpx.ASGITransport(app=shop.app)


def test_the_option_comes_from_the_status_codes_and_the_approval_rules() -> None:
    assert schema_config(BitrixSettings()).module_options["guard"] == GUARD
    config = schema_config(
        BitrixSettings(status_pending="WA"),
        ApprovalSettings(over_credit="refuse", when_blocked="approval"),
    )
    assert config.module_options["guard"] == {
        "version": 1,
        "pending_status": "WA",
        "over_credit": "refuse",
        "when_blocked": "approval",
    }


def test_a_status_code_bitrix_cannot_hold_is_named_before_the_option_is_built() -> None:
    with pytest.raises(ConfigError, match=r"bitrix\.status_pending"):
        schema_config(BitrixSettings(status_pending="PND"))


async def test_apply_stores_the_option_and_a_second_apply_writes_nothing() -> None:
    shop = make_shop()
    run = await run_schema(settings(), apply=True, transport=transport(shop))
    assert run.report is not None
    assert run.report.ok
    assert json.loads(shop.site.bridge.options["guard"]) == GUARD
    assert shop.app.stats.calls["b2bsync.option.set"] == 3  # roles, guard, approval_statuses
    again = await run_schema(settings(), apply=True, transport=transport(shop))
    assert again.plan.in_sync
    assert shop.app.stats.calls["b2bsync.option.set"] == 3
    assert again.live.module_options is not None
    assert again.live.module_options["guard"] == GUARD


def test_a_changed_rule_is_planned_and_applied(capsys: pytest.CaptureFixture[str]) -> None:
    shop = make_shop()
    asyncio.run(run_schema(settings(), apply=True, transport=transport(shop)))
    changed = settings(ApprovalSettings(over_credit="refuse"))
    assert plan_command(changed, as_json=False, transport=transport(shop)) == 0
    assert capsys.readouterr().out.splitlines() == [
        "~ module option guard",
        "1 step(s) to apply (2 REST requests to read the site)",  # the batch, the HL fields
    ]
    asyncio.run(run_schema(changed, apply=True, transport=transport(shop)))
    assert json.loads(shop.site.bridge.options["guard"])["over_credit"] == "refuse"
    assert asyncio.run(run_schema(changed, apply=False, transport=transport(shop))).plan.in_sync


@pytest.fixture
def bridge_without_guard() -> Iterator[None]:
    """A module from before the order guard: option.get/set know only ``roles``."""
    saved = dict(_bridge_options.OPTIONS)
    del _bridge_options.OPTIONS["guard"]
    yield
    _bridge_options.OPTIONS.clear()
    _bridge_options.OPTIONS.update(saved)


@pytest.mark.usefixtures("bridge_without_guard")
async def test_a_bridge_that_does_not_know_the_option_is_drift_and_the_rest_applies() -> None:
    shop = make_shop()
    run = await run_schema(settings(), apply=True, transport=transport(shop))
    assert run.report is not None
    assert run.report.ok
    assert "roles" in shop.site.bridge.options
    assert "guard" not in shop.site.bridge.options
    drift = [d.describe() for d in run.plan.drift]
    assert drift == [
        "! module option guard: the installed b2bsync.bridge does not know the option guard: "
        "upgrade the module and run apply again"
    ]


def test_the_plan_reports_an_unknown_option_and_plans_the_others() -> None:
    desired = desired_state(SchemaConfig(module_options={"roles": {"version": 1}, "guard": GUARD}))
    result = plan(desired, empty_site(module_options={}, unknown_options=("guard",)))
    assert [s.name for s in result.steps if isinstance(s, SetModuleOption)] == ["roles"]
    assert [(d.kind, d.target) for d in result.drift] == [
        ("bridge_outdated", "module option guard")
    ]
