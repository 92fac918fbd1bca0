"""Imports point one way, down the layers of ORDER, and heavy libraries load only where needed."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "mmcost"
ORDER = [
    "errors",
    "bundled",
    "money",
    "terms",
    "options",
    "model",
    "yamlsrc",
    "catalog",
    "store",
    "engine",
    "scenariofile",
    "rows",
    "views",
    "render",
    "cli",
]
HEAVY = {"click", "rich", "pydantic", "yaml", "simplejson"}


def files(layer: str) -> list[Path]:
    package = SRC / layer
    return sorted(package.rglob("*.py")) if package.is_dir() else [SRC / f"{layer}.py"]


def imports(layer: str, *, top_level_only: bool = False) -> set[str]:
    found = set()
    for path in files(layer):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = tree.body if top_level_only else list(ast.walk(tree))
        for node in nodes:
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


def roots(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("layer", ORDER)
def test_imports_point_one_way(layer: str) -> None:
    later = ORDER[ORDER.index(layer) + 1 :]
    assert not {name for name in imports(layer) if name.split(".")[1:2] and name.split(".")[1] in later}


def test_errors_and_money_stay_cheap() -> None:
    for layer in ("errors", "money"):
        assert not roots(imports(layer)) & HEAVY


def test_engine_and_views_do_no_io() -> None:
    for layer in ("engine", "views"):
        assert not roots(imports(layer)) & (HEAVY | {"os", "sys", "pathlib", "datetime", "time", "io"})


def test_cli_imports_no_heavy_library_at_the_top() -> None:
    assert not roots(imports("cli", top_level_only=True)) & (HEAVY - {"click"})


def test_help_does_not_load_heavy_libraries() -> None:
    code = (
        "import sys\n"
        "from mmcost.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pydantic', 'yaml', 'rich', 'simplejson') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_cached_estimate_loads_neither_pydantic_nor_yaml_nor_rich() -> None:
    # The first run validates the catalog and caches it; the second must run from the cache.
    code = (
        "import sys\n"
        "from mmcost.cli import main\n"
        "try:\n    main(['estimate', '-p', 'mit-scm', '-w', 'hes', '-f', 'json', '-q'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pydantic', 'yaml', 'rich') if m in sys.modules), file=sys.stderr)\n"
    )
    for _ in range(2):
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stderr.strip().splitlines()[-1] == "[]"
