"""Output: the same data as a rich table, JSON, NDJSON, CSV or TSV.

Formatting only; every number was computed by the engine. Machine formats
write amounts exactly from the Decimal (JSON numbers through simplejson's
use_decimal, never through float), with the currency in its own field and no
thousands separators. Tables are for people: colour and box drawing only when
asked for or when stdout is a terminal.

This module holds what every format shares and writer_for, the one place a
format is chosen; each writer lives in its own module (jsonwriter, delimited,
table), loaded only when its format is asked for.
"""

from __future__ import annotations

import enum
import io
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import cache, partial
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
    """JSON text with Decimals written exactly as JSON numbers. The data is plain: dicts, lists, text, numbers,
    booleans and None; a tuple (a NamedTuple left in a view) is refused as a bug, not guessed at."""
    return str(_json_encoder(indent).encode(data))


@cache
def _json_encoder(indent: int | None) -> Any:
    """simplejson's encoder, made once per indent. Its default looks for a NamedTuple's _asdict on every value
    (namedtuple_as_object), an attribute lookup that fails for each amount and halves the speed of a batch row's
    JSON; views make plain data, so it is off, and tuples are refused rather than written as arrays."""
    import simplejson

    return simplejson.JSONEncoder(
        use_decimal=True, indent=indent, ensure_ascii=False, namedtuple_as_object=False, tuple_as_array=False
    )


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


# --- the one format dispatch -----------------------------------------------------------


class Prepared(NamedTuple):
    """A record encoded once by one writer, then written many times after different leading fields."""

    encoded: Any


make_prepared = partial(tuple.__new__, Prepared)
"""A Prepared from its fields in order, without NamedTuple's Python-level constructor (one a batch row)."""


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

    def write_rows(self, text: str) -> None:
        """Streamed rows another writer of this format and fields wrote (batch's worker processes), written as
        this writer would write them next."""

    def holds_rows(self) -> bool:
        """Whether streamed rows are held back, not yet written (a table lays out a block at a time)."""


def writer_for(
    output: OutputFormat, out: IO[str], fields: Sequence[str], style: Style, table_fields: Sequence[str] | None = None
) -> Writer:
    """The writer of a format: the one place every command's output format is decided."""
    match output:
        case OutputFormat.JSON | OutputFormat.NDJSON:
            from mmcost.render.jsonwriter import JsonWriter

            return JsonWriter(out, lines=output is OutputFormat.NDJSON)
        case OutputFormat.CSV | OutputFormat.TSV:
            from mmcost.render.delimited import DelimitedWriter

            delimiter = "," if output is OutputFormat.CSV else "\t"
            return DelimitedWriter(out, fields, delimiter, header=style.header, raw=style.raw_cells)
        case OutputFormat.TABLE:
            from mmcost.render.table import TableWriter

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
        from mmcost.views import BATCH_FIELDS, BATCH_TABLE, NO_RETURNS, batch_result, batch_runs

        self.output, self.style = output, style
        writer = writer_for(output, io.StringIO(), BATCH_FIELDS, style, BATCH_TABLE)
        if output in (OutputFormat.CSV, OutputFormat.TSV):  # the values in field order, without a record
            from mmcost.render.delimited import DelimitedWriter

            assert isinstance(writer, DelimitedWriter)
            cells, joined, separator = writer.cells, writer.joined, writer.delimiter
            kept_runs, keep, last = writer.kept_runs, writer.kept_run, writer.last_cell
            lead = BATCH_FIELDS.index("program")  # row and id come first, written with each row
            no_returns = joined(cells(NO_RETURNS))

            def encode(estimate: Any) -> Prepared:
                # The line prepare_values(batch_values(estimate)) makes, run by run: a run's cells joined are
                # the line's cells there, and the runs a route plan's rows repeat are encoded once (kept_run)
                route, money, plan, returns, warnings = batch_runs(estimate)
                line = (
                    f"{kept_runs.get(route) or keep(route)}{separator}{joined(cells(money))}{separator}"
                    f"{kept_runs.get(plan) or keep(plan)}{separator}"
                    f"{no_returns if returns is NO_RETURNS else joined(cells(returns))}{separator}{last(warnings)}\n"
                )
                return make_prepared(((lead, line),))

            self.encode: Callable[[Any], Prepared] = encode
        else:
            prepare, flat = writer.prepare, output is OutputFormat.TABLE
            self.encode = lambda estimate: prepare(batch_result(estimate, flat=flat))

    def writer(self, out: IO[str]) -> Writer:
        """A writer of batch rows in the encoder's format, onto out."""
        from mmcost.views import BATCH_FIELDS, BATCH_TABLE

        return writer_for(self.output, out, BATCH_FIELDS, self.style, BATCH_TABLE)

    def __reduce__(self) -> tuple[Any, ...]:
        return RowEncoder, (self.output, self.style)

    def __call__(self, estimate: Any) -> Prepared:
        return self.encode(estimate)
