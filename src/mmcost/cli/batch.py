"""`mmcost batch`: one estimate per input row, streamed, in constant memory.

Rows are read one at a time and written as soon as they are priced. Rows
that ask for the same scenario reuse one computed result (a bounded LRU
cache of formatted output), so a study of every pathway under 50 aid levels
prices each distinct scenario once. A bad row is reported on stderr with its
row number and column and skipped (or, with --fail-fast, ends the run).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import click

from mmcost.cli.base import CONTEXT_SETTINGS, EXIT_CODES_HELP
from mmcost.cli.common import catalog_option, load
from mmcost.cli.rows import RowError, Source, read_rows
from mmcost.cli.scenario import request_from
from mmcost.errors import EXIT_DATA, CatalogError, Issue, MmcostError

CACHE_SIZE = 4096
"""Distinct scenarios whose formatted result is kept; memory stays bounded whatever the input size."""

OUTPUT_FIELDS = (
    "row", "id", "program", "pathway", "fee_year", "currency", "micromasters_cost", "remaining_degree_cost",
    "living_travel_cost", "opportunity_cost", "employer_funding", "net_cost", "baseline_cost", "savings",
    "savings_pct", "courses_credited", "courses_remaining", "courses_required", "start", "months",
    "baseline_months", "payback_years", "npv_5", "npv_10", "npv_20", "warnings",
)  # fmt: skip


class Pricer:
    """Prices rows, caching formatted results by the row's scenario."""

    def __init__(self, ctx: click.Context, catalog: Any, output_format: str, names: tuple[str, ...]) -> None:
        from mmcost.cli.estimate import estimate as estimate_command

        self.ctx = ctx
        self.catalog = catalog
        self.output_format = output_format
        self.names = names
        self.params = {param.name: param for param in estimate_command.params if param.name}
        self.price: Callable[[tuple[str, ...]], tuple[Any, str | None]] = lru_cache(maxsize=CACHE_SIZE)(self._price)

    def _convert(self, name: str, text: str) -> Any:
        if name in ("program", "pathway", "price_tier"):
            return text.strip()
        if name == "currency":
            from mmcost.cli.scenario import _currency

            return _currency(self.ctx, self.params["currency"], text.strip())
        param = self.params[name]
        try:
            return param.type.convert(text.strip(), param, None)
        except click.BadParameter as error:
            raise RowError(f"column {name}: {error.message}") from None

    def _price(self, raw: tuple[str, ...]) -> tuple[Any, str | None]:
        """The formatted result of one scenario (a row's option values), or (None, message)."""
        from mmcost import engine

        try:
            given = ((name, text.strip()) for name, text in zip(self.names, raw, strict=True))
            values = {name: self._convert(name, text) for name, text in given if text}
            if not values.get("program") or not values.get("pathway"):
                raise RowError("columns program and pathway are required")
            request = request_from(values)
            chosen = engine.route(self.catalog, values["program"], values["pathway"])
            assumptions = engine.assumptions_for(self.catalog, chosen, request)
            result = engine.estimate(self.catalog, values["program"], values["pathway"], assumptions, request.scenario)
        except RowError as error:
            return None, str(error)
        except click.BadParameter as error:
            return None, error.message
        except MmcostError as error:
            return None, "; ".join(error.lines())
        return self._format(result), None

    def _format(self, result: Any) -> Any:
        from mmcost.render.estimate import estimate_dict

        data = estimate_dict(result)
        if self.output_format == "csv":
            return _flat_cells(data)
        from mmcost.render import dumps_json

        return dumps_json(data, indent=None)


def _flat_cells(data: dict[str, Any]) -> list[str]:
    from mmcost.render import cell

    outcome = data["outcome"] or {}
    npv = outcome.get("npv", {})
    flat = {
        **data,
        "payback_years": outcome.get("payback_years"),
        "npv_5": npv.get("5"),
        "npv_10": npv.get("10"),
        "npv_20": npv.get("20"),
        "warnings": " | ".join(data["warnings"]),
    }
    return [cell(flat.get(name)) for name in OUTPUT_FIELDS[2:]]


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
    type=click.Choice(["csv", "ndjson", "json"]),
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
@click.option("--no-header", is_flag=True, help="No header row in CSV output.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first bad row.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@catalog_option
@click.pass_context
def batch(ctx: click.Context, /, input_path: Path, **options: Any) -> None:
    """Price many scenarios: one row in, one result out, in input order.

    Each row names a program and pathway and any scenario option as a column
    (CSV with a header row) or key (NDJSON): year, aid, price_tier,
    scholarship, employer_per_year, courses_per_term, ... Results stream out
    with the fields of `estimate --format json` (flattened for CSV), plus the
    input `row` number and any `id` column. A bad row is reported as
    FILE:row N: column C: message and skipped; the exit code is then 1.

    \b
    Examples:
      mmcost batch scenarios.csv > results.csv
      mmcost batch learners.ndjson --format ndjson -o results.ndjson
      printf 'program,pathway,aid\\nmit-scm,hes,50\\n' | mmcost batch -
    """
    name = "<stdin>" if str(input_path) == "-" else str(input_path)
    kind = options["input_format"] or ("ndjson" if name.endswith((".ndjson", ".jsonl")) else "csv")
    output_format = options["output_format"] or _format_from(options["output"]) or "csv"
    catalog = load(ctx, options["catalog_files"])
    source = Source(name, kind)
    stream = _open_input(input_path, name)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    failed = 0
    with _closing(text, keep_open=str(input_path) == "-"), _output(options["output"]) as out:
        rows = read_rows(text, source)
        writer = _Writer(out, output_format, header=not options["no_header"])
        progress = _progress(stream, input_path, options["quiet"])
        pricer = Pricer(ctx, catalog, output_format, rows.names)
        for number, row_id, row in rows.rows:
            if progress is not None and number % 4096 == 0:
                progress()
            result: Any = None
            problem: str | None = str(row) if isinstance(row, RowError) else None
            if not isinstance(row, RowError):
                result, problem = pricer.price(row)
            if problem is not None:
                failed += 1
                click.echo(f"{name}:row {number}: {problem}", err=True)
                if options["fail_fast"]:
                    raise _FailFast
                continue
            writer.write(number, row_id, result)
        writer.close()
    if failed:
        ctx.exit(EXIT_DATA)


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

    def lines(self) -> list[str]:
        return ["stopped at the first bad row (--fail-fast)"]


def _format_from(path: Path | None) -> str | None:
    if path is None:
        return None
    return {".csv": "csv", ".ndjson": "ndjson", ".jsonl": "ndjson", ".json": "json"}.get(path.suffix.lower())


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


class _Writer:
    """Writes results as they come: CSV rows, NDJSON lines, or one streamed JSON array."""

    def __init__(self, out: IO[str], output_format: str, *, header: bool) -> None:
        self.out = out
        self.format = output_format
        self.first = True
        self.csv = csv.writer(out, lineterminator="\n") if output_format == "csv" else None
        if self.csv is not None and header:
            self.csv.writerow(OUTPUT_FIELDS)
        if output_format == "json":
            out.write('{"schema_version": 1, "rows": [')

    def write(self, number: int, row_id: str, result: Any) -> None:
        if self.csv is not None:
            self.csv.writerow((number, row_id, *result))
            return
        head = f'{{"row": {number}, "id": {_json_text(row_id)}, "result": '
        if self.format == "ndjson":
            self.out.write(f"{head}{result}}}\n")
        else:
            self.out.write(("\n" if self.first else ",\n") + f"{head}{result}}}")
            self.first = False

    def close(self) -> None:
        if self.format == "json":
            self.out.write("\n]}\n")


def _json_text(text: str) -> str:
    import json

    return json.dumps(text) if text else "null"


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
