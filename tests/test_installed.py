"""The installed `mmcost` command, run as a user would, from another directory."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import simplejson


def mmcost_command() -> list[str]:
    script = Path(sys.executable).with_name("mmcost")
    if script.exists():
        return [str(script)]
    found = shutil.which("mmcost")
    if found is None:
        pytest.skip("the mmcost console script is not installed in this environment")
    return [found]


def test_installed_command_runs_from_any_directory(tmp_path: Path) -> None:
    result = subprocess.run(
        [*mmcost_command(), "estimate", "--program", "mit-scm", "--pathway", "hes", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = simplejson.loads(result.stdout, use_decimal=True)
    # Fee year 2019-20: 5 x 150 + 200 = 950; 8 x 2,700 + 100 = 21,700; net 22,650.
    assert data["net_cost"] == Decimal("22650.00")
    assert "warning:" in result.stderr


def test_python_dash_m_works(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mmcost", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("mmcost, version ")
