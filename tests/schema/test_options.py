"""Module options through the schema run: the cabinet's role table stored by ``schema apply``."""

from __future__ import annotations

import json

import pytest

from b2bsync.roles import export_table
from hl_schemas import SchemaConfig, SetModuleOption, apply_schema, desired_state, plan, plan_schema
from tests.schema._live import empty_site
from tests.schema._shop import make_shop

TABLE = export_table()
CONFIG = SchemaConfig(module_options={"roles": TABLE})


def test_a_missing_option_is_one_step():
    desired = desired_state(CONFIG)
    result = plan(desired, empty_site(module_options={}))
    steps = [s for s in result.steps if isinstance(s, SetModuleOption)]
    assert steps == [SetModuleOption(key="option:roles", name="roles", value=TABLE)]
    assert steps[0].describe() == "~ module option roles"
    assert steps[0].to_json()["value"] == TABLE


def test_an_equal_table_with_keys_in_another_order_plans_nothing():
    reordered = {k: TABLE[k] for k in reversed(list(TABLE))}
    result = plan(desired_state(CONFIG), empty_site(module_options={"roles": reordered}))
    assert not [s for s in result.steps if isinstance(s, SetModuleOption)]


def test_a_changed_table_is_written_again():
    stale = {**TABLE, "roles": TABLE["roles"][:-1]}
    result = plan(desired_state(CONFIG), empty_site(module_options={"roles": stale}))
    assert [s.key for s in result.steps if isinstance(s, SetModuleOption)] == ["option:roles"]


def test_a_bridge_without_options_is_drift_not_a_failing_step():
    result = plan(desired_state(CONFIG), empty_site(module_options=None))
    assert not [s for s in result.steps if isinstance(s, SetModuleOption)]
    drift = [(d.kind, d.target) for d in result.drift]
    assert drift == [("bridge_outdated", "module option roles")]


def test_without_options_configured_nothing_is_read_or_planned():
    result = plan(desired_state(SchemaConfig()), empty_site(module_options=None))
    assert not [s for s in result.steps if isinstance(s, SetModuleOption)]
    assert result.drift == ()


@pytest.mark.parametrize("body", ["json", "form"])
async def test_apply_stores_the_table_and_a_second_plan_is_empty(body: str) -> None:
    """Over form-encoded batches too, where only the JSON text keeps numbers and empty lists."""
    shop = make_shop(body=body)
    async with shop.client:
        run = await apply_schema(shop.client, CONFIG)
        assert run.report is not None
        assert run.report.ok
        assert json.loads(shop.site.bridge.options["roles"]) == TABLE
        again = await plan_schema(shop.client, CONFIG)
    assert again.live.module_options == {"roles": TABLE}
    assert again.plan.in_sync
