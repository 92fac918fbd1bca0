"""The cost engine: one entry point, estimate(catalog, program, pathway, request).

Pure functions only: no I/O, no clock, no printing, no float. Every total is
the exact sum of its line items, and every line item is quantity x unit
amount. The cost rules are the functions of engine/costs.py (catalog figures)
and engine/scenario_rules.py (the learner's scenario), run in the order
RULES gives; each rule's docstring says which source or assumption it follows.

Why this order:

1. micromasters, degree: price the catalog's figures on both routes (the
   pathway's degree phase starts the term after the MicroMasters ends, so the
   MicroMasters comes first).
2. figures_known: stop before any scenario arithmetic when a figure is
   missing, naming each one and the option that supplies it.
3. schedule: months to finish and months in residence, which living costs
   and salary given up need.
4. aid: edX financial aid discounts certificate lines, so they must exist.
5. Per route, in ROUTE_RULES order: scholarship (on tuition lines), living,
   travel, salary given up, and last employer money: the employer reimburses
   what is paid each calendar year *net of aid and scholarship*, up to its cap,
   so it must see those discounts, and it never reimburses living costs or
   salary, so their place before it does not matter.
6. unused: an amount the learner gave that no route has a use for (living
   costs without months in residence, trips without an on-campus
   requirement) is said in a warning, not silently left out.
7. convert: every amount, including what the learner typed (which is in the
   catalog's currency), is converted once at the end, so that no rule mixes
   currencies.

Plans: steps 1-4 read only the catalog and the catalog options (fee year,
tier, figure overrides, pace, retakes, start, aid), so their result, a route's
plan, is kept (a bounded cache) and shared by every request with those options;
only steps 5-7 and the finish run per scenario. The plan is never changed: a
scenario's rules add their payments to a small ledger of their own (costs.
RouteCosts), the totals are the plan's plus those, and the two ledgers become
one only when line items are read or converted (a batch row of CSV never
does). The school's living budget is priced once per plan, when a scenario
first counts it. Plans that differ only in how much aid share the route as
steps 1-3 price it (PRICING_RULES, kept apart): each forks it and adds its aid
lines to copies. tests/test_engine.py checks that a reused plan, and a plan
forked from a kept priced route, give exactly what fresh ones give.

Baseline: the degree's direct route, every course or term paid, under the
same scenario (scholarship, employer, living, salary), so that savings compare
the same degree with and without the MicroMasters. A degree with no direct
route (MIT DEDP admits only credential holders) has no baseline.

Rounding: catalog amounts are exact and quantities whole, so plain sums need
none. Where a rate enters (percentages, fee growth, a monthly share of a
salary, currency conversion) money.round_money rounds each unit amount once,
to the currency's minor unit, half-even.
"""

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from functools import partial
from typing import NamedTuple

from mmcost.engine import costs, scenario_rules
from mmcost.engine.costs import Build, RouteCosts, Scenario
from mmcost.engine.finished import Ledgers, LineItem, ScheduleYear
from mmcost.engine.ledger import Section
from mmcost.engine.outcome import Outcome, outcome
from mmcost.engine.pricing import FigureUse, Notice, academic_year, fit, route
from mmcost.engine.scenario import Request
from mmcost.engine.scenario_rules import Budget
from mmcost.errors import MissingFigureError
from mmcost.model import Catalog, Requirement
from mmcost.money import ZERO, percent, round_money, with_minor_units
from mmcost.terms import Term

ROUTE_RULES: tuple[Callable[[Scenario, RouteCosts], None], ...] = (
    scenario_rules.scholarship,
    scenario_rules.living,
    scenario_rules.travel,
    scenario_rules.salary_given_up,
    scenario_rules.employer,
)
"""The scenario's rules for each route, in order: employer money last, after aid and scholarship."""


def each_route(scenario: Scenario) -> None:
    """ROUTE_RULES, route by route: the pathway's, then the direct degree's."""
    for route_costs in scenario.routes:
        for rule in ROUTE_RULES:
            rule(scenario, route_costs)


PRICING_RULES: tuple[Callable[[Build], None], ...] = (
    costs.micromasters,
    costs.degree,
    costs.figures_known,
    costs.schedule,
)
"""The plan rules that read no aid but whether any is given (a program sold only as a bundle cannot take it):
their Build is kept apart (a priced route) and shared by the plans that differ only in how much aid."""
PLAN_RULES: tuple[Callable[[Build], None], ...] = (*PRICING_RULES, scenario_rules.aid)
"""The rules that read only the catalog and the catalog options: a route's plan, reused by every scenario that
shares it (aid is one of those options, so its discount lines are part of the plan)."""
SCENARIO_RULES: tuple[Callable[[Scenario], None], ...] = (
    each_route,
    scenario_rules.unused,
    scenario_rules.convert,
)
RULES = PLAN_RULES + SCENARIO_RULES
"""The cost rules in the order they run; the module docstring says why."""

SCENARIO_KEYS = frozenset(
    {
        "scholarship", "living_per_month", "no_living", "trip_cost", "salary", "keep_working",
        "employer_per_year", "salary_uplift", "discount_rate", "currency", "rate",
    }
)  # fmt: skip
"""Options that only SCENARIO_RULES and the finish read: requests that differ only in these share a plan.
(aid is not one: a program sold only as a bundle cannot take it, which the plan decides.)"""

_NOT_PLANNED = SCENARIO_KEYS | {"set"}
"""The options a plan's cache key leaves out: the scenario's, and `set` (a mapping, keyed apart)."""

PLANS_KEPT = 512
"""Route plans kept, most recently used first; memory stays bounded whatever the number of rows."""
_plans: dict[tuple[object, ...], "Plan"] = {}


class Estimate(NamedTuple):
    """The cost of a master's through one pathway, and of the direct degree.

    The route's own facts come first (Plan.facts: the same for every scenario on the route's plan), then what
    the scenario makes.
    """

    program_id: str
    pathway_id: str
    program_name: str
    pathway_name: str
    degree_name: str
    school: str
    fee_year: int | None
    courses_credited: int | None
    courses_remaining: int | None
    courses_required: int | None
    months: int | None
    baseline_months: int | None
    start: Term
    requirements: tuple[Requirement, ...]
    currency: str
    ledgers: Ledgers
    micromasters_cost: Decimal
    remaining_degree_cost: Decimal
    living_travel_cost: Decimal
    opportunity_cost: Decimal
    employer_funding: Decimal
    net_cost: Decimal
    baseline_cost: Decimal | None
    savings: Decimal | None
    savings_pct: Decimal | None
    outcome: Outcome | None
    baseline_outcome: Outcome | None
    exchange_rate: tuple[str, str, Decimal] | None
    said: tuple[str, ...]
    """The assumptions of the route's plan and of the cost rules (assumptions adds the learner's amounts)."""
    request: Request
    catalog_currency: str
    """The currency of the catalog's figures and of the amounts the learner typed, before any conversion."""
    notices: tuple[Notice, ...]
    figures_used: tuple[FigureUse, ...]

    @property
    def assumptions(self) -> tuple[str, ...]:
        """Every assumption the estimate rests on, in words: the plan's and the rules' (said), then the learner's
        amounts, each in the currency it was typed in. Made when read: batch's CSV never reads them."""
        return (*self.said, *scenario_rules.scenario_said(self.request, self.catalog_currency))

    @property
    def line_items(self) -> tuple[LineItem, ...]:
        """The pathway's line items, then the direct degree's (section "baseline")."""
        return self.ledgers.line_items

    @property
    def schedule(self) -> tuple[ScheduleYear, ...]:
        """The pathway's calendar years: paid, covered by the employer, out of pocket, salary given up."""
        return self.ledgers.schedule

    @property
    def baseline_schedule(self) -> tuple[ScheduleYear, ...]:
        """The direct degree's calendar years (empty without a direct route)."""
        return self.ledgers.baseline_schedule

    @property
    def baseline_parts(self) -> Mapping[str, Decimal]:
        """The direct route's cost split like the pathway's sections (education, living, salary, funding)."""
        return self.ledgers.baseline_parts

    @property
    def warnings(self) -> tuple[str, ...]:
        """Every warning, in words (options named as {key})."""
        return tuple(notice.text for notice in self.notices)

    @property
    def figures_oldest_year(self) -> int | None:
        """The academic year of the oldest catalog figure used (None when every figure was the user's)."""
        return min((use.year for use in self.figures_used), default=None)

    @property
    def figures_newest_year(self) -> int | None:
        """The academic year of the newest catalog figure used."""
        return max((use.year for use in self.figures_used), default=None)

    @property
    def carried_forward(self) -> int:
        """How many catalog figures used are older than the fee year (carried forward to it)."""
        fee_year = self.fee_year
        return sum(1 for use in self.figures_used if fee_year is not None and use.year < fee_year)

    def items(self, section: Section) -> tuple[LineItem, ...]:
        """The line items of one section, in order."""
        return tuple(item for item in self.line_items if item.section == section)

    def section_total(self, section: Section) -> Decimal:
        """The exact sum of one section's line items."""
        return sum((item.amount for item in self.items(section)), ZERO)


class Unpriced(NamedTuple):
    """A route that could not be priced, and why (the figures it needs)."""

    program_id: str
    pathway_id: str
    problems: tuple[str, ...]


def compare(catalog: Catalog, pairs: Iterable[tuple[str, str]], request: Request) -> list[Estimate | Unpriced]:
    """Estimates of many routes under one request; a route missing figures is Unpriced.

    A figure option (course_fee, ...) applies to the routes it fits and is skipped for the others.
    """
    results: list[Estimate | Unpriced] = []
    for program_id, pathway_id in pairs:
        try:
            results.append(estimate(catalog, program_id, pathway_id, request, strict=False))
        except MissingFigureError as error:
            results.append(Unpriced(program_id, pathway_id, error.problems))
    return results


def estimate(
    catalog: Catalog, program_id: str, pathway_id: str, request: Request | None = None, *, strict: bool = True
) -> Estimate:
    """The net cost of the degree through a pathway, against the direct degree.

    The one entry point every command uses (batch runs its two steps, plan
    and price, apart). Raises UnknownIdError for an unknown id, OptionError
    for an option that does not fit (naming it by key), and
    MissingFigureError naming each missing figure and the option that
    supplies it.
    """
    request = request or Request()
    request.check()
    return price(plan(catalog, program_id, pathway_id, request, strict=strict), request)


def price(planned: "Plan", request: Request) -> Estimate:
    """A checked request's scenario on a route's plan (made by plan() with the same catalog options): what
    estimate does after plan(). Batch calls the two apart, to look a row's plan up once for all the rows
    that give the same catalog options."""
    scenario = Scenario(planned.build, request)
    for rule in SCENARIO_RULES:
        rule(scenario)
    return _finish(scenario, planned)


class Plan(NamedTuple):
    """A route priced under a request's catalog options: what every scenario on it shares."""

    catalog: Catalog
    build: Build
    """The route after PLAN_RULES; never changed: each scenario adds its own costs (costs.Scenario)."""
    notices: tuple[Notice, ...]
    """What the route itself warns of (_route_notices)."""
    said: tuple[str, ...]
    """The assumptions the plan makes (scenario_rules.plan_said)."""
    facts: tuple[object, ...]
    """The estimate's leading fields, the route's own (Estimate.program_id ... Estimate.requirements)."""
    living_uncounted: str | None
    """What _uncounted says when a residential route counts no living costs (None: no route is residential)."""
    travel_uncounted: str | None
    """What _uncounted says when on-campus trips are not priced (None: the pathway has none)."""
    figure_notices: tuple[Notice, ...]
    """The figures' warnings, each once, as every scenario on the plan that does not count the living budget has
    them (one that does has its Budget's)."""
    figures_used: tuple[FigureUse, ...]
    """The figures used, likewise."""
    said_notices: dict[tuple[bool, tuple[str, ...], tuple[str, ...]], tuple[Notice, ...]]
    """_notices by (whether the living budget is counted, scenario warnings, costs not counted): rows on one
    plan mostly say the same, so each distinct list is made once (at most NOTICE_LISTS kept)."""


def plan(catalog: Catalog, program_id: str, pathway_id: str, request: Request, *, strict: bool = True) -> Plan:
    """The route's plan under the request's catalog options (every option but SCENARIO_KEYS), from the bounded
    cache when another request with the same catalog options made it already. Raises as estimate does."""
    # The options in the order given: requests that give them in another order make a plan of their own.
    planned = tuple(item for item in request.values.items() if item[0] not in _NOT_PLANNED)
    settings = tuple(request.settings.items())  # the one option whose value is a mapping
    key = (id(catalog), program_id, pathway_id, strict, planned, settings)
    found = _plans.pop(key, None)
    if found is None or found.catalog is not catalog:
        priced, shared = _priced(catalog, program_id, pathway_id, request, strict=strict)
        build = priced.fork(request)
        for rule in PLAN_RULES[len(PRICING_RULES) :]:
            rule(build)
        for route_build in build.routes:
            route_build.done(build.currency)
        found = Plan(catalog, build, *shared, {})
        if len(_plans) >= PLANS_KEPT:
            del _plans[next(iter(_plans))]  # the least recently used
    _plans[key] = found  # most recently used last
    return found


_Shared = tuple[
    tuple[Notice, ...], tuple[str, ...], tuple[object, ...], str | None, str | None, tuple[Notice, ...],
    tuple[FigureUse, ...],
]  # fmt: skip
"""The Plan fields that a priced route's plans share, in order: notices, said, facts ... figures_used."""
_priced_routes: dict[tuple[object, ...], tuple[Build, _Shared]] = {}
"""Routes after PRICING_RULES, most recently used last (at most PLANS_KEPT), each with what its plans share: never
changed, each plan forks one."""


def _priced(
    catalog: Catalog, program_id: str, pathway_id: str, request: Request, *, strict: bool
) -> tuple[Build, _Shared]:
    """The route after PRICING_RULES under the request's catalog options but aid (keyed as plan() keys, without
    aid, and whether any is given), from the bounded cache when a plan that differs only in aid made it; and the
    Plan fields that aid leaves as they are, in order (notices ... figures_used: the route's facts and words, the
    figures priced), made once for all those plans."""
    unaided = tuple(item for item in request.values.items() if item[0] not in _NOT_PLANNED and item[0] != "aid")
    settings = tuple(request.settings.items())
    key = (id(catalog), program_id, pathway_id, strict, unaided, settings, request.pct("aid") > ZERO)
    found = _priced_routes.pop(key, None)
    if found is None or found[0].catalog is not catalog:
        chosen = route(catalog, program_id, pathway_id)
        build = Build(catalog, chosen, request, fit(catalog, chosen, request, strict=strict))
        for rule in PRICING_RULES:
            rule(build)
        pricer, direct = build.pricer, build.direct
        facts = (
            chosen.program_id, chosen.pathway_id, chosen.program.name, chosen.pathway.name, chosen.degree.name,
            chosen.degree.school, build.fee_year, chosen.pathway.courses_credited, costs.courses_left(chosen)[0],
            chosen.degree.courses_required, build.pathway.months, direct.months if direct else None, build.start,
            chosen.pathway.requirements,
        )  # fmt: skip
        living, travel = _uncounted_texts(build)
        shared: _Shared = (
            _route_notices(build), tuple(scenario_rules.plan_said(build)), facts, living, travel,
            tuple(dict.fromkeys(pricer.notices)), tuple(pricer.used.values()),
        )  # fmt: skip
        found = build, shared
        if len(_priced_routes) >= PLANS_KEPT:
            del _priced_routes[next(iter(_priced_routes))]  # the least recently used
    _priced_routes[key] = found
    return found


def _finish(scenario: Scenario, plan: Plan) -> Estimate:
    """The finished Estimate: section totals, savings and outcomes; line items and schedules when read."""
    build, request, currency = plan.build, scenario.request, scenario.currency
    values = request.values
    conversion = request.conversion if "currency" in values else None  # a checked request gives a rate with it
    exchange = None
    if conversion is not None:
        exchange, currency = (currency, *conversion), conversion[0]
    pathway, direct = scenario.pathway, scenario.direct
    for route_costs in scenario.routes:
        route_costs.check_currency(currency)
    mm, degree, living, opportunity, funding = pathway.padded_totals(currency)
    net_cost = with_minor_units(mm + degree + living + opportunity + funding, currency)
    baseline_cost = savings = savings_pct = None
    if direct is not None:
        baseline_cost = with_minor_units(direct.whole(), currency)
        savings = baseline_cost - net_cost
        savings_pct = percent(savings, baseline_cost)
    uplift = values.get("salary_uplift")
    outcomes: tuple[Outcome | None, Outcome | None] = None, None
    if uplift is not None:
        rate = request.pct("discount_rate")
        if conversion is not None:
            uplift = round_money(uplift * conversion[1], currency)
        outcomes = (
            outcome(net_cost, uplift, rate, currency),
            outcome(baseline_cost, uplift, rate, currency) if baseline_cost is not None else None,
        )
    budget = build.budget if scenario.pricer is not build.pricer else None
    assumed = scenario.notes.assumed
    return _estimate(
        (
            *plan.facts,  # program_id ... requirements: the route's own
            currency,
            Ledgers(pathway, direct, currency),
            mm,  # micromasters_cost
            degree,  # remaining_degree_cost
            living,  # living_travel_cost
            opportunity,  # opportunity_cost
            -funding,  # employer_funding
            net_cost,
            baseline_cost,
            savings,
            savings_pct,
            *outcomes,  # outcome, baseline_outcome
            exchange,  # exchange_rate
            plan.said + tuple(assumed) if assumed else plan.said,  # said
            request,
            build.pricer.route_currency() if conversion is not None else scenario.currency,  # catalog_currency
            _notices(scenario, plan, budget),
            plan.figures_used if budget is None else budget.figures_used,
        )
    )


_estimate = partial(tuple.__new__, Estimate)
"""An Estimate from its fields in order: tuple's constructor, without NamedTuple's Python-level one (each batch
row makes an Estimate)."""

NOTICE_LISTS = 64
"""Distinct notice lists a plan keeps (Plan.said_notices); memory stays bounded whatever the rows say."""


def _notices(scenario: Scenario, plan: Plan, budget: Budget | None) -> tuple[Notice, ...]:
    """The figures' warnings, then the scenario's, then the route's (_route_notices), then what is not counted."""
    warnings, uncounted = scenario.notes.warnings, _uncounted(scenario, plan)
    key = (budget is not None, tuple(warnings) if warnings else (), uncounted)
    found = plan.said_notices.get(key)
    if found is not None:
        return found
    figures = plan.figure_notices if budget is None else budget.figure_notices
    notices = (*figures, *(Notice("scenario", text) for text in warnings), *plan.notices)
    if uncounted:
        notices += (Notice("uncounted", "not counted: " + "; ".join(uncounted)),)
    if len(plan.said_notices) < NOTICE_LISTS:
        plan.said_notices[key] = notices
    return notices


def _route_notices(build: Build) -> tuple[Notice, ...]:
    """The inferred requirements and notes, a missing direct route, a closed program or pathway: what the
    route itself warns of, whatever the scenario."""
    chosen = build.chosen
    notices = [
        Notice("inferred", f"Inferred requirement: {r.text}")
        for r in chosen.pathway.requirements
        if r.basis == "inference"
    ]
    notices += [
        Notice("inferred", f"Inference: {note.text}") for note in chosen.pathway.notes if note.basis == "inference"
    ]
    if build.direct is None:
        text = f"{chosen.degree.name} has no direct route, so there is no baseline and no savings to report"
        notices.append(Notice("route", text))
    for closed, what in ((chosen.program.closed, chosen.program.name), (chosen.pathway.closed, chosen.pathway.name)):
        if closed is not None:
            notices.append(Notice("closed", f"{what} is closed ({closed.date}): {closed.text} ({closed.source})"))
    return tuple(notices)


def _uncounted(scenario: Scenario, plan: Plan) -> tuple[str, ...]:
    """Costs this estimate leaves out for want of a figure, each with the option that adds it."""
    values, parts = scenario.values, (*scenario.notes.uncounted,)
    living, routes = plan.living_uncounted, scenario.routes
    if living is not None and not values.get("no_living") and not any(r.has("living") for r in routes):
        parts += (living,)
    if plan.travel_uncounted is not None and values.get("trip_cost") is None:
        parts += (plan.travel_uncounted,)
    return parts


def _uncounted_texts(build: Build) -> tuple[str | None, str | None]:
    """What _uncounted may say of living costs and of travel: the plan's route decides the words."""
    chosen, living = build.chosen, None
    if any(route.residence for route in build.routes):
        budget = chosen.degree.living
        if budget is None:
            reason = "no published budget is known"
        else:
            first = max(min(v.year for v in build.catalog.figures[f].values) for f in budget.figures)
            reason = f"the {budget.label} is known from {academic_year(first)} on"
        living = f"living costs in residence ({reason}; {{living_per_month}} adds them)"
    trips = sum(r.count or 0 for r in chosen.pathway.requirements if r.kind == "on_campus")
    travel = f"travel for {trips} on-campus requirement{'s' if trips > 1 else ''} ({{trip_cost}} adds it)"
    return living, travel if trips else None
