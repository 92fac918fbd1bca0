"""What every command shares: option types, catalog sources, output and colour.

Imports only click and the standard library at the top; the catalog, the
engine and rich load inside the functions that need them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import click

from mmcost.cli.base import say, session, terminal_size
from mmcost.errors import MmcostError
from mmcost.render import OutputFormat, Style

if TYPE_CHECKING:
    from mmcost.model import Catalog
    from mmcost.views import View

FORMATS = OutputFormat.names()

F = TypeVar("F", bound=Callable[..., Any])


def given_catalogs(ctx: click.Context, extra: Sequence[Path] = ()) -> list[Path]:
    """The catalog files named by the global and the command's --catalog."""
    return [*(Path(path) for path in session(ctx).catalog_files), *extra]


def load(ctx: click.Context, extra: Sequence[Path] = ()) -> Catalog:
    """The bundled catalog with the user's catalogs merged over it."""
    from mmcost.sources import user_catalogs
    from mmcost.store import load_catalog

    return load_catalog(user_catalogs(given_catalogs(ctx, extra)))


def programs_option(help_text: str) -> Callable[[F], F]:
    """-p/--program ID, repeatable, completing program ids."""
    return click.option(
        "-p", "--program", "program_ids", multiple=True, metavar="ID", shell_complete=complete_program, help=help_text,
        callback=lambda _ctx, _param, given: tuple(each.lower() for each in given),  # ids are lowercase slugs
    )  # fmt: skip


def catalog_option(function: F) -> F:
    """--catalog FILE on a command (the same as the global option)."""
    return click.option(
        "--catalog",
        "catalog_files",
        type=click.Path(path_type=Path, dir_okay=True),
        multiple=True,
        metavar="FILE",
        help="Add a catalog file; its ids replace bundled ones. Repeatable; - reads stdin. Also: $MMCOST_CATALOG.",
    )(function)


def quiet_option(function: F) -> F:
    """-q/--quiet, which every command accepts."""
    return click.option("-q", "--quiet", is_flag=True, help="Nothing on stderr but errors (no warnings or notes).")(
        function
    )


def output_options(function: F) -> F:
    """-f/--format, -o/--output, --no-header, --raw-cells, --color and -q."""
    options = [
        quiet_option,
        click.option("-f", "--format", "output_format", type=click.Choice(FORMATS), default=None,
                     help="Output format [default: table, or from the -o file's extension]."),
        click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
                     help="Write to FILE (atomically: a failure leaves any old file intact; - is stdout)."),
        click.option("--no-header", is_flag=True, help="Leave out the header row (csv, tsv, table)."),
        click.option("--raw-cells", is_flag=True,
                     help="csv, tsv: write text cells as they are; by default one starting with = + - @ tab or CR "
                          "gets a leading ' so that spreadsheets show it rather than run it."),
        click.option("--color", type=click.Choice(["auto", "always", "never"]), default=None,
                     help="Colour in tables [default: auto: only on a terminal, never with NO_COLOR]."),
    ]  # fmt: skip
    for decorator in reversed(options):
        function = decorator(function)
    return function


class Output(NamedTuple):
    """Where and how a command writes its data."""

    format: OutputFormat
    style: Style
    path: Path | None


def output_for(ctx: click.Context, options: dict[str, Any]) -> Output:
    """Resolve the output options: format from the extension, colour from the terminal."""
    output_format, output = options["output_format"], options["output"]
    no_header, color = options["no_header"], options["color"]
    if output is not None and str(output) == "-":
        output = None  # -o - is standard output
    from mmcost.render import format_for_path

    chosen: OutputFormat | None = OutputFormat(output_format) if output_format else None
    if chosen is None and output is not None:
        chosen = format_for_path(output)
        if chosen is None:
            raise click.UsageError(
                f"cannot tell the format from {output.name!r}; add --format ({', '.join(FORMATS)})", ctx
            )
    mode = color or session(ctx).color
    if mode == "always":
        use_color = True
    elif mode == "never" or output is not None or os.environ.get("NO_COLOR"):
        use_color = False
    else:
        use_color = sys.stdout.isatty()
    width = table_width(use_color or sys.stdout.isatty())
    style = Style(
        color=use_color, width=width, header=not no_header, raw_cells=options["raw_cells"], unicode=stdout_is_unicode()
    )
    return Output(chosen or OutputFormat.TABLE, style, output)


chart_option = click.option(
    "--chart",
    is_flag=True,
    help="Also draw, under the table, each route's cumulative out-of-pocket cost by calendar year "
    "(and, with --salary-uplift, the net position and payback year). Table format only.",
)


def chart_wanted(ctx: click.Context, output: Output, options: dict[str, Any]) -> bool:
    """--chart, for the table; with a machine format a note on stderr says it is left out (stdout stays data)."""
    if not options["chart"]:
        return False
    if output.format.value != "table":
        if not options["quiet"]:
            say(f"note: --chart is drawn only with the table format, not {output.format.value}")
        return False
    return True


def stdout_is_unicode() -> bool:
    """Whether standard output's encoding has the box-drawing characters (not so under latin-1 or ascii)."""
    try:
        "━█".encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


PIPE_WIDTH = 120
"""Table width when stdout is not a terminal and COLUMNS is not set."""


def table_width(terminal: bool) -> int:
    """The terminal's width, or COLUMNS, or PIPE_WIDTH."""
    if terminal:
        import shutil

        return shutil.get_terminal_size().columns
    return terminal_size(os.environ.get("COLUMNS", "")) or PIPE_WIDTH


def emit_view(view: View, output: Output) -> None:
    """Render a view in the chosen format and write it."""
    from mmcost.render import render

    emit(render(view, output.format, output.style), output)


def emit(text: str, output: Output) -> None:
    """Write the command's data to stdout, or atomically to the -o file."""
    write_out(text, output.path, color=output.style.color)


def write_out(text: str, path: Path | None, *, color: bool = False) -> None:
    """text to stdout (path None), or atomically to path."""
    if path is None:
        # click strips escape codes when stdout is not a terminal; --color always keeps them.
        click.echo(text, nl=False, color=color)
        return
    from mmcost.files import write_atomically

    write_atomically(path, text)


def _completions(ctx: click.Context, incomplete: str, choices: Callable[[Catalog], dict[str, str]]) -> list[Any]:
    """Completion items (id, help) from the catalog, for ids that start with what is typed."""
    from click.shell_completion import CompletionItem

    try:
        catalog = load(ctx)
    except MmcostError:
        return []
    return [CompletionItem(key, help=text) for key, text in choices(catalog).items() if key.startswith(incomplete)]


def complete_program(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of program ids."""
    return _completions(ctx, incomplete, lambda catalog: {pid: p.name for pid, p in catalog.programs.items()})


def complete_pathway(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of pathway ids of the programs already typed."""

    def pathways(catalog: Catalog) -> dict[str, str]:
        given = ctx.params.get("program_ids") or ctx.params.get("program_id") or ()
        programs = [given] if isinstance(given, str) else list(given) or list(catalog.programs)
        found: dict[str, str] = {}
        for program_id in programs:
            program = catalog.programs.get(program_id)
            for pathway_id, pathway in program.pathways.items() if program else ():
                found.setdefault(pathway_id, pathway.name)
        return found

    return _completions(ctx, incomplete, pathways)


def complete_show_id(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of `show` ids: programs and program/pathway pairs."""

    def ids(catalog: Catalog) -> dict[str, str]:
        found: dict[str, str] = {}
        for program_id, program in catalog.programs.items():
            found[program_id] = program.name
            found |= {f"{program_id}/{pid}": p.name for pid, p in program.pathways.items()}
        return found

    return _completions(ctx, incomplete, ids)
