"""Where the catalog shipped with mmcost is, and how every file mmcost reads is read: within a size limit."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Catalog and scenario files larger than this are refused before they are read."""


class FileRefused(Exception):
    """A path that is not a regular file (a directory, a device, a pipe); the message says which."""


class TooLarge(FileRefused):
    """A file over the size limit."""


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes, never more than limit (FileRefused for a directory, a device or a pipe; TooLarge).

    The checks are made on the opened file and at most limit + 1 bytes are read, so a file swapped
    or grown after the check cannot fill memory; O_NONBLOCK keeps a named pipe from blocking the open.
    OSError (no such file, permission denied) is the caller's to report. "-" reads standard input.
    """
    if str(path) == "-":  # standard input, within the same limit
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise TooLarge(f"standard input is over the {limit:,}-byte limit")
        return data
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise FileRefused("is a directory")
        if not stat.S_ISREG(status.st_mode):
            raise FileRefused("is not a regular file (a device or a pipe?)")
        if status.st_size > limit:
            raise TooLarge(f"file is {status.st_size:,} bytes; the limit is {limit:,}")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(descriptor, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(descriptor)
    if size > limit:
        raise TooLarge(f"file grew over the {limit:,}-byte limit while being read")
    return b"".join(chunks)


def bundled_catalog() -> Path:
    """The catalog shipped inside the package (or, in a source checkout, data/)."""
    here = Path(__file__).parent
    packaged = here / "data" / "programs.yaml"
    if packaged.is_file():
        return packaged
    return here.resolve().parents[1] / "data" / "programs.yaml"
