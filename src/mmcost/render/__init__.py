"""Output: the same data as a rich table, JSON, NDJSON, CSV or TSV.

Formatting only; every number was computed by the engine. Machine formats
write amounts exactly from the Decimal (JSON numbers through simplejson's
use_decimal, never through float), with the currency in its own field and no
thousands separators. Tables are for people: colour and box drawing only when
asked for or when stdout is a terminal.
"""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, NamedTuple

SCHEMA_VERSION = 1
"""Version of the JSON/CSV field contract; bumped only on breaking changes."""


class OutputFormat(enum.Enum):
    """The formats every data command can print: one table for people, four for scripts."""

    TABLE = "table"
    JSON = "json"
    NDJSON = "ndjson"
    CSV = "csv"
    TSV = "tsv"

    @classmethod
    def names(cls) -> list[str]:
        """Every format's name, for option choices."""
        return [member.value for member in cls]


_EXTENSIONS = {
    ".json": OutputFormat.JSON,
    ".ndjson": OutputFormat.NDJSON,
    ".jsonl": OutputFormat.NDJSON,
    ".csv": OutputFormat.CSV,
    ".tsv": OutputFormat.TSV,
    ".txt": OutputFormat.TABLE,
}


def format_for_path(path: Path) -> OutputFormat | None:
    """The format a file name implies (`out.csv` -> CSV), or None."""
    return _EXTENSIONS.get(path.suffix.lower())


class Style(NamedTuple):
    """How a table is drawn: colour and box drawing, and the width."""

    color: bool = False
    width: int | None = None
    header: bool = True


def plain(number: Decimal) -> str:
    """A Decimal as plain text: never scientific notation, never a float."""
    return format(number, "f")


def money_text(amount: Decimal | None) -> str:
    """An amount for people: thousands separators, the places it was written with."""
    if amount is None:
        return "n/a"
    return f"{amount:,}"


def dumps_json(data: Any, *, indent: int | None = 2) -> str:
    """JSON text with Decimals written exactly as JSON numbers."""
    import simplejson

    return str(simplejson.dumps(data, use_decimal=True, indent=indent, ensure_ascii=False))


def cell(value: Any) -> str:
    """A value as one CSV/TSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def write_delimited(
    rows: Iterable[dict[str, Any]],
    fields: Sequence[str],
    stream: IO[str],
    *,
    delimiter: str = ",",
    header: bool = True,
) -> None:
    """Rows as CSV (or TSV with delimiter='\\t'), with an optional header row."""
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\n")
    if header:
        writer.writerow(fields)
    for row in rows:
        writer.writerow([cell(row.get(name)) for name in fields])


def console(style: Style) -> Any:
    """A rich Console writing to a buffer, coloured only when style says so."""
    from rich.console import Console

    return Console(
        file=io.StringIO(),
        force_terminal=style.color,
        no_color=not style.color,
        width=style.width,
        highlight=False,
    )


def box_for(style: Style) -> Any:
    """Box drawing for terminals, plain ASCII rules otherwise."""
    from rich import box

    return box.SIMPLE_HEAD if style.color else box.ASCII2


def captured(out: Any) -> str:
    """What a buffered Console printed, without trailing spaces."""
    text = str(out.file.getvalue())
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def rows_table(rows: Sequence[dict[str, Any]], fields: Sequence[str], style: Style, *, title: str | None = None) -> str:
    """Rows as a rich table with one column per field."""
    from rich.table import Table

    out = console(style)
    table = Table(title=title, title_justify="left", box=box_for(style), show_header=style.header)
    for name in fields:
        numeric = any(isinstance(row.get(name), (int, Decimal)) and not isinstance(row.get(name), bool) for row in rows)
        table.add_column(name.replace("_", " "), justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*(_table_cell(row.get(name)) for name in fields))
    out.print(table)
    return captured(out)


def _table_cell(value: Any) -> str:
    if isinstance(value, Decimal):
        return money_text(value)
    return "" if value is None else str(value)


def render_rows(
    rows: Sequence[dict[str, Any]],
    fields: Sequence[str],
    output: OutputFormat,
    style: Style,
    *,
    title: str | None = None,
    envelope: dict[str, Any] | None = None,
    table_fields: Sequence[str] | None = None,
) -> str:
    """Rows in any format. JSON wraps them as {"schema_version", ..., "rows"}.

    table_fields picks the columns people see; machine formats get every field.
    """
    if output is OutputFormat.JSON:
        data = {"schema_version": SCHEMA_VERSION, **(envelope or {}), "rows": [_pick(row, fields) for row in rows]}
        return dumps_json(data) + "\n"
    if output is OutputFormat.NDJSON:
        return "".join(dumps_json(_pick(row, fields), indent=None) + "\n" for row in rows)
    if output in (OutputFormat.CSV, OutputFormat.TSV):
        buffer = io.StringIO()
        delimiter = "\t" if output is OutputFormat.TSV else ","
        write_delimited(rows, fields, buffer, delimiter=delimiter, header=style.header)
        return buffer.getvalue()
    return rows_table(rows, table_fields or fields, style, title=title)


def _pick(row: dict[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    return {name: row.get(name) for name in fields}
