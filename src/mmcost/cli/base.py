"""What the command group itself needs: cheap on purpose, so `mmcost --help` starts fast."""

from __future__ import annotations

from typing import Any

import click

EXIT_CODES_HELP = "Exit codes: 0 success, 1 bad data or unknown id, 2 usage error."
CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Session:
    """Global options, shared by every command through click's context."""

    def __init__(self) -> None:
        self.catalog_files: list[str] = []
        self.color = "auto"
        self.from_file: dict[str, str] = {}  # option key -> the scenario file that gave it

    def spell(self, key: str) -> str:
        """An option as the user gave it: `--course-fee`, or `course_fee:` in the scenario file."""
        if key in self.from_file:
            return f"`{key}:` in {self.from_file[key]}"
        return "--" + key.replace("_", "-")


def session(ctx: click.Context) -> Session:
    """The Session on the root context (made on first use)."""
    root = ctx.find_root()
    if not isinstance(root.obj, Session):
        root.obj = Session()
    return root.obj


__all__ = ["CONTEXT_SETTINGS", "EXIT_CODES_HELP", "Session", "session"]
