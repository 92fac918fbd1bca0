"""Browsing and checking catalogs: programs, pathways, show, validate, schema, catalog path."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from mmcost.cli.base import CONTEXT_SETTINGS, EXIT_CODES_HELP
from mmcost.cli.common import (
    FORMATS,
    Output,
    catalog_option,
    complete_show_id,
    emit_view,
    given_catalogs,
    load,
    output_for,
    output_options,
    programs_option,
    quiet_option,
)
from mmcost.cli.scenario import OptionType, split_key
from mmcost.errors import EXIT_DATA, CatalogError
from mmcost.options import option


@click.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@output_options
@catalog_option
@click.pass_context
def programs(ctx: click.Context, /, **options: Any) -> None:
    """List the MicroMasters programs in the catalog.

    \b
    Examples:
      mmcost programs
      mmcost programs --format json
    """
    from mmcost import views

    rows = views.program_rows(load(ctx, options["catalog_files"]))
    view = views.rows_view(rows, views.PROGRAM_FIELDS, title="Programs", table_fields=views.PROGRAM_TABLE)
    emit_view(view, output_for(ctx, options))


@click.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@programs_option("Only this program's pathways (repeatable).")
@output_options
@catalog_option
@click.pass_context
def pathways(ctx: click.Context, /, program_ids: Sequence[str], **options: Any) -> None:
    """List the degree pathways, with the credit each gives.

    \b
    Examples:
      mmcost pathways
      mmcost pathways --program mit-scm --format csv
    """
    from mmcost import views

    rows = views.pathway_rows(load(ctx, options["catalog_files"]), program_ids)
    view = views.rows_view(rows, views.PATHWAY_FIELDS, title="Pathways", table_fields=views.PATHWAY_TABLE)
    emit_view(view, output_for(ctx, options))


@click.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@click.argument("item_id", metavar="ID", shell_complete=complete_show_id)
@output_options
@catalog_option
@click.pass_context
def show(ctx: click.Context, /, item_id: str, **options: Any) -> None:
    """Everything the catalog says about a program or a PROGRAM/PATHWAY.

    Every figure with its year and source URL, the credit rule, the
    requirements, the known gaps, and the file that defined each entry.

    \b
    Examples:
      mmcost show mit-scm
      mmcost show mit-scm/hes
      mmcost show mit-scm/hes/direct           # compare's key for its direct degree
      mmcost show mit-scm/hes --format csv     # the figures only
    """
    from mmcost import views

    output = output_for(ctx, options)
    catalog = load(ctx, options["catalog_files"])
    program_id, _, pathway_id = item_id.lower().partition("/")
    if pathway_id:
        program_id, pathway_id = split_key(item_id)
        document = views.show_pathway(catalog, program_id, pathway_id)
    else:
        document = views.show_program(catalog, program_id)
    emit_view(views.show_view(document), output)


@click.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FILE...")
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(["text", *FORMATS]),
    default="text",
    show_default=True,
    help="text: issues on stderr; any other: a report on stdout (json: {valid, files, issues}).",
)
@quiet_option
@click.pass_context
def validate(ctx: click.Context, files: Sequence[Path], output_format: str, quiet: bool) -> None:
    """Check catalog files: silent and exit 0 when clean.

    Each file is checked as it would be used: merged over the bundled
    catalog, so it may refer to bundled figures and degrees. Every problem is
    reported as FILE:LINE:COL: PATH: MESSAGE.

    \b
    Examples:
      mmcost validate my-programs.yaml
      mmcost validate *.yaml --format json | jq '.issues[].message'
    """
    from mmcost import views
    from mmcost.catalog import load_catalog
    from mmcost.render import OutputFormat, Style

    try:
        load_catalog(list(files))
        issues: list[Any] = []
    except CatalogError as error:
        issues = list(error.issues)
    if output_format != "text":
        view = views.validate_view([str(path) for path in files], issues)
        emit_view(view, Output(OutputFormat(output_format), Style(), None))
    else:
        for issue in issues:
            click.echo(str(issue), err=True)
    if issues:
        ctx.exit(EXIT_DATA)


@click.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Write the schema to FILE (atomically).",
)
@quiet_option
def schema(output: Path | None, quiet: bool) -> None:
    """The catalog's JSON Schema, for editors that check and complete YAML.

    \b
    Examples:
      mmcost schema -o mmcost-catalog.schema.json
      # then, first line of your catalog:
      # yaml-language-server: $schema=./mmcost-catalog.schema.json
    """
    from mmcost.catalog import catalog_json_schema
    from mmcost.files import write_atomically
    from mmcost.render import dumps_json

    text = dumps_json(catalog_json_schema()) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text)


@click.group(context_settings=CONTEXT_SETTINGS)
def catalog() -> None:
    """Where catalogs come from, and which figures are stale.

    \b
    Examples:
      mmcost catalog path
      mmcost catalog stale --before 2024
    """


@catalog.command("path", context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@output_options
@catalog_option
@click.pass_context
def catalog_path(ctx: click.Context, /, **options: Any) -> None:
    """Where the bundled catalog and your catalogs are, in the order they load.

    Later files replace earlier ones' entries by id: bundled, then *.yaml in
    the config folder, then ${MMCOST_CATALOG} (a path list), then --catalog.

    \b
    Example:
      mmcost catalog path
    """
    from mmcost import views
    from mmcost.sources import catalog_sources

    sources = catalog_sources(given_catalogs(ctx, options["catalog_files"]))
    rows = [{**item._asdict(), "path": str(item.path)} for item in sources]
    emit_view(views.catalog_path_view(rows), output_for(ctx, options))


@catalog.command("stale", context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@click.option(
    "--before", type=OptionType(option("year")), metavar="YEAR",
    help="List figures whose newest value is for an academic year before YEAR (2024 or 2024-25) "
    "[default: three years ago].",
)  # fmt: skip
@output_options
@catalog_option
@click.pass_context
def catalog_stale(ctx: click.Context, /, before: int | None, **options: Any) -> None:
    """Figures whose newest value is old: their age, routes and where to check (the yearly to-do list).

    \b
    Examples:
      mmcost catalog stale
      mmcost catalog stale --before 2020 --format csv
    """
    import datetime

    from mmcost import views
    from mmcost.terms import academic_year_of

    today = datetime.date.today()
    current = academic_year_of(today.year, today.month)
    year = before if before is not None else today.year - 3
    rows = views.stale_rows(load(ctx, options["catalog_files"]), year, current)
    emit_view(views.stale_view(rows, year), output_for(ctx, options))
