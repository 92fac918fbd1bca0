"""Recording what you find: `mmcost figure add` writes a dated, sourced value into your catalog.

The file is edited round-trip with ruamel.yaml, so its existing text, order
and comments stay as they were; PyYAML (which validates every catalog) would
drop the comments. A figure not yet in the file is copied there from the
catalog first, with its whole price history, because a later file replaces an
earlier one's entry by id. The edited text is validated exactly as any catalog
(with every other catalog the next estimate loads) before it is written,
atomically; a bad value leaves the file byte for byte as it was.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from mmcost.bundled import FileRefused, read_limited
from mmcost.errors import CatalogError, Issue
from mmcost.model import Catalog, DatedValue, Figure
from mmcost.money import with_minor_units

NEW_SCHEMA = "schema_version: 1\n"
NEW_FILE = "# Your mmcost figures: dated, sourced values (mmcost figure add writes here).\n" + NEW_SCHEMA


class Found(NamedTuple):
    """A value you found: what the figure costs, for which academic year, and where it is published."""

    amount: Decimal
    year: int
    source: str
    applies_to: str | None = None
    currency: str | None = None


class Recorded(NamedTuple):
    """What `figure add` did: the file, the new text, and whether it replaced a value of the same year."""

    path: Path
    text: str
    replaced: bool


def problems(catalog: Catalog, figure_id: str, found: Found) -> list[tuple[str, str]]:
    """What is wrong with a found value, as (field of Found, message): the catalog schema's checks of a dated
    value, then that a figure keeps one currency. Checked before editing, so that each names what was given
    rather than a line of a file not yet written. A problem of the value as a whole has the field ''."""
    from mmcost.catalog import value_problems

    figure = catalog.figure(figure_id)
    currency = found.currency or figure.currency or "USD"
    found_problems = value_problems(_entry(found, currency))
    if not found_problems and figure.currency not in (None, currency):
        found_problems.append(
            ("currency", f"{currency}, but {figure_id} is in {figure.currency} (a figure keeps one currency)")
        )
    return found_problems


def _entry(found: Found, currency: str) -> dict[str, Any]:
    """The found value as a catalog entry (its amount padded to the currency's minor units, never rounded)."""
    return {
        "amount": with_minor_units(found.amount, currency),
        "currency": currency,
        "year": found.year,
        "applies_to": found.applies_to or f"{found.year}-{(found.year + 1) % 100:02d}, recorded with mmcost figure add",
        "source": found.source,
    }


def add_value(catalog: Catalog, path: Path, figure_id: str, found: Found) -> Recorded:
    """The file's text with the value added to the figure (copied from the catalog when new to the file).

    Raises UnknownIdError for an unknown figure and CatalogError for a file
    that cannot be read or edited; the caller validates and writes the text.
    """
    figure = catalog.figure(figure_id)
    from ruamel.yaml.error import YAMLError

    yaml = _round_trip()
    original = _read(path)
    try:
        document = yaml.load(original) if original.strip() else None
    except YAMLError as error:  # the loader accepted it, so this is rare: say so rather than guess
        raise CatalogError([Issue(str(path), f"cannot edit this YAML keeping its text: {error}")]) from None
    kept = ""  # the text of a file with no data yet (comments, a `---`), kept word for word above the catalog
    if document is None:  # a new, empty or comments-only file: a new catalog, under its text
        kept = original + ("" if original.endswith("\n") else "\n") if original.strip() else ""
        document = yaml.load(NEW_SCHEMA if kept else NEW_FILE)
    if not hasattr(document, "setdefault"):
        raise CatalogError([Issue(str(path), "expected a mapping with `schema_version` at the top")])
    figures = document.setdefault("figures", {})
    if not hasattr(figures, "setdefault"):
        raise CatalogError([Issue(str(path), "`figures` is not a mapping; fix it before adding a figure")])
    if figure_id not in figures:
        figures[figure_id] = _copied(figure)
    values = figures[figure_id].setdefault("values", [])
    entry = _entry(found, found.currency or figure.currency or "USD")
    same_year = [index for index, value in enumerate(values) if _year_of(value) == found.year]
    for index in reversed(same_year):
        del values[index]
    values.append(entry)
    stream = io.StringIO()
    yaml.dump(document, stream)
    return Recorded(path, kept + stream.getvalue(), bool(same_year))


def holds_a_catalog(path: Path) -> bool:
    """Whether the file exists with more than blank lines, comments and a document marker (`---`): figure add
    makes an empty one a catalog."""
    return any(_content(line) for line in _read(path).splitlines())


def _content(line: str) -> bool:
    """Whether a YAML line holds data: not blank, not a comment, not a bare document marker."""
    text = line.split(" #", 1)[0].strip()
    return bool(text) and not text.startswith("#") and text not in ("---", "...")


def _read(path: Path) -> str:
    if not path.exists():
        return ""
    try:
        return read_limited(path).decode("utf-8-sig")
    except FileRefused as error:
        raise CatalogError([Issue(str(path), f"{error}; give a YAML file with --to")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError([Issue(str(path), f"cannot read: {error}")]) from None


def _year_of(value: Any) -> Any:
    return value.get("year") if hasattr(value, "get") else None


def _copied(figure: Figure) -> dict[str, Any]:
    """A figure as YAML data, keeping only what differs from the defaults."""
    entry: dict[str, Any] = {"label": figure.label, "kind": figure.kind}
    if figure.check_at:
        entry["check_at"] = figure.check_at
    entry["values"] = [_value(value) for value in figure.values]
    if figure.gap:
        entry["gap"] = figure.gap
    return entry


def _value(value: DatedValue) -> dict[str, Any]:
    defaults = DatedValue._field_defaults
    return {name: item for name, item in value._asdict().items() if name not in defaults or item != defaults[name]}


def _round_trip() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold a long line of the user's file
    yaml.preserve_quotes = True
    yaml.representer.add_representer(Decimal, _plain_number)
    return yaml


def _plain_number(representer: Any, number: Decimal) -> Any:
    """An amount as written (3000.00, or 3000 in a currency with no minor unit), never tagged or quoted."""
    text = f"{number:f}"
    return representer.represent_scalar("tag:yaml.org,2002:" + ("float" if "." in text else "int"), text)


def catalogs_with(path: Path, others: Sequence[Path]) -> list[Path]:
    """The user catalogs the next estimate loads, with the edited file among them (last if new)."""
    resolved = path.resolve()
    return [*others, *([] if any(other.resolve() == resolved for other in others) else [path])]
