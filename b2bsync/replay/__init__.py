"""Replaying the bridge's contract (``bridge/contract/``) over HTTP against a real site.

:func:`replay` runs every scenario against the site behind a webhook, mapping the IDs the site
hands out and the names the scenarios create; :func:`check` and :func:`expand` read the scenario
files the way the fake's own harness does.
"""

from ._runner import Post, ReplayRefused, ScenarioReport, http_poster, replay, site_facts
from ._scenario import Scenario, check, expand, load, scenario_files

__all__ = [
    "Post",
    "ReplayRefused",
    "Scenario",
    "ScenarioReport",
    "check",
    "expand",
    "http_poster",
    "load",
    "replay",
    "scenario_files",
    "site_facts",
]
