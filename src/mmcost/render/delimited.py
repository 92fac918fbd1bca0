"""CSV and TSV: one column per field, cells a spreadsheet shows rather than runs, every row read back
as it was written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import IO, TYPE_CHECKING, Any

from mmcost.render import Prepared, cell, make_prepared

if TYPE_CHECKING:
    from mmcost.views import View


RUNS_KEPT = 4096
"""Encoded runs a writer keeps (kept_run); memory stays bounded whatever the rows."""

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


def _needs_quotes(text: str) -> bool:
    """Whether text has a quote, a CR or a LF (its delimiters are counted apart): three scans in C, not a loop."""
    return '"' in text or "\r" in text or "\n" in text


class DelimitedWriter:
    """CSV, or TSV: the fields as columns, with an optional header row."""

    def __init__(self, out: IO[str], fields: Sequence[str], delimiter: str, *, header: bool, raw: bool) -> None:
        self.out, self.fields, self.header = out, tuple(fields), header
        self.cell = cell if raw else safe_cell
        self.special = (delimiter, '"', "\r", "\n")  # what a cell is quoted for, so that every row reads back
        # (csv's QUOTE_MINIMAL misses a bare CR when the line ends in LF alone: _line quotes it too)
        self.writer = csv.writer(out, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        self.delimiter = delimiter
        self._leads: dict[tuple[str, ...], int] = {}  # prepare's first field, by the names a record has
        self.kept_runs: dict[tuple[Any, ...], str] = {}  # kept_run's, by the run's values

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
        return self.prepare_values(list(map(record.__getitem__, self.fields[lead:])))

    def prepare_values(self, values: Sequence[Any]) -> Prepared:
        """prepare for a record given as the values of the last len(values) fields, in order (batch's CSV)."""
        cells = self.cells(values)
        last = cells.pop() if len(cells) > 2 else None  # csv quotes a lone empty cell: keep two or more
        lead = len(self.fields) - len(values)
        if last is None:
            return make_prepared(((lead, self._line(cells)),))
        # The last cell (batch's warnings, long and shared by most rows of a route) is quoted once, not per row.
        return make_prepared(((lead, f"{self.joined(cells)}{self.delimiter}{self._quoted_once(last)}\n"),))

    def cells(self, values: Iterable[Any]) -> list[str]:
        """The values' cells, as self.cell makes them: the common types (amounts, text, whole numbers, empty
        cells) inline, without a call per cell (batch writes some 26 a row); tests/test_fuzz.py pins it."""
        if self.cell is not safe_cell:
            return list(map(self.cell, values))
        return [
            (number if "E" not in (number := str(value)) else format(value, "f"))
            if (kind := type(value)) is Decimal
            else ("'" + value if value.startswith(FORMULA_START) else value)
            if kind is str
            else ""
            if value is None
            else str(value)
            if kind is int
            else safe_cell(value)
            for value in values
        ]

    def kept_run(self, values: tuple[Any, ...]) -> str:
        """Two or more values' cells as they stand in a longer line (joined: a line of runs is the line of all
        their values), kept in kept_runs (at most RUNS_KEPT) and read from there for equal values: for a run that
        many rows repeat, such as a route's ids, of values whose equal ones encode alike (text, whole numbers,
        None: not a bool beside a number, nor Decimals, which equal ones written with other digits)."""
        text = self.joined(self.cells(values))
        if len(self.kept_runs) >= RUNS_KEPT:
            self.kept_runs.clear()
        self.kept_runs[values] = text
        return text

    @cached_property
    def last_cell(self) -> Callable[[Any], str]:
        """The last cell of a line of runs (batch's warnings, long and shared by most rows of a route), made
        and quoted once."""
        return lru_cache(maxsize=1024)(lambda value: self._quoted(self.cells((value,))[0]))

    def _line(self, cells: list[str]) -> str:
        """The cells as one line, each quoted where it must be."""
        return self.joined(cells) + "\n"

    def joined(self, cells: list[str]) -> str:
        """The cells joined as _line writes them, without the line's end."""
        delimiter = self.delimiter
        plain = delimiter.join(cells)
        # No cell needs quoting (no delimiter inside one, no quote, CR or LF): the line is the cells joined, as
        # csv's QUOTE_MINIMAL writes it (which quotes a lone empty cell: two or more here).
        if len(cells) > 1 and plain.count(delimiter) == len(cells) - 1 and not _needs_quotes(plain):
            return plain
        buffer, writer = self._buffer
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        line: str = buffer.getvalue()
        if "\r" in line:  # a bare CR that csv left unquoted
            return self.writer.dialect.delimiter.join(map(self._quoted, cells))
        return line[:-1]  # csv's line, without its end

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
        cells = self.cells(map(record.get, self.fields[:lead]))
        delimiter = self.delimiter
        head = delimiter.join(cells)
        if head.count(delimiter) != len(cells) - 1 or _needs_quotes(head):
            head = delimiter.join(map(self._quoted, cells))  # a cell to quote (batch's id, say)
        self.out.write(f"{head}{delimiter}{tail}")

    def _quoted(self, text: str) -> str:
        """One cell as QUOTE_MINIMAL writes it (the row number and id of a batch row)."""
        if any(map(text.__contains__, self.special)):
            return '"' + text.replace('"', '""') + '"'
        return text

    def end(self) -> None:
        pass

    def write_rows(self, text: str) -> None:
        self.out.write(text)

    def holds_rows(self) -> bool:
        return False
