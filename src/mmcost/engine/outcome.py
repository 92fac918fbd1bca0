"""What the degree earns back: payback years and net present value of a salary uplift."""

from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from typing import NamedTuple

from mmcost.money import ZERO, round_money

HORIZONS = (5, 10, 20)
YEAR_STEP = Decimal("0.1")


class Outcome(NamedTuple):
    """Payback and NPV of one route: the cost is paid now, the uplift comes at each year's end."""

    uplift: Decimal
    discount_rate_pct: Decimal
    payback_years: Decimal | None
    npv: dict[int, Decimal]


def outcome(cost: Decimal, uplift: Decimal, discount_rate_pct: Decimal, currency: str) -> Outcome:
    """Payback years (cost / uplift, to 0.1 year) and NPV over each horizon (to the cent).

    NPV = -cost + sum over t = 1..H of uplift / (1 + r)^t: the standard
    end-of-year annuity, with the cost taken as paid at the start.
    """
    payback = (cost / uplift).quantize(YEAR_STEP, rounding=ROUND_HALF_EVEN) if uplift > ZERO else None
    present, npv = ZERO, {}
    for year, discount in enumerate(_discounts(str(discount_rate_pct)), start=1):
        present += uplift / discount  # the horizons' sums share their first years, added in the same order
        if year in HORIZONS:
            npv[year] = round_money(present - cost, currency)
    return Outcome(uplift, discount_rate_pct, payback, npv)


@lru_cache(maxsize=64)
def _discounts(discount_rate_pct: str) -> tuple[Decimal, ...]:
    """(1 + r)^t for t = 1 .. the longest horizon (a rate's powers, computed once; keyed by the rate as
    written, since 3 and 3.0 are equal keys but not the same digits)."""
    growth = 1 + Decimal(discount_rate_pct) / 100
    return tuple(growth**year for year in range(1, max(HORIZONS) + 1))
