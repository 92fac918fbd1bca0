"""Where catalogs come from, in the order they load: bundled, config folder, $MMCOST_CATALOG, --catalog.

Later files replace earlier ones' entries by id. Cheap: the standard library;
click only for its notion of the user's config folder.
"""

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from mmcost.bundled import bundled_catalog

CATALOG_ENV = "MMCOST_CATALOG"


def config_dir() -> Path | None:
    """The user's mmcost config folder: $XDG_CONFIG_HOME/mmcost on Linux, or ~/.config/mmcost when it is unset,
    empty or relative (XDG says to ignore a relative one; click would take it as the current folder). None when
    HOME is set but not an absolute path (empty, or relative): the folder would follow the current one."""
    import click

    base = os.environ.get("XDG_CONFIG_HOME", "")
    if os.path.isabs(base) or sys.platform.startswith(("win", "darwin")):  # click's own folder elsewhere
        return Path(click.get_app_dir("mmcost"))
    home = os.environ.get("HOME")
    if home is not None and not os.path.isabs(home):
        return None
    return Path(os.path.expanduser("~/.config")) / "mmcost"


NO_CONFIG_DIR = "no config folder: HOME is not an absolute path"
"""Why config_dir() is None."""


class Source(NamedTuple):
    """One catalog file and what put it on the list."""

    source: str  # "bundled", "config folder", "MMCOST_CATALOG" or "--catalog"
    path: Path
    exists: bool


def catalog_sources(given: Sequence[Path] = ()) -> list[Source]:
    """Every catalog file, lowest precedence first; the config folder's pattern when it has none."""
    sources = [Source("bundled", bundled_catalog(), True)]
    folder = config_dir()
    found = (
        sorted(path for path in folder.iterdir() if path.suffix in (".yaml", ".yml") and path.is_file())
        if folder is not None and folder.is_dir()
        else []
    )
    sources += [Source("config folder", path, True) for path in found] or [
        Source("config folder", folder / "*.yaml" if folder is not None else Path(f"({NO_CONFIG_DIR})"), False)
    ]
    named = [Path(part) for part in os.environ.get(CATALOG_ENV, "").split(os.pathsep) if part.strip()]
    sources += [Source(CATALOG_ENV, path, path.is_file()) for path in named]
    sources += [Source("--catalog", path, path.is_file()) for path in given]
    return sources


def user_catalogs(given: Sequence[Path] = ()) -> list[Path]:
    """The catalog files to merge over the bundled one, lowest precedence first."""
    return [item.path for item in catalog_sources(given)[1:] if item.source != "config folder" or item.exists]
