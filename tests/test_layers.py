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
    "sources",
    "files",
    "recording",
    "engine",
    "scenariofile",
    "views",
    "rows",
    "api",
    "render",
    "cli",
]
HEAVY = {"click", "rich", "pydantic", "yaml", "simplejson", "plotext", "pygal", "jinja2"}


def files(layer: str) -> list[Path]:
    package = SRC / layer
    return sorted(package.rglob("*.py")) if package.is_dir() else [SRC / f"{layer}.py"]


def imports(layer: str, *, top_level_only: bool = False) -> set[str]:
    found = set()
    for path in files(layer):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = tree.body if top_level_only else list(ast.walk(tree))
        for node in nodes:
            found |= imported_names(node)
    return found


def imported_names(node: ast.AST) -> set[str]:
    """The modules an import statement reaches: `from mmcost import cli` reaches mmcost.cli."""
    if isinstance(node, ast.ImportFrom) and node.module:
        names = {node.module}
        if node.module == "mmcost":
            names |= {f"mmcost.{alias.name}" for alias in node.names}
        return names
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    return set()


def test_the_layering_check_sees_every_import_form() -> None:
    # `from mmcost import cli` is as much an import of the cli layer as `from mmcost.cli import main`.
    for code in ("from mmcost import cli", "from mmcost.cli import main", "import mmcost.cli"):
        [node] = ast.parse(code).body
        assert "mmcost.cli" in imported_names(node), code


def roots(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("layer", ORDER)
def test_imports_point_one_way(layer: str) -> None:
    later = ORDER[ORDER.index(layer) + 1 :]
    reached = {name.split(".")[1] for name in imports(layer) if name.startswith("mmcost.")}
    assert not reached & set(later)


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
