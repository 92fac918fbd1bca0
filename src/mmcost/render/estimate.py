"""The estimate as tables for people: line items, the yearly schedule and the explanation."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from mmcost.engine import PATHWAY_SECTIONS, Estimate, LineItem, Notice, Outcome, Section, academic_year
from mmcost.errors import command_line, spelled
from mmcost.render import Style, money_text, plain
from mmcost.render.table import box_for, captured, chart_under, console, print_table
from mmcost.terms import academic_year_of

SUMMARISED = {
    "carried": ("figure carried forward", "figures carried forward"),
    "derived": ("derived figure", "derived figures"),
    "estimate": ("figure worded as an estimate", "figures worded as estimates"),
    "approximate": ("approximate figure", "approximate figures"),
    "secondary": ("figure from a third-party compilation", "figures from third-party compilations"),
    "inference": ("inferred figure", "inferred figures"),
    "inferred": ("inferred requirement or note", "inferred requirements or notes"),
}
"""Kinds of warning counted in the summary rather than printed one by one, in this order (singular, plural)."""


def warning_lines(notices: Sequence[Notice], oldest_year: int | None, *, full: bool) -> list[str]:
    """Warnings for people: each distinct fact once, figure warnings counted by kind, unless full.

    '4 figures carried forward (oldest 2014-15); 1 derived figure; 1 inferred requirement or note'.
    """
    distinct = list(dict.fromkeys(notices))
    if full:
        return [notice.text for notice in distinct]
    parts = []
    for kind, (one, many) in SUMMARISED.items():
        count = sum(1 for notice in distinct if notice.kind == kind)
        if count:
            oldest = f" (oldest {academic_year(oldest_year)})" if kind == "carried" and oldest_year else ""
            parts.append(f"{count} {one if count == 1 else many}{oldest}")
    lines = ["; ".join(parts) + " (-v lists each)"] if parts else []
    return lines + [notice.text for notice in distinct if notice.kind not in SUMMARISED]


def data_age(estimate: Estimate) -> str | None:
    """How old the figures are, for the first line under an estimate's title.

    'Figures from 2014-15 to 2019-20 (4 carried forward); asked for 2026-27'.
    """
    oldest, newest = estimate.figures_oldest_year, estimate.figures_newest_year
    if oldest is None or newest is None:
        return "Every figure is yours (no catalog figure used)"
    span = academic_year(oldest) if oldest == newest else f"{academic_year(oldest)} to {academic_year(newest)}"
    carried = f" ({estimate.carried_forward} carried forward)" if estimate.carried_forward else ""
    asked = f"; asked for {academic_year(estimate.fee_year)}" if estimate.fee_year is not None else ""
    return f"Figures from {span}{carried}{asked}"


def warning_report(results: Sequence[Estimate], today: datetime.date, *, full: bool) -> list[str]:
    """The warnings of one or more estimates (tagged with their routes when several), then how stale the newest
    figure is against today, then the pages where today's prices of old figures are published."""
    from mmcost.views import pages_to_check

    routes: dict[Notice, list[str]] = {}
    for result in results:
        for notice in result.notices:
            routes.setdefault(notice, []).append(f"{result.program_id}/{result.pathway_id}")
    tagged = [notice._replace(text=f"{notice.text} [{', '.join(names)}]") for notice, names in routes.items()]
    oldest = min((r.figures_oldest_year for r in results if r.figures_oldest_year is not None), default=None)
    lines = warning_lines(tagged if len(results) > 1 else list(routes), oldest, full=full)
    newest = max((r.figures_newest_year for r in results if r.figures_newest_year is not None), default=None)
    current = academic_year_of(today.year, today.month)
    if newest is not None and newest < current - 1:
        lines.append(f"the newest figure used is from {academic_year(newest)}: prices have likely changed since")
    pages = {use.figure: use for result in results for use in pages_to_check(result)}
    return lines + [
        f"check today's {use.label} ({academic_year(use.year)}) at {use.check_at}" for use in pages.values()
    ]


def hint(option_keys: Sequence[str], program_id: str, pathway_id: str) -> str:
    """How to override this route's figures: the options that fit it, and --set."""
    flags = ", ".join(command_line(key) for key in option_keys)
    return (
        f"hint: override a figure with {flags}{' or ' if flags else ''}--set FIGURE=AMOUNT "
        f"(mmcost show {program_id}/{pathway_id} lists figure ids)"
    )


def estimate_text(
    estimate: Estimate, style: Style, *, schedule: bool = False, explain: bool = False, chart: bool = False
) -> str:
    """The estimate's table, then the yearly schedule, the chart and the explanation when asked for."""
    text = estimate_table(estimate, style)
    if schedule:
        text += schedule_table(estimate, style)
    if chart:
        text += chart_under([estimate], style)
    if explain:
        text += explanation(estimate, style)
    return text


SECTION_TITLES: dict[Section, str] = {
    "micromasters": "MicroMasters",
    "degree": "Degree, after credit",
    "living": "Living and travel",
    "opportunity": "Opportunity cost",
    "funding": "Funding",
    "baseline": "Direct degree (baseline)",
}
SECTION_TOTALS: dict[Section, str] = {
    "micromasters": "MicroMasters cost",
    "degree": "Remaining degree cost",
    "living": "Living and travel cost",
    "opportunity": "Salary given up",
    "funding": "Employer funding",
}


def _section_title(estimate: Estimate, section: Section) -> str:
    title = SECTION_TITLES[section]
    if section == "degree" and estimate.courses_remaining is not None:
        title += f": {estimate.courses_remaining} of {estimate.courses_required} courses left"
    return title


def estimate_table(estimate: Estimate, style: Style) -> str:
    """The estimate as a rich table, for people at a terminal."""
    from rich.table import Table
    from rich.text import Text

    out = console(style)
    fee_year = academic_year(estimate.fee_year) if estimate.fee_year is not None else "your figures"
    title = Text(f"{estimate.program_id} -> {estimate.pathway_id}: {estimate.pathway_name}")
    title.append(f"\n{data_age(estimate)}", style="bold yellow" if estimate.carried_forward else "")
    table = Table(
        title=title,
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
        total_row(SECTION_TOTALS[section], estimate.section_total(section))
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
    print_table(out, table)
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
        print_table(out, table)
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
        out.print(Text(f"  - {spelled(assumption, command_line)}"))
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
