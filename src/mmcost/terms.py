"""Academic terms: spring, summer and fall of each calendar year, four months each.

A schedule places every payment in a term; the term gives the calendar year
(for employer caps and the yearly schedule) and the academic year (for fee
growth: fall 2027 is in 2027-28, spring 2028 too).
"""

from __future__ import annotations

import re
from functools import total_ordering

SEASONS = ("spring", "summer", "fall")
MONTHS_PER_TERM = 4
_TERM = re.compile(r"^(?:(\d{4})[-_ ]?(spring|summer|fall)|(spring|summer|fall)[-_ ]?(\d{4}))$")


@total_ordering
class Term:
    """One term, ordered in time: index = calendar year x 3 + season."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Term) and other.index == self.index

    def __lt__(self, other: Term) -> bool:
        return self.index < other.index

    def __hash__(self) -> int:
        return hash(self.index)

    def __repr__(self) -> str:
        return f"Term({self.index})  # {self}"

    @classmethod
    def of(cls, year: int, season: str) -> Term:
        """The term of a season in a calendar year."""
        return cls(year * 3 + SEASONS.index(season))

    @property
    def year(self) -> int:
        """The calendar year the term is in."""
        return self.index // 3

    @property
    def season(self) -> str:
        """spring, summer or fall."""
        return SEASONS[self.index % 3]

    @property
    def academic_year(self) -> int:
        """The academic year (named by its first calendar year): fall starts one."""
        return self.year if self.season == "fall" else self.year - 1

    def __add__(self, terms: int) -> Term:
        return Term(self.index + terms)

    def __sub__(self, other: Term) -> int:
        return self.index - other.index

    def next(self, season: str) -> Term:
        """The first term on or after this one that is in season."""
        step = (SEASONS.index(season) - self.index % 3) % 3
        return Term(self.index + step)

    def __str__(self) -> str:
        return f"{self.index // 3}-{SEASONS[self.index % 3]}"  # year-season, without the properties' calls


def parse_term(text: str) -> Term:
    """'2026-fall' (or 'fall-2026', 'fall 2026') as a Term; ValueError otherwise."""
    match = _TERM.match(text.strip().lower())
    if not match:
        raise ValueError(f"{text!r} is not a term; write YEAR-SEASON like 2026-fall (spring, summer or fall)")
    year = match.group(1) or match.group(4)
    season = match.group(2) or match.group(3)
    number = int(year)
    if not 1900 <= number <= 2200:
        raise ValueError(f"{text!r}: the year must be between 1900 and 2200")
    return Term.of(number, season)


def academic_year_of(year: int, month: int) -> int:
    """The academic year a date falls in, named by the year it starts in (it starts in August)."""
    return year if month >= 8 else year - 1
