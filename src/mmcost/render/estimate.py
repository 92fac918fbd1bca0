"""The estimate: JSON contract, CSV line items and the people's table."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from mmcost.engine import PATHWAY_SECTIONS, Estimate, LineItem, Outcome, ScheduleYear, Section, academic_year
from mmcost.render import (
    SCHEMA_VERSION,
    OutputFormat,
    Style,
    box_for,
    captured,
    console,
    dumps_json,
    money_text,
    plain,
    write_delimited,
)

LINE_ITEM_FIELDS = (
    "program",
    "pathway",
    "section",
    "label",
    "quantity",
    "unit",
    "unit_amount",
    "amount",
    "currency",
    "figure",
    "as_of",
    "applies_to",
    "basis",
    "source",
)


SCHEDULE_FIELDS = ("year", "paid", "employer", "out_of_pocket", "foregone_salary")


def line_item_dict(item: LineItem) -> dict[str, Any]:
    """One line item as JSON-ready data."""
    return {
        "section": item.section,
        "label": item.label,
        "quantity": item.quantity,
        "unit": item.unit,
        "unit_amount": item.unit_amount,
        "amount": item.amount,
        "currency": item.currency,
        "figure": item.figure,
        "as_of": item.as_of,
        "applies_to": item.applies_to,
        "basis": item.basis,
        "source": item.source,
    }


def schedule_dicts(rows: tuple[ScheduleYear, ...]) -> list[dict[str, Any]]:
    """A route's schedule as JSON-ready rows."""
    return [
        {
            "year": row.year,
            "paid": row.paid,
            "employer": row.employer,
            "out_of_pocket": row.out_of_pocket,
            "foregone_salary": row.foregone_salary,
        }
        for row in rows
    ]


def outcome_dict(outcome: Outcome | None) -> dict[str, Any] | None:
    """Payback and NPV as JSON-ready data (None without --salary-uplift)."""
    if outcome is None:
        return None
    return {
        "salary_uplift": outcome.uplift,
        "discount_rate_pct": outcome.discount_rate_pct,
        "payback_years": outcome.payback_years,
        "npv": {str(horizon): value for horizon, value in outcome.npv.items()},
    }


def estimate_dict(estimate: Estimate) -> dict[str, Any]:
    """The JSON contract of `mmcost estimate` (schema_version 1)."""
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
        "micromasters_cost": estimate.micromasters_cost,
        "remaining_degree_cost": estimate.remaining_degree_cost,
        "living_travel_cost": estimate.living_travel_cost,
        "opportunity_cost": estimate.opportunity_cost,
        "employer_funding": estimate.employer_funding,
        "net_cost": estimate.net_cost,
        "baseline_cost": estimate.baseline_cost,
        "savings": estimate.savings,
        "savings_pct": estimate.savings_pct,
        "courses_credited": estimate.courses_credited,
        "courses_remaining": estimate.courses_remaining,
        "courses_required": estimate.courses_required,
        "start": str(estimate.start),
        "months": estimate.months,
        "baseline_months": estimate.baseline_months,
        "exchange_rate": {"from": exchange[0], "to": exchange[1], "rate": exchange[2]} if exchange else None,
        "outcome": outcome_dict(estimate.outcome),
        "baseline_outcome": outcome_dict(estimate.baseline_outcome),
        "schedule": schedule_dicts(estimate.schedule),
        "baseline_schedule": schedule_dicts(estimate.baseline_schedule),
        "line_items": [line_item_dict(item) for item in estimate.line_items],
        "assumptions": list(estimate.assumptions),
        "warnings": list(estimate.warnings),
    }


def estimate_rows(estimate: Estimate) -> list[dict[str, Any]]:
    """One row per line item, for CSV and TSV."""
    base = {"program": estimate.program_id, "pathway": estimate.pathway_id}
    return [{**base, **line_item_dict(item)} for item in estimate.line_items]


def render_estimate(
    estimate: Estimate, output: OutputFormat, style: Style, *, schedule: bool = False, explain: bool = False
) -> str:
    """The estimate in the chosen format, as text ending in a newline.

    CSV and TSV carry the line items, or with schedule=True the yearly schedule.
    """
    if output is OutputFormat.JSON:
        return dumps_json(estimate_dict(estimate)) + "\n"
    if output is OutputFormat.NDJSON:
        return dumps_json(estimate_dict(estimate), indent=None) + "\n"
    if output in (OutputFormat.CSV, OutputFormat.TSV):
        buffer = io.StringIO()
        delimiter = "\t" if output is OutputFormat.TSV else ","
        if schedule:
            rows = [{"route": "pathway", **row} for row in schedule_dicts(estimate.schedule)]
            rows += [{"route": "direct", **row} for row in schedule_dicts(estimate.baseline_schedule)]
            write_delimited(rows, ("route", *SCHEDULE_FIELDS), buffer, delimiter=delimiter, header=style.header)
        else:
            write_delimited(estimate_rows(estimate), LINE_ITEM_FIELDS, buffer, delimiter=delimiter, header=style.header)
        return buffer.getvalue()
    text = estimate_table(estimate, style)
    if schedule:
        text += schedule_table(estimate, style)
    if explain:
        text += explanation(estimate, style)
    return text


_SECTION_TITLES: dict[Section, str] = {
    "micromasters": "MicroMasters",
    "degree": "Degree, after credit",
    "living": "Living and travel",
    "opportunity": "Opportunity cost",
    "funding": "Funding",
    "baseline": "Direct degree (baseline)",
}
_SECTION_TOTALS: dict[Section, str] = {
    "micromasters": "MicroMasters cost",
    "degree": "Remaining degree cost",
    "living": "Living and travel cost",
    "opportunity": "Salary given up",
    "funding": "Employer funding",
}


def _section_title(estimate: Estimate, section: Section) -> str:
    title = _SECTION_TITLES[section]
    if section == "degree" and estimate.courses_remaining is not None:
        title += f": {estimate.courses_remaining} of {estimate.courses_required} courses left"
    return title


def estimate_table(estimate: Estimate, style: Style) -> str:
    """The estimate as a rich table, for people at a terminal."""
    from rich.table import Table
    from rich.text import Text

    out = console(style)
    fee_year = academic_year(estimate.fee_year) if estimate.fee_year is not None else "your figures"
    table = Table(
        title=f"{estimate.program_id} -> {estimate.pathway_id}: {estimate.pathway_name}",
        caption=f"From the {estimate.program_name}. Fee year {fee_year}; 'As of' is the year of each figure used.",
        box=box_for(style),
        show_footer=False,
        title_justify="left",
        caption_justify="left",
    )
    table.add_column("Item", overflow="fold", ratio=1)
    table.add_column("Qty x each", justify="right", no_wrap=True)
    table.add_column(estimate.currency, justify="right", no_wrap=True)
    table.add_column("As of", no_wrap=True)
    table.add_column("Basis")

    def total_row(label: str, amount: Decimal | None) -> None:
        table.add_row(Text(label, style="bold"), "", Text(money_text(amount), style="bold"), "", "", end_section=True)

    for section in PATHWAY_SECTIONS:
        items = estimate.items(section)
        if not items and section not in ("micromasters", "degree"):
            continue
        table.add_row(Text(_section_title(estimate, section), style="bold cyan"), "", "", "", "")
        for item in items:
            _item_row(table, item)
        total_row(_SECTION_TOTALS[section], estimate.section_total(section))
    total_row("Net cost" + (f", {estimate.months} months" if estimate.months else ""), estimate.net_cost)
    if estimate.baseline_cost is not None:
        table.add_row(Text(_section_title(estimate, "baseline"), style="bold cyan"), "", "", "", "")
        for item in estimate.items("baseline"):
            _item_row(table, item)
        months = f", {estimate.baseline_months} months" if estimate.baseline_months else ""
        total_row(f"Baseline cost{months}", estimate.baseline_cost)
        share = f" ({estimate.savings_pct}%)" if estimate.savings_pct is not None else ""
        total_row(f"Savings{share}", estimate.savings)
    else:
        total_row("Baseline (direct degree)", None)
    out.print(table)
    for label, result in (("Pathway", estimate.outcome), ("Direct degree", estimate.baseline_outcome)):
        if result is not None:
            out.print(_outcome_text(label, result, estimate.currency))
    if estimate.exchange_rate:
        source, target, rate = estimate.exchange_rate
        out.print(f"Amounts converted from {source} to {target} at {rate} {target} per {source}.")
    return captured(out)


def _outcome_text(label: str, result: Outcome, currency: str) -> str:
    payback = f"pays back in {result.payback_years} years" if result.payback_years is not None else "never pays back"
    npv = ", ".join(f"{horizon} years {money_text(value)}" for horizon, value in result.npv.items())
    rate = f"{result.discount_rate_pct}%"
    return f"{label}: with {money_text(result.uplift)} {currency} more a year, {payback}; NPV at {rate}: {npv}"


def schedule_table(estimate: Estimate, style: Style) -> str:
    """Each calendar year of both routes: paid, covered by the employer, out of pocket."""
    from rich.table import Table

    out = console(style)
    for title, rows in (
        ("Pathway, by year", estimate.schedule),
        ("Direct degree, by year", estimate.baseline_schedule),
    ):
        if not rows:
            continue
        table = Table(title=title, title_justify="left", box=box_for(style), show_header=style.header)
        for name in ("Year", "Paid", "Employer", "Out of pocket", "Salary given up"):
            table.add_column(name, justify="left" if name == "Year" else "right")
        for row in rows:
            cells = (row.paid, row.employer, row.out_of_pocket, row.foregone_salary)
            table.add_row(str(row.year), *(money_text(value) for value in cells))
        out.print(table)
    return captured(out)


def explanation(estimate: Estimate, style: Style) -> str:
    """Every line's formula in words, then every assumption the estimate rests on."""
    from rich.text import Text

    out = console(style)
    out.print(Text("How each line is computed", style="bold cyan"))
    for item in estimate.line_items:
        year = f", {academic_year(item.as_of)}" if item.as_of is not None else ""
        basis = "" if item.basis in ("stated", "scenario") else f", {item.basis}"
        source = f", source {item.source}" if item.source else ""
        formula = f"{plain(item.quantity)} {item.unit}(s) x {money_text(item.unit_amount)} {item.currency}"
        out.print(Text(f"  [{item.section}] {item.label}: {formula} = {money_text(item.amount)}{year}{basis}{source}"))
    out.print(Text("Assumptions", style="bold cyan"))
    for assumption in estimate.assumptions:
        out.print(Text(f"  - {assumption}"))
    return captured(out)


def _item_row(table: Any, item: LineItem) -> None:
    basis = "" if item.basis == "stated" else item.basis
    as_of = academic_year(item.as_of) if item.as_of is not None else ""
    if item.basis == "override":
        basis = f"override {item.source}"
    table.add_row(
        "  " + item.label,
        f"{plain(item.quantity)} x {money_text(item.unit_amount)}",
        money_text(item.amount),
        as_of,
        basis,
    )
