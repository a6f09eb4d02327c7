"""Read, plan, apply: the three moves every caller (CLI, doctor, sandbox demo) makes."""

from __future__ import annotations

from dataclasses import dataclass

from bitrix_client import BitrixClient

from ._apply import ApplyReport, apply_plan
from ._desired import Desired, SchemaConfig, desired_state
from ._live import LiveState, read_live
from ._plan import plan
from ._steps import Plan


@dataclass
class SchemaRun:
    """One read-and-plan (and maybe apply). ``read_requests`` is what reading the site cost."""

    desired: Desired
    live: LiveState
    plan: Plan
    read_requests: int
    report: ApplyReport | None = None

    @property
    def requests(self) -> int:
        return self.read_requests + (self.report.requests if self.report else 0)


async def plan_schema(client: BitrixClient, config: SchemaConfig | None = None) -> SchemaRun:
    """Read the site and plan; writes nothing. The config is checked before any request."""
    desired = desired_state(config)
    start = client.stats.requests
    live = await read_live(client, desired)
    return SchemaRun(desired, live, plan(desired, live), client.stats.requests - start)


async def apply_schema(client: BitrixClient, config: SchemaConfig | None = None) -> SchemaRun:
    """Read the site, plan, and run the plan's steps (none when the site is in sync)."""
    run = await plan_schema(client, config)
    run.report = await apply_plan(client, run.plan)
    return run
