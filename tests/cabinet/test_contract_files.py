"""bridge/contract/hl_blocks.json is what hl_schemas declares.

(roles.json against ``b2bsync roles export``: tests/app/test_roles.py.)
"""

from __future__ import annotations

from ._schema import PATH, render


def test_hl_blocks_json_is_the_declared_schema() -> None:
    assert PATH.read_text(encoding="utf-8") == render(), (
        "bridge/contract/hl_blocks.json is stale: python -m tests.cabinet._schema"
    )
