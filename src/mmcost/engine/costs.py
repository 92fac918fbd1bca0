"""The cost rules that fill the ledgers of one estimate. Each says which source or assumption it follows.

engine/estimate.py runs them in the order RULES gives, and says why that order.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from mmcost.engine.ledger import EDUCATION_KINDS, Ledger, Line, Payment, Section, Timeline
from mmcost.engine.pricing import Assumptions, Pricer, Route, academic_year, format_plain
from mmcost.engine.scenario import IRC_127_LIMIT, Request
from mmcost.errors import MissingFigureError
from mmcost.model import Catalog, Charge
from mmcost.money import ZERO, round_money, with_minor_units
from mmcost.terms import MONTHS_PER_TERM, Term


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


class RouteBuild:
    """One route being priced: its ledger, its degree phase and its residential months."""

    def __init__(self, name: str, ledger: Ledger, charges: Sequence[Charge]) -> None:
        self.name = name  # "pathway" or "direct"
        self.ledger = ledger
        self.charges = charges
        self.phase: Timeline | None = None
        self.residence: int | None = 0
        self.months: int | None = None

    def section(self, name: Section) -> Section:
        """The direct route's lines all go to the baseline section."""
        return "baseline" if self.name == "direct" else name


class Build:
    """Everything the cost rules read and write for one estimate."""

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

    @property
    def routes(self) -> list[RouteBuild]:
        """The pathway, then the direct degree when it has a direct route."""
        return [self.pathway, *([self.direct] if self.direct else [])]


# --- rules that price catalog figures ---------------------------------------------------


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


def micromasters(build: Build) -> None:
    """Course certificates at the learner's pace, then the exams, then retakes.

    One verified-certificate fee per course, because every program in the
    catalog requires a verified (paid) certificate in each course (e.g. MIT SCM
    FAQ, "micromasters-basics"); each exam's fee times its count. Programs whose
    course price includes the exam (DEDP) list no exams, and there an exam
    retake pays the course again (MITx DEDP help: "one payment gives one
    proctored-exam attempt"). Course retakes pay the certificate again.
    """
    program, pace, pricer = build.chosen.program, build.request.pace, build.pricer
    ledger, start = build.pathway.ledger, build.start
    labels = [f"{c.code} {c.title}" if c.code else c.title for c in program.courses]
    if not labels:
        labels = [pricer.catalog.figures[program.course_fee].label] * program.number_of_courses
    labels += ["Course retake (certificate paid again)"] * build.request.count("retakes")
    last = start + (len(labels) - 1) // pace

    def pay(label: str, figure_id: str, term: Term, count: int, *, exam: bool) -> None:
        priced = pricer.price(figure_id)
        if priced is not None:
            unit, kind = ("exam", "exam_fee") if exam else ("course", "course_fee")
            ledger.pay(Payment("micromasters", label, unit, figure_id, priced, kind), term, Decimal(count))

    for index, label in enumerate(labels):
        pay(label, program.course_fee, start + index // pace, 1, exam=False)
    exam_term = last + 1
    for exam in program.exams:
        pay(exam.name, exam.fee, exam_term, exam.count, exam=True)
        last = exam_term
    exam_retakes = build.request.count("exam_retakes")
    if exam_retakes:
        last = last + 1
        if program.exams:
            pay(f"{program.exams[0].name} retake", program.exams[0].fee, last, exam_retakes, exam=True)
        else:
            pay("Exam retake (the course is paid again)", program.course_fee, last, exam_retakes, exam=False)
    build.mm_end = last


def degree(build: Build) -> None:
    """The pathway's remaining charges after the MicroMasters, and the direct route's from the start.

    A charge per course is multiplied by the courses still to take
    (courses_required - courses_credited: HES 12 - 4 = 8, because HES waives
    the credited courses: the dean's "$10,800 ... waived four courses"); the
    direct route pays every course. Term, year and one-off charges use the
    catalog's quantity (MIT SCM blended: one spring term).
    """
    chosen = build.chosen
    build.pathway.phase = _degree_charges(build, build.pathway, build.mm_end + 1, courses_left(chosen))
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
    currencies = {item.line.currency for route in build.routes for item in route.ledger.items}
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


# --- rules that apply the learner's scenario ---------------------------------------------


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
        for year, quantity in item.placements:
            ledger.add(line, year, quantity)
    build.notes.assume(
        f"edX financial aid of {format_plain(pct)}% on course certificates"
        + ("" if program.aid_covers_exams else ", not on exams")
    )


def scholarship(build: Build, route: RouteBuild) -> None:
    """A percentage of each tuition line, or an amount taken from tuition in the order it is paid."""
    given = build.request.scholarship
    if given is None:
        return
    ledger, section, notes = route.ledger, route.section("degree"), build.notes
    tuition = [item for item in ledger.of_kind("tuition") if item.line.unit_amount > ZERO]
    if given.is_pct:
        pct = given.amount
        for item in tuition:
            paid = item.line
            unit = -round_money(paid.unit_amount * pct / 100, paid.currency)
            label = f"Scholarship, {format_plain(pct)}% of {paid.label.lower()}"
            line = Line(section, label, paid.unit, unit, paid.currency, "scholarship", paid.figure)
            for year, quantity in item.placements:
                ledger.add(line, year, quantity)
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


def _residence(build: Build, route: RouteBuild) -> int:
    """Residential months of a route; unknown months count as none, with a warning when it matters."""
    request = build.request
    wanted = request.money("living_per_month") is not None or (
        request.money("salary") is not None and not request.get("keep_working")
    )
    if route.residence is None:
        if wanted:
            build.notes.warn(
                f"months in residence are unknown for {build.chosen.degree.name}; "
                "living costs and salary given up are not counted"
            )
        return 0
    return route.residence


def living(build: Build, route: RouteBuild) -> None:
    """Living costs for each residential month, in the calendar years they fall in."""
    monthly = build.request.money("living_per_month")
    months = _residence(build, route)
    if monthly is None or not months or route.phase is None:
        return
    line = Line(route.section("living"), "Living costs in residence", "month", monthly, build.currency, "living")
    for year, quantity in months_by_year(route.phase.anchor, months):
        route.ledger.add(line, year, quantity)


def travel(build: Build, route: RouteBuild) -> None:
    """One trip per on-campus requirement of the pathway, in the degree's last year.

    The catalog lists on-campus requirements only for pathways, so the direct
    degree has no trips (and the output says so).
    """
    cost = build.request.money("trip_cost")
    if cost is None or route.phase is None:
        return
    requirements = build.chosen.pathway.requirements
    if route.name == "direct":
        if any(r.kind == "on_campus" for r in requirements):
            build.notes.warn(
                "the catalog lists on-campus requirements only for the pathway, so the direct degree has no trips"
            )
        return
    trips = sum(r.count or 0 for r in requirements if r.kind == "on_campus")
    if trips:
        line = Line(
            route.section("living"), "Travel for on-campus requirements", "trip", cost, build.currency, "travel"
        )
        route.ledger.add(line, route.phase.end.year, Decimal(trips))


def salary_given_up(build: Build, route: RouteBuild) -> None:
    """A twelfth of the yearly salary for each residential month (none when you keep working)."""
    salary = build.request.money("salary")
    months = _residence(build, route)
    if salary is None or build.request.get("keep_working") or not months or route.phase is None:
        return
    monthly = round_money(salary / 12, build.currency)
    label = "Salary given up in residence"
    line = Line(route.section("opportunity"), label, "month", monthly, build.currency, "salary")
    for year, quantity in months_by_year(route.phase.anchor, months):
        route.ledger.add(line, year, quantity)


def employer(build: Build, route: RouteBuild) -> None:
    """Reimbursement of each calendar year's education costs, up to the cap per calendar year.

    It reads what was paid each year net of aid and scholarship, so it must run
    after them (RULES keeps that order).
    """
    cap = build.request.money("employer_per_year")
    if cap is None:
        return
    paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for item in route.ledger.items:
        if item.line.kind in EDUCATION_KINDS:
            for year, amount in item.by_year().items():
                paid[year] += amount
    for year in sorted(paid):
        covered = with_minor_units(min(cap, max(paid[year], ZERO)), build.currency)
        if covered > ZERO:
            label = f"Employer reimbursement ({year})"
            line = Line(route.section("funding"), label, "year", -covered, build.currency, "employer")
            route.ledger.add(line, year, Decimal(1))
    if cap > IRC_127_LIMIT:
        build.notes.warn(
            f"employer reimbursement above {format_plain(IRC_127_LIMIT)} a year may be taxable income in the US "
            "(IRC section 127)"
        )


def convert(build: Build) -> None:
    """Every unit amount at the given rate, rounded once to the new currency's minor unit."""
    conversion = build.request.conversion
    if conversion is None:
        return
    currency, rate = conversion
    for route in build.routes:
        for item in route.ledger.items:
            line = item.line
            item.line = line._replace(unit_amount=round_money(line.unit_amount * rate, currency), currency=currency)


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


def assumptions_said(build: Build) -> list[str]:
    """Every assumption the estimate rests on, in words, for --explain and the JSON."""
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
    said += build.notes.assumed
    said += _scenario_said(build)
    return said


def _scenario_said(build: Build) -> list[str]:
    """The learner's own amounts, each with the currency it is in (the catalog's, before any conversion)."""
    request = build.request
    catalog_currency = build.pricer.route_currency() if request.conversion else build.currency
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
