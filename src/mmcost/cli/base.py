"""What the command group itself needs: cheap on purpose, so `mmcost --help` starts fast."""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

EXIT_CODES_HELP = "Exit codes: 0 success, 1 bad data or unknown id, 2 usage error."
CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def terminal_size(text: str) -> int | None:
    """COLUMNS or LINES as a number, or None when it is not a usable one (`²`, 5,000 digits, 0)."""
    if text.isascii() and text.isdigit() and len(text) <= 4 and int(text) > 0:
        return int(text)
    return None


def say(text: str) -> None:
    """A warning, hint or note on stderr. At a terminal it is broken between words to the terminal's width
    (the lines after the first indented), never inside a word, a range like 2014-15 or a web address, as
    the terminal itself would; elsewhere it stays one line, for grep and logs."""
    width = _stderr_width()
    if width is not None and len(text) > width:
        import textwrap

        text = textwrap.fill(text, width, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False)
    click.echo(text, err=True)


def _stderr_width() -> int | None:
    """The width of the terminal stderr shows on (COLUMNS first, as for stdout), or None when it is not one."""
    try:
        if not sys.stderr.isatty():
            return None
        given = terminal_size(os.environ.get("COLUMNS", ""))
        return given if given is not None else os.get_terminal_size(sys.stderr.fileno()).columns
    except (AttributeError, OSError, ValueError):  # no stderr, or one that is not a file
        return None


def json_escape(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: each character stdout cannot encode becomes a JSON escape (`\\u00eb`),
    so that JSON stays valid JSON and every other format stays readable."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    escapes = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if code > 0xFFFF:  # beyond the first plane: a UTF-16 surrogate pair, as JSON writes it
            code -= 0x10000
            escapes.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escapes.append(f"\\u{code:04x}")
    return "".join(escapes), error.end


def escape_what_stdout_cannot_encode() -> None:
    """Make a stdout that cannot encode all of Unicode (latin-1, ascii) escape what it cannot, not fail."""
    import codecs
    import sys

    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "\U0010ffff".encode(encoding)
        return  # UTF-8 and friends: nothing to escape
    except (UnicodeEncodeError, LookupError):
        pass
    codecs.register_error("mmcost-json-escape", json_escape)
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="mmcost-json-escape")


class _ClosedRaw(io.RawIOBase):
    """The bytes behind a ClosedStream: every read or write fails as on a closed descriptor."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.stream_name = name

    def error(self) -> OSError:
        return OSError(errno.EBADF, f"standard {self.stream_name} is closed")

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise self.error()

    def write(self, data: Any) -> int:
        raise self.error()


class ClosedStream(io.TextIOBase):
    """Standard input or output that the shell closed (`<&-`, `>&-`), where Python leaves None: reading or
    writing it fails with EBADF, so that the usual one-line error says which stream is closed (and a run
    that writes to -o FILE needs neither)."""

    encoding = "utf-8"

    def __init__(self, name: str) -> None:
        super().__init__()
        self.buffer = _ClosedRaw(name)

    def isatty(self) -> bool:
        return False

    def read(self, size: int | None = -1) -> str:
        raise self.buffer.error()

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        raise self.buffer.error()

    def write(self, text: str) -> int:
        raise self.buffer.error()


def stand_in_for_closed_streams() -> None:
    """A closed descriptor 0, 1 or 2 holds the null device, so that no file opened later (the temporary
    -o file) takes its number and gets what a worker process writes there; a closed stdin or stdout
    becomes a ClosedStream, whose first use is the error."""
    for fd, name in enumerate(("stdin", "stdout", "stderr")):
        try:
            os.fstat(fd)
        except OSError:
            held = os.open(os.devnull, os.O_RDWR)
            if held != fd:
                os.dup2(held, fd)
                os.close(held)
        if getattr(sys, name) is None and name != "stderr":  # nothing can say a closed stderr's errors
            setattr(sys, name, ClosedStream("input" if fd == 0 else "output"))


class Session:
    """Global options, shared by every command through click's context."""

    def __init__(self, argv: Sequence[str] = ()) -> None:
        self.argv = list(argv)  # the arguments as typed, for a report's reproduce command
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


__all__ = [
    "CONTEXT_SETTINGS",
    "EXIT_CODES_HELP",
    "Session",
    "escape_what_stdout_cannot_encode",
    "json_escape",
    "session",
    "terminal_size",
]
