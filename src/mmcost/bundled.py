"""Where the catalog shipped with mmcost is, and the size limit for every file mmcost reads."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Catalog and scenario files larger than this are refused before they are read."""


def bundled_catalog() -> Path:
    """The catalog shipped inside the package (or, in a source checkout, data/)."""
    packaged = resources.files("mmcost").joinpath("data/programs.yaml")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "data" / "programs.yaml"
