"""The installed `mmcost` command, run as a user would, from another directory."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import simplejson
from click.testing import CliRunner

from mmcost import __version__
from mmcost.cli import cli


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
    code = (  # said by an atexit callback: the entry point ends the process itself (leave_now)
        "import atexit, gc, sys\n"
        "from mmcost.__main__ import main\n"
        "atexit.register(lambda: print(gc.isenabled(), file=sys.stderr))\n"
        f"sys.argv = ['mmcost', *{list(args)!r}]\n"
        "main()\n"
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


THREAD_STILL_RUNNING = """
import sys, threading, time
from mmcost.__main__ import main

def late():
    time.sleep(0.5)
    print("the thread's line", flush=True)

threading.Thread(target=late).start()
sys.argv = ["mmcost", *sys.argv[1:]]
main()
"""


def test_the_entry_point_leaves_the_exit_to_python_while_a_thread_still_runs() -> None:
    # Its quick exit skips only what Python's exit would do unseen; Python's exit waits for a running thread.
    result = subprocess.run(
        [sys.executable, "-c", THREAD_STILL_RUNNING, "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert sorted(result.stdout.splitlines()) == sorted([f"mmcost, version {__version__}", "the thread's line"])


def test_the_entry_point_keeps_the_exit_code_and_every_byte_written() -> None:
    # An unknown pathway: exit 1, its one line on stderr, as in-process.
    failed = subprocess.run(
        [sys.executable, "-m", "mmcost", "estimate", "-p", "mit-scm", "-w", "nowhere"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert failed.returncode == 1
    assert failed.stderr == CliRunner().invoke(cli, ["estimate", "-p", "mit-scm", "-w", "nowhere"]).stderr
    # Every pathway's JSON (more than a buffer's worth, 8 KB), byte for byte what the command writes in-process.
    command = ["compare", "-f", "json", "-q"]
    through_a_pipe = subprocess.run(
        [sys.executable, "-m", "mmcost", *command], capture_output=True, timeout=60, check=True
    )
    assert len(through_a_pipe.stdout) > 8192
    assert through_a_pipe.stdout == CliRunner().invoke(cli, command).stdout_bytes
