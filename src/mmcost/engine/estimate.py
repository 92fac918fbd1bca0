"""The cost engine: catalog entities + a scenario -> an Estimate.

Pure functions only: no I/O, no clock, no printing, no float. Every total is
the exact sum of its line items, and every line item is quantity x unit
amount. The cost rules, and why:

- MicroMasters: one verified-certificate fee per course, because every
  program in the catalog requires a verified (paid) certificate in each
  course to earn the credential (e.g. MIT SCM FAQ, "micromasters-basics").
  Then each proctored exam's fee times the number of exams (SCM: one CFx;
  PoM: four comprehensive exams). Programs whose course price includes the
  exam (DEDP) list no exams, and there an exam retake means paying the
  course again (MITx DEDP help: "one payment gives one proctored-exam
  attempt"). Course retakes pay the certificate again.
- Financial aid: edX financial assistance takes up to 90 % off verified
  certificates, and not the proctored exam (MIT SCM FAQ 2016-17: "edX
  discounts apply to the online courses only"), unless the catalog says a
  program's aid covers exams. Programs priced by ability to pay (DEDP) take
  a price tier instead.
- Remaining degree: the pathway's own charges. A charge "per course" is
  multiplied by the courses still to take, courses_required minus
  courses_credited (HES: 12 - 4 = 8), because HES charges tuition per course
  and waives the credited ones (the dean's "$10,800 ... waived four
  courses"). Term, year and one-off charges use the quantity the catalog
  gives (MIT SCM blended: one spring term).
- Baseline: the degree's direct route, every course or term paid, under the
  same scenario (scholarship, employer, living, salary), so that savings
  compare the same degree with and without the MicroMasters. A degree with
  no direct route (MIT DEDP admits only credential holders) has no baseline
  and so no savings.
- Schedule: courses run at the learner's pace (courses per term) from the
  start term; exams sit the term after the last course; the degree starts
  the term after that, at the first term of the season its charges name
  (MIT SCM blended: spring). Months to finish count four months a term, or
  the months the catalog gives for a residential phase.
- Scholarship (a percentage of tuition, or an amount up to the tuition) and
  employer reimbursement (capped per calendar year, applied to the
  education costs paid that year) reduce what the learner pays.
- Living costs and the salary given up count only for residential months
  (MIT's blended semester, the 10-month residential program); online study
  is part-time, so nothing is given up by default.
- Rounding: catalog amounts are exact and quantities whole, so plain sums
  need none. Where a rate enters (percentages, fee growth, a monthly share of
  a salary, currency conversion) money.round_money rounds each unit amount
  once, to the currency's minor unit, half-even.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import NamedTuple

from mmcost.engine.costs import (
    Notes,
    add_scenario_costs,
    apply_aid,
    assumptions_said,
    courses_left,
    degree_charges,
    micromasters_charges,
    residence_months,
    route_months,
    single_currency,
)
from mmcost.engine.ledger import (
    PATHWAY_SECTIONS,
    Ledger,
    LineItem,
    ScheduleYear,
    Section,
    Timeline,
    convert_currency,
    direct_parts,
    to_line_item,
    yearly_schedule,
)
from mmcost.engine.outcome import Outcome, outcome
from mmcost.engine.pricing import (
    EMPTY,
    Assumptions,
    Pricer,
    Role,
    Route,
    newest_year,
    overrides_for_roles,
    route,
)
from mmcost.engine.scenario import Scenario
from mmcost.engine.terms import Term
from mmcost.errors import MissingFigureError
from mmcost.model import Catalog, Requirement
from mmcost.money import ZERO, Money, percent, total, with_minor_units


class Estimate(NamedTuple):
    """The cost of a master's through one pathway, and of the direct degree."""

    program_id: str
    pathway_id: str
    program_name: str
    pathway_name: str
    degree_name: str
    school: str
    fee_year: int | None
    currency: str
    line_items: tuple[LineItem, ...]
    micromasters_cost: Decimal
    remaining_degree_cost: Decimal
    living_travel_cost: Decimal
    opportunity_cost: Decimal
    employer_funding: Decimal
    net_cost: Decimal
    baseline_parts: Mapping[str, Decimal]
    baseline_cost: Decimal | None
    savings: Decimal | None
    savings_pct: Decimal | None
    courses_credited: int | None
    courses_remaining: int | None
    courses_required: int | None
    months: int | None
    baseline_months: int | None
    start: Term
    schedule: tuple[ScheduleYear, ...]
    baseline_schedule: tuple[ScheduleYear, ...]
    outcome: Outcome | None
    baseline_outcome: Outcome | None
    exchange_rate: tuple[str, str, Decimal] | None
    requirements: tuple[Requirement, ...]
    assumptions: tuple[str, ...]
    warnings: tuple[str, ...]

    def items(self, section: Section) -> tuple[LineItem, ...]:
        """The line items of one section, in order."""
        return tuple(item for item in self.line_items if item.section == section)

    def section_total(self, section: Section) -> Decimal:
        """The exact sum of one section's line items."""
        return sum((item.amount for item in self.items(section)), ZERO)


class Request(NamedTuple):
    """What the user asked for, before it is fitted to a route."""

    year: int | None = None
    tier: str | None = None
    income: Decimal | None = None
    by_role: Mapping[Role, Decimal] = EMPTY
    settings: Mapping[str, Decimal] = EMPTY
    scenario: Scenario = Scenario()


def assumptions_for(catalog: Catalog, chosen: Route, request: Request, *, strict: bool = True) -> Assumptions:
    """The request fitted to one route: role options become figure overrides."""
    overrides, sources = overrides_for_roles(catalog, chosen, request.by_role, strict=strict)
    for figure_id, amount in request.settings.items():
        catalog.figure(figure_id)
        overrides[figure_id] = amount
        sources[figure_id] = f"--set {figure_id}"
    return Assumptions(
        year=request.year, tier=request.tier, income=request.income, overrides=overrides, override_sources=sources
    )


class Unpriced(NamedTuple):
    """A route that could not be priced, and why (the figures it needs)."""

    program_id: str
    pathway_id: str
    problems: tuple[str, ...]


def compare(catalog: Catalog, pairs: Iterable[tuple[str, str]], request: Request) -> list[Estimate | Unpriced]:
    """Estimates of many routes under one request; a route missing figures is Unpriced."""
    results: list[Estimate | Unpriced] = []
    for program_id, pathway_id in pairs:
        chosen = route(catalog, program_id, pathway_id)
        assumptions = assumptions_for(catalog, chosen, request, strict=False)
        try:
            results.append(estimate(catalog, program_id, pathway_id, assumptions, request.scenario))
        except MissingFigureError as error:
            results.append(Unpriced(program_id, pathway_id, error.problems))
    return results


def estimate(
    catalog: Catalog,
    program_id: str,
    pathway_id: str,
    assumptions: Assumptions | None = None,
    scenario: Scenario | None = None,
) -> Estimate:
    """The net cost of the degree through a pathway, against the direct degree."""
    assumptions = assumptions or Assumptions()
    scenario = scenario or Scenario()
    scenario.check()
    chosen = route(catalog, program_id, pathway_id)
    for figure_id in assumptions.overrides:
        catalog.figure(figure_id)
    fee_year = assumptions.year if assumptions.year is not None else newest_year(catalog, chosen)
    pricer = Pricer(catalog, chosen, assumptions, fee_year)
    start = scenario.start or (Term.of(fee_year, "fall") if fee_year is not None else None)
    if start is None:
        raise MissingFigureError(["no catalog figure dates this route; give --start YEAR-SEASON"])
    notes = Notes()

    pathway_ledger = Ledger(scenario, fee_year)
    mm_end = micromasters_charges(chosen, pricer, pathway_ledger, start, scenario)
    degree_phase = degree_charges(
        pathway_ledger, "degree", chosen.pathway.charges, pricer, mm_end + 1, courses_left(chosen), scenario
    )
    direct_ledger: Ledger | None = None
    direct_phase: Timeline | None = None
    if chosen.degree.direct is not None:
        direct_ledger = Ledger(scenario, fee_year)
        required = (chosen.degree.courses_required, chosen.degree.credits_required)
        direct_phase = degree_charges(
            direct_ledger, "baseline", chosen.degree.direct.charges, pricer, start, required, scenario
        )
    if pricer.missing:
        raise MissingFigureError(list(dict.fromkeys(pricer.missing)))
    currency = single_currency(pathway_ledger, direct_ledger, pricer, program_id, pathway_id)

    pathway_months = route_months(start, degree_phase, chosen.pathway.months)
    residence = residence_months(chosen)
    apply_aid(chosen, pathway_ledger, scenario, notes)
    add_scenario_costs(pathway_ledger, "pathway", degree_phase, residence, chosen, scenario, currency, notes)
    direct_months = None
    if direct_ledger is not None and direct_phase is not None:
        direct_months = route_months(start, direct_phase, chosen.degree.months)
        direct_residence = chosen.degree.months if chosen.degree.residential else 0
        add_scenario_costs(direct_ledger, "direct", direct_phase, direct_residence, chosen, scenario, currency, notes)
    exchange = None
    if scenario.currency is not None and scenario.rate is not None:
        exchange = (currency, scenario.currency, scenario.rate)
        currency = scenario.currency
        for ledger in filter(None, (pathway_ledger, direct_ledger)):
            convert_currency(ledger, currency, scenario.rate)

    items = [to_line_item(item) for item in pathway_ledger.items]
    baseline_items = [to_line_item(item, "baseline") for item in direct_ledger.items] if direct_ledger else []
    line_items = tuple(items + baseline_items)

    def section_sum(section: Section) -> Decimal:
        amounts = [Money(i.amount, i.currency) for i in line_items if i.section == section]
        return with_minor_units(total(amounts, currency).amount, currency)

    net_cost = with_minor_units(sum((section_sum(section) for section in PATHWAY_SECTIONS), ZERO), currency)
    baseline_cost = section_sum("baseline") if direct_ledger is not None else None
    savings = baseline_cost - net_cost if baseline_cost is not None else None
    uplift, rate = scenario.salary_uplift, scenario.discount_rate_pct
    return Estimate(
        program_id=program_id,
        pathway_id=pathway_id,
        program_name=chosen.program.name,
        pathway_name=chosen.pathway.name,
        degree_name=chosen.degree.name,
        school=chosen.degree.school,
        fee_year=fee_year,
        currency=currency,
        line_items=line_items,
        micromasters_cost=section_sum("micromasters"),
        remaining_degree_cost=section_sum("degree"),
        living_travel_cost=section_sum("living"),
        opportunity_cost=section_sum("opportunity"),
        employer_funding=-section_sum("funding"),
        net_cost=net_cost,
        baseline_parts=direct_parts(baseline_items, currency),
        baseline_cost=baseline_cost,
        savings=savings,
        savings_pct=percent(savings, baseline_cost) if savings is not None and baseline_cost is not None else None,
        courses_credited=chosen.pathway.courses_credited,
        courses_remaining=courses_left(chosen)[0],
        courses_required=chosen.degree.courses_required,
        months=pathway_months,
        baseline_months=direct_months,
        start=start,
        schedule=yearly_schedule(pathway_ledger),
        baseline_schedule=yearly_schedule(direct_ledger) if direct_ledger else (),
        outcome=outcome(net_cost, uplift, rate, currency) if uplift is not None else None,
        baseline_outcome=(
            outcome(baseline_cost, uplift, rate, currency) if uplift is not None and baseline_cost is not None else None
        ),
        exchange_rate=exchange,
        requirements=chosen.pathway.requirements,
        assumptions=tuple(assumptions_said(scenario, start, fee_year, notes)),
        warnings=tuple(_warnings(pricer, notes, chosen, has_direct=direct_ledger is not None)),
    )


def _warnings(pricer: Pricer, notes: Notes, chosen: Route, *, has_direct: bool) -> list[str]:
    """The figures' warnings, then the scenario's, then the inferred requirements."""
    warnings = [*dict.fromkeys(pricer.warnings), *notes.warnings]
    warnings += [f"Inferred requirement: {r.text}" for r in chosen.pathway.requirements if r.basis == "inference"]
    warnings += [f"Inference: {note.text}" for note in chosen.pathway.notes if note.basis == "inference"]
    if not has_direct:
        warnings.append(f"{chosen.degree.name} has no direct route, so there is no baseline and no savings to report")
    return warnings
