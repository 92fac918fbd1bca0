"""What the degree earns back: payback years and net present value of a salary uplift."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
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
    growth = 1 + discount_rate_pct / 100
    npv = {}
    for horizon in HORIZONS:
        present = sum((uplift / growth**year for year in range(1, horizon + 1)), ZERO)
        npv[horizon] = round_money(present - cost, currency)
    return Outcome(uplift, discount_rate_pct, payback, npv)
