"""What-ifs on the exact engine: a range of values, and the value where savings reach zero."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from mmcost.errors import UsageError

MAX_POINTS = 1000
MAX_STEPS = 200


def value_range(start: Decimal, stop: Decimal, step: Decimal) -> list[Decimal]:
    """start, start + step, ... up to stop inclusive (exact decimals)."""
    if step <= 0:
        raise UsageError("the step of --vary must be > 0")
    if stop < start:
        raise UsageError("--vary runs from low to high: START <= STOP")
    count = int((stop - start) / step) + 1
    if count > MAX_POINTS:
        raise UsageError(f"--vary would run {count} estimates; the limit is {MAX_POINTS} (use a larger step)")
    return [start + step * index for index in range(count)]


@dataclass(frozen=True)
class Breakeven:
    """Where savings cross zero, or that they never do within [low, high]."""

    value: Decimal | None
    low: Decimal
    high: Decimal
    savings_at_low: Decimal
    savings_at_high: Decimal
    verdict: str  # "crosses", "always saves", "never saves"


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
        return Breakeven(None, low, high, at_low, at_high, verdict)
    below, above = low, high
    for _ in range(MAX_STEPS):
        if above - below <= resolution:
            break
        middle = ((below + above) / 2).quantize(resolution)
        if middle in (below, above):
            break
        at_middle = savings(middle)
        if at_middle == 0:
            return Breakeven(middle, low, high, at_low, at_high, "crosses")
        if (at_middle > 0) == (at_low > 0):
            below = middle
        else:
            above = middle
    return Breakeven(above, low, high, at_low, at_high, "crosses")
