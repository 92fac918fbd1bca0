"""Catalog entities as rows and documents: programs, pathways, show, validate, catalog path."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from mmcost.engine import Route, academic_year, route
from mmcost.errors import Issue
from mmcost.model import Catalog, Figure
from mmcost.views.base import SCHEMA_VERSION, Row, View, rows_view

PROGRAM_FIELDS = ("program", "name", "institution", "courses", "pathways", "status", "fee_years", "defined_in")
PROGRAM_TABLE = ("program", "name", "courses", "pathways", "status", "fee_years")
PATHWAY_TABLE = ("program", "pathway", "name", "courses_credited", "courses_required", "status", "fee_years")
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
    "status",
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


def route_status(catalog: Catalog, program_id: str, pathway_id: str) -> str:
    """'open', or 'closed YYYY-MM-DD' when the program or the pathway no longer admits learners."""
    program = catalog.programs[program_id]
    closed = program.closed or program.pathways[pathway_id].closed
    return f"closed {closed.date}" if closed else "open"


def year_span(years: Iterable[int]) -> str:
    """Sorted academic years as text: '2016-17, 2018-19, 2019-20'."""
    return ", ".join(academic_year(year) for year in sorted(set(years)))


def _route_years(catalog: Catalog, chosen: Route) -> list[int]:
    return [value.year for figure_id in chosen.figure_ids() for value in catalog.figures[figure_id].values]


def priceable_years(catalog: Catalog, program_id: str, pathway_id: str) -> list[int]:
    """The fee years (the years of the route's figures) that price with no option, by the engine itself."""
    from mmcost.engine import Request, estimate
    from mmcost.errors import MissingFigureError

    years = []
    for year in sorted(set(_route_years(catalog, route(catalog, program_id, pathway_id)))):
        try:
            estimate(catalog, program_id, pathway_id, Request.of(year=year))
        except MissingFigureError:
            continue
        years.append(year)
    return years


def _fee_years(years: Iterable[int]) -> list[str]:
    """The academic years a route prices in, as a list (a JSON array; tables and CSV join it)."""
    return [academic_year(year) for year in sorted(set(years))]


def program_rows(catalog: Catalog) -> list[Row]:
    """One row per program."""
    rows = []
    for program_id, program in catalog.programs.items():
        years = [year for pathway_id in program.pathways for year in priceable_years(catalog, program_id, pathway_id)]
        rows.append(
            {
                "program": program_id,
                "name": program.name,
                "institution": program.institution,
                "courses": program.number_of_courses,
                "pathways": list(program.pathways),
                "status": f"closed {program.closed.date}" if program.closed else "open",
                "fee_years": _fee_years(years),
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
                    "status": route_status(catalog, program_id, pathway_id),
                    "fee_years": _fee_years(priceable_years(catalog, program_id, pathway_id)),
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
    figure_ids = program.fee_figures
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


def show_view(document: Row) -> View:
    """show's document; CSV and TSV list its figures."""
    full = {"schema_version": SCHEMA_VERSION, **document}
    return View(full, [full], document["figures"], FIGURE_FIELDS, "show", subject=document)


# --- the estimate -----------------------------------------------------------------------

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


STALE_FIELDS = ("figure", "label", "newest_year", "age_years", "routes", "check_at", "defined_in")
STALE_TABLE = ("figure", "newest_year", "age_years", "routes", "check_at")


def stale_rows(catalog: Catalog, before: int, current_year: int) -> list[Row]:
    """Every figure whose newest value is for an academic year before `before`, oldest first.

    Its age is counted from the academic year `current_year` (today's); its
    routes are every program/pathway whose estimate reads it.
    """
    readers: dict[str, list[str]] = {}
    for program_id, program in catalog.programs.items():
        for pathway_id in program.pathways:
            for figure_id in route(catalog, program_id, pathway_id).figure_ids():
                readers.setdefault(figure_id, []).append(f"{program_id}/{pathway_id}")
    stale = []
    for figure_id, figure in catalog.figures.items():
        newest = max((value.year for value in figure.values), default=None)
        if newest is None or newest >= before:
            continue
        stale.append((newest, figure_id, figure))
    return [
        {
            "figure": figure_id,
            "label": figure.label,
            "newest_year": academic_year(newest),
            "age_years": current_year - newest,
            "routes": list(readers.get(figure_id, [])),
            "check_at": figure.check_at or "",
            "defined_in": catalog.origins.get(("figures", figure_id), ""),
        }
        for newest, figure_id, figure in sorted(stale, key=lambda entry: (entry[0], entry[1]))
    ]


def stale_view(rows: Sequence[Row], before: int) -> View:
    """The maintainer's yearly to-do list: stale figures and where to check them."""
    title = f"Figures whose newest value is before {academic_year(before)}"
    return rows_view(rows, STALE_FIELDS, title=title, table_fields=STALE_TABLE)
