"""The terminal chart: cumulative out-of-pocket cost by calendar year, and the net position with a salary uplift.

plotext draws it (imported only here, only for --chart). With colour and a
Unicode stdout it uses braille lines and box drawing; otherwise, as tables do,
plain ASCII with one marker character per route, so a pipe, NO_COLOR or a
latin-1 terminal still tells the lines apart. Float appears only as plot
coordinates handed to plotext; every number printed is formatted from Decimal.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from decimal import Decimal

from mmcost.render import Style
from mmcost.views.timeline import Payback, Series, Timeline

HEIGHT = 16
MIN_WIDTH = 40
ASCII_MARKERS = "*o+x#@%&=$~^"
"""One per line when there is no colour; a 13th line reuses the first (the legend still names each)."""
COLORS = ("blue+", "red+", "green+", "orange+", "magenta+", "cyan+", "gray+", "white")
ASCII_FRAME = str.maketrans("┌┐└┘─│┤├┬┴┼", "++++-|+++++")
TICKS = 5


def chart_text(data: Timeline, style: Style) -> str:
    """Both charts as text (the net position only with a salary uplift), then what they show in words."""
    if not data.cost:
        return "No chart: no route has a yearly schedule to draw.\n"
    width = max(MIN_WIDTH, style.width or 80)
    parts = [_plot(data.cost, f"Cumulative out of pocket ({data.currency}), at each year's end", width, style, ())]
    if data.net:
        title = f"Net position with a {_amount(data.uplift or Decimal(0))} {data.currency} a year salary uplift"
        parts.append(_plot(data.net, title, width, style, data.paybacks))
        parts.append(_payback_line(data.paybacks, width))
    if data.left_out:
        note = f"Left out (priced in another currency; --currency and --rate convert): {', '.join(data.left_out)}"
        parts.append(textwrap.fill(note, width) + "\n")
    return "\n".join(parts)


def _plot(series: Sequence[Series], title: str, width: int, style: Style, paybacks: Sequence[Payback]) -> str:
    import plotext as plt

    fancy = style.color and style.unicode
    plt.clear_figure()
    plt.plotsize(width, HEIGHT)
    plt.theme("pro" if style.color else "clear")
    legend = []
    same: dict[tuple[tuple[int, Decimal], ...], list[Series]] = {}
    for line in series:  # routes with the same amounts every year share one line, which the legend says
        same.setdefault(line.points, []).append(line)
    for number, (points, lines) in enumerate(same.items()):
        years = [year for year, _ in points]
        amounts = [_coordinate(amount) for _, amount in points]
        color = COLORS[number % len(COLORS)]
        marker = "braille" if fancy else ASCII_MARKERS[number % len(ASCII_MARKERS)]
        plt.plot(years, amounts, marker=marker, color=color)
        sample = "──" if fancy else marker * 2
        names = "; ".join(line.name for line in lines) + (" (the same amounts)" if len(lines) > 1 else "")
        text = textwrap.fill(f"{sample} {names}", width - 2, subsequent_indent="     ")
        if style.color:
            text = text.replace(sample, plt.colorize(sample, color), 1)
        legend.append(textwrap.indent(text, "  "))
    drawn_until = max(line.points[-1][0] for line in series)
    for payback in paybacks:
        if payback.at < drawn_until + 1:
            plt.vline(_coordinate(payback.at), "orange+" if style.color else "default")
    years = sorted({year for line in series for year, _ in line.points})
    every = max(1, math.ceil(len(years) * 8 / (width - 12)))  # a label and room around it
    plt.xticks(years[::every], [str(year) for year in years[::every]])
    ticks = _ticks([amount for line in series for _, amount in line.points])
    plt.yticks([_coordinate(tick) for tick in ticks], [_amount(tick) for tick in ticks])
    plt.title(title)
    text = str(plt.build())
    if not style.color:
        text = plt.uncolorize(text)
    if not fancy:
        text = text.translate(ASCII_FRAME)
    return "".join(line.rstrip() + "\n" for line in [*text.splitlines(), *legend])


def _payback_line(paybacks: Sequence[Payback], width: int) -> str:
    """Each route's payback in words; the vertical lines above mark those inside the chart."""
    said = [f"{p.key} in {p.year} ({p.years} years after finishing)" for p in paybacks]
    if not said:
        return "No payback: the uplift never covers the cost.\n"
    return textwrap.fill("Pays back (vertical lines): " + "; ".join(said) + ".", width) + "\n"


def _coordinate(amount: Decimal) -> float:
    """A plot position (pixels only; never printed)."""
    return float(amount)


def _ticks(amounts: Sequence[Decimal]) -> list[Decimal]:
    """About TICKS round values (1, 2 or 5 times a power of ten apart) covering the amounts and zero."""
    low, high = min([*amounts, Decimal(0)]), max([*amounts, Decimal(0)])
    if low == high:
        return [low]
    raw = (high - low) / TICKS
    power = Decimal(10) ** raw.adjusted()
    step = next(power * factor for factor in (1, 2, 5, 10) if power * factor >= raw)
    first = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    ticks = []
    tick = first
    while tick <= high:
        if tick >= low:
            ticks.append(tick)
        tick += step
    return ticks


def _amount(amount: Decimal) -> str:
    """A tick or uplift label: 32,500, or 1.5M, 20B and 3.4T once the digits would crowd the axis."""
    for size, suffix in ((Decimal(10) ** 12, "T"), (Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M")):
        if abs(amount) >= size:
            return f"{(amount / size).quantize(Decimal('0.1')).normalize():,f}{suffix}"
    return f"{amount.normalize():,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
