"""Shared helpers: small catalogs written inside the tests."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from mmcost.catalog import load_catalog
from mmcost.model import Catalog

# A tiny catalog with round numbers, so hand-worked sums stay readable.
# Program "demo": 3 courses at 100.00 + 1 exam at 50.00.
# Degree "msc": 10 courses at 1,000.00 each, application fee 80.00.
# Pathway "uni": credits 4 courses, so 6 remain.
MINI_CATALOG = """\
schema_version: 1
figures:
  demo-course-fee:
    label: Demo course fee
    kind: course_fee
    values:
      - {amount: 90.00, currency: USD, year: 2020, applies_to: "2020", source: "https://example.edu/fees-2020"}
      - {amount: 100.00, currency: USD, year: 2022, applies_to: "2022", source: "https://example.edu/fees-2022"}
  demo-exam-fee:
    label: Demo exam fee
    kind: exam_fee
    values:
      - {amount: 50.00, currency: USD, year: 2022, applies_to: "2022", source: "https://example.edu/exam"}
  msc-tuition:
    label: MSc tuition per course
    kind: tuition
    values:
      - {amount: 1000.00, currency: USD, year: 2021, applies_to: "2021-22", source: "https://example.edu/msc", basis: derived, note: "from a total"}
  msc-application-fee:
    label: MSc application fee
    kind: application_fee
    values:
      - {amount: 80.00, currency: USD, year: 2022, applies_to: "2022", source: "https://example.edu/apply"}
programs:
  demo:
    name: Demo MicroMasters
    institution: Example U
    url: https://example.edu/demo
    courses:
      - {code: D1, title: One}
      - {code: D2, title: Two}
      - {code: D3, title: Three}
    course_fee: demo-course-fee
    exams:
      - {name: Final exam, fee: demo-exam-fee}
    pathways:
      uni:
        name: Example U MSc
        degree: msc
        courses_credited: 4
        source: https://example.edu/pathway
        charges:
          - {label: Application fee, figure: msc-application-fee, per: once}
          - {label: Tuition, figure: msc-tuition, per: course}
degrees:
  msc:
    name: MSc
    school: Example U
    courses_required: 10
    source: https://example.edu/msc
    direct:
      charges:
        - {label: Application fee, figure: msc-application-fee, per: once}
        - {label: Tuition, figure: msc-tuition, per: course}
"""


@pytest.fixture(scope="session", autouse=True)
def _private_folders(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the tests' catalog cache and config folder out of the user's home."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config"))
    os.environ.pop("MMCOST_CATALOG", None)
    os.environ.pop("NO_COLOR", None)


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[..., Path]:
    """Write dedented YAML text to a file and return its path."""

    def write(text: str, name: str = "catalog.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The mini catalog alone (no bundled data); frozen, so shared safely."""
    path = tmp_path_factory.mktemp("mini") / "mini.yaml"
    path.write_text(MINI_CATALOG, encoding="utf-8")
    return load_catalog([path], bundled=False)


@pytest.fixture(scope="session")
def shipped() -> Catalog:
    """The bundled catalog."""
    return load_catalog()


def in_a_terminal(*args: str, env: dict[str, str], stream: str = "stdout") -> tuple[int, bytes]:
    """Run mmcost with its stdout (or stderr, or both: stream "both") on a pseudo-terminal (as a person sees
    it), the other stream dropped: exit code and the screen's bytes."""
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "mmcost", *args],
        stdout=follower if stream in ("stdout", "both") else subprocess.DEVNULL,
        stderr=follower if stream in ("stderr", "both") else subprocess.DEVNULL,
        env={**os.environ, **env},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is done writing
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return process.returncode, b"".join(chunks)
