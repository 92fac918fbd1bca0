"""The command line: parse options, load the catalog, call the engine, render.

Thin on purpose. Only click, the standard library and cheap mmcost modules
are imported at the top; pydantic, yaml and rich load inside the commands
that need them, so `mmcost --help` starts fast.

Exit codes: 0 success, 1 bad data or unknown id, 2 usage.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from mmcost import __version__
from mmcost.cli.common import CONTEXT_SETTINGS, EXIT_CODES_HELP, session
from mmcost.errors import EXIT_DATA, MmcostError, UsageError


class _Group(click.Group):
    """Turns mmcost's own errors into messages on stderr and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as error:
            raise click.UsageError(str(error)) from None
        except MmcostError as error:
            for line in error.lines():
                click.echo(line if _is_located(line) else f"error: {line}", err=True)
            ctx.exit(error.exit_code)


def _is_located(line: str) -> bool:
    """Located issues (file:line:col: ...) are printed as they are, for editors."""
    head = line.split(": ", 1)[0]
    return ":" in head or head.endswith((".yaml", ".yml", ".json", ".csv", ".tsv", ".ndjson", ".txt"))


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, "-V", "--version", prog_name="mmcost")
@click.option(
    "--catalog",
    "catalog_files",
    type=click.Path(path_type=Path),
    multiple=True,
    metavar="FILE",
    help="Add a catalog file for every command; its ids replace bundled ones. Repeatable.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour in tables.",
)
@click.pass_context
def cli(ctx: click.Context, catalog_files: Sequence[Path], color: str) -> None:
    """What a master's costs through a MicroMasters pathway, and what it saves.

    \b
    Examples:
      mmcost estimate --program mit-scm --pathway hes
      mmcost compare --program mit-scm
      mmcost show mit-scm/hes
    """
    state = session(ctx)
    state.catalog_files = list(catalog_files)
    state.color = color


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        cli.main(args=argv, prog_name="mmcost")
    except BrokenPipeError:
        # The reader went away (`mmcost ... | head`): not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_DATA)


from mmcost.cli import browse, estimate, whatif  # noqa: E402  (commands register themselves on `cli`)

__all__ = ["browse", "cli", "estimate", "main", "whatif"]
