"""Estimates as rows and documents: the estimate's JSON contract, compare, batch, sweep and breakeven."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from typing import TYPE_CHECKING

from mmcost.engine import Estimate, FigureUse, LineItem, Notice, Outcome, ScheduleYear, Unpriced, academic_year
from mmcost.errors import command_line, spelled
from mmcost.model import Catalog
from mmcost.views.base import SCHEMA_VERSION, Row, View, rows_view
from mmcost.views.catalog import route_status

if TYPE_CHECKING:  # what-if and the timeline load only for the commands that use them
    from mmcost.engine.whatif import Breakeven, SweepPoint

COMPARE_FIELDS = (
    "key",
    "program",
    "pathway",
    "route",
    "name",
    "versus",
    "status",
    "currency",
    "net_cost",
    "savings",
    "savings_pct",
    "courses_credited",
    "courses_remaining",
    "months",
    "fee_year",
    "micromasters_cost",
    "degree_cost",
    "living_travel_cost",
    "opportunity_cost",
    "employer_funding",
    "missing",
)
SORTABLE = ("net_cost", "savings", "savings_pct", "months", "courses_remaining", "program", "pathway", "key")
DEFAULT_SORT = "net_cost"


def compare_rows(results: Sequence[Estimate | Unpriced], catalog: Catalog) -> list[Row]:
    """Each route's row, then each distinct degree's direct route as a baseline row.

    Every row has a unique key: PROGRAM/PATHWAY for a pathway, PROGRAM/PATHWAY/direct
    for the direct degree its savings are measured against (the first pathway's key
    when several pathways lead to the same degree); a pathway row names it in `versus`.
    """
    rows: list[Row] = []
    baselines: dict[str, Row] = {}
    for result in results:
        status = route_status(catalog, result.program_id, result.pathway_id)
        if isinstance(result, Unpriced):
            rows.append({**_unpriced_row(result, catalog), "status": status})
            continue
        row = {**_route_row(result), "status": status}
        if result.baseline_cost is not None:
            direct = baselines.setdefault(
                f"{result.school}/{result.degree_name}/{result.fee_year}", _direct_row(result)
            )
            row["versus"] = direct["key"]
        rows.append(row)
    return rows + list(baselines.values())


def _unpriced_row(result: Unpriced, catalog: Catalog) -> Row:
    return {
        "key": f"{result.program_id}/{result.pathway_id}",
        "program": result.program_id,
        "pathway": result.pathway_id,
        "route": "pathway",
        "name": catalog.pathway(result.program_id, result.pathway_id).name,
        "missing": "; ".join(spelled(problem, command_line) for problem in result.problems),
    }


def _route_row(result: Estimate) -> Row:
    return {
        "key": f"{result.program_id}/{result.pathway_id}",
        "program": result.program_id,
        "pathway": result.pathway_id,
        "route": "pathway",
        "name": result.pathway_name,
        "currency": result.currency,
        "net_cost": result.net_cost,
        "savings": result.savings,
        "savings_pct": result.savings_pct,
        "courses_credited": result.courses_credited,
        "courses_remaining": result.courses_remaining,
        "months": result.months,
        "fee_year": result.fee_year,
        "micromasters_cost": result.micromasters_cost,
        "degree_cost": result.remaining_degree_cost,
        "living_travel_cost": result.living_travel_cost,
        "opportunity_cost": result.opportunity_cost,
        "employer_funding": result.employer_funding,
    }


def _direct_row(result: Estimate) -> Row:
    """The direct degree a route's savings are measured against, as a row of its own."""
    parts = result.baseline_parts
    return {
        "key": f"{result.program_id}/{result.pathway_id}/direct",
        "program": result.program_id,
        "pathway": "direct",
        "route": "direct",
        "name": f"{result.school} {result.degree_name}, taken directly",
        "currency": result.currency,
        "net_cost": result.baseline_cost,
        "savings": Decimal("0.00"),
        "savings_pct": Decimal("0.0"),
        "courses_credited": 0 if result.courses_required is not None else None,
        "courses_remaining": result.courses_required,
        "months": result.baseline_months,
        "fee_year": result.fee_year,
        "micromasters_cost": Decimal("0.00"),
        "degree_cost": parts["education"],
        "living_travel_cost": parts["living"],
        "opportunity_cost": parts["opportunity"],
        "employer_funding": -parts["funding"],
    }


def sort_rows(rows: list[Row], field: str, *, descending: bool = False) -> list[Row]:
    """Rows ordered by one field; rows without a value go last."""
    present = [row for row in rows if row.get(field) is not None]
    absent = [row for row in rows if row.get(field) is None]
    return sorted(present, key=lambda row: row[field], reverse=descending) + absent


def compare_view(
    results: Sequence[Estimate | Unpriced], catalog: Catalog, sort_field: str | None, *, chart: bool = False
) -> View:
    """compare's rows: each route, then each distinct direct degree as a baseline (the table may add a chart)."""
    rows = compare_rows(results, catalog)
    field = sort_field or DEFAULT_SORT
    rows = sort_rows(rows, field, descending=field in ("savings", "savings_pct"))
    view = rows_view(rows, COMPARE_FIELDS, layout="compare")
    estimates = [result for result in results if isinstance(result, Estimate)]
    return view._replace(subject=estimates, options={"chart": chart})


LINE_ITEM_FIELDS = (
    "program", "pathway", "section", "label", "quantity", "unit", "unit_amount", "amount", "currency", "figure",
    "as_of", "applies_to", "basis", "source",
)  # fmt: skip
SCHEDULE_FIELDS = ("year", "paid", "employer", "out_of_pocket", "foregone_salary")


_ITEM_FIELDS = LINE_ITEM_FIELDS[2:]
"""A line item's fields in its JSON: LineItem's first ones, in order (tests/test_cli.py checks it)."""


def line_item_dict(item: LineItem) -> Row:
    """One line item as JSON-ready data."""
    return dict(zip(_ITEM_FIELDS, item, strict=False))  # its first fields: zip stops at the names


def schedule_dicts(rows: Sequence[ScheduleYear]) -> list[Row]:
    """A route's schedule as JSON-ready rows."""
    return [row._asdict() for row in rows]


def outcome_dict(outcome: Outcome | None) -> Row | None:
    """Payback and NPV as JSON-ready data (None without a salary uplift)."""
    if outcome is None:
        return None
    return {
        "salary_uplift": outcome.uplift,
        "discount_rate_pct": outcome.discount_rate_pct,
        "payback_years": outcome.payback_years,
        "npv": {str(horizon): value for horizon, value in outcome.npv.items()},
    }


ESTIMATE_TOTALS = (
    "micromasters_cost", "remaining_degree_cost", "living_travel_cost", "opportunity_cost", "employer_funding",
    "net_cost", "baseline_cost", "savings", "savings_pct", "courses_credited", "courses_remaining", "courses_required",
)  # fmt: skip


MONEY_TOTALS = ESTIMATE_TOTALS[: ESTIMATE_TOTALS.index("savings") + 1]
"""The totals that are amounts of money: micromasters_cost ... net_cost, baseline_cost, savings."""


def estimate_dict(estimate: Estimate) -> Row:
    """The JSON contract of `mmcost estimate` (options named in warnings and assumptions as on the command line)."""
    exchange = estimate.exchange_rate
    return {
        "schema_version": SCHEMA_VERSION,
        "program": estimate.program_id,
        "pathway": estimate.pathway_id,
        "program_name": estimate.program_name,
        "pathway_name": estimate.pathway_name,
        "degree": estimate.degree_name,
        "school": estimate.school,
        "fee_year": estimate.fee_year,
        "fee_year_label": academic_year(estimate.fee_year) if estimate.fee_year is not None else None,
        "figures_oldest_year": estimate.figures_oldest_year,
        "figures_newest_year": estimate.figures_newest_year,
        "carried_forward": estimate.carried_forward,
        "check_prices_at": [use._asdict() for use in pages_to_check(estimate)],
        "currency": estimate.currency,
        **dict(zip(ESTIMATE_TOTALS, _totals(estimate), strict=True)),
        "start": str(estimate.start),
        "months": estimate.months,
        "baseline_months": estimate.baseline_months,
        "exchange_rate": {"from": exchange[0], "to": exchange[1], "rate": exchange[2]} if exchange else None,
        "outcome": outcome_dict(estimate.outcome),
        "baseline_outcome": outcome_dict(estimate.baseline_outcome),
        "schedule": schedule_dicts(estimate.schedule),
        "baseline_schedule": schedule_dicts(estimate.baseline_schedule),
        "line_items": [line_item_dict(item) for item in estimate.line_items],
        "assumptions": list(map(_on_command_line, estimate.assumptions)),
        "warnings": list(map(_on_command_line, estimate.warnings)),
    }


@lru_cache(maxsize=4096)
def _on_command_line(text: str) -> str:
    """A warning or an assumption with its options spelled as on the command line: kept, since the rows of a
    batch mostly say the same (4,096 texts at most: memory stays bounded)."""
    return spelled(text, command_line)


STALE_AFTER_YEARS = 2
"""A figure more than this many years older than the fee year comes with the page to check its price at."""


def pages_to_check(estimate: Estimate) -> list[FigureUse]:
    """The figures used that are more than STALE_AFTER_YEARS older than the fee year and name a page to check."""
    fee_year = estimate.fee_year
    if fee_year is None:
        return []
    return [use for use in estimate.figures_used if use.check_at and fee_year - use.year > STALE_AFTER_YEARS]


def estimate_view(estimate: Estimate, *, schedule: bool = False, explain: bool = False, chart: bool = False) -> View:
    """The estimate: JSON the whole contract, CSV/TSV its line items (or with schedule, the yearly schedule).

    The table alone draws the chart; machine formats are data and never carry it.
    """
    document = estimate_dict(estimate)
    route_ids = {"program": estimate.program_id, "pathway": estimate.pathway_id}
    if schedule:
        rows = [{"route": "pathway", **row} for row in schedule_dicts(estimate.schedule)]
        rows += [{"route": "direct", **row} for row in schedule_dicts(estimate.baseline_schedule)]
        fields: tuple[str, ...] = ("route", *SCHEDULE_FIELDS)
    else:
        rows = [{**route_ids, **line_item_dict(item)} for item in estimate.line_items]
        rows += [  # the totals, as rows of their own section, so that a CSV reader need not add them up
            {
                **route_ids,
                "section": "total",
                "label": name,
                "amount": getattr(estimate, name),
                "currency": estimate.currency,
            }
            for name in MONEY_TOTALS
        ]
        fields = LINE_ITEM_FIELDS
    options = {"schedule": schedule, "explain": explain, "chart": chart}
    return View(document, [document], rows, fields, "estimate", subject=estimate, options=options)


# --- batch, sweep, breakeven ------------------------------------------------------------

BATCH_FIELDS = (
    "row", "id", "program", "pathway", "fee_year", "currency", *ESTIMATE_TOTALS,
    "start", "months", "baseline_months", "payback_years", "npv_5", "npv_10", "npv_20", "warnings",
)  # fmt: skip
"""batch's CSV/TSV columns: the input row, its id, then the estimate's fields flattened."""
BATCH_TABLE = ("row", "id", "program", "pathway", "currency", "net_cost", "savings", "savings_pct", "months")


def batch_result(estimate: Estimate, *, flat: bool) -> Row:
    """One priced row's result: flattened for CSV/TSV/table, else the estimate's JSON contract, whose
    fields sit beside `row` and `id` at the top level (so that `sqlite-utils insert --nl` gets columns).

    The same contract as `mmcost estimate --format json`, word for word (options in
    warnings are spelled as on the command line); only batch's error messages name columns.
    """
    if not flat:
        return estimate_dict(estimate)
    return dict(zip(BATCH_FIELDS[2:], batch_values(estimate), strict=True))


def batch_values(estimate: Estimate) -> tuple[object, ...]:
    """The flattened result's values, in the order of BATCH_FIELDS after row and id: estimate_dict's fields,
    without the line items and schedules that CSV leaves out."""
    route, money, (*counts, start, months, baseline_months), outcome, warnings = batch_runs(estimate)
    return (*route, *money, *counts, str(start), months, baseline_months, *outcome, warnings)


def batch_runs(
    estimate: Estimate,
) -> tuple[tuple[object, ...], tuple[object, ...], tuple[object, ...], tuple[object, ...], str]:
    """batch_values in the runs that CSV and TSV write as they come (render.RowEncoder): the route's ids
    (program ... currency), the money (micromasters_cost ... savings_pct), the plan's counts (courses_credited
    ... baseline_months, with the start term as a Term), the outcome (payback_years ... npv_20), then the
    warnings cell. The rows of one route plan mostly repeat the first and third (render.RowEncoder keeps them)."""
    notices, outcome = estimate.notices, estimate.outcome
    # The rows of a plan that say the same share the very tuple of notices (the engine keeps each list once):
    # found by identity, it is not hashed again (its cell is _warnings_cell's, kept with the tuple itself).
    warnings = _SPELLED.get(id(notices))
    if warnings is None or warnings[0] is not notices:
        if len(_SPELLED) >= SPELLED_KEPT:
            _SPELLED.clear()
        warnings = _SPELLED[id(notices)] = notices, _warnings_cell(notices)
    if outcome is None:
        returns: tuple[object, ...] = NO_RETURNS
    else:
        npv = outcome.npv
        returns = (outcome.payback_years, npv.get(5), npv.get(10), npv.get(20))
    return (
        (estimate.program_id, estimate.pathway_id, estimate.fee_year, estimate.currency),
        _money(estimate),
        (*_counts(estimate), estimate.start, estimate.months, estimate.baseline_months),
        returns,
        warnings[1],
    )


SPELLED_KEPT = 1024
"""Warnings cells batch_runs keeps by the identity of their notices; memory stays bounded whatever the rows."""
_SPELLED: dict[int, tuple[tuple[Notice, ...], str]] = {}


NO_RETURNS: tuple[object, ...] = (None, None, None, None)
"""batch_runs' outcome run when there is no outcome (no salary uplift given): always this tuple."""
_totals = attrgetter(*ESTIMATE_TOTALS)
_money = attrgetter(*ESTIMATE_TOTALS[: ESTIMATE_TOTALS.index("courses_credited")])
_counts = attrgetter(*ESTIMATE_TOTALS[ESTIMATE_TOTALS.index("courses_credited") :])


@lru_cache(maxsize=1024)
def _warnings_cell(notices: tuple[Notice, ...]) -> str:
    """The warnings as one cell (rows of one route plan mostly share them, so each is spelled once)."""
    return " | ".join(spelled(notice.text, command_line) for notice in notices)


SWEEP_FIELDS = (
    "program", "pathway", "variable", "value", "currency", "net_cost", "savings", "savings_pct", "months", "missing",
)  # fmt: skip
SWEEP_TABLE = ("value", "net_cost", "savings", "savings_pct", "months", "missing")
BREAKEVEN_FIELDS = (
    "program", "pathway", "variable", "verdict", "value", "low", "high", "savings_at_low", "savings_at_high",
    "currency",
)  # fmt: skip


def sweep_view(program_id: str, pathway_id: str, variable: str, points: Sequence[SweepPoint]) -> View:
    """One row per value of the varied option."""
    rows = []
    for point in points:
        row: Row = {"program": program_id, "pathway": pathway_id, "variable": variable, "value": point.value}
        result = point.estimate
        if result is None:
            row["missing"] = "; ".join(spelled(problem, command_line) for problem in point.missing)
        else:
            row |= {
                name: getattr(result, name) for name in ("currency", "net_cost", "savings", "savings_pct", "months")
            }
        rows.append(row)
    title = f"{program_id}/{pathway_id}, varying {variable}"
    return rows_view(rows, SWEEP_FIELDS, title=title, table_fields=SWEEP_TABLE)


def breakeven_view(program_id: str, pathway_id: str, variable: str, found: Breakeven) -> View:
    """One row: the break-even value, or the verdict that there is none in the range."""
    row = {"program": program_id, "pathway": pathway_id, "variable": variable, **found._asdict()}
    return rows_view([row], BREAKEVEN_FIELDS, title=f"{program_id}/{pathway_id}: break-even of {variable}")


# --- checking and locating catalogs -----------------------------------------------------


def report_dict(estimate: Estimate, command: str) -> Row:
    """`report --format json`: the data behind the page, the estimate's contract plus the charts' figures."""
    from mmcost.views.timeline import timeline, timeline_dict

    return {**estimate_dict(estimate), "timeline": timeline_dict(timeline([estimate])), "command": command}
