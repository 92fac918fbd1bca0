"""`mmcost show`: one program or pathway, every figure with its year and source."""

from __future__ import annotations

from typing import Any

from mmcost.engine import academic_year
from mmcost.render import Style, money_text
from mmcost.render.table import box_for, captured, console, print_table

FIGURE_COLUMNS = ("figure", "year", "amount", "currency", "tier", "basis", "applies_to", "source")


def show_text(view: dict[str, Any], style: Style) -> str:
    """The view for people: headings, short lists and a figures table."""
    out = console(style)
    lines = _program_lines(view) if view["kind"] == "program" else _pathway_lines(view)
    lines += [("bullet", f"note: {note['text']}") for note in view["notes"]]
    _print_lines(out, lines)
    _print_lines(out, [("heading", "Figures")])
    print_table(out, _figures_table(view["figures"], style))
    lines = []
    if view["gaps"]:
        lines.append(("heading", "Known gaps (unknown on purpose; supply them with options)"))
        lines += [("bullet", gap) for gap in view["gaps"]]
    defined = {row["defined_in"] for row in view["figures"]} | {view["defined_in"]}
    lines.append(("heading", "Defined in"))
    lines += [("bullet", path) for path in sorted(filter(None, defined))]
    _print_lines(out, lines)
    return captured(out)


Line = tuple[str, str]


def _print_lines(out: Any, lines: list[Line]) -> None:
    from rich.text import Text

    styles = {"title": "bold", "heading": "bold cyan", "text": "", "bullet": ""}
    for kind, text in lines:
        out.print(Text(("  - " if kind == "bullet" else "") + text, style=styles[kind]))


def _program_lines(view: dict[str, Any]) -> list[Line]:
    lines: list[Line] = [
        ("title", f"{view['program']}: {view['name']}"),
        ("text", f"{view['institution']}, {view['url']}"),
        ("heading", f"Courses ({view['course_count']})"),
    ]
    lines += [("bullet", " ".join(filter(None, (c["code"], c["title"])))) for c in view["courses"]]
    if view["course_note"]:
        lines.append(("bullet", view["course_note"]))
    lines += [("bullet", f"{e['name']} x {e['count']} (figure {e['figure']})") for e in view["exams"]]
    lines.append(("heading", "Pathways"))
    for row in view["pathways"]:
        credit = ""
        if row["courses_credited"] is not None:
            credit = f", {row['courses_credited']} of {row['courses_required']} courses credited"
        lines.append(("bullet", f"{view['program']}/{row['pathway']}: {row['name']}{credit}"))
    if not view["pathways"]:
        lines.append(("bullet", "none costed yet"))
    return lines


def _charge_lines(charges: list[dict[str, Any]]) -> list[Line]:
    return [
        ("bullet", f"{c['label']}: {'minus ' if c.get('discount') else ''}{c['figure']} per {c['per']}")
        for c in charges
    ]


def _pathway_lines(view: dict[str, Any]) -> list[Line]:
    degree, credit = view["degree"], view["credit"]
    lines: list[Line] = [
        ("title", f"{view['program']}/{view['pathway']}: {view['name']}"),
        ("text", f"{degree['school']}, {degree['name']}; {view['source']}"),
        ("heading", "Credit rule"),
    ]
    if credit["courses_credited"] is not None:
        lines.append(("bullet", f"{credit['courses_credited']} of {degree['courses_required']} courses credited"))
    if credit["credits_credited"] is not None:
        lines.append(("bullet", f"{credit['credits_credited']} of {degree['credits_required']} credits credited"))
    if credit["note"]:
        lines.append(("bullet", credit["note"]))
    lines.append(("heading", "Charges after credit"))
    lines += _charge_lines(view["charges"])
    lines.append(("heading", "Direct route (baseline)"))
    if degree["direct_route"] is None:
        lines.append(("bullet", "none: the degree admits only through this pathway"))
    else:
        lines += _charge_lines(degree["direct_route"])
    lines.append(("heading", "Requirements"))
    for requirement in view["requirements"]:
        mark = f" [{requirement['basis']}]" if requirement["basis"] != "stated" else ""
        lines.append(("bullet", f"{requirement['kind'].replace('_', ' ')}: {requirement['text']}{mark}"))
    return lines


def _figures_table(figures: list[dict[str, Any]], style: Style) -> Any:
    from rich.table import Table

    table = Table(box=box_for(style), show_header=style.header)
    for name in ("figure", "year", "amount", "basis", "source"):
        table.add_column(name, overflow="fold", justify="right" if name == "amount" else "left")
    for row in figures:
        amount = f"{money_text(row['amount'])} {row['currency']}" if row.get("amount") is not None else "unknown"
        if row.get("tier"):
            amount += f" ({row['tier']})"
        year = academic_year(row["year"]) if row.get("year") is not None else ""
        table.add_row(row["figure"], year, amount, row["basis"], row.get("source") or row.get("note") or "")
    return table
