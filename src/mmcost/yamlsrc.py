"""YAML text -> plain data, plus where each value stood in the file.

PyYAML's own loaders keep the last of two duplicate keys, turn numbers into
float and, in the unsafe ones, build objects from tags. This reader takes the
safe parser's events (libyaml's when present) and builds plain data itself,
so that:

- duplicate keys are errors, at any depth;
- numbers become ``Decimal`` from their source text (``int`` for integers);
- only the core schema's tags are accepted; ``!!python/...`` and other
  object-construction tags are errors, never constructed;
- an alias is refused, so a few bytes cannot expand into gigabytes
  ("billion laughs"); catalogs have no use for anchors;
- every value's path (``programs.mit-scm.courses[2]``) maps to its line and
  column, so later checks can report ``file:line:col``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from mmcost.bundled import FileRefused, TooLarge, read_limited
from mmcost.errors import MAX_ISSUES, CatalogError, Issue

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is optional
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


MAX_DEPTH = 64
"""Deeper nesting than any catalog needs is refused."""

MAX_DIGITS = 18
"""Integers longer than this are refused (Python refuses to convert beyond 4,300 digits, at a cost)."""

Location = tuple[int, int]

_TAG = "tag:yaml.org,2002:"
_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)")


@dataclass
class Document:
    """Plain data read from one YAML file, with a location for every path."""

    file: str
    data: Any
    locations: dict[str, Location] = field(default_factory=dict)

    def locate(self, path: str) -> Location | None:
        """The location of path, or of its nearest parent that has one."""
        while True:
            if path in self.locations:
                return self.locations[path]
            if not path:
                return None
            path = _parent(path)

    def issue(self, path: str, message: str) -> Issue:
        """An Issue for path in this document, located as precisely as known."""
        where = self.locate(path)
        line, column = where if where else (None, None)
        return Issue(self.file, message, path=path, line=line, column=column)


def _parent(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


def join_path(parent: str, key: object) -> str:
    """The path of key (a str key or an int index) below parent."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def read_file(path: Path, display: str | None = None) -> Document:
    """Read and parse one YAML file; every problem raises CatalogError."""
    name = display or ("<stdin>" if str(path) == "-" else str(path))
    try:
        raw = read_limited(path)
    except TooLarge as error:
        raise CatalogError([Issue(name, str(error))]) from None
    except FileRefused as error:
        raise CatalogError([Issue(name, f"{error}; give a YAML file")]) from None
    except FileNotFoundError:
        raise CatalogError([Issue(name, "no such file")]) from None
    except PermissionError:
        raise CatalogError([Issue(name, "permission denied")]) from None
    except OSError as error:
        raise CatalogError([Issue(name, f"cannot read: {error.strerror}")]) from None
    return parse_bytes(raw, name)


def parse_bytes(raw: bytes, name: str) -> Document:
    """Parse YAML bytes (UTF-8, with or without a byte-order mark)."""
    if b"\x00" in raw:
        raise CatalogError([Issue(name, "contains NUL bytes; is this a binary file?")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CatalogError([Issue(name, f"not UTF-8 text (bad byte at offset {error.start})")]) from None
    return parse_text(text, name)


LIBYAML_DEPTH = "exceeded maximum nesting depth"
"""What libyaml (PyYAML 6.0.4 on) says past its own depth limit, scanning ahead of the events MAX_DEPTH reads."""


def parse_text(text: str, name: str, loader: type[yaml.SafeLoader | yaml.CSafeLoader] = _Loader) -> Document:
    """Parse YAML text into a Document; raises CatalogError with located issues."""
    builder = _Builder(Document(name, None))
    try:
        for event in yaml.parse(text, Loader=loader):
            if builder.feed(event):
                break
    except yaml.MarkedYAMLError as error:
        if error.problem == LIBYAML_DEPTH and loader is not yaml.SafeLoader:
            # libyaml gave up far past MAX_DEPTH: read again event by event, which stops where MAX_DEPTH is
            # passed, so that the message and its place do not depend on the PyYAML release.
            return parse_text(text, name, yaml.SafeLoader)
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        builder.issues.append(Issue(name, f"YAML syntax: {problem}", line=line, column=column))
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        column = error.position - text.rfind("\n", 0, error.position)
        character = f"U+{error.character:04X}" if isinstance(error.character, int) else repr(error.character)
        builder.issues.append(Issue(name, f"character {character} is not allowed in YAML", line=line, column=column))
    except yaml.YAMLError as error:
        builder.issues.append(Issue(name, "YAML: " + str(error).splitlines()[0]))
    if builder.issues:
        raise CatalogError(builder.issues)
    if not builder.done:
        raise CatalogError([Issue(name, "file is empty; expected a mapping")])
    return builder.document


def _where(event: yaml.Event) -> Location:
    """An event's 1-based line and column."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


@dataclass
class _Open:
    """A mapping or sequence being filled."""

    container: dict[str, Any] | list[Any]
    path: str
    key: str | None = None  # a mapping's key waiting for its value
    skip: bool = False  # that key was a duplicate: drop its value


_SCALAR_KEY_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "merge")}

MAX_NODES = 100_000
"""More values than this (the bundled catalog has about 2,000) stops reading: the work stays bounded."""


class _Builder:
    """Builds plain data from parser events with an explicit stack.

    Working from events rather than PyYAML's recursive composer means deep
    nesting is refused after MAX_DEPTH levels instead of crashing the
    interpreter, and an alias is refused before anything is expanded.
    """

    def __init__(self, document: Document) -> None:
        self.document = document
        self.issues: list[Issue] = []
        self.stack: list[_Open] = []
        self.done = False
        self.nodes = 0
        self._resolver = yaml.resolver.Resolver()

    def feed(self, event: yaml.Event) -> bool:
        """Take one event; True when reading must stop."""
        if len(self.issues) >= MAX_ISSUES:
            self._issue(event, "", f"stopped after {MAX_ISSUES} problems")
            return True
        if isinstance(event, yaml.DocumentStartEvent) and self.done:
            self._issue(event, "", "more than one YAML document; expected exactly one")
            return True
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()
            self.done = not self.stack
            return False
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.ScalarEvent, yaml.AliasEvent)):
            return self._node(event)
        return False

    def _node(self, event: yaml.NodeEvent) -> bool:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._issue(event, "", f"more than {MAX_NODES:,} values; no catalog or scenario needs that many")
            return True
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.container, dict) and top.key is None:
            if not isinstance(event, yaml.ScalarEvent):
                self._issue(event, top.path, "keys must be plain text")
                return True
            self._key(top, event)
            return False
        path = self._path(top)
        self.document.locations.setdefault(path, _where(event))
        if isinstance(event, yaml.AliasEvent):
            # Stop here: an alias bomb is made of nothing else, and one message says it all.
            self._issue(event, path, "aliases (*name) are not supported; write the value out")
            return True
        if isinstance(event, yaml.ScalarEvent):
            self._attach(top, self._value(event, path))
            return False
        if len(self.stack) >= MAX_DEPTH:
            self._issue(event, "", f"nesting deeper than {MAX_DEPTH} levels")
            return True
        assert isinstance(event, yaml.CollectionStartEvent)
        is_map = isinstance(event, yaml.MappingStartEvent)
        if event.tag not in (None, "!", _TAG + ("map" if is_map else "seq")):
            self._issue(event, path, f"unsupported tag {event.tag!r}; only plain YAML values are read")
        container: dict[str, Any] | list[Any] = {} if is_map else []
        self._attach(top, container)
        self.stack.append(_Open(container, path))
        return False

    def _path(self, top: _Open | None) -> str:
        if top is None:
            return ""
        if isinstance(top.container, list):
            return join_path(top.path, len(top.container))
        return join_path(top.path, top.key)

    def _attach(self, top: _Open | None, value: Any) -> None:
        if top is None:
            self.document.data = value
            self.done = not isinstance(value, (dict, list))
        elif isinstance(top.container, list):
            top.container.append(value)
        else:
            if not top.skip and top.key is not None:
                top.container[top.key] = value
            top.key, top.skip = None, False

    def _key(self, top: _Open, event: yaml.ScalarEvent) -> None:
        key = event.value
        path = join_path(top.path, key)
        if self._tag(event) not in _SCALAR_KEY_TAGS:
            self._issue(event, path, "keys must be plain text")
        assert isinstance(top.container, dict)
        top.key, top.skip = key, False
        if key == "<<" and event.implicit[0]:
            self._issue(event, path, "merge keys (<<) are not supported")
            top.skip = True
        elif key in top.container:
            first = self.document.locations.get(path)
            where = f" (first at line {first[0]})" if first else ""
            self._issue(event, path, f"duplicate key {key!r}{where}")
            top.skip = True
        else:
            self.document.locations[path] = _where(event)

    def _issue(self, event: yaml.Event, path: str, message: str) -> None:
        line, column = _where(event)
        self.issues.append(Issue(self.document.file, message, path=path, line=line, column=column))

    def _tag(self, event: yaml.ScalarEvent) -> str:
        if event.tag not in (None, "!"):
            return str(event.tag)
        return str(self._resolver.resolve(yaml.ScalarNode, event.value, event.implicit))  # type: ignore[no-untyped-call]

    def _value(self, event: yaml.ScalarEvent, path: str) -> Any:
        tag, text = self._tag(event), event.value
        if tag == _TAG + "str":
            return text
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return text.lower() in ("true", "yes", "on")
        if tag == _TAG + "int":
            if _INT.fullmatch(text) and len(text) <= MAX_DIGITS:
                return int(text.replace("_", ""))
            if _INT.fullmatch(text):
                self._issue(event, path, f"an integer of {len(text):,} digits is not a usable number")
                return None
            self._issue(event, path, f"write {text!r} as a plain decimal integer")
            return None
        if tag == _TAG + "float":
            return self._decimal(event, path, text)
        if tag == _TAG + "timestamp":
            return text
        self._issue(event, path, f"unsupported tag {tag!r}; only plain YAML values are read")
        return None

    def _decimal(self, event: yaml.ScalarEvent, path: str, text: str) -> Decimal | None:
        try:
            number = Decimal(text.replace("_", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or abs(number.adjusted()) > 15:
            self._issue(event, path, f"{text!r} is not a usable number")
            return None
        return number
