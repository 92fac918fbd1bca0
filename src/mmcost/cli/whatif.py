"""`mmcost sweep` and `mmcost breakeven`: what-ifs over one option (options.OPTIONS says which can vary)."""

from __future__ import annotations

import difflib
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

import click

from mmcost.cli.base import CONTEXT_SETTINGS, EXIT_CODES_HELP
from mmcost.cli.common import catalog_option, emit_view, load, output_for, output_options
from mmcost.cli.estimate import route_options
from mmcost.cli.scenario import route_ids, scenario_options, scenario_request
from mmcost.errors import UsageError
from mmcost.options import Option, variables


def variable(name: str) -> Option:
    """The option --vary names (dashed, like course-fee), or a usage error listing them."""
    known = variables()
    spec = known.get(name.strip().replace("_", "-"))
    if spec is None:
        close = difflib.get_close_matches(name, list(known), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise UsageError(f"--vary cannot change {name[:40]!r}{hint} (it takes: {', '.join(known)})")
    return spec


def complete_variable(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of the options --vary takes."""
    from click.shell_completion import CompletionItem

    return [CompletionItem(name, help=spec.help) for name, spec in variables().items() if name.startswith(incomplete)]


@click.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@route_options
@click.option(
    "--vary",
    required=True,
    metavar="NAME=START:STOP:STEP",
    shell_complete=complete_variable,
    help="The option to vary and its inclusive range, e.g. aid=0:90:30.",
)
@scenario_options
@output_options
@catalog_option
@click.pass_context
def sweep(ctx: click.Context, /, program_id: str | None, pathway_id: str | None, vary: str, **options: Any) -> None:
    """Net cost and savings for each value of one option.

    \b
    Examples:
      mmcost sweep --program mit-scm --pathway hes --vary aid=0:90:30
      mmcost sweep -p mit-scm -w hes --vary tuition-per-course=2000:4000:500 --format csv
    """
    from mmcost import views
    from mmcost.engine import estimate
    from mmcost.engine.whatif import sweep as sweep_values
    from mmcost.engine.whatif import value_range

    output = output_for(ctx, options)
    name, sep, spec = vary.partition("=")
    parts = spec.split(":")
    if not sep or len(parts) != 3:
        raise UsageError(f"--vary {vary[:60]!r}: write NAME=START:STOP:STEP, e.g. aid=0:90:30")
    chosen = variable(name)
    start, stop, step = (_number(part, f"--vary {chosen.name}") for part in parts)
    request, from_file = scenario_request(ctx, options)
    program_id, pathway_id = route_ids(program_id, pathway_id, from_file, options["route_key"])
    price = partial(estimate, load(ctx, options["catalog_files"]), program_id, pathway_id)
    points = sweep_values(price, request, chosen, value_range(chosen, start, stop, step))
    emit_view(views.sweep_view(program_id, pathway_id, chosen.name, points), output)


@click.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@route_options
@click.option(
    "--vary",
    required=True,
    metavar="NAME",
    shell_complete=complete_variable,
    help="The option to solve for, e.g. tuition-per-course.",
)
@click.option("--low", help="Lowest value to search [default: the option's lowest, e.g. 0].")
@click.option("--high", help="Highest value to search [default: the option's highest, or found by doubling].")
@scenario_options
@output_options
@catalog_option
@click.pass_context
def breakeven(ctx: click.Context, /, program_id: str | None, pathway_id: str | None, vary: str, **options: Any) -> None:
    """The value of one option at which the pathway stops saving money.

    Bisection on the exact engine, to the cent (or to one, for whole-number
    options). Says so when the pathway always or never saves in the range.

    \b
    Examples:
      mmcost breakeven --program mit-scm --pathway hes --vary tuition-per-course
      mmcost breakeven -p mit-scm -w mit --vary living-per-month --high 20000
    """
    from mmcost import views
    from mmcost.engine import estimate
    from mmcost.engine.whatif import breakeven as solve

    output = output_for(ctx, options)
    chosen = variable(vary)
    bounds = (options.pop("low"), options.pop("high"))
    request, from_file = scenario_request(ctx, options)
    program_id, pathway_id = route_ids(program_id, pathway_id, from_file, options["route_key"])
    price = partial(estimate, load(ctx, options["catalog_files"]), program_id, pathway_id)
    found = solve(price, request, chosen, bounds)
    emit_view(views.breakeven_view(program_id, pathway_id, chosen.name, found), output)


def _number(text: str, what: str) -> Decimal:
    try:
        number = Decimal(text.strip()[:100])
    except InvalidOperation:
        raise UsageError(f"{what}: {text[:40]!r} is not a number") from None
    if not number.is_finite():
        raise UsageError(f"{what}: {text[:40]!r} is not finite")
    return number
