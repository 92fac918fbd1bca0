"""Loading catalogs fast: the validated catalog cached as JSON, keyed by content.

Validation (yaml + pydantic) takes most of a one-shot run's time, so its
result is kept in the user's cache folder under a key made from mmcost's
version and, for every catalog file, its path and a BLAKE2 hash of its bytes:
an edited file, a new file or a new mmcost means a new key, so a stale cache
is not read. The cache is input like any other, and is never trusted blindly:

- an entry is read only if it is a regular file (not a FIFO, a device or a
  link to one) of at most MAX_CACHE_BYTES, read from the opened file;
- its first line carries a BLAKE2 hash of the rest, so any edit shows;
- reading it back runs no code (plain JSON), and the codec, derived from the
  records' annotations in model.py, checks the type and range of every value
  it rebuilds (text where text belongs, amounts finite and >= 0, integers in
  range), as the loader does.

Anything wrong with it (missing, unreadable, damaged) just means validating
again; no usable cache folder (no home, a relative XDG_CACHE_HOME) means
running uncached. Pruning removes only regular files that mmcost wrote (they
start with its header), never what else a shared folder holds.
MMCOST_NO_CACHE=1 turns the cache off.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import types
import typing
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from mmcost import __version__, model
from mmcost.bundled import FileRefused, bundled_catalog, read_limited
from mmcost.model import Catalog

CACHE_ENV = "MMCOST_NO_CACHE"

MAX_CACHE_BYTES = 64 * 2**20
"""A larger cache entry is neither written nor read."""

HEADER = b"mmcost-catalog-cache "
"""Every entry starts with this and the hash of the rest: the mark of a file mmcost made."""

_ENTRY = re.compile(r"catalog-[0-9a-f]{32}\.json")


def cache_dir() -> Path | None:
    """$XDG_CACHE_HOME/mmcost, or ~/.cache/mmcost; None when neither is usable (XDG: a relative path is ignored)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.environ.get("HOME", "")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "mmcost"


def load_catalog(paths: Sequence[Path] = (), *, bundled: bool = True) -> Catalog:
    """The validated catalog: from the cache when its files are unchanged, else validated now."""
    files = ([bundled_catalog()] if bundled else []) + list(paths)
    folder = None if os.environ.get(CACHE_ENV) else cache_dir()
    key = _key(files) if folder is not None else None
    if folder is not None and key is not None:
        cached = _read(folder / f"catalog-{key}.json")
        if cached is not None:
            return cached
    from mmcost import catalog

    result = catalog.load_catalog(list(paths), bundled=bundled)
    if folder is not None and key is not None:
        _write(folder / f"catalog-{key}.json", result)
    return result


def _hash() -> Any:
    try:  # hashlib's own blake2b, without loading OpenSSL's digests too (a few ms of every start)
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - an interpreter without the built-in module
        from hashlib import blake2b
    return blake2b(digest_size=16)


def _key(files: Sequence[Path]) -> str | None:
    """A key over mmcost's version and each file's path and bytes; None when one cannot be read."""
    digest = _hash()
    digest.update(__version__.encode())
    for path in files:
        if str(path) == "-":
            return None  # standard input can be read only once: by the validating loader
        try:
            data = read_limited(path)
        except (OSError, FileRefused):
            return None  # the validating loader reports it, located
        name = os.fsencode(path)
        digest.update(b"\0%d:%s\0%d:" % (len(name), name, len(data)))
        digest.update(data)
    return str(digest.hexdigest())


def _read(path: Path) -> Catalog | None:
    try:
        header, _, payload = read_limited(path, MAX_CACHE_BYTES).partition(b"\n")
        if header != _header(payload):
            return None  # damaged, edited or not mmcost's
        return catalog_from_plain(json.loads(payload))
    except (OSError, FileRefused, ValueError, RecursionError):  # CacheDamaged is a ValueError, as json's errors are
        return None


def _header(payload: bytes) -> bytes:
    digest = _hash()
    digest.update(payload)
    return HEADER + bytes(digest.hexdigest(), "ascii")


def _write(path: Path, catalog: Catalog) -> None:
    """Best effort and atomic: a cache that cannot be written is simply not written."""
    payload = json.dumps(catalog_to_plain(catalog), separators=(",", ":")).encode()
    if len(payload) > MAX_CACHE_BYTES - 100:
        return
    import tempfile  # only when the cache is written

    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".catalog-", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(_header(payload) + b"\n" + payload)
        os.replace(temporary, path)
    except BaseException as error:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        if isinstance(error, OSError):
            return
        raise
    _prune(path.parent, keep=path)


KEEP_CACHED = 8
"""How many cached catalogs (one per set of catalog files) are kept; older ones are removed."""


def _prune(folder: Path, keep: Path) -> None:
    """Remove all but the KEEP_CACHED newest entries: only regular files named and marked as mmcost's own."""
    with contextlib.suppress(OSError):
        entries = []
        for entry in os.scandir(folder):
            if _ENTRY.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                entries.append((entry.stat(follow_symlinks=False).st_mtime, Path(entry.path)))
        entries.sort(reverse=True)
        for _, old in entries[KEEP_CACHED:]:
            if old != keep and _is_ours(old):
                old.unlink()


def _is_ours(path: Path) -> bool:
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.fstat(descriptor).st_mode) and os.read(descriptor, len(HEADER)) == HEADER
    finally:
        os.close(descriptor)


# --- the codec: records <-> plain JSON data, derived from the records' annotations --------


class CacheDamaged(ValueError):
    """Cached data that does not have the shape of the records."""


def to_plain(value: Any) -> Any:
    """Records, tuples, dicts and Decimals as JSON-ready data (Decimals as their exact text)."""
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {name: to_plain(getattr(value, name)) for name in value._fields}
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [to_plain(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


def catalog_to_plain(catalog: Catalog) -> dict[str, Any]:
    """The whole catalog as JSON-ready data (origins as [section, id, file] triples)."""
    plain: dict[str, Any] = to_plain(catalog._replace(origins={}))
    plain["origins"] = [[section, entry_id, path] for (section, entry_id), path in catalog.origins.items()]
    return plain


def catalog_from_plain(data: Any) -> Catalog:
    """The catalog written by catalog_to_plain; CacheDamaged when anything has the wrong shape or type."""
    if not isinstance(data, dict) or not isinstance(data.get("origins"), list):
        raise CacheDamaged("not a cached catalog")
    origins = data["origins"]
    if not all(isinstance(row, list) and len(row) == 3 and all(isinstance(p, str) for p in row) for row in origins):
        raise CacheDamaged("origins")
    catalog: Catalog = _decoder(Catalog)({**data, "origins": {}})
    sections = ("figures", "programs", "degrees")
    if not all(section in sections for section, _, _ in origins):
        raise CacheDamaged("origins")
    return catalog._replace(origins={(section, entry_id): path for section, entry_id, path in origins})


@cache
def _decoder(kind: Any) -> Callable[[Any], Any]:
    """A function that rebuilds a value of this annotated type from plain data, checking every type on the way."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        inner = _decoder(next(arg for arg in args if arg is not type(None)))
        return lambda value: None if value is None else inner(value)
    if origin is tuple:
        item = _decoder(args[0])
        return lambda value: tuple(item(entry) for entry in _checked(value, list))
    if origin is dict:
        item = _decoder(args[1])
        return lambda value: {_checked(key, str): item(entry) for key, entry in _checked(value, dict).items()}
    if origin is typing.Literal:
        return lambda value: value if value in args else _damaged(kind)
    if kind is Decimal:
        return _decimal
    if isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields"):
        return _record_decoder(kind)
    if kind is int:
        return _integer
    if kind in (str, bool):
        return lambda value: _checked(value, kind)
    raise TypeError(f"no cache codec for {kind!r}")  # pragma: no cover - a record field of a new type


def _record_decoder(record: type) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(record, vars(model))
    fields = {name: _decoder(hints[name]) for name in record._fields}  # type: ignore[attr-defined]

    def decode(value: Any) -> Any:
        data = _checked(value, dict)
        if set(data) != set(fields):
            raise CacheDamaged(f"{record.__name__} fields")
        return record(**{name: decode_field(data[name]) for name, decode_field in fields.items()})

    return decode


def _checked(value: Any, kind: type) -> Any:
    if type(value) is not kind:
        raise CacheDamaged(f"expected {kind.__name__}")
    return value


def _decimal(value: Any) -> Decimal:
    try:
        number = Decimal(_checked(value, str))
    except InvalidOperation:
        raise CacheDamaged("not a number") from None
    if not number.is_finite() or not 0 <= number < LARGEST or len(number.as_tuple().digits) > MAX_DIGITS:
        raise CacheDamaged("not an amount the loader accepts")
    return number


MAX_DIGITS = 15
"""The loader's widest ranges: amounts are >= 0 with at most 15 digits, integers 0 to 2200 (a year)."""
MAX_INTEGER = 2200
LARGEST = Decimal(10) ** MAX_DIGITS


def _integer(value: Any) -> int:
    number: int = _checked(value, int)
    if not 0 <= number <= MAX_INTEGER:
        raise CacheDamaged("not an integer the loader accepts")
    return number


def _damaged(what: object) -> Any:
    raise CacheDamaged(f"not a {what}")


__all__ = ["bundled_catalog", "cache_dir", "catalog_from_plain", "catalog_to_plain", "load_catalog"]
