"""Module options of the bridge that ``schema apply`` keeps in step with b2bsync.

``roles``, the role table the cabinet components enforce (``b2bsync roles export``), ``guard``,
the order guard's settings, and ``approval_statuses``, the statuses ``b2bsync.order.status.set``
may set; the application puts the values into :attr:`SchemaConfig.module_options`, this library
never knows what they mean. The site holds them through ``b2bsync.option.get``/``.set``
(``bridge/contract/70_options.json``, ``71_guard_option.json``). Values are compared as
canonical JSON (object keys sorted), so a second apply plans nothing. A bridge too old to have
the methods (``info`` without the ``options`` feature), or one that does not know an option's
name (``option.get`` answers ``ERROR_ARGUMENT``), is drift: the module must be upgraded, nothing
can be written.
"""

from __future__ import annotations

import json
from typing import Any

from ._desired import Desired
from ._live import LiveState
from ._steps import Drift, SetModuleOption, Step

FEATURE = "options"


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def plan_options(desired: Desired, live: LiveState, steps: list[Step], drift: list[Drift]) -> None:
    """A :class:`SetModuleOption` per option whose stored value differs (or is missing)."""
    for name, value in desired.module_options.items():
        if live.module_options is None:
            drift.append(
                Drift(
                    "bridge_outdated",
                    f"module option {name}",
                    "the installed b2bsync.bridge cannot store module options "
                    "(no b2bsync.option.set): upgrade the module and run apply again",
                )
            )
            continue
        if name in live.unknown_options:
            drift.append(
                Drift(
                    "bridge_outdated",
                    f"module option {name}",
                    f"the installed b2bsync.bridge does not know the option {name}: "
                    "upgrade the module and run apply again",
                )
            )
            continue
        stored = live.module_options.get(name)
        if stored is None or canonical(stored) != canonical(value):
            steps.append(SetModuleOption(key=f"option:{name}", name=name, value=value))
