"""The cost rules that fill a ledger: courses, exams, degree charges, aid, scholarship,
living, salary and employer money. Each function says which source or assumption it follows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from mmcost.engine.ledger import EDUCATION_KINDS, Ledger, Section, Timeline
from mmcost.engine.pricing import (
    Priced,
    Pricer,
    Route,
    academic_year,
    format_plain,
)
from mmcost.engine.scenario import IRC_127_LIMIT, Scenario
from mmcost.engine.terms import MONTHS_PER_TERM, Term
from mmcost.errors import MissingFigureError
from mmcost.model import Charge
from mmcost.money import ZERO, round_money, with_minor_units


class Notes:
    """Warnings and assumptions gathered while building, each said once."""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.assumed: list[str] = []

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def assume(self, text: str) -> None:
        if text not in self.assumed:
            self.assumed.append(text)


def courses_left(chosen: Route) -> tuple[int | None, Decimal | None]:
    """Courses and credits still to take after credit transfer (None where the catalog gives no count)."""
    pathway, degree = chosen.pathway, chosen.degree
    courses = None
    if pathway.courses_credited is not None and degree.courses_required is not None:
        courses = degree.courses_required - pathway.courses_credited
    credits = None
    if pathway.credits_credited is not None and degree.credits_required is not None:
        credits = degree.credits_required - pathway.credits_credited
    return courses, credits


def micromasters_charges(chosen: Route, pricer: Pricer, ledger: Ledger, start: Term, scenario: Scenario) -> Term:
    """Course certificates at the learner's pace, then the exams; returns the last term used."""
    program, pace = chosen.program, scenario.pace
    course_fee = pricer.price(program.course_fee)
    labels = [f"{c.code} {c.title}" if c.code else c.title for c in program.courses]
    if not labels:
        labels = [pricer.catalog.figures[program.course_fee].label] * program.number_of_courses
    labels += ["Course retake (certificate paid again)"] * scenario.retakes
    last = start + (len(labels) - 1) // pace

    def pay(label: str, unit: str, figure_id: str, priced: Priced | None, term: Term, count: int, kind: str) -> None:
        if priced is not None:
            ledger.pay("micromasters", label, unit, figure_id, priced, term, Decimal(count), kind=kind)

    for index, label in enumerate(labels):
        pay(label, "course", program.course_fee, course_fee, start + index // pace, 1, "course_fee")
    exam_term = last + 1
    for exam in program.exams:
        pay(exam.name, "exam", exam.fee, pricer.price(exam.fee), exam_term, exam.count, "exam_fee")
        last = exam_term
    if scenario.exam_retakes:
        last = last + 1
        if program.exams:
            exam = program.exams[0]
            retake = f"{exam.name} retake"
            pay(retake, "exam", exam.fee, pricer.price(exam.fee), last, scenario.exam_retakes, "exam_fee")
        else:
            retake = "Exam retake (the course is paid again)"
            pay(retake, "course", program.course_fee, course_fee, last, scenario.exam_retakes, "course_fee")
    return last


def degree_charges(
    ledger: Ledger,
    section: Section,
    charges: Sequence[Charge],
    pricer: Pricer,
    earliest: Term,
    remaining: tuple[int | None, Decimal | None],
    scenario: Scenario,
) -> Timeline:
    """A degree's charges from the first term it can start; per-course tuition at the learner's pace."""
    seasons = [charge.season for charge in charges if charge.season]
    anchor = earliest.next(seasons[0]) if seasons else earliest
    end = anchor
    courses, credits = remaining
    for charge in charges:
        priced = pricer.price(charge.figure)
        if priced is None:
            continue
        kind = pricer.catalog.figures[charge.figure].kind
        sign = -1 if charge.discount else 1
        if charge.per == "course":
            count = courses or 0
            for offset in range(math.ceil(count / scenario.pace)):
                in_term = min(scenario.pace, count - offset * scenario.pace)
                term = anchor + offset
                ledger.pay(
                    section, charge.label, "course", charge.figure, priced, term, Decimal(in_term), kind=kind, sign=sign
                )
                end = max(end, term)
            continue
        term = anchor.next(charge.season) if charge.season else anchor
        if charge.per == "credit":
            quantity = credits if credits is not None else ZERO
        else:
            quantity = charge.quantity if charge.quantity is not None else Decimal(1)
        ledger.pay(section, charge.label, charge.per, charge.figure, priced, term, quantity, kind=kind, sign=sign)
        end = max(end, term)
    return Timeline(anchor, end, None)


def route_months(start: Term, phase: Timeline, catalog_months: int | None) -> int:
    """Months from the start to the end of the degree: waiting terms, then the phase itself."""
    phase_months = catalog_months if catalog_months is not None else (phase.end - phase.anchor + 1) * MONTHS_PER_TERM
    phase.months = phase_months
    return (phase.anchor - start) * MONTHS_PER_TERM + phase_months


def residence_months(chosen: Route) -> int | None:
    """Residential months of the pathway's degree phase: 0 when online, None when unknown."""
    residential = chosen.degree.residential or any(r.kind == "residence" for r in chosen.pathway.requirements)
    if not residential:
        return 0
    return chosen.pathway.months


def single_currency(pathway: Ledger, direct: Ledger | None, pricer: Pricer, program_id: str, pathway_id: str) -> str:
    """The one currency of both routes; figures in two currencies cannot be added, so that stops the estimate."""
    currencies = {item.currency for ledger in filter(None, (pathway, direct)) for item in ledger.items}
    if len(currencies) > 1:
        raise MissingFigureError(
            [
                f"{program_id}/{pathway_id} mixes currencies ({', '.join(sorted(currencies))}); "
                "override the figures so that all are in one currency"
            ]
        )
    return currencies.pop() if currencies else pricer.route_currency()


def apply_aid(chosen: Route, ledger: Ledger, scenario: Scenario, notes: Notes) -> None:
    """edX financial aid: a negative line per distinct certificate price, in the same years."""
    if scenario.aid_pct == ZERO:
        return
    program = chosen.program
    if program.financial_aid != "edx":
        reason = "prices by ability to pay; use --price-tier" if program.financial_aid == "price-tiers" else "has none"
        notes.warn(f"--aid does not apply to {chosen.program_id}: it {reason}")
        return
    kinds = ("course_fee", "exam_fee") if program.aid_covers_exams else ("course_fee",)
    pct = scenario.aid_pct
    for item in ledger.of_kind(*kinds):
        unit = -round_money(item.unit_amount * pct / 100, item.currency)
        what = "exam" if item.kind == "exam_fee" else "course certificate"
        for year, quantity in item.placements:
            ledger.add(
                "micromasters",
                f"edX financial aid, {format_plain(pct)}% of each {what}",
                item.unit,
                unit,
                item.currency,
                year,
                quantity,
                figure=item.figure,
                as_of=item.as_of,
                kind="aid",
            )
    notes.assume(
        f"edX financial aid of {format_plain(pct)}% on course certificates"
        + ("" if program.aid_covers_exams else ", not on exams")
    )


def add_scenario_costs(
    ledger: Ledger,
    route_name: str,
    phase: Timeline,
    residence_months: int | None,
    chosen: Route,
    scenario: Scenario,
    currency: str,
    notes: Notes,
) -> None:
    """Scholarship, living and travel, salary given up, and employer money for one route."""
    baseline = route_name == "direct"

    def section(name: Section) -> Section:
        return "baseline" if baseline else name

    scholarship(ledger, section("degree"), scenario, notes)
    months = residence_months
    if (
        scenario.living_per_month is not None or (scenario.salary is not None and not scenario.keep_working)
    ) and months is None:
        notes.warn(
            f"months in residence are unknown for {chosen.degree.name}; "
            "living costs and salary given up are not counted"
        )
        months = 0
    if scenario.living_per_month is not None and months:
        for year, quantity in months_by_year(phase.anchor, months):
            ledger.add(
                section("living"),
                "Living costs in residence",
                "month",
                scenario.living_per_month,
                currency,
                year,
                quantity,
                kind="living",
            )
    if scenario.trip_cost is not None:
        trips = sum(r.count or 0 for r in chosen.pathway.requirements if r.kind == "on_campus") if not baseline else 0
        if trips:
            ledger.add(
                section("living"),
                "Travel for on-campus requirements",
                "trip",
                scenario.trip_cost,
                currency,
                phase.end.year,
                Decimal(trips),
                kind="travel",
            )
        if baseline and any(r.kind == "on_campus" for r in chosen.pathway.requirements):
            notes.warn(
                "the catalog lists on-campus requirements only for the pathway, so the direct degree has no trips"
            )
    if scenario.salary is not None and not scenario.keep_working and months:
        monthly = round_money(scenario.salary / 12, currency)
        for year, quantity in months_by_year(phase.anchor, months):
            ledger.add(
                section("opportunity"),
                "Salary given up in residence",
                "month",
                monthly,
                currency,
                year,
                quantity,
                kind="salary",
            )
    if scenario.employer_per_year is not None:
        employer(ledger, section("funding"), scenario.employer_per_year, currency)
        if scenario.employer_per_year > IRC_127_LIMIT:
            notes.warn(
                f"employer reimbursement above {format_plain(IRC_127_LIMIT)} a year may be taxable income in the US "
                "(IRC section 127)"
            )


def months_by_year(anchor: Term, months: int) -> list[tuple[int, Decimal]]:
    """Residential months from the anchor term on, four to a term, by calendar year."""
    placed: list[tuple[int, Decimal]] = []
    term, left = anchor, months
    while left > 0:
        here = min(MONTHS_PER_TERM, left)
        placed.append((term.year, Decimal(here)))
        left -= here
        term = term + 1
    return placed


def scholarship(ledger: Ledger, section: Section, scenario: Scenario, notes: Notes) -> None:
    """A percentage of each tuition line, or an amount taken from tuition in the order it is paid."""
    if scenario.scholarship is None or scenario.scholarship == ZERO:
        return
    tuition = [item for item in ledger.of_kind("tuition") if item.unit_amount > ZERO]
    if scenario.scholarship_is_pct:
        pct = scenario.scholarship
        for item in tuition:
            unit = -round_money(item.unit_amount * pct / 100, item.currency)
            for year, quantity in item.placements:
                label = f"Scholarship, {format_plain(pct)}% of {item.label.lower()}"
                ledger.add(
                    section,
                    label,
                    item.unit,
                    unit,
                    item.currency,
                    year,
                    quantity,
                    figure=item.figure,
                    kind="scholarship",
                )
        notes.assume(f"a scholarship of {format_plain(pct)}% of tuition, on both routes")
        return
    by_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for item in tuition:
        for year, amount in item.by_year().items():
            by_year[year] += amount
    left = scenario.scholarship
    years = sorted(by_year)
    for year in years:
        used = min(left, by_year[year])
        if used > ZERO:
            label = f"Scholarship ({year})" if len(years) > 1 else "Scholarship"
            currency = tuition[0].currency
            ledger.add(section, label, "once", -used, currency, year, Decimal(1), kind="scholarship")
        left -= used
    if left > ZERO:
        notes.warn(f"the scholarship is larger than the tuition; {format_plain(left)} of it is not used")
    notes.assume(f"a scholarship of {format_plain(scenario.scholarship)} against tuition, on both routes")


def employer(ledger: Ledger, section: Section, cap: Decimal, currency: str) -> None:
    """Reimbursement of each calendar year's education costs, up to the cap."""
    paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for item in ledger.items:
        if item.kind in EDUCATION_KINDS:
            for year, amount in item.by_year().items():
                paid[year] += amount
    for year in sorted(paid):
        covered = with_minor_units(min(cap, max(paid[year], ZERO)), currency)
        if covered > ZERO:
            ledger.add(
                section,
                f"Employer reimbursement ({year})",
                "year",
                -covered,
                currency,
                year,
                Decimal(1),
                kind="employer",
            )


def assumptions_said(scenario: Scenario, start: Term, fee_year: int | None, notes: Notes) -> list[str]:
    """Every assumption the estimate rests on, in words, for --explain and the JSON."""
    said = [
        f"start in {start}" + ("" if scenario.start else " (the fee year's fall; set --start)"),
        f"{scenario.pace} course(s) per term"
        + ("" if scenario.courses_per_term else " (default; set --courses-per-term)"),
        "a term is 4 months (spring, summer, fall); exams sit the term after the last course",
    ]
    if scenario.fee_growth_pct == ZERO:
        label = academic_year(fee_year) if fee_year is not None else "catalog"
        said.append(f"no fee growth: amounts are in {label} prices (set --fee-growth)")
    else:
        said.append(
            f"fees grow {format_plain(scenario.fee_growth_pct)}% a year from each figure's year to the year it is paid"
        )
    said += notes.assumed
    if scenario.employer_per_year is not None:
        said.append(
            f"the employer reimburses education costs up to {format_plain(scenario.employer_per_year)} "
            "per calendar year, on both routes"
        )
    if scenario.salary is not None:
        said.append(
            "salary is given up only for residential months"
            if not scenario.keep_working
            else "you keep working: no salary is given up"
        )
    if scenario.salary_uplift is not None:
        said.append(
            f"a salary uplift of {format_plain(scenario.salary_uplift)} a year from the year after, "
            f"discounted at {format_plain(scenario.discount_rate_pct)}%"
        )
    if scenario.currency is not None and scenario.rate is not None:
        said.append(
            f"converted to {scenario.currency} at {format_plain(scenario.rate)} per unit of the catalog currency"
        )
    return said
