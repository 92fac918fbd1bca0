"""Loading catalogs fast: the validated catalog cached as JSON, keyed by content.

Validation (yaml + pydantic) takes most of a one-shot run's time, so its
result is kept in the user's cache folder under a key made from mmcost's
version and, for every catalog file, its path, size, modification time and a
CRC-32 of its bytes. An edited file, a new file or a new mmcost means a new
key, so a stale cache is not read. (CRC-32 rather than a cryptographic hash:
the key guards against accidents, not attacks, and zlib loads in a fraction
of hashlib's start-up time.) The cache is plain JSON: reading it back runs no
code, and the codec, derived from the records' annotations in model.py,
checks the type of every value it rebuilds. Anything wrong with it (missing,
unreadable, damaged) just means validating again. MMCOST_NO_CACHE=1 turns it
off.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import types
import typing
import zlib
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from mmcost import __version__, model
from mmcost.bundled import MAX_FILE_BYTES, bundled_catalog
from mmcost.model import Catalog

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
    except (OSError, ValueError, RecursionError):  # CacheDamaged is a ValueError, as json's errors are
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
    if kind in (str, int, bool):
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
    if not number.is_finite():
        raise CacheDamaged("not a finite number")
    return number


def _damaged(what: object) -> Any:
    raise CacheDamaged(f"not a {what}")


__all__ = ["bundled_catalog", "cache_dir", "catalog_from_plain", "catalog_to_plain", "load_catalog"]
