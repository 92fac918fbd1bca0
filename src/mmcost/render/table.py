"""Tables for people, drawn with rich: a view's own layout, plain rows, or the same cells stacked on a
screen too narrow for them."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from mmcost.render import Prepared, Style, money_text

if TYPE_CHECKING:
    from mmcost.views import View


def console(style: Style) -> Any:
    """A rich Console writing to a buffer, coloured only when style says so."""
    from rich.console import Console

    return Console(
        file=io.StringIO(),
        force_terminal=style.color,
        no_color=not style.color,
        width=style.width,
        highlight=False,
        markup=False,  # text from catalogs and batch files is shown as written: `[bold]` stays `[bold]`,
        emoji=False,  # and `:one:` stays `:one:`
    )


def box_for(style: Style) -> Any:
    """Box drawing for terminals, plain ASCII rules otherwise."""
    from rich import box

    return box.SIMPLE_HEAD if style.color and style.unicode else box.ASCII2


def captured(out: Any) -> str:
    """What a buffered Console printed, without trailing spaces."""
    text = str(out.file.getvalue())
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def rows_table(
    rows: Sequence[Mapping[str, Any]], fields: Sequence[str], style: Style, *, title: str | None = None
) -> str:
    """Rows as a rich table with one column per field."""
    from rich.table import Table

    out = console(style)
    table = Table(title=title, title_justify="left", box=box_for(style), show_header=style.header)
    cells = [[_table_cell(row.get(name)) for name in fields] for row in rows]
    for index, name in enumerate(fields):
        header = name.replace("_", " ")
        numeric = any(isinstance(row.get(name), (int, Decimal)) and not isinstance(row.get(name), bool) for row in rows)
        # A column of single words (ids, amounts) is never wrapped: wrapping it could only break a word, as
        # rich does when it narrows the widest columns alike (hes-sustainabi|lity).
        whole = all(len(text.split()) <= 1 for text in (header, *(row[index] for row in cells)))
        table.add_column(header, justify="right" if numeric else "left", overflow="fold", no_wrap=whole)
    for row_cells in cells:
        table.add_row(*row_cells)
    print_table(out, table)
    return captured(out)


def print_table(out: Any, table: Any) -> None:
    """A rich table, or, on a screen too narrow for it without breaking words, the same cells stacked:
    each row a block of `header: value` pairs (stacked), so that every id and every amount stays whole."""
    spans = _spans(table)
    if sum(span.narrowest for span in spans) + _frame(table) > out.width:
        out.print(stacked(table, out.width), soft_wrap=True, crop=False)
        return
    if not any(column.ratio for column in table.columns):
        _fit(table, spans, out.width)
    out.print(table)


def _frame(table: Any) -> int:
    """The width a table adds to its cells: a space either side of each, and the rules between and around."""
    count = len(table.columns)
    return 2 * count + count + 1


class Span(NamedTuple):
    """How wide a column can be: as narrow as its longest word allows (its longest cell, if no_wrap), as wide
    as its cells need with the header wrapped, and as wide as its longest line."""

    narrowest: int
    cells: int
    natural: int


def _spans(table: Any) -> list[Span]:
    from rich.cells import cell_len

    spans: list[Span] = []
    flexible = any(column.ratio for column in table.columns)  # rich then gives the other columns their full width
    for column in table.columns:
        header, cells = _lines_of(column.header), [line for cell in column.cells for line in _lines_of(cell)]
        whole = column.no_wrap or (flexible and not column.ratio)
        pieces = [*header, *cells] if whole else [word for line in (*header, *cells) for word in line.split()]
        narrowest = max([cell_len(piece) for piece in pieces] + [int(column.min_width or 0)])
        need = max([narrowest if whole else 0, *map(cell_len, cells)])
        spans.append(Span(narrowest, max(narrowest, need), max([narrowest, need, *map(cell_len, header)])))
    return spans


def _fit(table: Any, spans: list[Span], width: int) -> None:
    """Fixed column widths for a table wider than the screen, given a character at a time: first by a column
    whose header alone is wider than its cells (the header wraps), then by the column that keeps the largest
    share of its natural width (so each keeps about the same share: a long name keeps more than a short
    status), never below its longest word. (rich narrows the widest columns alike, which breaks words in a
    column of long names while a column of short numbers keeps its long header on one line.)"""
    widths = [span.natural for span in spans]
    room = width - _frame(table)
    if sum(widths) <= room:
        return
    while sum(widths) > room:  # print_table checked that the narrowest widths fit
        index = max(
            range(len(widths)),
            key=lambda i: (widths[i] > spans[i].cells, widths[i] > spans[i].narrowest, widths[i] / spans[i].natural),
        )
        widths[index] -= 1
    for column, fitted in zip(table.columns, widths, strict=True):
        column.width = fitted


def stacked(table: Any, width: int) -> Any:
    """A rich table's cells as blocks: a row's first cell (bold), then its other non-empty cells as
    `header: value`, as many to a line as fit the width (`; ` between them), each whole."""
    from rich.text import Text

    headers = [_plain_text(column.header) for column in table.columns]
    columns = [[_plain_text(cell) for cell in column.cells] for column in table.columns]
    text = _annotation(table.title, width) if table.title else Text()
    for cells in zip(*columns, strict=True):
        first, rest = cells[0].rstrip(), cells[1:]
        if first and table.columns[0].justify == "right":  # a number alone (a row number) is not a title
            first = f"{headers[0]} {first.strip()}"
        indent = " " * (len(first) - len(first.lstrip()) + 4)
        if first:
            lead = " " * (len(first) - len(first.lstrip()))
            for line in packed(first.split(), width - len(lead), " "):
                text.append(("\n" if text else "") + lead + line, style="bold")
        pairs = [f"{header}: {value}" for header, value in zip(headers[1:], rest, strict=True) if value]
        for line in packed(pairs, width - len(indent)):
            text.append(f"\n{indent}{line}")
    if table.caption:
        text.append("\n").append_text(_annotation(table.caption, width, "table.caption"))
    return text


def _annotation(value: Any, width: int, style: str = "") -> Any:
    """A table's title or caption, each of its lines broken between words to fit the width and keeping the
    style set on the whole line (an estimate's data-age line stays bold yellow)."""
    from rich.text import Text

    given = value if isinstance(value, Text) else Text(str(value))
    text = Text(style=style)
    for line in given.split("\n", allow_blank=True):
        whole = [span.style for span in line.spans if span.start == 0 and span.end >= len(line)]
        for piece in packed(line.plain.split(), width, " "):
            text.append(("\n" if text else "") + piece, style=whole[0] if whole else "")
    return text


def packed(pieces: Sequence[str], width: int, separator: str = "; ") -> list[str]:
    """The pieces in order, joined by separator into lines of at most width cells. A piece wider than
    that is broken between its words, and the next piece starts a line; a word wider than that has a
    line of its own (an id stays whole)."""
    from rich.cells import cell_len

    lines: list[str] = []
    joinable = False  # whether the last line may take the next piece
    for piece in pieces:
        if joinable and cell_len(lines[-1]) + len(separator) + cell_len(piece) <= width:
            lines[-1] += separator + piece
        elif cell_len(piece) > width and len(words := piece.split()) > 1:
            lines += packed(words, width, " ")
            joinable = False
            continue
        else:
            lines.append(piece)
        joinable = True
    return lines


def _lines_of(value: Any) -> list[str]:
    return str(getattr(value, "plain", value) or "").split("\n")


def _plain_text(value: Any) -> str:
    """A cell's text without styles (a rich Text, or a str shown literally)."""
    return " ".join(str(value.plain if hasattr(value, "plain") else value).split("\n")) if value else ""


def _table_cell(value: Any) -> str:
    if isinstance(value, Decimal):
        return money_text(value)
    if isinstance(value, list):
        return ", ".join(map(_table_cell, value)) or "-"
    return "" if value is None else str(value)


TABLE_BLOCK = 1000
"""Streamed rows drawn per table, so that a table of a million rows keeps memory flat."""


class TableWriter:
    """The table for people: a view's own layout, or streamed rows in tables of TABLE_BLOCK rows."""

    def __init__(self, out: IO[str], fields: Sequence[str], style: Style) -> None:
        self.out, self.fields, self.style = out, fields, style
        self.pending: list[Mapping[str, Any]] = []

    def document(self, view: View) -> None:
        self.out.write(_layout_table(view, self.fields, self.style))

    def begin(self) -> None:
        pass

    def prepare(self, record: Mapping[str, Any]) -> Prepared:
        return Prepared(dict(record))

    def row(self, record: Mapping[str, Any], prepared: Prepared | None = None) -> None:
        self.pending.append({**record, **(prepared.encoded if prepared else {})})
        if len(self.pending) >= TABLE_BLOCK:
            self.end()

    def end(self) -> None:
        if self.pending:
            self.out.write(rows_table(self.pending, self.fields, self.style))
            self.pending = []

    def write_rows(self, text: str) -> None:
        # Tables another writer laid out (and ended): after this writer's own rows.
        self.end()
        self.out.write(text)

    def holds_rows(self) -> bool:
        return bool(self.pending)


def chart_under(estimates: Any, style: Style) -> str:
    """The --chart of a table: a blank line, then the chart (its libraries load only now)."""
    from mmcost.render.chart import chart_text
    from mmcost.views.timeline import timeline

    return "\n" + chart_text(timeline(estimates), style)


def _layout_table(view: View, fields: Sequence[str], style: Style) -> str:
    """The table a view's layout asks for."""
    if view.layout == "estimate":
        from mmcost.render.estimate import estimate_text

        return estimate_text(view.subject, style, **view.options)
    if view.layout == "compare":
        from mmcost.render.compare import compare_table

        text = compare_table(view.rows, style)
        return text + chart_under(view.subject, style) if view.options.get("chart") else text
    if view.layout == "show":
        from mmcost.render.show import show_text

        return show_text(view.subject, style)
    return rows_table(view.rows, fields, style, title=view.title)
