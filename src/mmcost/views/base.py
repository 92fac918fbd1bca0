"""The shape every command's output takes: a View, and the schema version of every contract."""

from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple

Row = dict[str, Any]

SCHEMA_VERSION = 1
"""Version of every command's JSON/NDJSON/CSV/TSV field contract; bumped only on breaking changes."""

Layout = Literal["rows", "estimate", "compare", "show"]


class View(NamedTuple):
    """What a command prints, in every format; render takes the part each format needs."""

    document: Mapping[str, Any]
    """The JSON document."""
    records: Sequence[Mapping[str, Any]]
    """NDJSON: one line each."""
    rows: Sequence[Mapping[str, Any]]
    """CSV and TSV rows (and the rows of a plain table)."""
    fields: tuple[str, ...]
    """CSV and TSV columns, in order."""
    layout: Layout = "rows"
    """Which table render draws for people."""
    title: str | None = None
    table_fields: tuple[str, ...] | None = None
    subject: Any = None
    """What a non-row table is drawn from (an Estimate, a show document)."""
    options: Mapping[str, bool] = {}


def rows_view(
    rows: Sequence[Row],
    fields: tuple[str, ...],
    *,
    title: str | None = None,
    table_fields: tuple[str, ...] | None = None,
    layout: Layout = "rows",
) -> View:
    """A list of rows: JSON as {"schema_version", "rows": [...]}, NDJSON a line per row."""
    picked = [{name: row.get(name) for name in fields} for row in rows]
    document = {"schema_version": SCHEMA_VERSION, "rows": picked}
    return View(document, picked, rows, fields, layout, title, table_fields)
