"""Where the catalog shipped with mmcost is, and the size limit for every file mmcost reads."""

from __future__ import annotations

from pathlib import Path

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Catalog and scenario files larger than this are refused before they are read."""


def bundled_catalog() -> Path:
    """The catalog shipped inside the package (or, in a source checkout, data/)."""
    here = Path(__file__).parent
    packaged = here / "data" / "programs.yaml"
    if packaged.is_file():
        return packaged
    return here.resolve().parents[1] / "data" / "programs.yaml"
