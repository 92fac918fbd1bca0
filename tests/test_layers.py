"""Imports point one way: errors <- money <- yamlsrc <- catalog <- engine <- render <- cli."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "mmcost"
ORDER = ["errors", "money", "yamlsrc", "catalog", "engine", "render", "cli"]
HEAVY = {"click", "rich", "pydantic", "yaml"}


def imports(module: str) -> set[str]:
    tree = ast.parse((SRC / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("module", ORDER)
def test_imports_point_one_way(module: str) -> None:
    later = {f"mmcost.{name}" for name in ORDER[ORDER.index(module) + 1 :]}
    assert not imports(module) & later


def test_errors_and_money_stay_cheap() -> None:
    for module in ("errors", "money"):
        assert not {name.split(".")[0] for name in imports(module)} & HEAVY


def test_engine_does_no_io() -> None:
    roots = {name.split(".")[0] for name in imports("engine")}
    assert not roots & (HEAVY | {"os", "sys", "pathlib", "datetime", "time", "io"})
