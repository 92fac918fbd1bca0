"""Catalog entities and estimates as plain rows, for listings, `show` and `compare`.

No arithmetic beyond picking values out, no formatting: render turns these
rows into tables or machine formats. Field names here are the machine
formats' contract.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from mmcost.engine import Estimate, Route, Unpriced, academic_year, route
from mmcost.model import Catalog, Figure

Row = dict[str, Any]

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
            pathway = catalog.pathway(result.program_id, result.pathway_id)
            rows.append(
                {
                    "program": result.program_id,
                    "pathway": result.pathway_id,
                    "route": "pathway",
                    "name": pathway.name,
                    "missing": "; ".join(result.problems),
                }
            )
            continue
        rows.append(
            {
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
        )
        if result.baseline_cost is not None:
            parts = result.baseline_parts
            key = f"{result.school}/{result.degree_name}/{result.fee_year}"
            baselines.setdefault(
                key,
                {
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
                },
            )
    return rows + list(baselines.values())


def sort_rows(rows: list[Row], field: str, *, descending: bool = False) -> list[Row]:
    """Rows ordered by one field; rows without a value go last."""
    present = [row for row in rows if row.get(field) is not None]
    absent = [row for row in rows if row.get(field) is None]
    return sorted(present, key=lambda row: row[field], reverse=descending) + absent
