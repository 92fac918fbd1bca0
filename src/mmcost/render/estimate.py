"""The estimate: JSON contract, CSV line items and the people's table."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from mmcost.engine import Estimate, LineItem, Section, academic_year
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


def estimate_dict(estimate: Estimate) -> dict[str, Any]:
    """The JSON contract of `mmcost estimate` (schema_version 1)."""
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
        "net_cost": estimate.net_cost,
        "baseline_cost": estimate.baseline_cost,
        "savings": estimate.savings,
        "savings_pct": estimate.savings_pct,
        "courses_credited": estimate.courses_credited,
        "courses_remaining": estimate.courses_remaining,
        "courses_required": estimate.courses_required,
        "months": estimate.months,
        "baseline_months": estimate.baseline_months,
        "line_items": [line_item_dict(item) for item in estimate.line_items],
        "warnings": list(estimate.warnings),
    }


def estimate_rows(estimate: Estimate) -> list[dict[str, Any]]:
    """One row per line item, for CSV and TSV."""
    base = {"program": estimate.program_id, "pathway": estimate.pathway_id}
    return [{**base, **line_item_dict(item)} for item in estimate.line_items]


def render_estimate(estimate: Estimate, output: OutputFormat, style: Style) -> str:
    """The estimate in the chosen format, as text ending in a newline."""
    if output is OutputFormat.JSON:
        return dumps_json(estimate_dict(estimate)) + "\n"
    if output is OutputFormat.NDJSON:
        return dumps_json(estimate_dict(estimate), indent=None) + "\n"
    if output in (OutputFormat.CSV, OutputFormat.TSV):
        buffer = io.StringIO()
        delimiter = "\t" if output is OutputFormat.TSV else ","
        write_delimited(estimate_rows(estimate), LINE_ITEM_FIELDS, buffer, delimiter=delimiter, header=style.header)
        return buffer.getvalue()
    return estimate_table(estimate, style)


_SECTION_TITLES: dict[Section, str] = {
    "micromasters": "MicroMasters",
    "degree": "Degree, after credit",
    "baseline": "Direct degree (baseline)",
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

    for section in ("micromasters", "degree"):
        table.add_row(Text(_section_title(estimate, section), style="bold cyan"), "", "", "", "")
        for item in estimate.items(section):
            _item_row(table, item)
        label = "MicroMasters cost" if section == "micromasters" else "Remaining degree cost"
        amount = estimate.micromasters_cost if section == "micromasters" else estimate.remaining_degree_cost
        total_row(label, amount)
    total_row("Net cost", estimate.net_cost)
    if estimate.baseline_cost is not None:
        table.add_row(Text(_section_title(estimate, "baseline"), style="bold cyan"), "", "", "", "")
        for item in estimate.items("baseline"):
            _item_row(table, item)
        total_row("Baseline cost", estimate.baseline_cost)
        share = f" ({estimate.savings_pct}%)" if estimate.savings_pct is not None else ""
        total_row(f"Savings{share}", estimate.savings)
    else:
        total_row("Baseline (direct degree)", None)
    out.print(table)
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
