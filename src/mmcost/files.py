"""Files mmcost writes and reads for the commands: one atomic writer for every output file.

Cheap: the standard library and mmcost.errors only.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from mmcost.errors import CatalogError, Issue

if TYPE_CHECKING:
    from pathlib import Path

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name)
)
"""The signals that stop mmcost: the command line turns each into an exception that ends the run cleanly."""


class Stopped(KeyboardInterrupt):
    """A stop signal, raised like Ctrl-C so that every `finally` (temporary files) runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_TAKEN: list[int] = []
"""The stop signals the command line's handler has taken. Python drops an exception raised in a finalizer
(printing "Exception ignored"), so a signal that lands in one would be lost: what is noted here is not."""


def take_stop(signum: int) -> None:
    """Note a stop signal (the command line's handler, before it raises Stopped)."""
    _TAKEN.append(signum)


def stop_if_taken() -> None:
    """Raise Stopped for a stop signal taken but dropped on its way (nothing when none was taken)."""
    if _TAKEN:
        raise Stopped(_TAKEN[0])


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold back the stop signals in this thread for the block; any that arrived is taken as soon as it ends."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _cannot(path: Path, error: OSError | str) -> CatalogError:
    reason = error if isinstance(error, str) else (error.strerror or str(error))
    return CatalogError([Issue(str(path), f"cannot write: {reason}")])


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[str]]:
    """A text stream to a temporary file beside path, renamed over path only when the block ends well.

    A failure at any point leaves an existing file exactly as it was; a
    symlink is written through (its target is replaced), an existing file
    keeps its permissions and a new one gets 0666 less the umask.
    """
    import shutil
    import tempfile
    from pathlib import Path  # here, like the two above: `mmcost --help` reads the stop signals alone

    try:  # links are followed as far as they go, so a dangling one is written through as `>` would
        target = Path(os.path.realpath(path))
        existing = target.exists()
    except OSError as error:  # a name too long
        raise _cannot(path, error) from None
    if target.is_symlink():
        raise _cannot(path, "its symbolic links form a loop")
    if target.is_dir():
        raise CatalogError([Issue(str(path), "is a directory; -o needs a file name")])
    if existing and not target.is_file():
        # A device or a FIFO (`-o /dev/stdout`, a named pipe): written to directly, never replaced.
        with _direct(path, target) as stream:
            yield stream
        return
    if not target.parent.is_dir():
        raise _cannot(path, f"folder {str(target.parent)!r} does not exist")
    temporary = None
    try:
        with signals_held():  # a signal between making the file and naming it here would leave it behind
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        stop_if_taken()  # a run that went on past a dropped stop signal never replaces the file
        if target.exists():
            shutil.copymode(target, temporary)
        else:  # mkstemp makes 0600; a new output file gets the usual mode, as `>` would give it
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as error:
        _remove(temporary)
        raise _cannot(path, error) from None
    except BaseException:
        _remove(temporary)
        raise


def _remove(temporary: str | None) -> None:
    if temporary is not None:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _umask() -> int:
    """The process's umask: read from /proc where Linux shows it (4.7+), since reading it with os.umask means
    setting it, for a moment, for every thread of the process (the Python API may run in threads)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o077)  # put straight back
    os.umask(mask)
    return mask


@contextlib.contextmanager
def _direct(path: Path, target: Path) -> Iterator[IO[str]]:
    try:
        stream = target.open("w", encoding="utf-8", newline="")
    except OSError as error:
        raise _cannot(path, error) from None
    try:
        with stream:
            yield stream
    except OSError as error:
        raise _cannot(path, error) from None


def write_atomically(path: Path, text: str) -> None:
    """Write text to path through atomic_output."""
    with atomic_output(path) as stream:
        stream.write(text)


@contextlib.contextmanager
def output_stream(path: Path | None) -> Iterator[IO[str]]:
    """stdout (for None or '-'), or atomic_output(path)."""
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    with atomic_output(path) as stream:
        yield stream


def open_input(path: Path) -> IO[bytes]:
    """A file opened for reading ('-': standard input), or CatalogError saying why it cannot be."""
    if str(path) == "-":
        return sys.stdin.buffer
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise CatalogError([Issue(str(path), "no such file")]) from None
    except IsADirectoryError:
        raise CatalogError([Issue(str(path), "is a directory")]) from None
    except OSError as error:
        raise CatalogError([Issue(str(path), f"cannot read: {error.strerror}")]) from None


@contextlib.contextmanager
def text_input(path: Path) -> Iterator[tuple[IO[bytes], io.TextIOWrapper]]:
    """The input and its text (UTF-8, a BOM dropped, bytes that are not UTF-8 kept as surrogates so that
    their row can be reported), closed at the end; standard input is only detached, never closed."""
    stream = open_input(path)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        yield stream, text
    finally:
        if str(path) == "-":
            text.detach()
        else:
            text.close()
