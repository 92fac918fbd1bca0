"""`mmcost report`: one self-contained HTML page to hand over, with its charts as inline SVG.

jinja2 fills the template (autoescaped: catalog and scenario text is shown as
written, never run) and pygal draws the charts; both load only here, for this
command, and come with the `report` extra. The page references nothing outside
itself: no script (pygal's tooltip script is switched off), no web font, no
stylesheet link, so it opens offline and prints to PDF as it shows.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from mmcost import __version__
from mmcost.engine import PATHWAY_SECTIONS, Estimate, academic_year
from mmcost.errors import command_line, spelled
from mmcost.render import money_text
from mmcost.render.estimate import SECTION_TITLES, SECTION_TOTALS, data_age, warning_report
from mmcost.views.timeline import Payback, Series, Timeline, timeline

EXTRA_HINT = "mmcost report needs the report extra: pip install 'mmcost[report]'"
COLORS = ("#1f5fae", "#c0392b", "#1b7a3d", "#b9770e", "#7d3c98", "#148f77")


class Chart(NamedTuple):
    """One inline SVG chart and the sentence under it."""

    svg: str
    caption: str


def report_html(estimate: Estimate, command: str, today: datetime.date) -> str:
    """The whole report page for one estimate."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("mmcost", "render/templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    data = timeline([estimate])
    sections = [
        (SECTION_TITLES[section], estimate.items(section), estimate.section_total(section))
        for section in (*PATHWAY_SECTIONS, "baseline")
        if estimate.items(section)
    ]
    totals = [(SECTION_TOTALS[section], estimate.section_total(section)) for section in PATHWAY_SECTIONS]
    totals.append(("Net cost", estimate.net_cost))
    stale_lines = [line for line in warning_report([estimate], today, full=True) if "prices have likely" in line]
    return environment.get_template("report.html.j2").render(
        e=estimate,
        version=__version__,
        today=today.isoformat(),
        fee_year=academic_year(estimate.fee_year) if estimate.fee_year is not None else "of your own figures",
        age=data_age(estimate),
        closed=[spelled(notice.text, command_line) for notice in estimate.notices if notice.kind == "closed"],
        stale=stale_lines[0][0].upper() + stale_lines[0][1:] if stale_lines else "",
        payback=next((p for p in data.paybacks if p.key == f"{estimate.program_id}/{estimate.pathway_id}"), None),
        charts=charts(data),
        sections=sections,
        totals=totals,
        assumptions=[spelled(text, command_line) for text in estimate.assumptions],
        requirements=[requirement.text for requirement in estimate.requirements],
        warnings=[spelled(line, command_line) for line in warning_report([estimate], today, full=True)],
        command=command,
        money=money_text,
        year=academic_year,
    )


def charts(data: Timeline) -> list[Chart]:
    """The cost chart, and the net-position chart with its payback lines when there is a salary uplift."""
    if not data.cost:
        return []
    found = [
        Chart(
            _svg(data.cost, f"Cumulative out of pocket ({data.currency}), at each year's end", ()),
            "What has left the learner's account by the end of each calendar year, on each route "
            "(paid, less what an employer covers).",
        )
    ]
    if data.net and data.uplift is not None:
        said = "; ".join(f"{p.key} in {p.year} ({p.years} years after finishing)" for p in data.paybacks)
        found.append(
            Chart(
                _svg(
                    data.net,
                    f"Net position with a {money_text(data.uplift)} {data.currency} a year uplift",
                    data.paybacks,
                ),
                "Costs and salary given up so far, against the uplift earned since finishing (undiscounted). "
                + (f"Pays back (dashed lines): {said}." if said else "The uplift never covers the cost."),
            )
        )
    return found


def _svg(series: Sequence[Series], title: str, paybacks: Sequence[Payback]) -> str:
    import pygal
    from pygal.style import Style as ChartStyle

    style = ChartStyle(
        background="white",
        plot_background="white",
        foreground="#1d2330",
        foreground_strong="#1d2330",
        foreground_subtle="#d9dde5",
        colors=COLORS,
        font_family="system-ui, sans-serif",
        title_font_size=16,
        legend_font_size=13,
        label_font_size=12,
        major_label_font_size=12,
    )
    years = [year for line in series for year, _ in line.points]
    chart = pygal.XY(
        style=style,
        title=title,
        js=[],  # no tooltip script: the page must read offline without scripts
        disable_xml_declaration=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=1,
        truncate_legend=-1,
        width=760,
        height=400,
        show_x_guides=False,
        x_labels=sorted(set(years)),
        x_value_formatter=str,
        value_formatter=lambda amount: f"{amount:,.0f}",  # axis labels, from the plot coordinates
        dots_size=2.5,
        include_x_axis=True,  # the zero line: costs start from nothing, net positions cross it
    )
    for line in series:
        chart.add(line.name, [(year, _coordinate(amount)) for year, amount in line.points])
    low = min(amount for line in series for _, amount in line.points)
    high = max(amount for line in series for _, amount in line.points)
    for payback in paybacks:
        if payback.at <= max(years) + 1:
            mark = _coordinate(payback.at)
            chart.add(
                f"{payback.key} pays back in {payback.year}",
                [(mark, _coordinate(low)), (mark, _coordinate(high))],
                stroke_style={"width": 2, "dasharray": "6, 4"},
                show_dots=False,
            )
    return _without_scripts(str(chart.render(is_unicode=True)))


SVG = "http://www.w3.org/2000/svg"


def _without_scripts(svg: str) -> str:
    """The SVG less pygal's config <script> (always written, only for its tooltip script, which is off):
    the page must run no code, and nothing from a catalog may ever reach a script."""
    from xml.etree import ElementTree

    ElementTree.register_namespace("", SVG)
    ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ElementTree.fromstring(svg)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{{{SVG}}}script":
                parent.remove(child)
    return ElementTree.tostring(root, encoding="unicode")


def _coordinate(amount: Decimal) -> float:
    """A plot position (pixels only); every number printed is formatted from Decimal."""
    return float(amount)
