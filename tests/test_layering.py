"""Library packages stand alone: they never import the app and never read the environment."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
LIBRARIES = ["bitrix_client", "onec_client", "hl_schemas", "jobs", "workflows"]


def _sources():
    for package in LIBRARIES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield pytest.param(path, id=str(path.relative_to(ROOT)))


@pytest.mark.parametrize("path", list(_sources()))
def test_library_module_is_independent_of_the_app(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            names = []
        assert not any(n == "b2bsync" or n.startswith("b2bsync.") for n in names), path
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}:
            assert not (isinstance(node.value, ast.Name) and node.value.id == "os"), (
                f"{path}:{node.lineno} reads the environment"
            )
