"""The cost rules that apply the learner's scenario: aid, scholarship, living, travel, salary given up,
employer money and currency conversion, then the assumptions in words. Each says which source or
assumption it follows; engine/estimate.py runs them in the order RULES gives.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import lru_cache, partial

from mmcost.engine.costs import Build, RouteCosts, Scenario
from mmcost.engine.ledger import Line, Yearly
from mmcost.engine.pricing import FigureUse, Notice, Pricer, academic_year, format_plain
from mmcost.engine.scenario import IRC_127_LIMIT, Request
from mmcost.money import ZERO, round_money
from mmcost.terms import MONTHS_PER_TERM, Term


def aid(build: Build) -> None:
    """edX financial aid: a negative line per distinct certificate price, in the same years.

    Up to 90 % off verified certificates, and not the proctored exam (MIT SCM
    FAQ 2016-17: "edX discounts apply to the online courses only"), unless the
    catalog says a program's aid covers exams. Programs priced by ability to pay
    (DEDP) take a price tier instead.
    """
    pct = build.request.pct("aid")
    if pct == ZERO:
        return
    program = build.chosen.program
    if program.financial_aid != "edx":
        reason = "prices by ability to pay; use {price_tier}" if program.financial_aid == "price-tiers" else "has none"
        build.notes.warn(f"{{aid}} does not apply to {build.chosen.program_id}: it {reason}")
        return
    ledger = build.pathway.ledger
    kinds = ("course_fee", "exam_fee") if program.aid_covers_exams else ("course_fee",)
    for item in ledger.of_kind(*kinds):
        paid = item.line
        unit = -round_money(paid.unit_amount * pct / 100, paid.currency)
        what = "exam" if paid.kind == "exam_fee" else "course certificate"
        label = f"edX financial aid, {format_plain(pct)}% of each {what}"
        line = Line("micromasters", label, paid.unit, unit, paid.currency, "aid", paid.figure, paid.as_of)
        ledger.add_placed(line, item.placements)
    build.notes.assume(
        f"edX financial aid of {format_plain(pct)}% on course certificates"
        + ("" if program.aid_covers_exams else ", not on exams")
    )


def scholarship(scenario: Scenario, route: RouteCosts) -> None:
    """A percentage of each tuition line, or an amount taken from tuition in the order it is paid."""
    given = scenario.values.get("scholarship")
    if given is None or not given.amount:  # not given, or zero (Request.scholarship)
        return
    ledger, section, notes = route, route.section("degree"), scenario.notes
    tuition = [item for item in route.planned.ledger.of_kind("tuition") if item.line.unit_amount > ZERO]
    if given.is_pct:
        pct = given.amount
        for item in tuition:
            paid = item.line
            unit = -round_money(paid.unit_amount * pct / 100, paid.currency)
            label = f"Scholarship, {format_plain(pct)}% of {paid.label.lower()}"
            line = Line(section, label, paid.unit, unit, paid.currency, "scholarship", paid.figure)
            ledger.add_placed(line, item.placements)
        notes.assume(f"a scholarship of {format_plain(pct)}% of tuition, on both routes")
        return
    by_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for item in tuition:
        for year, amount in item.by_year().items():
            by_year[year] += amount
    left = given.amount
    years = sorted(by_year)
    for year in years:
        used = min(left, by_year[year])
        if used > ZERO:
            label = f"Scholarship ({year})" if len(years) > 1 else "Scholarship"
            line = Line(section, label, "once", -used, tuition[0].line.currency, "scholarship")
            ledger.add(line, year, Decimal(1))
        left -= used
    if left > ZERO:
        notes.warn(f"the scholarship is larger than the tuition; {format_plain(left)} of it is not used")
    notes.assume(f"a scholarship of {format_plain(given.amount)} against tuition, on both routes")


def _residence(scenario: Scenario, route: RouteCosts) -> int:
    """Residential months of a route; unknown months count as none, with a warning when it matters."""
    if route.residence is not None:
        return route.residence
    values = scenario.values
    budget = scenario.chosen.degree.living is not None and not values.get("no_living")
    wanted = (
        values.get("living_per_month") is not None
        or budget
        or (values.get("salary") is not None and not values.get("keep_working"))
    )
    if wanted:
        scenario.notes.warn(
            f"months in residence are unknown for {scenario.chosen.degree.name}; "
            "living costs and salary given up are not counted"
        )
    return 0


def living(scenario: Scenario, route: RouteCosts) -> None:
    """Living costs for each residential month, in the calendar years they fall in.

    The learner's {living_per_month} if given; else, unless {no_living}, the
    school's published cost-of-attendance budget (its rows' sum over the
    months they cover, e.g. MIT's 12-month graduate budget / 12).
    """
    months = route.residence
    if months is None:  # unknown: _residence says when that matters
        months = _residence(scenario, route)
    if not months or route.phase is None:
        return
    line = _living_line(scenario, route)
    if line is None:
        return
    route.add_placed(line, months_by_year(route.phase.anchor, months))


def _living_line(scenario: Scenario, route: RouteCosts) -> Line | None:
    values, section = scenario.values, route.section("living")
    monthly = values.get("living_per_month")
    if monthly is not None:
        return Line(section, "Living costs in residence", "month", monthly, scenario.currency, "living")
    if scenario.chosen.degree.living is None or values.get("no_living"):
        return None
    budget = planned_budget(scenario.build)
    scenario.pricer = budget.pricer  # its rows' warnings and figures, once priced (the plan's pricer when not)
    if budget.warning is not None:
        scenario.notes.warn(budget.warning)
    if budget.line is None:
        return None  # said under "not counted", or in the warning
    return budget.line if section == budget.line.section else budget.line._replace(section=section)


class Budget:
    """The school's cost-of-attendance budget as a monthly living line, priced once for a route's plan:
    with the pricer that priced its rows, whose warnings and figures used the estimates that count it add.
    (A plain class: every run defines it, and a NamedTuple costs more to define.)"""

    __slots__ = ("figure_notices", "figures_used", "line", "pricer", "warning")

    def __init__(
        self,
        line: Line | None,
        warning: str | None,
        pricer: Pricer,
        figure_notices: tuple[Notice, ...],
        figures_used: tuple[FigureUse, ...],
    ) -> None:
        self.line, self.warning, self.pricer = line, warning, pricer
        self.figure_notices, self.figures_used = figure_notices, figures_used


def planned_budget(build: Build) -> Budget:
    """The plan's budget line (made on first use, then kept with the plan): the sum of the budget's rows over
    the months they cover, e.g. MIT's 12-month graduate budget / 12."""
    if build.budget is not None:
        return build.budget
    budget, pricer, currency = build.chosen.degree.living, build.pricer, build.currency
    assert budget is not None
    line = warning = None
    if all(map(pricer.available, budget.figures)):
        pricer = pricer.fork()
        known = [row for row in map(pricer.price, budget.figures) if row is not None]
        if {row.currency for row in known} != {currency}:
            warning = f"{budget.label} is in another currency; {{living_per_month}} supplies living costs"
        else:
            whole = sum((row.amount for row in known), ZERO)
            years = sorted({row.as_of for row in known if row.as_of is not None})
            span = academic_year(years[0]) + (f" to {academic_year(years[-1])}" if len(years) > 1 else "")
            label = (
                f"Living costs in residence: {budget.label}, {span} ({format_plain(whole)} / {budget.months} months)"
            )
            unit = round_money(whole / budget.months, currency)
            line = Line(
                "living", label, "month", unit, currency, "living", budget.figures[0], years[0] if years else None,
                f"{budget.label} {span}", "derived", known[0].source,
            )  # fmt: skip
    notices, used = tuple(dict.fromkeys(pricer.notices)), tuple(pricer.used.values())
    build.budget = Budget(line, warning, pricer, notices, used)
    return build.budget


def travel(scenario: Scenario, route: RouteCosts) -> None:
    """One trip per on-campus requirement of the pathway, in the degree's last year.

    The catalog lists on-campus requirements only for pathways, so the direct
    degree has no trips (and the output says so).
    """
    cost = scenario.values.get("trip_cost")
    if cost is None or route.phase is None:
        return
    requirements = scenario.chosen.pathway.requirements
    if route.name == "direct":
        if any(r.kind == "on_campus" for r in requirements):
            scenario.notes.warn(
                "the catalog lists on-campus requirements only for the pathway, so the direct degree has no trips"
            )
        return
    trips = sum(r.count or 0 for r in requirements if r.kind == "on_campus")
    if trips:
        line = Line(
            route.section("living"), "Travel for on-campus requirements", "trip", cost, scenario.currency, "travel"
        )
        route.add(line, route.phase.end.year, Decimal(trips))


def salary_given_up(scenario: Scenario, route: RouteCosts) -> None:
    """A twelfth of the yearly salary for each residential month (none when you keep working)."""
    months = route.residence
    if months is None:  # unknown: _residence says when that matters
        months = _residence(scenario, route)
    if not months or route.phase is None:
        return
    values = scenario.values
    salary = values.get("salary")
    if salary is None or values.get("keep_working"):
        return
    monthly = round_money(salary / 12, scenario.currency)
    label = "Salary given up in residence"
    line = Line(route.section("opportunity"), label, "month", monthly, scenario.currency, "salary")
    route.add_placed(line, months_by_year(route.phase.anchor, months))


def employer(scenario: Scenario, route: RouteCosts) -> None:
    """Reimbursement of each calendar year's education costs, up to the cap per calendar year.

    It reads what was paid each year net of aid and scholarship, so it must run
    after them (RULES keeps that order).
    """
    cap = scenario.values.get("employer_per_year")
    if cap is None:
        return
    if cap:  # min(cap, paid) in each year something is paid; the employer's own lines are not education
        paid, covered = route.paid_up_to(cap)
        if paid:
            label, section = "Employer reimbursement ({year})", route.section("funding")
            route.add_yearly(_yearly((section, label, "year", scenario.currency, "employer", paid, cap)), -covered)
    if cap > IRC_127_LIMIT:
        scenario.notes.warn(
            f"employer reimbursement above {format_plain(IRC_127_LIMIT)} a year may be taxable income in the US "
            "(IRC section 127)"
        )


_yearly = partial(tuple.__new__, Yearly)
"""A Yearly from its fields in order, without NamedTuple's Python-level constructor (a call a route a row)."""


def unused(scenario: Scenario) -> None:
    """Amounts the learner gave that no route has a use for: said, rather than silently left out."""
    values, routes = scenario.values, scenario.routes
    if values.get("living_per_month") is not None and all(route.residence == 0 for route in routes):
        where = "neither this pathway nor the direct degree has" if scenario.direct else "this pathway has no"
        scenario.notes.warn(f"{{living_per_month}} is not used: {where} months in residence")
    if values.get("trip_cost") is not None and not any(
        r.kind == "on_campus" and r.count for r in scenario.chosen.pathway.requirements
    ):
        scenario.notes.warn("{trip_cost} is not used: the pathway has no on-campus requirement")


def convert(scenario: Scenario) -> None:
    """Every unit amount at the given rate, rounded once to the new currency's minor unit."""
    if "currency" not in scenario.values:  # a checked request gives a rate with it
        return
    conversion = scenario.request.conversion
    if conversion is None:
        return
    currency, rate = conversion
    for route in scenario.routes:
        route.ledger.convert(currency, rate)  # the route's whole ledger: its totals are read from it from now on


@lru_cache(maxsize=256)
def months_by_year(anchor: Term, months: int) -> tuple[tuple[int, Decimal], ...]:
    """Residential months from the anchor term on, four to a term, by calendar year."""
    placed: list[tuple[int, Decimal]] = []
    term, left = anchor, months
    while left > 0:
        here = min(MONTHS_PER_TERM, left)
        placed.append((term.year, Decimal(here)))
        left -= here
        term = term + 1
    return tuple(placed)


def plan_said(build: Build) -> list[str]:
    """The assumptions the route's plan makes (start, pace, terms, fee growth): the same for every scenario
    on that plan."""
    request, start, fee_year = build.request, build.start, build.fee_year
    said = [
        f"start in {start}" + ("" if request.start else " (the fee year's fall; set {start})"),
        f"{request.pace} course(s) per term"
        + ("" if request.values.get("courses_per_term") else " (default; set {courses_per_term})"),
        "a term is 4 months (spring, summer, fall); exams sit the term after the last course",
    ]
    growth = request.pct("fee_growth")
    if growth == ZERO:
        label = academic_year(fee_year) if fee_year is not None else "catalog"
        said.append(f"no fee growth: amounts are in {label} prices (set {{fee_growth}})")
    else:
        said.append(f"fees grow {format_plain(growth)}% a year from each figure's year to the year it is paid")
    return said


def scenario_said(request: Request, catalog_currency: str) -> list[str]:
    """The learner's own amounts, each with the currency it is in (the catalog's, before any conversion)."""
    said = []
    cap = request.money("employer_per_year")
    if cap is not None:
        said.append(
            f"the employer reimburses education costs up to {format_plain(cap)} {catalog_currency} "
            "per calendar year, on both routes"
        )
    if request.money("salary") is not None:
        said.append(
            "you keep working: no salary is given up"
            if request.get("keep_working")
            else "salary is given up only for residential months"
        )
    uplift = request.money("salary_uplift")
    if uplift is not None:
        said.append(
            f"a salary uplift of {format_plain(uplift)} {catalog_currency} a year from the year after, "
            f"discounted at {format_plain(request.pct('discount_rate'))}%"
        )
    if request.conversion is not None:
        currency, rate = request.conversion
        said.append(
            f"converted to {currency} at {format_plain(rate)} per unit of {catalog_currency}; amounts you type "
            f"(fees, employer money, salary and uplift, living, trips) are in {catalog_currency}, "
            "converted with the rest"
        )
    return said
