"""A progress bar on stderr, for long runs at a terminal."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO


def progress_bar(stream: IO[bytes], path: Path) -> Callable[[], None] | None:
    """A rich progress bar on stderr for reading a file, when stderr is a terminal; call it to update."""
    if not sys.stderr.isatty():
        return None
    try:
        total = path.stat().st_size
    except OSError:
        return None
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(console=Console(stderr=True), transient=True)
    task = bar.add_task("pricing", total=total)
    bar.start()

    def advance() -> None:
        with contextlib.suppress(OSError, ValueError):
            bar.update(task, completed=stream.tell())

    import atexit

    atexit.register(bar.stop)
    return advance
