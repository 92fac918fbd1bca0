"""Reading batch input: CSV with a header, or NDJSON, one row at a time.

Every problem with a row becomes a RowError for that row (the run goes on);
a line longer than MAX_LINE ends reading, so neither a binary file nor an
endless stream without newlines can fill memory or hang the run.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from mmcost.errors import CatalogError, Issue, MmcostError, control_character
from mmcost.options import OPTIONS, ROUTE_KEYS

if TYPE_CHECKING:
    from mmcost.engine import Estimate, Plan, Request
    from mmcost.model import Catalog

Encode = Callable[["Estimate"], Any]
"""Encodes a priced row's result once, for the output format (or keeps it, for the Python API)."""

MAX_LINE = 1_000_000
"""Longest input line read; a longer one ends the run (a binary file or a stream with no newlines)."""

COLUMNS = ("id", *ROUTE_KEYS, *(spec.key for spec in OPTIONS))
"""The columns (CSV) or keys (NDJSON) a batch row may have: an id, the route, and any scenario option."""


class RowError(Exception):
    """A row that cannot be priced; the message names the column."""


class LineTooLong(Exception):
    """An input line longer than MAX_LINE, or a read error: reading stops."""


def header_error(name: str, message: str) -> CatalogError:
    """A problem with a batch file's header, located like a row's: `FILE:row 0 (header): message`."""
    return CatalogError([Issue(f"{name}:row 0 (header)", message)])


def _lines(text: IO[str]) -> Iterator[str]:
    """The input's lines, refusing one longer than MAX_LINE before it fills memory.

    A read error (`batch /proc/self/mem`, a failing disk) ends reading like a line too long.
    """
    while True:
        try:
            line = text.readline(MAX_LINE + 1)
        except OSError as error:
            raise LineTooLong(f"cannot read further: {error.strerror or error}.") from None
        if not line:
            return
        if len(line) > MAX_LINE:
            raise LineTooLong(f"a line is longer than {MAX_LINE:,} characters; is this a CSV or NDJSON file?")
        yield line


class Source(NamedTuple):
    """Where rows come from, for messages."""

    name: str
    kind: str  # csv, tsv or ndjson


def _column_name(raw: str) -> str:
    return raw.strip().lower().replace("-", "_")


Row = tuple[int, str, "tuple[str, ...] | RowError"]
"""An input row: (row number, id, values in the order of the option columns), or (row number, "", RowError)."""
Line = tuple[int, "str | RowError"]
"""An input line and its row number, or the RowError that ends reading (a line too long, a read error)."""


class LineReader(NamedTuple):
    """What makes an input's numbered lines its rows (after the header): it pickles, so that a worker process
    reads the lines the reading process hands it as that process would."""

    kind: str
    """csv, tsv or ndjson."""
    columns: tuple[str, ...]
    """CSV and TSV: the header's columns, in order; NDJSON: the option columns."""
    id_index: int | None
    """CSV and TSV: where the id column is, if there is one."""

    def rows(self, lines: Iterable[Line]) -> Iterator[Row]:
        """The rows of these lines, in order; a blank line is no row."""
        if self.kind == "ndjson":
            return _ndjson_rows(lines, self.columns)
        return _csv_rows(lines, self.columns, self.id_index, "\t" if self.kind == "tsv" else ",")


class Rows(NamedTuple):
    """The input's option columns (in order) and its rows, read one at a time: rows is reader.rows(lines), so
    a caller takes the rows, or the lines and the reader (batch's worker processes read the lines), never both."""

    names: tuple[str, ...]
    rows: Iterator[Row]
    lines: Iterator[Line]
    reader: LineReader


def read_rows(text: IO[str], source: Source) -> Rows:
    """The rows of a CSV or TSV (with a header) or NDJSON input, read one at a time.

    text must decode with errors="surrogateescape", so that bytes that are not
    UTF-8 are reported for their row instead of ending the run.
    """
    if source.kind == "ndjson":
        names = tuple(name for name in COLUMNS if name != "id")
        return _rows(names, _numbered(_lines(text)), LineReader("ndjson", names, None))
    lines = _lines(text)
    try:
        first = next(lines)
        if first.lstrip().startswith("{"):
            raise header_error(source.name, "this is NDJSON; add --input-format ndjson")
        header = _fields(first, "\t" if source.kind == "tsv" else ",")
    except StopIteration:
        return _rows((), iter(()), LineReader(source.kind, (), None))
    except (csv.Error, LineTooLong) as error:
        raise header_error(source.name, str(error)) from None
    columns = [_column_name(name) for name in header]
    _check_header(columns, source)
    id_index = columns.index("id") if "id" in columns else None
    names = tuple(name for name in columns if name != "id")
    return _rows(names, _numbered(lines), LineReader(source.kind, tuple(columns), id_index))


def _rows(names: tuple[str, ...], lines: Iterator[Line], reader: LineReader) -> Rows:
    return Rows(names, reader.rows(lines), lines, reader)


_DIALECTS = {delimiter: csv.reader((), strict=True, delimiter=delimiter).dialect for delimiter in ",\t"}
"""CSV's and TSV's dialects, made once: a reader given one makes none of its own for each line."""


_FIELD_LIMIT = csv.field_size_limit()
"""The longest field csv reads (a longer one is its error): a line no longer than this has none."""


def _fields(line: str, delimiter: str = ",") -> list[str]:
    """One CSV (or TSV) line's fields. A row is one line: a quote left open ends at the line's end, as an
    error, so that it cannot swallow the rows after it."""
    if '"' not in line and len(line) <= _FIELD_LIMIT:  # no quotes (most rows): what csv reads, by splitting
        body = line.rstrip("\r\n")  # a line read with newline="" ends in one of \n, \r\n or \r, if any
        return body.split(delimiter) if body else []
    try:
        return next(csv.reader((line,), _DIALECTS[delimiter]), [])
    except csv.Error as error:
        if "unexpected end of data" in str(error) or "new-line character" in str(error):
            raise csv.Error("a quote is not closed on this line (each row is one line)") from None
        raise


def _numbered(lines: Iterator[str]) -> Iterator[Line]:
    """Each line with its number from 1; a line too long or unreadable ends it as a RowError with the next number."""
    number = 0
    while True:
        try:
            line = next(lines)
        except StopIteration:
            return
        except LineTooLong as error:
            yield number + 1, RowError(f"{error} Reading stops here.")
            return
        number += 1
        yield number, line


def _csv_rows(lines: Iterable[Line], columns: tuple[str, ...], id_index: int | None, delimiter: str) -> Iterator[Row]:
    """Row N is line N + 1 of the file (the header is row 0), blank lines included, so messages point at lines."""
    width = len(columns)
    for number, line in lines:
        if isinstance(line, RowError):  # the last one: reading stops
            yield number, "", line
            continue
        try:
            fields = _fields(line, delimiter)
        except csv.Error as error:
            yield number, "", RowError(f"cannot read this row: {error}")
            continue
        if not fields:
            continue
        if len(fields) != width:
            yield number, "", RowError(f"{len(fields)} fields, but the header has {width}")
            continue
        bad = None if "".join(fields).isprintable() else _bad_text(fields)  # _bad_text's shortcut, without the call
        if bad is not None:
            index, problem = bad
            yield number, "", RowError(f"column {columns[index]}: {problem}")
            continue
        if id_index is None:
            yield number, "", tuple(fields)
        else:
            row_id = fields.pop(id_index)
            yield number, row_id, tuple(fields)


def _bad_text(fields: list[str]) -> tuple[int, str] | None:
    """The first field that is not clean text: bytes that are not UTF-8, or a control character."""
    if "".join(fields).isprintable():  # the common case at once: no control character, no lone surrogate
        return None
    for index, field in enumerate(fields):
        if not field.isascii():
            try:
                field.encode("utf-8")
            except UnicodeEncodeError:
                return index, "not UTF-8 text"
        problem = control_character(field)  # a row is one line: not even a tab or a newline
        if problem is not None:
            return index, problem
    return None


def _check_header(columns: list[str], source: Source) -> None:
    import difflib

    for name in columns:
        if name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            own = SEPARATORS["\t" if source.kind == "tsv" else ","][0]
            for separator, (names, fix) in SEPARATORS.items():
                if len(columns) == 1 and separator in name and names != own:
                    hint = f"; the header is separated by {names}, not {own}: {fix}"
            raise header_error(source.name, f"column {name!r} is not an option{hint}")
    if len(set(columns)) != len(columns):
        raise header_error(source.name, "a column is named twice")


SEPARATORS = {
    ",": ("commas", "read it as CSV: --input-format csv"),
    "\t": ("tabs", "read it as TSV: --input-format tsv (or name the file .tsv)"),
    ";": ("semicolons", "save it as CSV with commas"),
}
"""What separates the fields of a header read as one column, and what to do: a header the wrong
--input-format read, or a spreadsheet's "CSV" with semicolons (the default in some locales)."""


def _ndjson_rows(lines: Iterable[Line], names: tuple[str, ...]) -> Iterator[Row]:
    for number, line in lines:
        if isinstance(line, RowError):
            yield number, "", line
        elif line.strip():
            row = _ndjson_row(line, names)
            yield (number, "", row) if isinstance(row, RowError) else (number, *row)


def _ndjson_row(line: str, names: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | RowError:
    """One NDJSON line as (id, values in the order of names), or the RowError that says what is wrong."""
    import json

    try:
        # Numbers keep their source text; a key given twice is refused, as CSV refuses a column named twice.
        pairs = json.loads(line, parse_float=str, parse_int=str, parse_constant=str, object_pairs_hook=_pairs)
    except ValueError as error:
        return RowError(f"not JSON: {error}")
    except RecursionError:
        return RowError("not JSON: nested too deeply")
    if not isinstance(pairs, list) or not all(isinstance(pair, tuple) for pair in pairs):
        return RowError("each line must be a JSON object")
    return row_values(pairs, names)


def row_values(
    pairs: Iterable[tuple[object, object]], names: tuple[str, ...]
) -> tuple[str, tuple[str, ...]] | RowError:
    """A row given as (key, value) pairs (an NDJSON object, a dict from the Python API) as (id, values in
    the order of names), or the RowError that says what is wrong. Values become text, as a CSV row has them."""
    row: dict[str, str] = {}
    for key, value in pairs:
        name = _column_name(str(key))
        if name not in COLUMNS:
            return RowError(f"key {key!r} is not an option")
        if name in row:
            return RowError(f"key {key!r}: {name} is given twice")
        if isinstance(value, (list, tuple, dict)):
            return RowError(f"key {key!r}: expected a number or text")
        if value is not None:
            try:
                row[name] = str(value).lower() if isinstance(value, bool) else str(value)
            except ValueError:  # an int too long to write out (Python's 4,300-digit limit)
                return RowError(f"key {key!r}: a number too long to read")
    bad = _bad_text(list(row.values()))
    if bad is not None:
        index, problem = bad
        return RowError(f"key {list(row)[index]!r}: {problem}")
    return row.get("id", ""), tuple(row.get(name, "") for name in names)


def _pairs(pairs: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """JSON objects as their (key, value) pairs, in order and with duplicates kept (to refuse them)."""
    return pairs


CACHE_SIZE = 4096
"""Distinct scenarios whose encoded result is kept; memory stays bounded whatever the input size."""


def column(key: str) -> str:
    """An option as a batch file names it."""
    return f"column {key}"


class RowPricer:
    """Prices rows, keeping encoded results by the row's values (errors name columns, as a batch file does).

    A row's columns are of two kinds: those its route's plan depends on (program, pathway and the catalog
    options: year, aid ...) and the scenario's (salary, employer_per_year ...: engine.SCENARIO_KEYS). Rows
    that give the same plan columns share one parse of them and one plan (PLANS_KEPT of them are kept), so
    that a row whose scenario is new parses its scenario columns alone and prices them on the plan at once.
    """

    def __init__(self, catalog: Catalog, encode: Encode, names: tuple[str, ...]) -> None:
        from mmcost import engine
        from mmcost.engine import SCENARIO_KEYS
        from mmcost.engine.estimate import PLANS_KEPT

        self.catalog, self.encode, self.names = catalog, encode, names
        self.estimate, self.request = engine.estimate, engine.Request.parse  # looked up once, not per row
        self.plan, self.price_on = engine.plan, engine.price
        self._plan_columns = tuple(index for index, name in enumerate(names) if name not in SCENARIO_KEYS)
        # A row's plan columns as a tuple, in C (itemgetter gives a bare value for one index).
        plan_columns = itemgetter(*self._plan_columns) if len(self._plan_columns) > 1 else None
        self._plan_key: Callable[[tuple[str, ...]], tuple[str, ...]] = plan_columns or (
            lambda raw: tuple([raw[index] for index in self._plan_columns])
        )
        self._scenario_columns = tuple((index, name) for index, name in enumerate(names) if name in SCENARIO_KEYS)
        self._plans: dict[tuple[str, ...], _Planned | None] = {}
        self._plans_kept = PLANS_KEPT
        self.results: dict[tuple[str, ...], tuple[Any, str | None]] = {}
        """Encoded results by a row's values (priced's cache): at most CACHE_SIZE, emptied when full (a plain
        dict costs a distinct row less than an LRU does, and a study's repeated rows fill it again at once)."""

    def price(self, raw: tuple[str, ...]) -> tuple[Any, str | None]:
        """The encoded result of one row's values, or (None, message); not kept (priced keeps it)."""
        key = self._plan_key(raw)
        planned = self._plans.get(key, _UNSEEN)
        if planned is _UNSEEN:
            planned = self._planned(key)
        if planned is None:  # a plan column that does not parse, or no route: the whole row says what is wrong
            return self._whole_row(raw)
        given = {name: text for index, name in self._scenario_columns if (text := raw[index].strip())}
        try:
            request = planned.request.joined(given)
        except MmcostError:
            return self._whole_row(raw)  # the first bad option in column order, as the whole row's parse names it
        try:
            request.check()  # before the plan's problem, as estimate() checks first
        except MmcostError as error:
            return None, "; ".join(error.lines(column))
        if planned.plan is None:
            return None, planned.problem
        return self.encode(self.price_on(planned.plan, request)), None

    def _planned(self, key: tuple[str, ...]) -> _Planned | None:
        """The plan of rows whose plan columns are key (kept), or None when the whole row must say what is
        wrong with them."""
        names = [self.names[index] for index in self._plan_columns]
        given = {name: text for name, raw in zip(names, key, strict=True) if (text := raw.strip())}
        program_id, pathway_id = given.pop("program", "").lower(), given.pop("pathway", "").lower()
        found = None
        if program_id and pathway_id:
            try:
                request = self.request(given)
            except MmcostError:
                request = None
            if request is not None:
                try:
                    found = _Planned(request, self.plan(self.catalog, program_id, pathway_id, request), None)
                except MmcostError as error:
                    found = _Planned(request, None, "; ".join(error.lines(column)))
        if len(self._plans) >= self._plans_kept:
            del self._plans[next(iter(self._plans))]  # the oldest
        self._plans[key] = found
        return found

    def _whole_row(self, raw: tuple[str, ...]) -> tuple[Any, str | None]:
        """One row's values read and priced as a whole (the path of a row with a bad value)."""
        given = {name: text.strip() for name, text in zip(self.names, raw, strict=True) if text.strip()}
        program_id, pathway_id = given.pop("program", "").lower(), given.pop("pathway", "").lower()
        try:
            if not program_id or not pathway_id:
                raise MmcostError("columns program and pathway are required")
            result = self.estimate(self.catalog, program_id, pathway_id, self.request(given))
        except MmcostError as error:
            return None, "; ".join(error.lines(column))
        return self.encode(result), None


class _Planned(NamedTuple):
    """The plan columns of rows, parsed, and their route's plan (or the problem that stops it)."""

    request: Request
    """The catalog options alone."""
    plan: Plan | None
    """None when a problem (the message) stops it."""
    problem: str | None


_UNSEEN: Any = object()
"""RowPricer._plans' default: plan columns not seen yet."""


Priced = tuple[int, str, Any, "str | None"]
"""A priced row: (row number, id, encoded result or None, None or the message saying why not)."""


def priced(rows: Iterable[Row], pricer: RowPricer) -> Iterator[Priced]:
    """Each row priced, in input order: the one loop that batch, its worker processes and the Python API run.
    Rows that give the same values share one result (pricer.results)."""
    price, results = pricer.price, pricer.results
    for number, row_id, row in rows:
        if isinstance(row, RowError):
            yield number, row_id, None, str(row)
            continue
        found = results.get(row)
        if found is None:
            found = price(row)
            if len(results) >= CACHE_SIZE:
                results.clear()
            results[row] = found
        yield number, row_id, *found
