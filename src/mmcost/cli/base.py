"""What the command group itself needs: cheap on purpose, so `mmcost --help` starts fast."""

from __future__ import annotations

from typing import Any

import click

EXIT_CODES_HELP = "Exit codes: 0 success, 1 bad data or unknown id, 2 usage error."
CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def terminal_size(text: str) -> int | None:
    """COLUMNS or LINES as a number, or None when it is not a usable one (`²`, 5,000 digits, 0)."""
    if text.isascii() and text.isdigit() and len(text) <= 4 and int(text) > 0:
        return int(text)
    return None


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


__all__ = ["CONTEXT_SETTINGS", "EXIT_CODES_HELP", "Session", "session", "terminal_size"]
