"""`mmcost compare` as a table for people."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from mmcost.engine import academic_year
from mmcost.render import Style, money_text
from mmcost.render.table import box_for, captured, console, print_table

BAR_WIDTH = 24
WIDTH_FOR_BARS = 150
"""Below this many columns the table leaves out the bars, so that the route names keep their room."""
# Section -> (character without colour, colour), in drawing order.
BAR_PARTS = {
    "MicroMasters": ("m", "cyan"),
    "degree": ("d", "blue"),
    "living and travel": ("l", "magenta"),
    "salary given up": ("s", "yellow"),
}
_ROW_KEYS = ("micromasters_cost", "degree_cost", "living_travel_cost", "opportunity_cost")


def _gross(row: Mapping[str, Any]) -> Decimal:
    return sum((row.get(key) or Decimal(0) for key in _ROW_KEYS), Decimal(0))


def _bar(row: Mapping[str, Any], scale: Decimal, style: Style) -> Any:
    """A horizontal stacked bar of the route's costs, scaled to the largest route."""
    from rich.text import Text

    bar = Text()
    if scale <= 0:
        return bar
    funded = row.get("employer_funding") or Decimal(0)
    cells = []
    for key, (char, colour) in zip(_ROW_KEYS, BAR_PARTS.values(), strict=True):
        width = int((max(row.get(key) or Decimal(0), Decimal(0)) * BAR_WIDTH / scale).to_integral_value())
        cells += [(char, colour)] * width
    covered = int((funded * BAR_WIDTH / scale).to_integral_value()) if funded > 0 else 0
    for index, (char, colour) in enumerate(cells):
        dim = index >= len(cells) - covered
        if style.color and style.unicode:
            bar.append("█", style=f"{colour} dim" if dim else colour)
        else:
            bar.append("-" if dim else char)
    return bar


def compare_table(rows: Sequence[Mapping[str, Any]], style: Style) -> str:
    """One line per route; routes that need figures are footnoted with the options."""
    from rich.table import Table
    from rich.text import Text

    out = console(style)
    currencies = {row["currency"] for row in rows if row.get("currency")}
    currency = currencies.pop() if len(currencies) == 1 else "amount"
    years = {row.get("fee_year") for row in rows if not row.get("missing")}
    one_year = len(years) == 1 and None not in years
    with_months = any(row.get("months") is not None for row in rows)
    caption = f"Fee year {academic_year(years.pop())}" if one_year else None  # type: ignore[arg-type]
    table = Table(box=box_for(style), show_header=style.header, caption=caption, caption_justify="left")
    table.add_column("Route", overflow="fold", ratio=1, min_width=16)
    table.add_column(f"Net cost ({currency})", justify="right", no_wrap=True)
    table.add_column("Savings", justify="right", no_wrap=True)
    table.add_column("%", justify="right", no_wrap=True)
    table.add_column("Credit / left", justify="right")
    with_bars = out.width >= WIDTH_FOR_BARS
    if with_bars:
        table.add_column("Cost breakdown", no_wrap=True)
    if with_months:
        table.add_column("Months", justify="right", no_wrap=True)
    if not one_year:
        table.add_column("Fee year", no_wrap=True)
    footnotes = []
    scale = max((_gross(row) for row in rows if not row.get("missing")), default=Decimal(0))
    for row in rows:
        route = row["key"]
        label = _route_label(row)
        if row.get("missing"):
            footnotes.append(f"{route}: {row['missing']}")
            needs = Text(f"needs figures [{len(footnotes)}]", style="yellow")
            table.add_row(label, needs, "", "", "", *([""] * (with_bars + with_months + (not one_year))))
            continue
        credited = row.get("courses_credited")
        remaining = row.get("courses_remaining")
        courses = f"{credited} / {remaining}" if credited is not None and remaining is not None else ""
        pct = row.get("savings_pct")
        cells: list[Any] = [
            label,
            money_text(row.get("net_cost")),
            money_text(row.get("savings")) if row.get("savings") is not None else "",
            f"{pct}%" if pct is not None else "",
            courses,
            *([_bar(row, scale, style)] if with_bars else []),
        ]
        if with_months:
            cells.append(str(row["months"]) if row.get("months") is not None else "")
        if not one_year:
            cells.append(academic_year(row["fee_year"]) if row.get("fee_year") is not None else "")
        table.add_row(*cells)
    print_table(out, table)
    if with_bars:
        out.print(_legend(style))
    for number, note in enumerate(footnotes, 1):
        out.print(Text(f"[{number}] {note}"), soft_wrap=False)
    return captured(out)


def _route_label(row: Mapping[str, Any]) -> Any:
    """The route's key (bold for a pathway, dim for a direct degree), its status when closed, its name."""
    from rich.text import Text

    label = Text()
    label.append(row["key"], style="bold" if row["route"] == "pathway" else "dim")
    if row.get("status", "open") != "open":
        label.append(f" ({row['status']})", style="yellow")
    label.append("\n" + row["name"], style="" if row["route"] == "pathway" else "dim")
    return label


def _legend(style: Style) -> Any:
    """What each bar character or colour stands for."""
    from rich.text import Text

    legend = Text("Bars: ")
    for name, (char, colour) in BAR_PARTS.items():
        legend.append(char * 2, style=colour if style.color else "")
        legend.append(f" {name}  ")
    legend.append("(employer money shown as the dim end)" if style.color else "(- employer money)")
    return legend
