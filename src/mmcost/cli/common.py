"""What every command shares: option types, catalog sources, output and colour.

Imports only click and the standard library at the top; the catalog, the
engine and rich load inside the functions that need them.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import click

from mmcost.cli.base import session
from mmcost.errors import CatalogError, Issue, MmcostError
from mmcost.render import OutputFormat, Style

if TYPE_CHECKING:
    from mmcost.model import Catalog
    from mmcost.views import View

FORMATS = OutputFormat.names()

F = TypeVar("F", bound=Callable[..., Any])

CATALOG_ENV = "MMCOST_CATALOG"


def config_dir() -> Path:
    """The user's mmcost config folder (XDG_CONFIG_HOME/mmcost on Linux)."""
    return Path(click.get_app_dir("mmcost"))


def user_catalogs() -> list[Path]:
    """Catalog files found in the user's config folder, in name order."""
    folder = config_dir()
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.suffix in (".yaml", ".yml") and path.is_file())


def env_catalogs() -> list[Path]:
    """Catalog files named by MMCOST_CATALOG (a path list)."""
    value = os.environ.get(CATALOG_ENV, "")
    return [Path(part) for part in value.split(os.pathsep) if part.strip()]


def catalog_sources(ctx: click.Context, extra: Sequence[Path] = ()) -> list[Path]:
    """Every catalog file after the bundled one, lowest precedence first."""
    given = [Path(path) for path in session(ctx).catalog_files]
    return [*user_catalogs(), *env_catalogs(), *given, *extra]


def load(ctx: click.Context, extra: Sequence[Path] = ()) -> Catalog:
    """The bundled catalog with the user's catalogs merged over it."""
    from mmcost.store import load_catalog

    return load_catalog(catalog_sources(ctx, extra))


def programs_option(help_text: str) -> Callable[[F], F]:
    """-p/--program ID, repeatable, completing program ids."""
    option = click.option(
        "-p", "--program", "program_ids", multiple=True, metavar="ID", shell_complete=complete_program, help=help_text
    )
    return option


def catalog_option(function: F) -> F:
    """--catalog FILE on a command (the same as the global option)."""
    return click.option(
        "--catalog",
        "catalog_files",
        type=click.Path(path_type=Path, dir_okay=True),
        multiple=True,
        metavar="FILE",
        help=f"Add a catalog file; its ids replace bundled ones. Repeatable. Also: ${CATALOG_ENV}.",
    )(function)


def output_options(function: F) -> F:
    """-f/--format, -o/--output, --no-header and --color."""
    for decorator in reversed(
        [
            click.option(
                "-f",
                "--format",
                "output_format",
                type=click.Choice(FORMATS),
                default=None,
                help="Output format [default: table, or from the -o file's extension].",
            ),
            click.option(
                "-o",
                "--output",
                type=click.Path(path_type=Path, dir_okay=False),
                metavar="FILE",
                help="Write to FILE (atomically: a failure leaves any old file intact).",
            ),
            click.option("--no-header", is_flag=True, help="Leave out the header row (csv, tsv, table)."),
            click.option(
                "--color",
                type=click.Choice(["auto", "always", "never"]),
                default=None,
                help="Colour in tables [default: auto: only on a terminal, never with NO_COLOR].",
            ),
        ]
    ):
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
    width = _width(use_color or sys.stdout.isatty())
    return Output(chosen or OutputFormat.TABLE, Style(color=use_color, width=width, header=not no_header), output)


PIPE_WIDTH = 120
"""Table width when stdout is not a terminal and COLUMNS is not set."""


def _width(terminal: bool) -> int:
    if terminal:
        import shutil

        return shutil.get_terminal_size().columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else PIPE_WIDTH


def emit_view(view: View, output: Output) -> None:
    """Render a view in the chosen format and write it."""
    from mmcost.render import render

    emit(render(view, output.format, output.style), output)


def emit(text: str, output: Output) -> None:
    """Write the command's data to stdout, or atomically to the -o file."""
    if output.path is None:
        # click strips escape codes when stdout is not a terminal; --color always keeps them.
        click.echo(text, nl=False, color=output.style.color)
        return
    write_atomically(output.path, text)


def write_atomically(path: Path, text: str) -> None:
    """Write text to a temporary file beside path, then rename it over path.

    A failure at any point leaves an existing file exactly as it was.
    """
    target = path.resolve() if path.exists() else path.absolute()
    if target.is_dir():
        raise CatalogError([Issue(str(path), "is a directory; -o needs a file name")])
    folder = target.parent
    import tempfile

    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except FileNotFoundError:
        raise CatalogError([Issue(str(path), f"cannot write: folder {str(folder)!r} does not exist")]) from None
    except OSError as error:
        raise CatalogError([Issue(str(path), f"cannot write: {error.strerror}")]) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            import shutil

            shutil.copymode(target, temporary)
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise CatalogError([Issue(str(path), f"cannot write: {error.strerror}")]) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def complete_program(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of program ids."""
    from click.shell_completion import CompletionItem

    try:
        catalog = load(ctx)
    except MmcostError:
        return []
    return [CompletionItem(pid, help=p.name) for pid, p in catalog.programs.items() if pid.startswith(incomplete)]


def complete_pathway(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of pathway ids of the programs already typed."""
    from click.shell_completion import CompletionItem

    try:
        catalog = load(ctx)
    except MmcostError:
        return []
    given = ctx.params.get("program_ids") or ctx.params.get("program_id") or ()
    programs = [given] if isinstance(given, str) else list(given) or list(catalog.programs)
    items: dict[str, Any] = {}
    for program_id in programs:
        program = catalog.programs.get(program_id)
        for pathway_id, pathway in program.pathways.items() if program else ():
            if pathway_id.startswith(incomplete):
                items.setdefault(pathway_id, CompletionItem(pathway_id, help=pathway.name))
    return list(items.values())


def complete_show_id(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of `show` ids: programs and program/pathway pairs."""
    from click.shell_completion import CompletionItem

    try:
        catalog = load(ctx)
    except MmcostError:
        return []
    ids = []
    for program_id, program in catalog.programs.items():
        ids.append(CompletionItem(program_id, help=program.name))
        ids += [CompletionItem(f"{program_id}/{pid}", help=p.name) for pid, p in program.pathways.items()]
    return [item for item in ids if item.value.startswith(incomplete)]
