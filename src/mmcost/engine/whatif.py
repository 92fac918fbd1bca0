"""What-ifs on the exact engine: a range of values of one option, and the value where savings reach zero."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from mmcost.engine.estimate import Estimate
from mmcost.engine.scenario import Request
from mmcost.errors import MissingFigureError, OptionError, UsageError
from mmcost.options import Option, Scholarship

Price = Callable[[Request], Estimate]
"""Prices a request on one route: functools.partial(engine.estimate, catalog, program_id, pathway_id)."""

MAX_POINTS = 1000
MAX_STEPS = 200
SEARCH_LIMIT = Decimal(10_000_000)
"""Where the search for a break-even of an unbounded amount stops doubling."""


def value_range(variable: Option, start: Decimal, stop: Decimal, step: Decimal) -> list[Decimal]:
    """start, start + step, ... up to stop inclusive (exact decimals), each within the option's range."""
    variable.parse(start)
    variable.parse(stop)
    if step <= 0:
        raise OptionError(variable.key, "the step must be > 0")
    if stop < start:
        raise OptionError(variable.key, "the range runs from low to high: START <= STOP")
    if step * MAX_POINTS < stop - start:  # checked by multiplying: dividing by a tiny step can overflow
        raise OptionError(variable.key, f"the range would run more than {MAX_POINTS} estimates; use a larger step")
    count = int((stop - start) // step) + 1
    return [start + step * index for index in range(count)]


class SweepPoint(NamedTuple):
    """One value of the varied option: its estimate, or the figures it misses."""

    value: Decimal
    estimate: Estimate | None
    missing: tuple[str, ...] = ()


def sweep(price: Price, request: Request, variable: Option, values: list[Decimal]) -> list[SweepPoint]:
    """The estimate at each value of one option, everything else as the request has it."""
    points = []
    for value in values:
        try:
            result = price(request.replace(variable.key, value))
        except MissingFigureError as error:
            points.append(SweepPoint(value, None, error.problems))
            continue
        points.append(SweepPoint(value, result))
    return points


class Breakeven(NamedTuple):
    """Where savings cross zero, or that they never do within [low, high]."""

    value: Decimal | None
    low: Decimal
    high: Decimal
    savings_at_low: Decimal
    savings_at_high: Decimal
    currency: str
    verdict: str  # "crosses", "always saves", "never saves"


def breakeven(
    price: Price, request: Request, variable: Option, bounds: tuple[str | None, str | None] = (None, None)
) -> Breakeven:
    """The value of one option at which the pathway stops saving, to the option's step.

    The search runs over [low, high]: by default from the option's lowest
    value to its highest, or, for an amount with no natural top, to the first
    doubling at which the savings change sign (at most SEARCH_LIMIT).
    """
    if not variable.solvable or variable.step is None:
        raise OptionError(variable.key, "picks figures, it does not move costs smoothly; use mmcost sweep instead")
    currency = ""

    def savings(value: Decimal) -> Decimal:
        nonlocal currency
        result = price(request.replace(variable.key, value))
        if result.savings is None:
            raise UsageError(f"{result.program_id}/{result.pathway_id} has no direct route, so there is no break-even")
        currency = result.currency
        return result.savings

    low = _amount(variable.parse(bounds[0])) if bounds[0] is not None else (variable.low or Decimal(0))
    top = variable.parse(bounds[1]) if bounds[1] is not None else _natural_high(variable)
    high = _amount(top) if top is not None else _search_high(savings, low, variable)
    if low >= high:
        raise OptionError(variable.key, f"the search range is empty: low {low} is not below high {high}")
    found = find_breakeven(savings, low, high, variable.step)
    return found._replace(currency=currency)


def _amount(value: Decimal | int | Scholarship) -> Decimal:
    """A bound as a Decimal (a scholarship bound is its amount)."""
    return value.amount if isinstance(value, Scholarship) else Decimal(value)


def _natural_high(variable: Option) -> Decimal | None:
    """The option's own top (aid 90, pace 12, ...); None for amounts of money, searched instead."""
    return None if variable.kind in ("money", "scholarship") else variable.high


def _search_high(savings: Callable[[Decimal], Decimal], low: Decimal, variable: Option) -> Decimal:
    """Double from the low end until the savings change sign, or SEARCH_LIMIT is reached."""
    at_low = savings(low) > 0
    high = max(low * 2, Decimal(10) if variable.kind == "whole" else Decimal(100))
    while high < SEARCH_LIMIT and (savings(high) > 0) == at_low:
        high *= 2
    return min(high, SEARCH_LIMIT)


def find_breakeven(
    savings: Callable[[Decimal], Decimal], low: Decimal, high: Decimal, resolution: Decimal
) -> Breakeven:
    """Bisection, to `resolution`, for the value at which savings reach zero.

    savings must be monotonic in the value between low and high (every varied
    figure is: a higher fee or a lower aid moves the net cost one way). The
    answer is the value where savings are exactly zero when the bisection
    lands on it, else the first value (at that resolution) past zero.
    """
    at_low, at_high = savings(low), savings(high)
    if (at_low > 0) == (at_high > 0):
        verdict = "always saves" if at_low > 0 else "never saves"
        return Breakeven(None, low, high, at_low, at_high, "", verdict)
    below, above = low, high
    for _ in range(MAX_STEPS):
        if above - below <= resolution:
            break
        middle = ((below + above) / 2).quantize(resolution)
        if middle in (below, above):
            break
        at_middle = savings(middle)
        if at_middle == 0:
            return Breakeven(middle, low, high, at_low, at_high, "", "crosses")
        if (at_middle > 0) == (at_low > 0):
            below = middle
        else:
            above = middle
    return Breakeven(above, low, high, at_low, at_high, "", "crosses")
