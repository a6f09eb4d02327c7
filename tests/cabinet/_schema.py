"""The HL-blocks as ``bridge/contract/hl_blocks.json`` states them for the PHP side.

The cabinet components' tests (PHPUnit, the page test) build their in-memory site from that file;
:func:`blocks_document` derives it from :data:`hl_schemas.BLOCKS`, so the PHP tests always read
the blocks ``schema apply`` creates. Regenerate after a schema change with
``python -m tests.cabinet._schema``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hl_schemas import BLOCKS

PATH = Path(__file__).resolve().parents[2] / "bridge" / "contract" / "hl_blocks.json"


def blocks_document() -> dict[str, Any]:
    return {
        "description": (
            "The HL-blocks b2bsync declares (hl_schemas.BLOCKS): names, tables, fields with type, "
            "flags and enumeration codes. The PHP tests build their in-memory site from it; "
            "pytest checks it against the declarations."
        ),
        "blocks": [
            {
                "NAME": block.name,
                "TABLE_NAME": block.table,
                "FIELDS": [
                    {
                        "FIELD_NAME": f.name,
                        "USER_TYPE_ID": f.type,
                        "MANDATORY": f.mandatory,
                        "MULTIPLE": f.multiple,
                        "LIST": [v.xml_id for v in f.enum],
                    }
                    for f in block.fields
                ],
                "UNIQUE": [list(i.fields) for i in block.indexes if i.unique],
            }
            for block in BLOCKS
        ],
    }


def render() -> str:
    return json.dumps(blocks_document(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    PATH.write_text(render(), encoding="utf-8")
