"""Every machine contract: what each command prints, as plain data, with its field names and order.

No arithmetic beyond picking values out, no formatting: render turns a View
into a table or a machine format. The field names, their order and
SCHEMA_VERSION here are the JSON/NDJSON/CSV/TSV contract of every command.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from mmcost.engine import Estimate, LineItem, Outcome, Route, ScheduleYear, Unpriced, academic_year, route
from mmcost.engine.whatif import Breakeven, SweepPoint
from mmcost.errors import Issue, command_line, spelled
from mmcost.model import Catalog, Figure

Row = dict[str, Any]

SCHEMA_VERSION = 1
"""Version of every command's JSON/NDJSON/CSV/TSV field contract; bumped only on breaking changes."""

Layout = Literal["rows", "estimate", "compare", "show"]


class View(NamedTuple):
    """What a command prints, in every format; render takes the part each format needs."""

    document: Mapping[str, Any]
    """The JSON document."""
    records: Sequence[Mapping[str, Any]]
    """NDJSON: one line each."""
    rows: Sequence[Mapping[str, Any]]
    """CSV and TSV rows (and the rows of a plain table)."""
    fields: tuple[str, ...]
    """CSV and TSV columns, in order."""
    layout: Layout = "rows"
    """Which table render draws for people."""
    title: str | None = None
    table_fields: tuple[str, ...] | None = None
    subject: Any = None
    """What a non-row table is drawn from (an Estimate, a show document)."""
    options: Mapping[str, bool] = {}


def rows_view(
    rows: Sequence[Row],
    fields: tuple[str, ...],
    *,
    title: str | None = None,
    table_fields: tuple[str, ...] | None = None,
    layout: Layout = "rows",
) -> View:
    """A list of rows: JSON as {"schema_version", "rows": [...]}, NDJSON a line per row."""
    picked = [{name: row.get(name) for name in fields} for row in rows]
    document = {"schema_version": SCHEMA_VERSION, "rows": picked}
    return View(document, picked, rows, fields, layout, title, table_fields)


PROGRAM_FIELDS = ("program", "name", "institution", "courses", "pathways", "fee_years", "defined_in")
PROGRAM_TABLE = ("program", "name", "courses", "pathways", "fee_years")
PATHWAY_TABLE = ("program", "pathway", "name", "courses_credited", "courses_required", "months", "fee_years")
PATHWAY_FIELDS = (
    "program",
    "pathway",
    "name",
    "school",
    "degree",
    "courses_credited",
    "courses_required",
    "courses_remaining",
    "months",
    "fee_years",
)
FIGURE_FIELDS = (
    "figure",
    "label",
    "kind",
    "year",
    "applies_to",
    "amount",
    "currency",
    "tier",
    "basis",
    "source",
    "note",
    "defined_in",
)
COMPARE_FIELDS = (
    "program",
    "pathway",
    "route",
    "name",
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
SORTABLE = ("net_cost", "savings", "savings_pct", "months", "courses_remaining", "program", "pathway")


def year_span(years: Iterable[int]) -> str:
    """Sorted academic years as text: '2016-17, 2018-19, 2019-20'."""
    return ", ".join(academic_year(year) for year in sorted(set(years)))


def _route_years(catalog: Catalog, chosen: Route) -> list[int]:
    return [value.year for figure_id in chosen.figure_ids() for value in catalog.figures[figure_id].values]


def program_rows(catalog: Catalog) -> list[Row]:
    """One row per program."""
    rows = []
    for program_id, program in catalog.programs.items():
        years: list[int] = []
        for pathway_id in program.pathways:
            years += _route_years(catalog, route(catalog, program_id, pathway_id))
        own = [program.course_fee, *(exam.fee for exam in program.exams)]
        years += [value.year for figure_id in own for value in catalog.figures[figure_id].values]
        rows.append(
            {
                "program": program_id,
                "name": program.name,
                "institution": program.institution,
                "courses": program.number_of_courses,
                "pathways": ", ".join(program.pathways) or "-",
                "fee_years": year_span(years),
                "defined_in": catalog.origins.get(("programs", program_id), ""),
            }
        )
    return rows


def pathway_rows(catalog: Catalog, program_ids: Sequence[str] = ()) -> list[Row]:
    """One row per pathway, for some programs or all."""
    for program_id in program_ids:
        catalog.program(program_id)
    rows = []
    for program_id, program in catalog.programs.items():
        if program_ids and program_id not in program_ids:
            continue
        for pathway_id, pathway in program.pathways.items():
            degree = catalog.degrees[pathway.degree]
            remaining = None
            if pathway.courses_credited is not None and degree.courses_required is not None:
                remaining = degree.courses_required - pathway.courses_credited
            rows.append(
                {
                    "program": program_id,
                    "pathway": pathway_id,
                    "name": pathway.name,
                    "school": degree.school,
                    "degree": degree.name,
                    "courses_credited": pathway.courses_credited,
                    "courses_required": degree.courses_required,
                    "courses_remaining": remaining,
                    "months": pathway.months,
                    "fee_years": year_span(_route_years(catalog, route(catalog, program_id, pathway_id))),
                }
            )
    return rows


def figure_rows(catalog: Catalog, figure_ids: Iterable[str]) -> list[Row]:
    """Every dated value of the figures, newest last; an unknown figure gets one row with its gap."""
    rows = []
    for figure_id in dict.fromkeys(figure_ids):
        figure = catalog.figures[figure_id]
        base: Row = {
            "figure": figure_id,
            "label": figure.label,
            "kind": figure.kind,
            "defined_in": catalog.origins.get(("figures", figure_id), ""),
        }
        if not figure.values:
            rows.append({**base, "basis": "unknown", "note": figure.gap})
            continue
        for value in sorted(figure.values, key=lambda v: (v.year, v.tier or "")):
            rows.append(
                {
                    **base,
                    "year": value.year,
                    "applies_to": value.applies_to,
                    "amount": value.amount,
                    "currency": value.currency,
                    "tier": value.tier,
                    "basis": value.basis,
                    "source": value.source,
                    "note": value.note,
                }
            )
    return rows


def _gaps(figures: Iterable[Figure]) -> list[str]:
    return [f"{figure.label}: {figure.gap}" for figure in figures if figure.gap]


def show_program(catalog: Catalog, program_id: str) -> Row:
    """Everything the catalog says about one program."""
    program = catalog.program(program_id)
    figure_ids = [program.course_fee, *(exam.fee for exam in program.exams)]
    return {
        "kind": "program",
        "program": program_id,
        "name": program.name,
        "institution": program.institution,
        "url": program.url,
        "defined_in": catalog.origins.get(("programs", program_id), ""),
        "courses": [{"code": course.code, "title": course.title} for course in program.courses],
        "course_count": program.number_of_courses,
        "course_note": program.course_note,
        "exams": [{"name": exam.name, "count": exam.count, "figure": exam.fee} for exam in program.exams],
        "pathways": pathway_rows(catalog, [program_id]),
        "figures": figure_rows(catalog, figure_ids),
        "notes": [note._asdict() for note in program.notes],
        "gaps": [*_gaps(catalog.figures[f] for f in figure_ids), *program.gaps],
    }


def show_pathway(catalog: Catalog, program_id: str, pathway_id: str) -> Row:
    """Everything the catalog says about one pathway, its degree and its figures."""
    chosen = route(catalog, program_id, pathway_id)
    pathway, degree = chosen.pathway, chosen.degree

    def charges(items: Iterable[Any]) -> list[Row]:
        return [charge._asdict() for charge in items]

    return {
        "kind": "pathway",
        "program": program_id,
        "pathway": pathway_id,
        "name": pathway.name,
        "source": pathway.source,
        "defined_in": catalog.origins.get(("programs", program_id), ""),
        "degree": {
            "id": pathway.degree,
            "name": degree.name,
            "school": degree.school,
            "courses_required": degree.courses_required,
            "credits_required": degree.credits_required,
            "months": degree.months,
            "source": degree.source,
            "direct_route": charges(degree.direct.charges) if degree.direct else None,
            "defined_in": catalog.origins.get(("degrees", pathway.degree), ""),
        },
        "credit": {
            "courses_credited": pathway.courses_credited,
            "credits_credited": pathway.credits_credited,
            "note": pathway.credit_note,
        },
        "months": pathway.months,
        "charges": charges(pathway.charges),
        "requirements": [requirement._asdict() for requirement in pathway.requirements],
        "notes": [note._asdict() for note in pathway.notes],
        "figures": figure_rows(catalog, chosen.figure_ids()),
        "gaps": [*_gaps(catalog.figures[f] for f in chosen.figure_ids()), *chosen.program.gaps],
    }


def compare_rows(results: Sequence[Estimate | Unpriced], catalog: Catalog) -> list[Row]:
    """Each route's row, then each distinct degree's direct route as a baseline row."""
    rows: list[Row] = []
    baselines: dict[str, Row] = {}
    for result in results:
        if isinstance(result, Unpriced):
            rows.append(_unpriced_row(result, catalog))
            continue
        rows.append(_route_row(result))
        if result.baseline_cost is not None:
            baselines.setdefault(f"{result.school}/{result.degree_name}/{result.fee_year}", _direct_row(result))
    return rows + list(baselines.values())


def _unpriced_row(result: Unpriced, catalog: Catalog) -> Row:
    return {
        "program": result.program_id,
        "pathway": result.pathway_id,
        "route": "pathway",
        "name": catalog.pathway(result.program_id, result.pathway_id).name,
        "missing": "; ".join(spelled(problem, command_line) for problem in result.problems),
    }


def _route_row(result: Estimate) -> Row:
    return {
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


def compare_view(results: Sequence[Estimate | Unpriced], catalog: Catalog, sort_field: str | None) -> View:
    """compare's rows: each route, then each distinct direct degree as a baseline."""
    rows = compare_rows(results, catalog)
    if sort_field:
        rows = sort_rows(rows, sort_field, descending=sort_field in ("savings", "savings_pct"))
    return rows_view(rows, COMPARE_FIELDS, layout="compare")


def show_view(document: Row) -> View:
    """show's document; CSV and TSV list its figures."""
    full = {"schema_version": SCHEMA_VERSION, **document}
    return View(full, [full], document["figures"], FIGURE_FIELDS, "show", subject=document)


# --- the estimate -----------------------------------------------------------------------

LINE_ITEM_FIELDS = (
    "program", "pathway", "section", "label", "quantity", "unit", "unit_amount", "amount", "currency", "figure",
    "as_of", "applies_to", "basis", "source",
)  # fmt: skip
SCHEDULE_FIELDS = ("year", "paid", "employer", "out_of_pocket", "foregone_salary")


def line_item_dict(item: LineItem) -> Row:
    """One line item as JSON-ready data."""
    return {name: getattr(item, name) for name in LINE_ITEM_FIELDS[2:]}


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
        "currency": estimate.currency,
        **{name: getattr(estimate, name) for name in ESTIMATE_TOTALS},
        "start": str(estimate.start),
        "months": estimate.months,
        "baseline_months": estimate.baseline_months,
        "exchange_rate": {"from": exchange[0], "to": exchange[1], "rate": exchange[2]} if exchange else None,
        "outcome": outcome_dict(estimate.outcome),
        "baseline_outcome": outcome_dict(estimate.baseline_outcome),
        "schedule": schedule_dicts(estimate.schedule),
        "baseline_schedule": schedule_dicts(estimate.baseline_schedule),
        "line_items": [line_item_dict(item) for item in estimate.line_items],
        "assumptions": [spelled(text, command_line) for text in estimate.assumptions],
        "warnings": [spelled(text, command_line) for text in estimate.warnings],
    }


def estimate_view(estimate: Estimate, *, schedule: bool = False, explain: bool = False) -> View:
    """The estimate: JSON the whole contract, CSV/TSV its line items (or with schedule, the yearly schedule)."""
    document = estimate_dict(estimate)
    route_ids = {"program": estimate.program_id, "pathway": estimate.pathway_id}
    if schedule:
        rows = [{"route": "pathway", **row} for row in schedule_dicts(estimate.schedule)]
        rows += [{"route": "direct", **row} for row in schedule_dicts(estimate.baseline_schedule)]
        fields: tuple[str, ...] = ("route", *SCHEDULE_FIELDS)
    else:
        rows = [{**route_ids, **line_item_dict(item)} for item in estimate.line_items]
        fields = LINE_ITEM_FIELDS
    options = {"schedule": schedule, "explain": explain}
    return View(document, [document], rows, fields, "estimate", subject=estimate, options=options)


# --- batch, sweep, breakeven ------------------------------------------------------------

BATCH_FIELDS = (
    "row", "id", "program", "pathway", "fee_year", "currency", *ESTIMATE_TOTALS,
    "start", "months", "baseline_months", "payback_years", "npv_5", "npv_10", "npv_20", "warnings",
)  # fmt: skip
"""batch's CSV/TSV columns: the input row, its id, then the estimate's fields flattened."""
BATCH_TABLE = ("row", "id", "program", "pathway", "currency", "net_cost", "savings", "savings_pct", "months")


def batch_result(estimate: Estimate, *, flat: bool) -> Row:
    """One priced row's result: flattened for CSV/TSV/table, else {"result": the estimate's JSON contract}.

    The same contract as `mmcost estimate --format json`, word for word (options in
    warnings are spelled as on the command line); only batch's error messages name columns.
    """
    data = estimate_dict(estimate)
    if not flat:
        return {"result": data}
    outcome = data["outcome"] or {}
    npv = outcome.get("npv", {})
    extra = {
        "payback_years": outcome.get("payback_years"),
        "npv_5": npv.get("5"),
        "npv_10": npv.get("10"),
        "npv_20": npv.get("20"),
        "warnings": " | ".join(data["warnings"]),
    }
    return {name: extra[name] if name in extra else data.get(name) for name in BATCH_FIELDS[2:]}


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

ISSUE_FIELDS = ("file", "line", "column", "path", "message")
CATALOG_PATH_FIELDS = ("source", "path", "exists")


def validate_view(files: Sequence[str], issues: Sequence[Issue]) -> View:
    """validate's report: JSON {"valid", "files", "issues"}, rows one per issue."""
    rows = [issue._asdict() for issue in issues]
    picked = [{name: row[name] for name in ISSUE_FIELDS} for row in rows]
    document = {"schema_version": SCHEMA_VERSION, "valid": not issues, "files": list(files), "issues": picked}
    return View(document, picked, picked, ISSUE_FIELDS, title="Issues")


def catalog_path_view(rows: Sequence[Row]) -> View:
    """Where catalogs load from, in order."""
    return rows_view(rows, CATALOG_PATH_FIELDS, title="Catalogs")
