"""A learner's scenario: aid, funding, pace, living, salary, outcome and currency.

Plain data with exact Decimals; the command line and scenario files fill it.
All defaults reproduce the plain catalog estimate.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from mmcost.engine.terms import Term
from mmcost.errors import UsageError
from mmcost.money import MINOR_UNITS, ZERO

MAX_AID_PCT = Decimal(90)
"""edX financial assistance covers up to 90 % of a verified certificate."""

IRC_127_LIMIT = Decimal(5250)
"""US tax-free limit of employer educational assistance per year (IRC section 127)."""

DEFAULT_PACE = 2
"""Courses per term when the user does not say: an assumption about the learner, listed in every output."""


class Scenario(NamedTuple):
    """What a learner brings to the estimate. Percentages are 0-100."""

    aid_pct: Decimal = ZERO
    scholarship: Decimal | None = None
    scholarship_is_pct: bool = False
    employer_per_year: Decimal | None = None
    retakes: int = 0
    exam_retakes: int = 0
    courses_per_term: int | None = None
    start: Term | None = None
    fee_growth_pct: Decimal = ZERO
    living_per_month: Decimal | None = None
    trip_cost: Decimal | None = None
    salary: Decimal | None = None
    keep_working: bool = False
    salary_uplift: Decimal | None = None
    discount_rate_pct: Decimal = ZERO
    currency: str | None = None
    rate: Decimal | None = None

    @property
    def pace(self) -> int:
        """Courses per term, the default when not given."""
        return self.courses_per_term if self.courses_per_term is not None else DEFAULT_PACE

    def check(self) -> None:
        """Raise UsageError for values no learner can have."""
        problems = []
        if not ZERO <= self.aid_pct <= MAX_AID_PCT:
            problems.append(f"aid must be between 0 and {MAX_AID_PCT} percent")
        if self.scholarship is not None and self.scholarship_is_pct and not ZERO <= self.scholarship <= 100:
            problems.append("a scholarship percentage must be between 0 and 100")
        if self.courses_per_term is not None and not 1 <= self.courses_per_term <= 12:
            problems.append("courses per term must be between 1 and 12")
        if not 0 <= self.retakes <= 50 or not 0 <= self.exam_retakes <= 50:
            problems.append("retakes must be between 0 and 50")
        if not Decimal(-50) <= self.fee_growth_pct <= Decimal(100):
            problems.append("fee growth must be between -50 and 100 percent a year")
        if not ZERO <= self.discount_rate_pct <= Decimal(100):
            problems.append("the discount rate must be between 0 and 100 percent")
        if (self.currency is None) != (self.rate is None):
            problems.append("--currency and --rate go together (mmcost has no network access for rates)")
        if self.currency is not None and self.currency not in MINOR_UNITS:
            problems.append(f"unknown currency {self.currency!r}; use one of {', '.join(sorted(MINOR_UNITS))}")
        if self.rate is not None and not Decimal("0.0001") <= self.rate <= Decimal(100000):
            problems.append("the exchange rate must be between 0.0001 and 100000")
        for name in ("scholarship", "employer_per_year", "living_per_month", "trip_cost", "salary", "salary_uplift"):
            value = getattr(self, name)
            if value is not None and value < 0:
                problems.append(f"{name.replace('_', ' ')} must be >= 0")
        if problems:
            raise UsageError("; ".join(problems))

    def is_default(self) -> bool:
        """True when nothing was asked beyond the catalog estimate."""
        return all(getattr(self, name) == default for name, default in self._field_defaults.items())
