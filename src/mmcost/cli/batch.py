"""`mmcost batch`: one estimate per input row, streamed, in constant memory.

Rows are read one at a time and written as soon as they are priced. Rows
that ask for the same scenario reuse one computed result (a bounded LRU
cache of encoded output), so a study of every pathway under 50 aid levels
prices each distinct scenario once. A bad row is reported on stderr with its
row number and column and skipped (or, with --fail-fast, ends the run).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from mmcost.cli.base import CONTEXT_SETTINGS, EXIT_CODES_HELP
from mmcost.cli.common import FORMATS, catalog_option, load
from mmcost.errors import EXIT_DATA, CatalogError, Issue, MmcostError
from mmcost.render import OutputFormat, Style, format_for_path

if TYPE_CHECKING:
    from mmcost.model import Catalog
    from mmcost.render import Writer

CACHE_SIZE = 4096
"""Distinct scenarios whose encoded result is kept; memory stays bounded whatever the input size."""


def column(key: str) -> str:
    """An option as a batch file names it."""
    return f"column {key}"


class RowPricer:
    """Prices rows, caching encoded results by the row's values."""

    def __init__(self, catalog: Catalog, writer: Writer, names: tuple[str, ...], *, flat: bool) -> None:
        self.catalog, self.writer, self.names, self.flat = catalog, writer, names, flat
        self.price: Callable[[tuple[str, ...]], tuple[Any, str | None]] = lru_cache(maxsize=CACHE_SIZE)(self._price)

    def _price(self, raw: tuple[str, ...]) -> tuple[Any, str | None]:
        """The encoded result of one row's values, or (None, message)."""
        from mmcost import engine, views

        given = {name: text.strip() for name, text in zip(self.names, raw, strict=True) if text.strip()}
        program_id, pathway_id = given.pop("program", ""), given.pop("pathway", "")
        try:
            if not program_id or not pathway_id:
                raise MmcostError("columns program and pathway are required")
            result = engine.estimate(self.catalog, program_id, pathway_id, engine.Request.parse(given))
        except MmcostError as error:
            return None, "; ".join(error.lines(column))
        return self.writer.prepare(views.batch_result(result, flat=self.flat)), None


@click.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@click.argument(
    "input_path", metavar="[FILE|-]", default="-", type=click.Path(path_type=Path, allow_dash=True, dir_okay=False)
)
@click.option(
    "--input-format",
    type=click.Choice(["csv", "ndjson"]),
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
@click.option("--fail-fast", is_flag=True, help="Stop at the first bad row.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@catalog_option
@click.pass_context
def batch(ctx: click.Context, /, input_path: Path, **options: Any) -> None:
    """Price many scenarios: one row in, one result out, in input order.

    Each row names a program and pathway and any scenario option as a column
    (CSV with a header row) or key (NDJSON): year, aid, price_tier,
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
    from mmcost import views
    from mmcost.render import writer_for
    from mmcost.rows import Source, read_rows

    name = "<stdin>" if str(input_path) == "-" else str(input_path)
    kind = options["input_format"] or ("ndjson" if name.endswith((".ndjson", ".jsonl")) else "csv")
    output_format = _output_format(options["output_format"], options["output"])
    flat = output_format in (OutputFormat.CSV, OutputFormat.TSV, OutputFormat.TABLE)
    catalog = load(ctx, options["catalog_files"])
    stream = _open_input(input_path, name)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    failed = 0
    with _closing(text, keep_open=str(input_path) == "-"), _output(options["output"]) as out:
        rows = read_rows(text, Source(name, kind))
        style = Style(header=not options["no_header"])
        writer = writer_for(output_format, out, views.BATCH_FIELDS, style, views.BATCH_TABLE)
        writer.begin()
        pricer = RowPricer(catalog, writer, rows.names, flat=flat)
        progress = _progress(stream, input_path, options["quiet"])
        for number, row_id, row in rows.rows:
            if progress is not None and number % 4096 == 0:
                progress()
            result, problem = (None, str(row)) if isinstance(row, Exception) else pricer.price(row)
            if result is None:
                failed += 1
                click.echo(f"{name}:row {number}: {problem}", err=True)
                if options["fail_fast"]:
                    raise _FailFast
                continue
            writer.row({"row": number, "id": row_id or None, **result})
        writer.end()
    if failed:
        ctx.exit(EXIT_DATA)


def _output_format(chosen: str | None, path: Path | None) -> OutputFormat:
    if chosen is not None:
        return OutputFormat(chosen)
    return (format_for_path(path) if path is not None else None) or OutputFormat.CSV


@contextlib.contextmanager
def _closing(text: io.TextIOWrapper, *, keep_open: bool) -> Iterator[None]:
    """Close the input at the end; stdin is only detached, never closed."""
    try:
        yield
    finally:
        if keep_open:
            text.detach()
        else:
            text.close()


class _FailFast(MmcostError):
    """--fail-fast met a bad row (already reported)."""

    def raw_lines(self) -> list[str]:
        return ["stopped at the first bad row (--fail-fast)"]


def _open_input(path: Path, name: str) -> IO[bytes]:
    if str(path) == "-":
        return sys.stdin.buffer
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise CatalogError([Issue(name, "no such file")]) from None
    except IsADirectoryError:
        raise CatalogError([Issue(name, "is a directory")]) from None
    except OSError as error:
        raise CatalogError([Issue(name, f"cannot read: {error.strerror}")]) from None


@contextlib.contextmanager
def _output(path: Path | None) -> Iterator[IO[str]]:
    """stdout, or a temporary file renamed over FILE only if the run gets to the end."""
    if path is None:
        yield sys.stdout
        return
    target = path.absolute()
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise CatalogError([Issue(str(path), f"cannot write: {error.strerror or error}")]) from None
    stream = os.fdopen(handle, "w", encoding="utf-8", newline="")
    try:
        yield stream
        stream.flush()
        os.fsync(stream.fileno())
        stream.close()
        os.replace(temporary, target)
    except BaseException:
        stream.close()
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _progress(stream: IO[bytes], path: Path, quiet: bool) -> Callable[[], None] | None:
    """A rich progress bar on stderr, for a file input when stderr is a terminal."""
    if quiet or str(path) == "-" or not sys.stderr.isatty():
        return None
    try:
        total = path.stat().st_size
    except OSError:
        return None
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(console=Console(stderr=True), transient=True)
    task = bar.add_task("pricing", total=total)
    bar.start()

    def advance() -> None:
        with contextlib.suppress(OSError, ValueError):
            bar.update(task, completed=stream.tell())

    import atexit

    atexit.register(bar.stop)
    return advance
