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
import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple, Protocol, assert_never

if TYPE_CHECKING:
    from mmcost.views import View


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
    raw_cells: bool = False  # CSV/TSV: text cells as they are, formula characters and all
    unicode: bool = True  # box drawing and bars may use characters beyond ASCII (stdout can encode them)


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
    """A value as one CSV/TSV cell, text as it is, a list joined with ", "."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(cell(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""How a spreadsheet cell that it would run as a formula starts (OWASP's CSV injection list)."""


def safe_cell(value: Any) -> str:
    """A value as one CSV/TSV cell that a spreadsheet shows rather than runs: text (never a number)
    starting like a formula gets a leading apostrophe, as OWASP recommends."""
    kind = type(value)
    if kind is Decimal:  # the common cells first (batch writes some 26 a row)
        number = str(value)  # plain() in a third of the time, unless str chose scientific notation
        return number if "E" not in number else format(value, "f")
    if kind is str:
        text: str = value
        return "'" + text if text.startswith(FORMULA_START) else text
    if value is None:
        return ""
    if kind is int:
        return str(value)
    text = cell(value)
    if isinstance(value, (str, list)) and text.startswith(FORMULA_START):
        return "'" + text
    return text


def console(style: Style) -> Any:
    """A rich Console writing to a buffer, coloured only when style says so."""
    from rich.console import Console

    return Console(
        file=io.StringIO(),
        force_terminal=style.color,
        no_color=not style.color,
        width=style.width,
        highlight=False,
        markup=False,  # text from catalogs and batch files is shown as written: `[bold]` stays `[bold]`,
        emoji=False,  # and `:one:` stays `:one:`
    )


def box_for(style: Style) -> Any:
    """Box drawing for terminals, plain ASCII rules otherwise."""
    from rich import box

    return box.SIMPLE_HEAD if style.color and style.unicode else box.ASCII2


def captured(out: Any) -> str:
    """What a buffered Console printed, without trailing spaces."""
    text = str(out.file.getvalue())
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def rows_table(
    rows: Sequence[Mapping[str, Any]], fields: Sequence[str], style: Style, *, title: str | None = None
) -> str:
    """Rows as a rich table with one column per field."""
    from rich.table import Table

    out = console(style)
    table = Table(title=title, title_justify="left", box=box_for(style), show_header=style.header)
    cells = [[_table_cell(row.get(name)) for name in fields] for row in rows]
    for index, name in enumerate(fields):
        header = name.replace("_", " ")
        numeric = any(isinstance(row.get(name), (int, Decimal)) and not isinstance(row.get(name), bool) for row in rows)
        # A column of single words (ids, amounts) is never wrapped: wrapping it could only break a word, as
        # rich does when it narrows the widest columns alike (hes-sustainabi|lity).
        whole = all(len(text.split()) <= 1 for text in (header, *(row[index] for row in cells)))
        table.add_column(header, justify="right" if numeric else "left", overflow="fold", no_wrap=whole)
    for row_cells in cells:
        table.add_row(*row_cells)
    print_table(out, table)
    return captured(out)


def print_table(out: Any, table: Any) -> None:
    """A rich table, or, on a screen too narrow for it without breaking words, the same cells stacked:
    each row a block of `header: value` lines, so that every id and every amount stays whole."""
    if _narrowest(table) <= out.width:
        out.print(table)
        return
    out.print(stacked(table), soft_wrap=True, crop=False)


def _narrowest(table: Any) -> int:
    """The table's width with every column as narrow as its longest word allows (its longest cell, if no_wrap)."""
    from rich.cells import cell_len

    widths: list[int] = []
    flexible = any(column.ratio for column in table.columns)  # rich then gives the other columns their full width
    for column in table.columns:
        lines = [line for cell in (column.header, *column.cells) for line in _lines_of(cell)]
        whole = column.no_wrap or (flexible and not column.ratio)
        pieces = lines if whole else [word for line in lines for word in line.split()]
        widths.append(max([cell_len(piece) for piece in pieces] + [int(column.min_width or 0)]))
    padding, rules = 2 * len(widths), len(widths) + 1
    return sum(widths) + padding + rules


def stacked(table: Any) -> Any:
    """A rich table's cells as blocks: a row's first cell (bold), then its other non-empty cells as `header: value`."""
    from rich.text import Text

    headers = [_plain_text(column.header) for column in table.columns]
    columns = [[_plain_text(cell) for cell in column.cells] for column in table.columns]
    text = Text("\n".join([str(getattr(table.title, "plain", table.title))] if table.title else []))
    for cells in zip(*columns, strict=True):
        first, rest = cells[0].rstrip(), cells[1:]
        if first and table.columns[0].justify == "right":  # a number alone (a row number) is not a title
            first = f"{headers[0]} {first.strip()}"
        indent = " " * (len(first) - len(first.lstrip()) + 4)
        if first:
            text.append(("\n" if text else "") + first, style="bold")
        for header, value in zip(headers[1:], rest, strict=True):
            if value:
                text.append(f"\n{indent}{header}: {value}")
    return text


def _lines_of(value: Any) -> list[str]:
    return str(getattr(value, "plain", value) or "").split("\n")


def _plain_text(value: Any) -> str:
    """A cell's text without styles (a rich Text, or a str shown literally)."""
    return " ".join(str(value.plain if hasattr(value, "plain") else value).split("\n")) if value else ""


def _table_cell(value: Any) -> str:
    if isinstance(value, Decimal):
        return money_text(value)
    if isinstance(value, list):
        return ", ".join(map(_table_cell, value)) or "-"
    return "" if value is None else str(value)


# --- the one format dispatch -----------------------------------------------------------


class Prepared(NamedTuple):
    """A record encoded once by one writer, then written many times after different leading fields."""

    encoded: Any


class Writer(Protocol):
    """Writes a whole View, or streams rows (batch) between begin() and end()."""

    def document(self, view: View) -> None:
        """The whole view in this format."""

    def begin(self) -> None:
        """Before the first streamed row (a header, an opening bracket)."""

    def prepare(self, record: Mapping[str, Any]) -> Prepared:
        """Encode a record ahead, to write it many times (batch's repeated scenarios)."""

    def row(self, record: Mapping[str, Any], prepared: Prepared | None = None) -> None:
        """One streamed row: record's fields, then the prepared record's."""

    def end(self) -> None:
        """After the last streamed row."""


def writer_for(
    output: OutputFormat, out: IO[str], fields: Sequence[str], style: Style, table_fields: Sequence[str] | None = None
) -> Writer:
    """The writer of a format: the one place every command's output format is decided."""
    match output:
        case OutputFormat.JSON:
            return JsonWriter(out, lines=False)
        case OutputFormat.NDJSON:
            return JsonWriter(out, lines=True)
        case OutputFormat.CSV:
            return DelimitedWriter(out, fields, ",", header=style.header, raw=style.raw_cells)
        case OutputFormat.TSV:
            return DelimitedWriter(out, fields, "\t", header=style.header, raw=style.raw_cells)
        case OutputFormat.TABLE:
            return TableWriter(out, table_fields or fields, style)
        case _:
            assert_never(output)


def render(view: View, output: OutputFormat, style: Style) -> str:
    """A whole view in a format, as text ending in a newline."""
    buffer = io.StringIO()
    writer_for(output, buffer, view.fields, style, view.table_fields).document(view)
    return buffer.getvalue()


class RowEncoder:
    """Encodes batch results once for an output format (the writer's prepare); pickles, for worker processes."""

    def __init__(self, output: OutputFormat, style: Style) -> None:
        from mmcost.views import BATCH_FIELDS, BATCH_TABLE, batch_result

        self.output, self.style = output, style
        self.flat = output in (OutputFormat.CSV, OutputFormat.TSV, OutputFormat.TABLE)
        self.prepare = writer_for(output, io.StringIO(), BATCH_FIELDS, style, BATCH_TABLE).prepare
        self.result = batch_result

    def __reduce__(self) -> tuple[Any, ...]:
        return RowEncoder, (self.output, self.style)

    def __call__(self, estimate: Any) -> Prepared:
        return self.prepare(self.result(estimate, flat=self.flat))


class JsonWriter:
    """JSON: a view's document, or streamed rows as {"schema_version": ..., "rows": [...]}, a row a line.

    NDJSON (lines=True): one JSON object a line.
    """

    def __init__(self, out: IO[str], *, lines: bool) -> None:
        self.out, self.lines, self.first = out, lines, True

    def document(self, view: View) -> None:
        if not self.lines:
            self.out.write(dumps_json(view.document) + "\n")
            return
        for record in view.records:
            self.row(record)

    def begin(self) -> None:
        if not self.lines:
            from mmcost.views import SCHEMA_VERSION

            self.out.write(f'{{"schema_version": {SCHEMA_VERSION}, "rows": [')

    def prepare(self, record: Mapping[str, Any]) -> Prepared:
        return Prepared(dumps_json(record, indent=None)[1:-1])

    def row(self, record: Mapping[str, Any], prepared: Prepared | None = None) -> None:
        text = _plain_json(record) if prepared is not None else dumps_json(record, indent=None)
        if prepared is not None and prepared.encoded:
            text = text[:-1] + (", " if len(text) > 2 else "") + prepared.encoded + "}"
        if self.lines:
            self.out.write(text + "\n")
            return
        self.out.write(("\n" if self.first else ",\n") + text)
        self.first = False

    def end(self) -> None:
        if not self.lines:
            self.out.write("\n]}\n")


_JSON_STRING: Any = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring


def _plain_json(record: Mapping[str, Any]) -> str:
    """A record of plain values (a row number, an id, null) as JSON, quickly; anything else the general way."""
    parts = []
    for key, value in record.items():
        if value is None:
            text = "null"
        elif type(value) is int:
            text = str(value)
        elif type(value) is str:
            text = _JSON_STRING(value)
        else:
            return dumps_json(record, indent=None)
        parts.append(f"{_JSON_STRING(key)}: {text}")
    return "{" + ", ".join(parts) + "}"


class DelimitedWriter:
    """CSV, or TSV: the fields as columns, with an optional header row."""

    def __init__(self, out: IO[str], fields: Sequence[str], delimiter: str, *, header: bool, raw: bool) -> None:
        self.out, self.fields, self.header = out, tuple(fields), header
        self.cell = cell if raw else safe_cell
        self.special = (delimiter, '"', "\r", "\n")  # what a cell is quoted for, so that every row reads back
        # (csv's QUOTE_MINIMAL misses a bare CR when the line ends in LF alone: _line quotes it too)
        self.writer = csv.writer(out, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        self._leads: dict[tuple[str, ...], int] = {}  # prepare's first field, by the names a record has

    def document(self, view: View) -> None:
        self.begin()
        for record in view.rows:
            self.row(record)

    def begin(self) -> None:
        if self.header:
            self.writer.writerow(self.fields)

    def prepare(self, record: Mapping[str, Any]) -> Prepared:
        """The record's cells, quoted and joined once: the fields it lacks (batch's row and id) must lead."""
        names = tuple(record)
        lead = self._leads.get(names)
        if lead is None:
            lead = next((index for index, name in enumerate(self.fields) if name in record), len(self.fields))
            if any(name not in record for name in self.fields[lead:]):
                raise ValueError("the fields a prepared record lacks must come first")
            self._leads[names] = lead
        cells = [self.cell(record[name]) for name in self.fields[lead:]]
        last = cells.pop() if len(cells) > 2 else None  # csv quotes a lone empty cell: keep two or more
        line = self._line(cells)
        if last is None:
            return Prepared((lead, line))
        # The last cell (batch's warnings, long and shared by most rows of a route) is quoted once, not per row.
        return Prepared((lead, line[:-1] + self.writer.dialect.delimiter + self._quoted_once(last) + "\n"))

    def _line(self, cells: list[str]) -> str:
        """The cells as one line, each quoted where it must be."""
        buffer, writer = self._buffer
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        line: str = buffer.getvalue()
        if "\r" in line:  # a bare CR that csv left unquoted
            line = self.writer.dialect.delimiter.join(map(self._quoted, cells)) + "\n"
        return line

    @cached_property
    def _quoted_once(self) -> Callable[[str], str]:
        return lru_cache(maxsize=1024)(self._quoted)

    @cached_property
    def _buffer(self) -> tuple[io.StringIO, Any]:
        """prepare's buffer and its writer, made once and reused (each prepared row is read out at once)."""
        buffer = io.StringIO()
        return buffer, csv.writer(buffer, self.writer.dialect)

    def row(self, record: Mapping[str, Any], prepared: Prepared | None = None) -> None:
        if prepared is None:
            self.out.write(self._line([self.cell(record.get(name)) for name in self.fields]))
            return
        lead, tail = prepared.encoded
        if not lead:
            self.out.write(tail)
            return
        cells = [self.cell(record.get(name)) for name in self.fields[:lead]]
        delimiter = self.writer.dialect.delimiter
        self.out.write(delimiter.join(map(self._quoted, cells)) + delimiter + tail)

    def _quoted(self, text: str) -> str:
        """One cell as QUOTE_MINIMAL writes it (the row number and id of a batch row)."""
        if any(special in text for special in self.special):
            return '"' + text.replace('"', '""') + '"'
        return text

    def end(self) -> None:
        pass


TABLE_BLOCK = 1000
"""Streamed rows drawn per table, so that a table of a million rows keeps memory flat."""


class TableWriter:
    """The table for people: a view's own layout, or streamed rows in tables of TABLE_BLOCK rows."""

    def __init__(self, out: IO[str], fields: Sequence[str], style: Style) -> None:
        self.out, self.fields, self.style = out, fields, style
        self.pending: list[Mapping[str, Any]] = []

    def document(self, view: View) -> None:
        self.out.write(_layout_table(view, self.fields, self.style))

    def begin(self) -> None:
        pass

    def prepare(self, record: Mapping[str, Any]) -> Prepared:
        return Prepared(dict(record))

    def row(self, record: Mapping[str, Any], prepared: Prepared | None = None) -> None:
        self.pending.append({**record, **(prepared.encoded if prepared else {})})
        if len(self.pending) >= TABLE_BLOCK:
            self.end()

    def end(self) -> None:
        if self.pending:
            self.out.write(rows_table(self.pending, self.fields, self.style))
            self.pending = []


def chart_under(estimates: Any, style: Style) -> str:
    """The --chart of a table: a blank line, then the chart (its libraries load only now)."""
    from mmcost.render.chart import chart_text
    from mmcost.views.timeline import timeline

    return "\n" + chart_text(timeline(estimates), style)


def _layout_table(view: View, fields: Sequence[str], style: Style) -> str:
    """The table a view's layout asks for."""
    if view.layout == "estimate":
        from mmcost.render.estimate import estimate_text

        return estimate_text(view.subject, style, **view.options)
    if view.layout == "compare":
        from mmcost.render.compare import compare_table

        text = compare_table(view.rows, style)
        return text + chart_under(view.subject, style) if view.options.get("chart") else text
    if view.layout == "show":
        from mmcost.render.show import show_text

        return show_text(view.subject, style)
    return rows_table(view.rows, fields, style, title=view.title)
