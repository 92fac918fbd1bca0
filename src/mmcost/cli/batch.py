"""`mmcost batch`: one estimate per input row, streamed, in constant memory.

Rows are read one at a time and written as soon as they are priced (with
--jobs, a chunk at a time: cli/parallel.py). Rows that ask for the same
scenario reuse one computed result (a bounded cache of encoded output,
rows.RowPricer.results), so a study of every pathway under 50 aid levels
prices each distinct scenario once. A bad row is reported on stderr with its
row number and column and skipped (or, with --fail-fast, ends the run).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mmcost.cli.base import CONTEXT_SETTINGS, EXIT_CODES_HELP
from mmcost.cli.common import FORMATS, catalog_option, load, table_width
from mmcost.errors import EXIT_DATA, MmcostError
from mmcost.files import output_stream, stop_if_taken, text_input
from mmcost.render import OutputFormat, Style, format_for_path

if TYPE_CHECKING:
    from mmcost.cli.parallel import Piece
    from mmcost.render import Writer
    from mmcost.rows import Priced


@click.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@click.argument(
    "input_path", metavar="[FILE|-]", default="-", type=click.Path(path_type=Path, allow_dash=True, dir_okay=False)
)
@click.option(
    "--input-format",
    type=click.Choice(["csv", "tsv", "ndjson"]),
    help="Input format [default: from the extension; csv for stdin].",
)
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format [default: csv, or from the -o file's extension].",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Write to FILE (atomically: replaced only when the run finishes).",
)
@click.option("--no-header", is_flag=True, help="No header row in CSV, TSV or table output.")
@click.option(
    "--raw-cells",
    is_flag=True,
    help="csv, tsv: write text cells as they are; by default one starting with = + - @ tab or CR "
    "gets a leading ' so that spreadsheets show it rather than run it.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 256),
    metavar="N",
    help="Price in N processes, results still in input order [default: the usable cores; 1 keeps one process; "
    "a table is always one process].",
)
@click.option("--fail-fast", is_flag=True, help="Stop at the first bad row.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@catalog_option
@click.pass_context
def batch(ctx: click.Context, /, input_path: Path, **options: Any) -> None:
    """Price many scenarios: one row in, one result out, in input order.

    Each row names a program and pathway and any scenario option as a column
    (CSV or TSV with a header row) or key (NDJSON): year, aid, price_tier,
    scholarship, employer_per_year, courses_per_term, set (FIGURE=AMOUNT;...),
    ... Results stream out with the fields of `estimate --format json`
    (flattened for CSV and TSV), plus the input `row` number and any `id`
    column. A bad row is reported as FILE:row N: column C: message and
    skipped; the exit code is then 1.

    \b
    Examples:
      mmcost batch scenarios.csv > results.csv
      mmcost batch learners.ndjson --format ndjson -o results.ndjson
      printf 'program,pathway,aid\\nmit-scm,hes,50\\n' | mmcost batch -
    """
    gc.enable()  # the entry point pauses the cycle collector for start-up; rows have no bound (mmcost.__main__)
    from mmcost.cli.parallel import usable_cores, written_in_order
    from mmcost.render import RowEncoder, writer_for
    from mmcost.render.progress import progress_bar
    from mmcost.rows import RowPricer, Source, priced, read_rows
    from mmcost.views import BATCH_FIELDS, BATCH_TABLE

    name = "<stdin>" if str(input_path) == "-" else str(input_path)
    kind = options["input_format"] or _input_format(name)
    output_format = _output_format(options["output_format"], options["output"])
    _refuse_overwriting_input(input_path, options["output"])
    catalog = load(ctx, options["catalog_files"])
    with text_input(input_path) as (stream, text), output_stream(options["output"]) as out:
        rows = read_rows(text, Source(name, kind))
        style = Style(
            width=table_width(sys.stdout.isatty()), header=not options["no_header"], raw_cells=options["raw_cells"]
        )
        writer = writer_for(output_format, out, BATCH_FIELDS, style, BATCH_TABLE)
        writer.begin()
        encoder = RowEncoder(output_format, style)
        pricer = RowPricer(catalog, encoder, rows.names)
        progress = None if options["quiet"] or str(input_path) == "-" else progress_bar(stream, input_path)
        run = _Run(writer, name, options["fail_fast"], progress)
        jobs = options["jobs"] or usable_cores()
        if jobs > 1 and output_format is not OutputFormat.TABLE:  # a table is laid out by this process alone
            run.pieces(written_in_order(rows, pricer, encoder, jobs))
        else:
            run.rows(priced(rows.rows, pricer))
        run.end()
    if run.failed:
        ctx.exit(EXIT_DATA)


class _Run:
    """Where batch's results go: the writer, and each bad row said on stderr (and counted, or the end of the run
    with --fail-fast); now and then a stop signal dropped on its way (in a finalizer) ends the run all the same,
    and the progress bar moves. While the writer holds rows back (a table lays out a block at a time), what is
    said of a bad row among them waits for them, so that a terminal shows it after the rows before it."""

    def __init__(self, writer: Writer, name: str, fail_fast: bool, progress: Callable[[], None] | None) -> None:
        self.writer, self.name, self.fail_fast, self.progress = writer, name, fail_fast, progress
        self.failed = 0
        self.held: list[str] = []

    def rows(self, rows: Iterable[Priced]) -> None:
        """Priced rows, one at a time."""
        row, holds = self.writer.row, self.writer.holds_rows
        for number, row_id, result, problem in rows:
            if number % 4096 == 0:
                self._now_and_then()
            if result is None:
                self._refused(number, problem)
                continue
            row({"row": number, "id": row_id or None}, result)
            if self.held and not holds():
                self._say_held()

    def pieces(self, pieces: Iterable[Piece]) -> None:
        """Rows written already (by batch's worker processes), a chunk at a time."""
        write = self.writer.write_rows
        for text, number, problem in pieces:
            write(text)
            if problem is None:  # a chunk's end
                self._now_and_then()
                continue
            self._refused(number, problem)

    def _now_and_then(self) -> None:
        stop_if_taken()
        if self.progress is not None:
            self.progress()

    def end(self) -> None:
        """After the last row: the writer's end, then what waited for it."""
        self.writer.end()
        self._say_held()

    def _refused(self, number: int, problem: str | None) -> None:
        self.failed += 1
        self.held.append(f"{self.name}:row {number}: {problem}")
        if self.fail_fast:
            self.end()  # the rows before it, whole: a table's last block, a JSON document's end
            raise _FailFast
        if not self.writer.holds_rows():
            self._say_held()

    def _say_held(self) -> None:
        for message in self.held:
            click.echo(message, err=True)
        self.held.clear()


def _input_format(name: str) -> str:
    """The input format a file name implies: ndjson (.ndjson, .jsonl), tsv (.tsv), else csv (stdin too)."""
    implied = format_for_path(Path(name))
    return implied.value if implied in (OutputFormat.NDJSON, OutputFormat.TSV) else "csv"


def _output_format(chosen: str | None, path: Path | None) -> OutputFormat:
    if chosen is not None:
        return OutputFormat(chosen)
    return (format_for_path(path) if path is not None else None) or OutputFormat.CSV


class _FailFast(MmcostError):
    """--fail-fast met a bad row (already reported)."""

    def raw_lines(self) -> list[str]:
        return ["stopped at the first bad row (--fail-fast)"]


def _refuse_overwriting_input(input_path: Path, output: Path | None) -> None:
    """-o naming the input file (by any path, a link included) would replace the rows with their results."""
    if output is None or "-" in (str(input_path), str(output)) or not output.exists():
        return
    try:
        same = os.path.samefile(input_path, output)
    except OSError:
        return  # the input cannot be read: reading it says why
    if same:
        raise click.BadParameter(
            f"{output} is the input file; write the results to another file", param_hint="'-o' / '--output'"
        )
