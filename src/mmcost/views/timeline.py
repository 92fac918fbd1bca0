"""Money over time, for charts: each route's cumulative cost and net position at each calendar year's end.

The figures come straight from the estimate's yearly schedules and outcome:
- cumulative out of pocket: what the learner has paid through the end of each
  year (paid minus what the employer covers), the sum of the schedule's
  `out_of_pocket` so far;
- net position (only with a salary uplift): minus that, minus the salary given up
  so far, plus the uplift earned since finishing. It is -net_cost on the day the
  route ends and rises by the uplift each year after, so it crosses zero exactly
  `payback_years` after finishing, the estimate's own payback figure.
Undiscounted, like payback; NPV stays in the estimate.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from mmcost.engine import Estimate, ScheduleYear
from mmcost.money import ZERO, round_money

MONTHS = 12
TERM_MONTHS = 4
MAX_YEARS = 30
"""A chart covers at most this many calendar years; a later payback is named, not drawn."""


class Series(NamedTuple):
    """One route's line: (calendar year, amount at that year's end)."""

    key: str
    """compare's row key: PROGRAM/PATHWAY, or PROGRAM/PATHWAY/direct for the degree taken directly."""
    name: str
    points: tuple[tuple[int, Decimal], ...]


class Payback(NamedTuple):
    """When a route's net position turns positive."""

    key: str
    years: Decimal
    """After finishing: the estimate's payback_years."""
    at: Decimal
    """The moment, in calendar years (2023.5 is the middle of 2023)."""

    @property
    def year(self) -> int:
        """The calendar year it pays back in."""
        return int(self.at)


class Timeline(NamedTuple):
    """Every route of a chart, in one currency."""

    currency: str
    uplift: Decimal | None
    cost: tuple[Series, ...]
    net: tuple[Series, ...]
    paybacks: tuple[Payback, ...]
    left_out: tuple[str, ...]
    """Keys of routes priced in another currency (one chart never mixes currencies)."""


class _Route(NamedTuple):
    key: str
    name: str
    schedule: tuple[ScheduleYear, ...]
    finish: int | None  # months since year 0 (January of year 0 is month 0)
    payback: Decimal | None


def timeline(estimates: Sequence[Estimate]) -> Timeline:
    """The chart data of one or more estimates: each pathway, and each direct degree once."""
    currency = estimates[0].currency if estimates else "USD"
    routes: dict[str, _Route] = {}
    left_out = []
    for result in estimates:
        if result.currency != currency:
            left_out.append(f"{result.program_id}/{result.pathway_id}")
            continue
        for route in _routes(result):
            routes.setdefault(route.key, route)
    uplift = next((result.outcome.uplift for result in estimates if result.outcome), None)
    chosen = [route for route in routes.values() if route.schedule]
    if not chosen:
        return Timeline(currency, uplift, (), (), (), tuple(left_out))
    first = min(route.schedule[0].year for route in chosen)
    paybacks = tuple(
        Payback(route.key, route.payback, Decimal(route.finish) / MONTHS + route.payback)
        for route in chosen
        if route.payback is not None and route.finish is not None
    )
    cost_end = max(route.schedule[-1].year for route in chosen)
    net_end = min(max([cost_end] + [payback.year + 1 for payback in paybacks]), first + MAX_YEARS - 1)
    cost = tuple(Series(route.key, route.name, _cumulative(route, first, cost_end)) for route in chosen)
    net: tuple[Series, ...] = ()
    if uplift is not None:
        net = tuple(
            Series(route.key, route.name, _net_position(route, uplift, currency, first, net_end))
            for route in chosen
            if route.finish is not None
        )
    return Timeline(currency, uplift, cost, net, paybacks, tuple(left_out))


def _routes(result: Estimate) -> list[_Route]:
    key = f"{result.program_id}/{result.pathway_id}"
    start = result.start.index * TERM_MONTHS
    routes = [
        _Route(
            key,
            f"{key}: pathway",
            result.schedule,
            None if result.months is None else start + result.months,
            result.outcome.payback_years if result.outcome else None,
        )
    ]
    if result.baseline_cost is not None:
        routes.append(
            _Route(
                f"{key}/direct",
                f"{key}/direct: {result.degree_name} taken directly",
                result.baseline_schedule,
                None if result.baseline_months is None else start + result.baseline_months,
                result.baseline_outcome.payback_years if result.baseline_outcome else None,
            )
        )
    return routes


def _cumulative(route: _Route, first: int, last: int) -> tuple[tuple[int, Decimal], ...]:
    paid = {row.year: row.out_of_pocket for row in route.schedule}
    total, points = ZERO, []
    for year in range(first, last + 1):
        total += paid.get(year, ZERO)
        points.append((year, total))
    return tuple(points)


def _net_position(
    route: _Route, uplift: Decimal, currency: str, first: int, last: int
) -> tuple[tuple[int, Decimal], ...]:
    assert route.finish is not None
    spent = {row.year: row.out_of_pocket + row.foregone_salary for row in route.schedule}
    total, points = ZERO, []
    for year in range(first, last + 1):
        total += spent.get(year, ZERO)
        months_earning = max(0, (year + 1) * MONTHS - route.finish)
        points.append((year, round_money(uplift * months_earning / MONTHS, currency) - total))
    return tuple(points)


def timeline_dict(data: Timeline) -> dict[str, Any]:
    """The charts' figures as JSON-ready data (`report --format json`)."""

    def series(lines: tuple[Series, ...]) -> list[dict[str, Any]]:
        return [
            {"key": line.key, "name": line.name, "points": [{"year": y, "amount": a} for y, a in line.points]}
            for line in lines
        ]

    return {
        "currency": data.currency,
        "salary_uplift": data.uplift,
        "cumulative_out_of_pocket": series(data.cost),
        "net_position": series(data.net),
        "paybacks": [{"key": p.key, "years_after_finishing": p.years, "year": p.year} for p in data.paybacks],
        "left_out": list(data.left_out),
    }
