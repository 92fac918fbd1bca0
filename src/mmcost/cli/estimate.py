"""`mmcost estimate` and `mmcost compare`."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from mmcost.cli.base import CONTEXT_SETTINGS, EXIT_CODES_HELP, say, session
from mmcost.cli.common import (
    catalog_option,
    chart_option,
    chart_wanted,
    complete_pathway,
    complete_program,
    emit_view,
    load,
    output_for,
    output_options,
    programs_option,
)
from mmcost.cli.scenario import route_ids, scenario_options, scenario_request
from mmcost.errors import UnknownIdError, spelled
from mmcost.model import Catalog
from mmcost.views import SORTABLE

if TYPE_CHECKING:
    from mmcost.engine import Estimate


def route_options(function: Any) -> Any:
    """[PROGRAM/PATHWAY], or -p/--program ID and -w/--pathway ID: one route."""
    function = click.argument("route_key", required=False, metavar="[PROGRAM/PATHWAY]")(function)
    function = click.option(
        "-w", "--pathway", "pathway_id", metavar="ID", shell_complete=complete_pathway,
        help="Pathway id, e.g. hes or mit (mmcost pathways lists them).",
    )(function)  # fmt: skip
    return click.option(
        "-p", "--program", "program_id", metavar="ID", shell_complete=complete_program,
        help="MicroMasters program id (mmcost programs lists them).",
    )(function)  # fmt: skip


@click.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@route_options
@scenario_options
@click.option(
    "--schedule",
    "show_schedule",
    is_flag=True,
    help="Also show each calendar year: paid, covered by the employer, out of pocket.",
)
@click.option("--explain", is_flag=True, help="Also show every line's formula in words and every assumption.")
@chart_option
@output_options
@catalog_option
@click.pass_context
def estimate(ctx: click.Context, /, program_id: str | None, pathway_id: str | None, **options: Any) -> None:
    """Net cost of a master's through a MicroMasters pathway, and the savings.

    \b
    Examples:
      mmcost estimate --program mit-scm --pathway hes
      mmcost estimate mit-scm/hes --year 2026
      mmcost estimate -p mit-scm -w hes --year 2018 --format json
      mmcost estimate -p mit-sds -w hes --course-fee 300 --exam-fee 300
      mmcost estimate -p mit-scm -w mit --aid 50 --living-per-month 2500 --salary 60000 --schedule
      mmcost estimate --scenario me.yaml --explain
    """
    from mmcost import engine, views

    output = output_for(ctx, options)
    request, from_file = scenario_request(ctx, options)
    program_id, pathway_id = route_ids(program_id, pathway_id, from_file, options["route_key"])
    catalog = load(ctx, options["catalog_files"])  # once: a catalog on stdin can be read only once
    result = engine.estimate(catalog, program_id, pathway_id, request)
    view = views.estimate_view(
        result, schedule=options["show_schedule"], explain=options["explain"], chart=chart_wanted(ctx, output, options)
    )
    emit_view(view, output)
    if not options["quiet"]:
        print_warnings(ctx, [result], full=options["verbose"] or options["explain"])
        if output.format.value == "table":
            print_hint(catalog, program_id, pathway_id)


def print_warnings(ctx: click.Context, results: Sequence[Estimate], *, full: bool) -> None:
    """Warnings on stderr (stdout stays data): summarised, how old the figures are, where to check prices."""
    from mmcost.render.estimate import warning_report

    for line in warning_report(results, datetime.date.today(), full=full):
        say(f"warning: {spelled(line, session(ctx).spell)}")


def print_hint(catalog: Catalog, program_id: str, pathway_id: str) -> None:
    """The options that override this route's figures (only those that apply to it)."""
    from mmcost.engine import route, supplying_options
    from mmcost.render.estimate import hint

    say(hint(supplying_options(catalog, route(catalog, program_id, pathway_id)), program_id, pathway_id))


@click.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@programs_option("Program to compare (repeatable) [default: every program].")
@click.option(
    "-w",
    "--pathway",
    "pathway_ids",
    multiple=True,
    metavar="ID",
    shell_complete=complete_pathway,
    help="Only these pathways (repeatable) [default: all of each program's].",
)
@click.option(
    "--sort",
    "sort_field",
    type=click.Choice(SORTABLE),
    help="Order rows by this field (ascending; savings fields descending) [default: net_cost].",
)
@scenario_options
@chart_option
@output_options
@catalog_option
@click.pass_context
def compare(
    ctx: click.Context,
    /,
    program_ids: Sequence[str],
    pathway_ids: Sequence[str],
    sort_field: str | None,
    **options: Any,
) -> None:
    """Every pathway of the programs side by side, with the direct degrees as baselines.

    A pathway whose figures are unknown gets a row that says which option
    supplies them. The table draws each route's cost as a bar.

    \b
    Examples:
      mmcost compare --program mit-scm
      mmcost compare -p mit-scm -p mit-dedp --price-tier lowest --sort net_cost
      mmcost compare --format csv | sort -t, -k6 -n
    """
    from mmcost import engine, views

    output = output_for(ctx, options)
    request, _ = scenario_request(ctx, options)
    catalog = load(ctx, options["catalog_files"])
    results = engine.compare(catalog, _pairs(catalog, program_ids, pathway_ids), request)
    emit_view(views.compare_view(results, catalog, sort_field, chart=chart_wanted(ctx, output, options)), output)
    if not options["quiet"]:
        estimates = [result for result in results if isinstance(result, engine.Estimate)]
        print_warnings(ctx, estimates, full=options["verbose"])


def _pairs(catalog: Catalog, program_ids: Sequence[str], pathway_ids: Sequence[str]) -> list[tuple[str, str]]:
    programs = list(dict.fromkeys(program_ids)) or list(catalog.programs)
    pairs = []
    for program_id in programs:
        program = catalog.program(program_id)
        for pathway_id in pathway_ids:
            if not any(pathway_id in catalog.programs[p].pathways for p in programs):
                catalog.pathway(program_id, pathway_id)
        pairs += [(program_id, pid) for pid in program.pathways if not pathway_ids or pid in pathway_ids]
    if not pairs:
        raise UnknownIdError("no pathway matches; mmcost pathways lists them")
    return pairs
