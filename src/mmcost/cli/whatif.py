"""`mmcost sweep` and `mmcost breakeven`: what-ifs over one option."""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation
from typing import Any

import click

from mmcost.cli.base import CONTEXT_SETTINGS, EXIT_CODES_HELP
from mmcost.cli.common import (
    catalog_option,
    complete_pathway,
    complete_program,
    emit,
    load,
    output_for,
    output_options,
)
from mmcost.cli.scenario import merged_options, request_from, scenario_options
from mmcost.errors import MissingFigureError, UsageError

# Options --vary can change: name -> (option key, resolution for break-even, whole numbers only).
VARIABLES: dict[str, tuple[str, Decimal, bool]] = {
    "aid": ("aid", Decimal("0.01"), False),
    "income": ("income", Decimal("0.01"), False),
    "scholarship": ("scholarship", Decimal("0.01"), False),
    "employer-per-year": ("employer_per_year", Decimal("0.01"), False),
    "retakes": ("retakes", Decimal(1), True),
    "exam-retakes": ("exam_retakes", Decimal(1), True),
    "courses-per-term": ("courses_per_term", Decimal(1), True),
    "fee-growth": ("fee_growth", Decimal("0.01"), False),
    "living-per-month": ("living_per_month", Decimal("0.01"), False),
    "trip-cost": ("trip_cost", Decimal("0.01"), False),
    "salary": ("salary", Decimal("0.01"), False),
    "salary-uplift": ("salary_uplift", Decimal("0.01"), False),
    "discount-rate": ("discount_rate", Decimal("0.01"), False),
    "course-fee": ("course_fee", Decimal("0.01"), False),
    "exam-fee": ("exam_fee", Decimal("0.01"), False),
    "tuition-per-course": ("tuition_per_course", Decimal("0.01"), False),
    "tuition-per-credit": ("tuition_per_credit", Decimal("0.01"), False),
    "application-fee": ("application_fee", Decimal("0.01"), False),
    "rate": ("rate", Decimal("0.0001"), False),
    "year": ("year", Decimal(1), True),
}
SWEEP_FIELDS = (
    "program",
    "pathway",
    "variable",
    "value",
    "currency",
    "net_cost",
    "savings",
    "savings_pct",
    "months",
    "missing",
)
BREAKEVEN_FIELDS = (
    "program",
    "pathway",
    "variable",
    "verdict",
    "value",
    "low",
    "high",
    "savings_at_low",
    "savings_at_high",
    "currency",
)


def _variable(name: str) -> tuple[str, Decimal, bool]:
    if name not in VARIABLES:
        import difflib

        close = difflib.get_close_matches(name, list(VARIABLES), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise UsageError(f"--vary cannot change {name!r}{hint} (it takes: {', '.join(VARIABLES)})")
    return VARIABLES[name]


def _set(ctx: click.Context, values: dict[str, Any], key: str, value: Decimal, whole: bool) -> dict[str, Any]:
    """A copy of the option values with one changed, checked as if typed on the command line."""
    if whole and value != value.to_integral_value():
        raise UsageError(f"{key.replace('_', '-')} takes whole numbers, not {value}")
    changed = copy.copy(values)
    param = next((p for p in ctx.command.params if p.name == key), None)
    typed: Any = int(value) if whole else value
    if param is not None:
        try:
            typed = param.type.convert(str(typed), param, ctx)
        except click.BadParameter as error:
            raise UsageError(f"--vary {key.replace('_', '-')}={value}: {error.message}") from None
    changed[key] = typed
    return changed


def _route_options(function: Any) -> Any:
    function = click.option(
        "-w", "--pathway", "pathway_id", metavar="ID", shell_complete=complete_pathway, help="Pathway id."
    )(function)
    return click.option(
        "-p", "--program", "program_id", metavar="ID", shell_complete=complete_program, help="Program id."
    )(function)


@click.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@_route_options
@click.option(
    "--vary",
    "vary",
    required=True,
    metavar="NAME=START:STOP:STEP",
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
    from mmcost import engine
    from mmcost.cli.estimate import program_and_pathway
    from mmcost.engine.whatif import value_range
    from mmcost.render import render_rows

    output = output_for(ctx, options)
    name, start, stop, step = _parse_vary(vary)
    key, _, whole = _variable(name)
    values = merged_options(ctx, options)
    program_id, pathway_id = program_and_pathway(program_id, pathway_id, values)
    catalog = load(ctx, options["catalog_files"])
    chosen = engine.route(catalog, program_id, pathway_id)
    rows = []
    for value in value_range(start, stop, step):
        request = request_from(_set(ctx, values, key, value, whole))
        row: dict[str, Any] = {"program": program_id, "pathway": pathway_id, "variable": name, "value": value}
        try:
            result = engine.estimate(
                catalog, program_id, pathway_id, engine.assumptions_for(catalog, chosen, request), request.scenario
            )
        except MissingFigureError as error:
            rows.append({**row, "missing": "; ".join(error.problems)})
            continue
        pct = result.savings_pct
        rows.append(
            {
                **row,
                "currency": result.currency,
                "net_cost": result.net_cost,
                "savings": result.savings,
                "savings_pct": pct,
                "months": result.months,
            }
        )
    emit(
        render_rows(
            rows,
            SWEEP_FIELDS,
            output.format,
            output.style,
            title=f"{program_id}/{pathway_id}, varying {name}",
            table_fields=("value", "net_cost", "savings", "savings_pct", "months", "missing"),
        ),
        output,
    )


def _parse_vary(text: str) -> tuple[str, Decimal, Decimal, Decimal]:
    name, sep, spec = text.partition("=")
    parts = spec.split(":")
    if not sep or len(parts) != 3:
        raise UsageError(f"--vary {text!r}: write NAME=START:STOP:STEP, e.g. aid=0:90:30")
    try:
        start, stop, step = (Decimal(part) for part in parts)
    except InvalidOperation:
        raise UsageError(f"--vary {text!r}: START, STOP and STEP must be numbers") from None
    if not all(number.is_finite() for number in (start, stop, step)):
        raise UsageError(f"--vary {text!r}: START, STOP and STEP must be finite")
    return name.strip(), start, stop, step


@click.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@_route_options
@click.option("--vary", "vary", required=True, metavar="NAME", help="The option to solve for, e.g. tuition-per-course.")
@click.option(
    "--low", type=str, default=None, help="Lowest value to search [default: 0, or 1 for whole-number options]."
)
@click.option(
    "--high", type=str, default=None, help="Highest value to search [default: found by doubling, up to 10,000,000]."
)
@scenario_options
@output_options
@catalog_option
@click.pass_context
def breakeven(
    ctx: click.Context,
    /,
    program_id: str | None,
    pathway_id: str | None,
    vary: str,
    low: str | None,
    high: str | None,
    **options: Any,
) -> None:
    """The value of one option at which the pathway stops saving money.

    Bisection on the exact engine, to the cent (or to one, for whole-number
    options). Says so when the pathway always or never saves in the range.

    \b
    Examples:
      mmcost breakeven --program mit-scm --pathway hes --vary tuition-per-course
      mmcost breakeven -p mit-scm -w mit --vary living-per-month --high 20000
    """
    from mmcost import engine
    from mmcost.cli.estimate import program_and_pathway
    from mmcost.engine.whatif import find_breakeven
    from mmcost.render import render_rows

    output = output_for(ctx, options)
    key, resolution, whole = _variable(vary)
    if key == "year":
        raise UsageError(
            "the fee year picks figures, it does not move costs smoothly; use mmcost sweep --vary year=..."
        )
    values = merged_options(ctx, options)
    program_id, pathway_id = program_and_pathway(program_id, pathway_id, values)
    catalog = load(ctx, options["catalog_files"])
    chosen = engine.route(catalog, program_id, pathway_id)
    currency = ""

    def savings(value: Decimal) -> Decimal:
        nonlocal currency
        request = request_from(_set(ctx, values, key, value, whole))
        result = engine.estimate(
            catalog, program_id, pathway_id, engine.assumptions_for(catalog, chosen, request), request.scenario
        )
        if result.savings is None:
            raise UsageError(f"{program_id}/{pathway_id} has no direct route, so there is no break-even")
        currency = result.currency
        return result.savings

    floor, ceiling = _bounds(ctx, key)
    lowest = _number(low, "--low") if low is not None else floor
    if high is not None:
        highest = _number(high, "--high")
    else:
        highest = ceiling if ceiling is not None else _search_high(savings, lowest, whole)
    result = find_breakeven(savings, lowest, highest, resolution)
    row = {
        "program": program_id,
        "pathway": pathway_id,
        "variable": vary,
        "verdict": result.verdict,
        "value": result.value,
        "low": result.low,
        "high": result.high,
        "savings_at_low": result.savings_at_low,
        "savings_at_high": result.savings_at_high,
        "currency": currency,
    }
    emit(
        render_rows(
            [row],
            BREAKEVEN_FIELDS,
            output.format,
            output.style,
            title=f"{program_id}/{pathway_id}: break-even of {vary}",
        ),
        output,
    )


def _number(text: str, option: str) -> Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise UsageError(f"{option} {text!r} is not a number") from None
    if not number.is_finite():
        raise UsageError(f"{option} {text!r} is not finite")
    return number


def _bounds(ctx: click.Context, key: str) -> tuple[Decimal, Decimal | None]:
    """The option's own range when it has one (aid 0-90, pace 1-12, year 1900-2200), else from 0, unbounded."""
    param = next((p for p in ctx.command.params if p.name == key), None)
    kind = param.type if param is not None else None
    if isinstance(kind, click.IntRange):
        low, high = kind.min, kind.max
    else:
        low, high = getattr(kind, "low", None), getattr(kind, "high", None)
    return (Decimal(low) if low is not None else Decimal(0)), (Decimal(high) if high is not None else None)


def _search_high(savings: Any, low: Decimal, whole: bool) -> Decimal:
    """Double from the low end until the savings change sign, or 10,000,000 is reached."""
    limit = Decimal(10_000_000)
    at_low = savings(low) > 0
    high = max(low * 2, Decimal(10) if whole else Decimal(100))
    while high < limit and (savings(high) > 0) == at_low:
        high *= 2
    return min(high, limit)
