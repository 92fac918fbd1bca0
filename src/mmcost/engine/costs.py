"""The cost rules that fill the ledgers of one estimate. Each says which source or assumption it follows.

engine/estimate.py runs them in the order RULES gives, and says why that order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from mmcost.engine.ledger import (
    PATHWAY_SECTIONS,
    Ledger,
    Payment,
    Payments,
    Section,
    Timeline,
    capped_sum,
    running_sums,
)
from mmcost.engine.pricing import Assumptions, Pricer, Route, academic_year
from mmcost.engine.scenario import Request
from mmcost.errors import MissingFigureError
from mmcost.model import Catalog, Charge
from mmcost.money import ZERO, CurrencyMismatch, padded, with_minor_units
from mmcost.terms import MONTHS_PER_TERM, Term

if TYPE_CHECKING:
    from mmcost.engine.scenario_rules import Budget


class Notes:
    """Warnings and assumptions gathered while building, each said once."""

    __slots__ = ("_shared", "assumed", "uncounted", "warnings")

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.assumed: list[str] = []
        self.uncounted: list[str] = []
        self._shared = False  # True while a fork shares the lists (the first note either adds copies them)

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self._own()
            self.warnings.append(text)

    def leave_out(self, text: str) -> None:
        """A cost not counted for want of a figure (said once, with the others, under "not counted")."""
        if text not in self.uncounted:
            self._own()
            self.uncounted.append(text)

    def assume(self, text: str) -> None:
        if text not in self.assumed:
            self._own()
            self.assumed.append(text)

    def fork(self) -> Notes:
        """A copy whose notes grow apart from these: the lists are shared until either adds to them (copy on
        write), as most scenarios add nothing to their plan's notes."""
        other = Notes.__new__(Notes)
        other.warnings, other.assumed, other.uncounted = self.warnings, self.assumed, self.uncounted
        other._shared = self._shared = True
        return other

    def _own(self) -> None:
        if self._shared:
            self.warnings, self.assumed, self.uncounted = list(self.warnings), list(self.assumed), list(self.uncounted)
            self._shared = False


class RouteBuild:
    """One route being planned: its ledger, its degree phase and its residential months."""

    def __init__(self, name: str, ledger: Ledger, charges: Sequence[Charge]) -> None:
        self.name = name  # "pathway" or "direct"
        self.ledger = ledger
        self.charges = charges
        self.phase: Timeline | None = None
        self.residence: int | None = 0
        self.months: int | None = None
        self.education: tuple[tuple[int, Decimal], ...] = ()
        """The ledger's education costs by calendar year, in order, once the plan is made (done)."""
        self.paid: tuple[tuple[int, Decimal], ...] = ()
        """The same, only the years in which something is paid (more than zero)."""
        self.paid_sums: tuple[tuple[Decimal, ...], tuple[Decimal, ...]] = (), (ZERO,)
        """Those years' amounts in ascending order and their running sums (ledger.running_sums)."""
        self.sections: tuple[Decimal, ...] = ()
        """The ledger's totals in PATHWAY_SECTIONS order, once the plan is made."""
        self.padded: tuple[Decimal, ...] = ()
        """The same, padded to the plan's currency's minor units (money.padded)."""
        self.currency = "USD"
        """The plan's currency, once the plan is made."""
        self.whole = ZERO
        """The sum of all the ledger's payments, once the plan is made."""

    def done(self, currency: str) -> None:
        """The plan is made: keep what every scenario on it reads of the ledger, which no longer changes."""
        totals = self.ledger.totals
        self.education = tuple(sorted(self.ledger.education.items()))
        self.paid = tuple((year, amount) for year, amount in self.education if amount > ZERO)
        self.paid_sums = running_sums(amount for _, amount in self.paid)
        self.sections = tuple(totals.get(section, ZERO) for section in PATHWAY_SECTIONS)
        self.padded = tuple(padded(list(self.sections), currency))
        self.currency = currency
        self.whole = sum(totals.values(), ZERO)

    def section(self, name: Section) -> Section:
        """The direct route's lines all go to the baseline section."""
        return "baseline" if self.name == "direct" else name

    def fork(self) -> RouteBuild:
        """A copy whose ledger takes more payments without changing this one's (Ledger.fork)."""
        other = RouteBuild(self.name, self.ledger.fork(), self.charges)
        other.phase, other.residence, other.months = self.phase, self.residence, self.months
        return other


class Build:
    """Everything the plan's cost rules read and write: a route priced under the catalog options."""

    def __init__(self, catalog: Catalog, chosen: Route, request: Request, assumptions: Assumptions) -> None:
        from mmcost.engine.pricing import newest_year

        self.catalog, self.chosen, self.request = catalog, chosen, request
        self.fee_year = assumptions.year if assumptions.year is not None else newest_year(catalog, chosen)
        self.pricer = Pricer(catalog, chosen, assumptions, self.fee_year)
        start = request.start or (Term.of(self.fee_year, "fall") if self.fee_year is not None else None)
        if start is None:
            raise MissingFigureError(["no catalog figure dates this route; give {start} YEAR-SEASON"])
        self.start: Term = start
        self.notes = Notes()
        growth = request.pct("fee_growth")
        self.pathway = RouteBuild("pathway", Ledger(growth, self.fee_year), chosen.pathway.charges)
        direct = chosen.degree.direct
        self.direct = RouteBuild("direct", Ledger(growth, self.fee_year), direct.charges) if direct else None
        self.currency = "USD"
        self.mm_end = self.start
        self.budget: Budget | None = None  # the living budget's line, made when a scenario first counts it

    @property
    def routes(self) -> list[RouteBuild]:
        """The pathway, then the direct degree when it has a direct route."""
        return [self.pathway, *([self.direct] if self.direct else [])]

    def fork(self, request: Request) -> Build:
        """A copy for another request, made before the rules that read what the two differ in: it shares what
        the earlier rules priced, never changed, and adds to copies (estimate.PRICING_RULES says which)."""
        other = Build.__new__(Build)
        other.__dict__.update(self.__dict__)
        other.request, other.pricer, other.notes = request, self.pricer.fork(), self.notes.fork()
        other.pathway = self.pathway.fork()
        other.direct = self.direct.fork() if self.direct is not None else None
        other.budget = None
        return other


_SECTION_INDEX = {section: index for index, section in enumerate(PATHWAY_SECTIONS)}


class RouteCosts(Payments):
    """One route under one scenario: the plan's route, never changed, and the payments the scenario's rules
    add, counted here (Payments). The two become one ledger only when its line items are read (or converted): a
    batch row of CSV reads the totals alone."""

    __slots__ = ("_merged", "months", "name", "phase", "planned", "residence", "section")

    def __init__(self, planned: RouteBuild) -> None:
        self._pending, self.totals, self.education, self.kinds, self.currencies = [], {}, {}, set(), set()
        self.planned = planned
        self.name, self.phase, self.residence = planned.name, planned.phase, planned.residence
        self.months, self.section = planned.months, planned.section
        self._merged: Ledger | None = None

    @property
    def ledger(self) -> Ledger:
        """The route's whole ledger: the plan's payments, then the scenario's (made once, when first read: by
        the last rule, convert, or by the finished estimate's line items; no payment follows)."""
        if self._merged is None:
            self._merged = self.planned.ledger.merged(self)
        return self._merged

    def yearly_education(self) -> Sequence[tuple[int, Decimal]]:
        """Education costs paid in each calendar year, net of aid and scholarship (EDUCATION_KINDS), by year."""
        if self._merged is not None:
            return sorted(self._merged.education.items())
        if not self.education:
            return self.planned.education
        years = dict(self.planned.education)
        for year, amount in self.education.items():
            years[year] = years.get(year, ZERO) + amount
        return sorted(years.items())

    def paid_up_to(self, cap: Decimal) -> tuple[Sequence[tuple[int, Decimal]], Decimal]:
        """The calendar years in which education costs are paid (more than zero), with what is paid in each, and
        the sum over them of min(paid, cap) (ledger.capped_sum): from the plan's running sums when the scenario
        has not changed what is paid."""
        if self._merged is None and not self.education:
            planned = self.planned
            ascending, sums = planned.paid_sums
            return planned.paid, capped_sum(ascending, sums, cap)
        paid = [(year, amount) for year, amount in self.yearly_education() if amount > ZERO]
        return paid, capped_sum(*running_sums(amount for _, amount in paid), cap)

    def section_totals(self) -> list[Decimal]:
        """The exact sum of the route's payments in each of PATHWAY_SECTIONS (before padding to minor units)."""
        if self._merged is not None:
            return [self._merged.totals.get(section, ZERO) for section in PATHWAY_SECTIONS]
        sections, added = self.planned.sections, self.totals
        return [
            planned + added[section] if section in added else planned
            for section, planned in zip(PATHWAY_SECTIONS, sections, strict=True)
        ]

    def padded_totals(self, currency: str) -> list[Decimal]:
        """section_totals() padded to the currency's minor units (money.padded): a section the scenario adds
        nothing to is the plan's, padded once with the plan (in its currency, which is this one unless
        converted, and conversion merges the ledgers)."""
        added = self.totals
        if self._merged is not None or currency != self.planned.currency:
            return padded(self.section_totals(), currency)
        totals, sections = list(self.planned.padded), self.planned.sections
        for section, amount in added.items():
            index = _SECTION_INDEX.get(section)
            if index is not None:
                totals[index] = with_minor_units(sections[index] + amount, currency)
        return totals

    def whole(self) -> Decimal:
        """The exact sum of all the route's payments."""
        if self._merged is not None:
            return sum(self._merged.totals.values(), ZERO)
        return self.planned.whole + sum(self.totals.values(), ZERO)

    def has(self, kind: str) -> bool:
        """Whether the route has a payment of this kind (living, salary, ...)."""
        return kind in self.kinds or kind in self.planned.ledger.kinds

    def check_currency(self, currency: str) -> None:
        """Raise CurrencyMismatch unless every payment of the route is in the currency."""
        if self._merged is None and currency == self.planned.currency:
            added = self.currencies  # the plan's payments are in its currency (figures_known)
            if not added or (len(added) == 1 and currency in added):
                return
        ledgers = (self._merged,) if self._merged is not None else (self.planned.ledger, self)
        for ledger in ledgers:
            currencies = ledger.currencies
            if currencies and (len(currencies) > 1 or currency not in currencies):
                found = set().union(*(ledger.currencies for ledger in ledgers))
                raise CurrencyMismatch(f"cannot add {', '.join(sorted(found))} to {currency}")


class Scenario:
    """What the scenario's rules read and write for one estimate: the route's plan, never changed, the
    request, and each route's costs under it."""

    __slots__ = ("build", "chosen", "currency", "direct", "notes", "pathway", "pricer", "request", "routes", "values")

    def __init__(self, build: Build, request: Request) -> None:
        self.build, self.request, self.chosen, self.currency = build, request, build.chosen, build.currency
        self.values = request.values  # what the learner gave, by option key (absent: not given)
        self.pricer = build.pricer  # a plan's budget replaces it (scenario_rules.living)
        self.notes = build.notes.fork()
        self.pathway = RouteCosts(build.pathway)
        self.direct = RouteCosts(build.direct) if build.direct is not None else None
        self.routes = [self.pathway] if self.direct is None else [self.pathway, self.direct]


# --- rules that price catalog figures ---------------------------------------------------


def courses_left(chosen: Route, request: Request | None = None) -> tuple[int | None, Decimal | None]:
    """Courses and credits still to take after credit transfer (None where the catalog gives no count).

    The learner's {credits_left} replaces the catalog's credit rule (it is
    what an admission letter states).
    """
    pathway, degree = chosen.pathway, chosen.degree
    given = request.values.get("credits_left") if request is not None else None
    courses = None
    if pathway.courses_credited is not None and degree.courses_required is not None:
        courses = degree.courses_required - pathway.courses_credited
    credits = None
    if pathway.credits_credited is not None and degree.credits_required is not None:
        credits = degree.credits_required - pathway.credits_credited
    return courses, given if given is not None else credits


def micromasters(build: Build) -> None:
    """Course certificates at the learner's pace, then the exams, then retakes.

    One verified-certificate fee per course, because every program in the
    catalog requires a verified (paid) certificate in each course (e.g. MIT SCM
    FAQ, "micromasters-basics"); each exam's fee times its count. Programs whose
    course price includes the exam (DEDP) list no exams, and there an exam
    retake pays the course again (MITx DEDP help: "one payment gives one
    proctored-exam attempt"). Course retakes pay the certificate again.

    Where only a program price is known (edX sells programs as bundles), it
    stands for every course and exam, paid in the first term; retakes are
    still priced per course or exam.
    """
    program, pace, pricer = build.chosen.program, build.request.pace, build.pricer
    ledger, start = build.pathway.ledger, build.start
    fee_label = pricer.catalog.figures[program.course_fee].label if program.course_fee else "Course"
    labels = [f"{c.code} {c.title}" if c.code else c.title for c in program.courses]
    labels = labels or [fee_label] * program.number_of_courses
    retakes = ["Course retake (certificate paid again)"] * build.request.count("retakes")
    last = start + (len(labels) + len(retakes) - 1) // pace

    def pay(label: str, figure_id: str | None, term: Term, count: int, kind: str) -> None:
        if figure_id is None:
            pricer.missing.append(
                f"no figure is known for {program.name}'s fee per course; supply it with {{course_fee}} AMOUNT"
            )
            return
        priced = pricer.price(figure_id)
        if priced is not None:
            unit = {"exam_fee": "exam", "course_fee": "course", "program_price": "program"}[kind]
            ledger.pay(Payment("micromasters", label, unit, figure_id, priced, kind), term, Decimal(count))

    bundle = _bundle(build)
    if bundle is not None:
        label = f"Program price: {len(labels)} courses and every exam, bought as one bundle"
        pay(label, bundle, start, 1, "program_price")
        labels = []
    for index, label in enumerate([*labels, *retakes]):
        pay(label, program.course_fee, start + index // pace, 1, "course_fee")
    exam_term = last + 1
    for exam in program.exams if bundle is None else ():
        pay(exam.name, exam.fee, exam_term, exam.count, "exam_fee")
        last = exam_term
    if bundle is not None and program.exams:
        last = exam_term
    exam_retakes = build.request.count("exam_retakes")
    if exam_retakes:
        last = last + 1
        if program.exams:
            pay(f"{program.exams[0].name} retake", program.exams[0].fee, last, exam_retakes, "exam_fee")
        else:
            pay("Exam retake (the course is paid again)", program.course_fee, last, exam_retakes, "course_fee")
    build.mm_end = last


def _bundle(build: Build) -> str | None:
    """The program-price figure to charge instead of course and exam fees, or None.

    A bundle is used when the program has a program price in force and the
    learner gave no fee per course; edX financial aid is granted course by
    course, so with aid the bundle cannot be split and the course fee is needed.
    """
    program, pricer = build.chosen.program, build.pricer
    price = program.program_price
    if price is None or not pricer.available(price):
        return None
    if program.course_fee is not None and pricer.available(program.course_fee):
        return None
    if build.request.pct("aid") > ZERO:
        pricer.missing.append(
            f"{program.name} is priced only as a bundle, and edX financial aid is granted per course; "
            "supply the fee per course with {course_fee} AMOUNT"
        )
        return None
    return price


def degree(build: Build) -> None:
    """The pathway's remaining charges after the MicroMasters, and the direct route's from the start.

    A charge per course is multiplied by the courses still to take
    (courses_required - courses_credited: HES 12 - 4 = 8, because HES waives
    the credited courses: the dean's "$10,800 ... waived four courses"); the
    direct route pays every course. Term, year and one-off charges use the
    catalog's quantity (MIT SCM blended: one spring term).
    """
    chosen = build.chosen
    remaining = courses_left(chosen, build.request)
    if remaining[1] is None and any(charge.per == "credit" for charge in chosen.pathway.charges):
        gap = chosen.pathway.credit_gap or "the catalog gives no credit rule"
        build.pricer.missing.append(
            f"the credits still to take on {chosen.pathway.name} are unknown ({gap.rstrip('.')}); "
            "give {credits_left} N (your admission letter states it)"
        )
    build.pathway.phase = _degree_charges(build, build.pathway, build.mm_end + 1, remaining)
    if build.direct is not None:
        required = (chosen.degree.courses_required, chosen.degree.credits_required)
        build.direct.phase = _degree_charges(build, build.direct, build.start, required)


def _degree_charges(
    build: Build, route: RouteBuild, earliest: Term, remaining: tuple[int | None, Decimal | None]
) -> Timeline:
    """A degree's charges from the first term it can start (the season its charges name); per course at the pace."""
    seasons = [charge.season for charge in route.charges if charge.season]
    anchor = earliest.next(seasons[0]) if seasons else earliest
    end = anchor
    section: Section = "degree" if route.name == "pathway" else "baseline"
    for charge in route.charges:
        if charge.optional and not build.pricer.available(charge.figure):
            figure = build.catalog.figures[charge.figure]
            first = min(value.year for value in figure.values)
            build.notes.leave_out(f"{figure.label} (known from {academic_year(first)} on)")
            continue
        priced = build.pricer.price(charge.figure)
        if priced is None:
            continue
        kind = build.catalog.figures[charge.figure].kind
        payment = Payment(section, charge.label, charge.per, charge.figure, priced, kind, -1 if charge.discount else 1)
        for term, quantity in _placements(charge, anchor, remaining, build.request.pace):
            route.ledger.pay(payment, term, quantity)
            end = max(end, term)
    return Timeline(anchor, end, None)


def _placements(
    charge: Charge, anchor: Term, remaining: tuple[int | None, Decimal | None], pace: int
) -> list[tuple[Term, Decimal]]:
    """When a charge is paid and how much of it each time: per-course tuition term by term at the pace."""
    courses, credits = remaining
    if charge.per == "course":
        count = courses or 0
        return [
            (anchor + offset, Decimal(min(pace, count - offset * pace))) for offset in range(math.ceil(count / pace))
        ]
    term = anchor.next(charge.season) if charge.season else anchor
    if charge.per == "credit":
        return [(term, credits if credits is not None else ZERO)]
    return [(term, charge.quantity if charge.quantity is not None else Decimal(1))]


def figures_known(build: Build) -> None:
    """Stop, naming every missing figure and the option that supplies it; fix the one currency.

    Figures in two currencies cannot be added, so that stops the estimate too.
    """
    if build.pricer.missing:
        raise MissingFigureError(list(dict.fromkeys(build.pricer.missing)))
    currencies = set().union(*(route.ledger.currencies for route in build.routes))
    if len(currencies) > 1:
        chosen = build.chosen
        raise MissingFigureError(
            [
                f"{chosen.program_id}/{chosen.pathway_id} mixes currencies ({', '.join(sorted(currencies))}); "
                "override the figures so that all are in one currency"
            ]
        )
    build.currency = currencies.pop() if currencies else build.pricer.route_currency()


def schedule(build: Build) -> None:
    """Months to finish and months in residence, for each route.

    Months count four a term from the start, or the months the catalog gives
    for a residential phase. Living costs and salary given up count only for
    residential months (MIT's blended semester, the 10-month residential
    program); online study is part-time.
    """
    chosen = build.chosen
    for route in build.routes:
        assert route.phase is not None
        catalog_months = chosen.pathway.months if route.name == "pathway" else chosen.degree.months
        phase = route.phase
        phase.months = (
            catalog_months if catalog_months is not None else (phase.end - phase.anchor + 1) * MONTHS_PER_TERM
        )
        route.months = (phase.anchor - build.start) * MONTHS_PER_TERM + phase.months
    residential = chosen.degree.residential or any(r.kind == "residence" for r in chosen.pathway.requirements)
    build.pathway.residence = chosen.pathway.months if residential else 0
    if build.direct is not None:
        build.direct.residence = chosen.degree.months if chosen.degree.residential else 0
