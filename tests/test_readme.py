"""The README's two commands are the ones CI and users run."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:12]
    commands = [line.strip() for line in readme if line.startswith("    ")]
    install_and_run, install_and_test = commands[:2]
    assert "mmcost estimate --program mit-scm --pathway hes" in install_and_run
    assert install_and_test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
