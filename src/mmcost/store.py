"""Loading catalogs fast: the validated catalog cached as JSON, keyed by content.

Validation (yaml + pydantic) takes most of a one-shot run's time, so its
result is kept in the user's cache folder under a key made from mmcost's
version and, for every catalog file, its path, size, modification time and a
CRC-32 of its bytes. An edited file, a new file or a new mmcost means a new
key, so a stale cache is not read. (CRC-32 rather than a cryptographic hash:
the key guards against accidents, not attacks, and zlib loads in a fraction
of hashlib's start-up time.) The cache is
plain JSON: reading it back runs no code. Anything wrong with it (missing,
unreadable, damaged) just means validating again. MMCOST_NO_CACHE=1 turns it
off.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zlib
from collections.abc import Sequence
from pathlib import Path

from mmcost import __version__
from mmcost.bundled import MAX_FILE_BYTES, bundled_catalog
from mmcost.model import Catalog, catalog_from_plain, catalog_to_plain

CACHE_ENV = "MMCOST_NO_CACHE"


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/mmcost, or ~/.cache/mmcost."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mmcost"


def load_catalog(paths: Sequence[Path] = (), *, bundled: bool = True) -> Catalog:
    """The validated catalog: from the cache when its files are unchanged, else validated now."""
    files = ([bundled_catalog()] if bundled else []) + list(paths)
    key = _key(files)
    use_cache = key is not None and not os.environ.get(CACHE_ENV)
    if use_cache:
        cached = _read(cache_dir() / f"catalog-{key}.json")
        if cached is not None:
            return cached
    from mmcost import catalog

    result = catalog.load_catalog(list(paths), bundled=bundled)
    if use_cache:
        _write(cache_dir() / f"catalog-{key}.json", result)
    return result


def _key(files: Sequence[Path]) -> str | None:
    """A key over mmcost's version and each file's path, size, mtime and CRC-32; None when one cannot be read."""
    parts = [__version__]
    for path in files:
        try:
            status = path.stat()
            if not path.is_file() or status.st_size > MAX_FILE_BYTES:
                return None
            data = path.read_bytes()
        except OSError:
            return None  # the validating loader reports it, located
        parts.append(f"{path}:{len(data)}:{status.st_mtime_ns}:{zlib.crc32(data):08x}")
    whole = "\n".join(parts).encode()
    return f"{zlib.crc32(whole):08x}{zlib.adler32(whole):08x}{len(whole):x}"


def _read(path: Path) -> Catalog | None:
    try:
        with path.open(encoding="utf-8") as handle:
            return catalog_from_plain(json.load(handle))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write(path: Path, catalog: Catalog) -> None:
    """Best effort and atomic: a cache that cannot be written is simply not written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".catalog-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(catalog_to_plain(catalog), stream)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(temporary)
        return
    _prune(path.parent, keep=path)


KEEP_CACHED = 8
"""How many cached catalogs (one per set of catalog files) are kept; older ones are removed."""


def _prune(folder: Path, keep: Path) -> None:
    with contextlib.suppress(OSError):
        cached = sorted(folder.glob("catalog-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in cached[KEEP_CACHED:]:
            if old != keep:
                old.unlink()


__all__ = ["bundled_catalog", "cache_dir", "load_catalog"]
