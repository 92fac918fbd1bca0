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


def collector_after(*args: str, stdin: str = "") -> bool:
    """Whether the cycle collector is on when the console entry point has run mmcost with args."""
    code = (
        "import gc, sys\n"
        "from mmcost.__main__ import main\n"
        f"sys.argv = ['mmcost', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(gc.isenabled(), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], input=stdin, capture_output=True, text=True, timeout=60, check=True
    )
    return result.stderr.strip().splitlines()[-1] == "True"


def test_the_console_script_is_the_entry_point_that_pauses_the_collector() -> None:
    import tomllib

    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert pyproject["project"]["scripts"] == {"mmcost": "mmcost.__main__:main"}


def test_one_shot_commands_run_with_the_collector_paused_and_batch_turns_it_on() -> None:
    # A one-shot answer allocates a bounded few megabytes: no collection passes, none at exit.
    assert not collector_after("estimate", "-p", "mit-scm", "-w", "hes", "-f", "json", "-q")
    # batch reads rows without bound: cycles must be collected while it runs.
    assert collector_after("batch", "-", "-q", "--jobs", "1", stdin="program,pathway\nmit-scm,hes\n")
