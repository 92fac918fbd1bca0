"""The cost engine: catalog entities + assumptions -> an Estimate.

Pure functions only: no I/O, no clock, no printing, no float. Every total is
the exact sum of its line items. The cost rules, and why:

- MicroMasters: one verified-certificate fee per course, because every
  program in the catalog requires a verified (paid) certificate in each
  course to earn the credential (e.g. MIT SCM FAQ, "micromasters-basics").
  Then each proctored exam's fee times the number of exams (SCM: one CFx;
  PoM: four comprehensive exams). Programs whose course price includes the
  exam (DEDP) list no exams.
- Remaining degree: the pathway's own charges. A charge "per course" is
  multiplied by the courses still to take, courses_required minus
  courses_credited (HES: 12 - 4 = 8), because HES charges tuition per course
  and waives the credited ones (the dean's "$10,800 ... waived four
  courses"). Term, year and one-off charges use the quantity the catalog
  gives (MIT SCM blended: one spring term).
- Baseline: the degree's direct route, every course or term paid, so that
  savings compare the same degree with and without the MicroMasters. A
  degree with no direct route (MIT DEDP admits only credential holders) has
  no baseline and so no savings.
- Figures in force: for the chosen academic year, the newest dated value at
  or before it. A value from an earlier year is carried forward with a
  warning; a figure with no value at or before the year is missing, and the
  estimate stops and names it with the option that supplies it. Nothing is
  ever taken from a later year or invented.
- Rounding: none is needed. Catalog amounts have at most their currency's
  minor units and quantities are exact, so sums and products are exact; the
  one ratio (savings percent) is rounded by money.percent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from mmcost.catalog import Catalog, Charge, DatedValue, Degree, Figure, Pathway, Program, Requirement
from mmcost.errors import MissingFigureError, UsageError
from mmcost.money import MINOR_UNITS, ZERO, Money, percent, total

Section = Literal["micromasters", "degree", "baseline"]
Role = Literal["course_fee", "exam_fee", "tuition_per_course", "tuition_per_credit", "application_fee"]

ROLE_OPTIONS: dict[Role, str] = {
    "course_fee": "--course-fee",
    "exam_fee": "--exam-fee",
    "tuition_per_course": "--tuition-per-course",
    "tuition_per_credit": "--tuition-per-credit",
    "application_fee": "--application-fee",
}


def academic_year(year: int) -> str:
    """2018 -> '2018-19'."""
    return f"{year}-{(year + 1) % 100:02d}"


@dataclass(frozen=True)
class Assumptions:
    """What the user chose: the fee year, a price tier, and figures they know better.

    ``overrides`` maps a figure id to its amount (in the figure's currency);
    ``override_sources`` names the option that gave each, for the output.
    """

    year: int | None = None
    tier: str | None = None
    overrides: Mapping[str, Decimal] = field(default_factory=dict)
    override_sources: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LineItem:
    """One priced line: quantity x unit amount, with where the figure came from."""

    section: Section
    label: str
    quantity: Decimal
    unit: str
    unit_amount: Decimal
    amount: Decimal
    currency: str
    figure: str
    as_of: int | None
    applies_to: str
    basis: str
    source: str


@dataclass(frozen=True)
class Estimate:
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
    net_cost: Decimal
    baseline_cost: Decimal | None
    savings: Decimal | None
    savings_pct: Decimal | None
    courses_credited: int | None
    courses_remaining: int | None
    courses_required: int | None
    months: int | None
    baseline_months: int | None
    requirements: tuple[Requirement, ...]
    warnings: tuple[str, ...]

    def items(self, section: Section) -> tuple[LineItem, ...]:
        """The line items of one section, in order."""
        return tuple(item for item in self.line_items if item.section == section)


@dataclass(frozen=True)
class Route:
    """A program, one of its pathways and the degree it leads to."""

    program_id: str
    pathway_id: str
    program: Program
    pathway: Pathway
    degree: Degree

    def figure_ids(self) -> list[str]:
        """Every figure an estimate of this route reads, in first-use order."""
        ids = [self.program.course_fee, *(exam.fee for exam in self.program.exams)]
        ids += [charge.figure for charge in self.pathway.charges]
        ids += [charge.figure for charge in self.degree.direct.charges] if self.degree.direct else []
        return list(dict.fromkeys(ids))

    def charges(self) -> list[Charge]:
        """The pathway's charges and the direct route's."""
        direct = list(self.degree.direct.charges) if self.degree.direct else []
        return [*self.pathway.charges, *direct]


def route(catalog: Catalog, program_id: str, pathway_id: str) -> Route:
    """Look up a program/pathway pair and its degree (ids already checked)."""
    program = catalog.program(program_id)
    pathway = catalog.pathway(program_id, pathway_id)
    return Route(program_id, pathway_id, program, pathway, catalog.degrees[pathway.degree])


def newest_year(catalog: Catalog, chosen: Route) -> int | None:
    """The newest academic year any figure of this route has a value for."""
    years = [value.year for figure_id in chosen.figure_ids() for value in catalog.figures[figure_id].values]
    return max(years, default=None)


def role_figures(catalog: Catalog, chosen: Route, role: Role) -> list[str]:
    """The figures an override option such as --course-fee stands for on this route."""
    if role == "course_fee":
        return [chosen.program.course_fee]
    if role == "exam_fee":
        return list(dict.fromkeys(exam.fee for exam in chosen.program.exams))

    def fits(charge: Charge) -> bool:
        kind = catalog.figures[charge.figure].kind
        if role == "application_fee":
            return kind == "application_fee"
        per = "course" if role == "tuition_per_course" else "credit"
        return kind == "tuition" and charge.per == per

    return list(dict.fromkeys(charge.figure for charge in chosen.charges() if fits(charge)))


def overrides_for_roles(
    catalog: Catalog, chosen: Route, by_role: Mapping[Role, Decimal], *, strict: bool = True
) -> tuple[dict[str, Decimal], dict[str, str]]:
    """Turn role options into figure overrides.

    With strict (one route, `estimate`), an option that fits nothing on the
    route is a usage error; without (`compare`, many routes), it is skipped
    for the routes it does not fit.
    """
    overrides: dict[str, Decimal] = {}
    sources: dict[str, str] = {}
    for role, amount in by_role.items():
        figure_ids = role_figures(catalog, chosen, role)
        if not figure_ids and strict:
            raise UsageError(
                f"{ROLE_OPTIONS[role]} does not apply to {chosen.program_id}/{chosen.pathway_id}: "
                f"{_how_charged(catalog, chosen)}; use --set FIGURE=AMOUNT "
                f"(mmcost show {chosen.program_id}/{chosen.pathway_id} lists the figures)"
            )
        for figure_id in figure_ids:
            overrides[figure_id] = amount
            sources[figure_id] = ROLE_OPTIONS[role]
    return overrides, sources


@dataclass(frozen=True)
class Request:
    """What the user asked for, before it is fitted to a route."""

    year: int | None = None
    tier: str | None = None
    by_role: Mapping[Role, Decimal] = field(default_factory=dict)
    settings: Mapping[str, Decimal] = field(default_factory=dict)


def assumptions_for(catalog: Catalog, chosen: Route, request: Request, *, strict: bool = True) -> Assumptions:
    """The request fitted to one route: role options become figure overrides."""
    overrides, sources = overrides_for_roles(catalog, chosen, request.by_role, strict=strict)
    for figure_id, amount in request.settings.items():
        catalog.figure(figure_id)
        overrides[figure_id] = amount
        sources[figure_id] = f"--set {figure_id}"
    return Assumptions(year=request.year, tier=request.tier, overrides=overrides, override_sources=sources)


@dataclass(frozen=True)
class Unpriced:
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
            results.append(estimate(catalog, program_id, pathway_id, assumptions))
        except MissingFigureError as error:
            results.append(Unpriced(program_id, pathway_id, error.problems))
    return results


def _how_charged(catalog: Catalog, chosen: Route) -> str:
    parts = [f"{catalog.figures[c.figure].kind.replace('_', ' ')} per {c.per}" for c in chosen.charges()]
    return "it charges " + ", ".join(dict.fromkeys(parts))


@dataclass
class _Priced:
    """A figure's amount in force, and what to say about it."""

    amount: Decimal
    currency: str
    as_of: int | None
    applies_to: str
    basis: str
    source: str


class _Pricer:
    """Finds each figure's value in force, collecting warnings and missing figures."""

    def __init__(self, catalog: Catalog, chosen: Route, assumptions: Assumptions, fee_year: int | None) -> None:
        self.catalog = catalog
        self.chosen = chosen
        self.assumptions = assumptions
        self.fee_year = fee_year
        self.warnings: list[str] = []
        self.missing: list[str] = []
        self._cache: dict[str, _Priced | None] = {}

    def price(self, figure_id: str) -> _Priced | None:
        if figure_id not in self._cache:
            self._cache[figure_id] = self._price(figure_id)
        return self._cache[figure_id]

    def _price(self, figure_id: str) -> _Priced | None:
        figure = self.catalog.figures[figure_id]
        if figure_id in self.assumptions.overrides:
            option = self.assumptions.override_sources.get(figure_id, f"--set {figure_id}=")
            currency = figure.currency or self._route_currency()
            amount = self.assumptions.overrides[figure_id]
            return _Priced(amount, currency, self.fee_year, "your figure", "override", option)
        value = self._in_force(figure_id, figure)
        if value is None:
            return None
        self._note(figure, value)
        return _Priced(
            exact_minor_units(value.amount, value.currency),
            value.currency,
            value.year,
            value.applies_to,
            value.basis,
            value.source,
        )

    def _route_currency(self) -> str:
        for figure_id in self.chosen.figure_ids():
            currency = self.catalog.figures[figure_id].currency
            if currency:
                return currency
        return "USD"

    def _in_force(self, figure_id: str, figure: Figure) -> DatedValue | None:
        supply = _supply_hint(self.catalog, self.chosen, figure_id)
        values = list(figure.values)
        if figure.tiers:
            tier = self.assumptions.tier
            if tier is None or tier not in figure.tiers:
                choices = " or ".join(f"{name} ({_tier_amount(figure, name)})" for name in figure.tiers)
                lead = f"unknown price tier {tier!r}" if tier else f"{figure.label} depends on the price tier"
                self.missing.append(f"{lead}: choose --price-tier {choices}, or {supply}")
                return None
            values = [value for value in values if value.tier == tier]
        if not values:
            gap = (figure.gap or "no source found").rstrip(".")
            if gap[1:2].islower():
                gap = gap[0].lower() + gap[1:]
            self.missing.append(f"no figure is known for {figure.label} ({gap}); {supply}")
            return None
        year = self.fee_year
        in_force = [value for value in values if year is None or value.year <= year]
        if not in_force:
            first = min(values, key=lambda value: value.year)
            assert year is not None
            self.missing.append(
                f"no figure for {figure.label} in {academic_year(year)} or earlier "
                f"(the first known is for {academic_year(first.year)}); "
                f"choose --year {first.year} or later, or {supply}"
            )
            return None
        return max(in_force, key=lambda value: value.year)

    def _note(self, figure: Figure, value: DatedValue) -> None:
        shown = f"{figure.label} ({format_plain(value.amount)} {value.currency}, {academic_year(value.year)})"
        if self.fee_year is not None and value.year < self.fee_year:
            carried = academic_year(self.fee_year)
            self.warnings.append(f"{shown} is the newest known figure, carried forward to {carried}")
        if value.basis != "stated":
            detail = f": {value.note}" if value.note else f" ({value.applies_to})"
            self.warnings.append(f"{shown} is {_BASIS_WORDS[value.basis]}{detail}")


_BASIS_WORDS = {
    "estimate": "worded as an estimate by its source",
    "approximate": "approximate (the source says 'about')",
    "derived": "derived, not stated by the source",
    "inference": "an inference, not stated by any source",
}


def _tier_amount(figure: Figure, tier: str) -> str:
    newest = max((v for v in figure.values if v.tier == tier), key=lambda v: v.year)
    return f"{format_plain(newest.amount)} {newest.currency}"


def _supply_hint(catalog: Catalog, chosen: Route, figure_id: str) -> str:
    for role, option in ROLE_OPTIONS.items():
        if role_figures(catalog, chosen, role) == [figure_id]:
            return f"supply it with {option} AMOUNT"
    return f"supply it with --set {figure_id}=AMOUNT"


def format_plain(amount: Decimal) -> str:
    """An amount with thousands separators, for messages (not for output data)."""
    return f"{amount:,}"


def exact_minor_units(amount: Decimal, currency: str) -> Decimal:
    """The amount written with its currency's minor units (150 -> 150.00).

    Exact by construction: the catalog refuses amounts with more places.
    """
    places = MINOR_UNITS.get(currency, 2)
    return amount.quantize(Decimal(1).scaleb(-places))


def estimate(catalog: Catalog, program_id: str, pathway_id: str, assumptions: Assumptions | None = None) -> Estimate:
    """The net cost of the degree through a pathway, against the direct degree."""
    assumptions = assumptions or Assumptions()
    chosen = route(catalog, program_id, pathway_id)
    for figure_id in assumptions.overrides:
        catalog.figure(figure_id)
    fee_year = assumptions.year if assumptions.year is not None else newest_year(catalog, chosen)
    pricer = _Pricer(catalog, chosen, assumptions, fee_year)

    program, pathway, degree = chosen.program, chosen.pathway, chosen.degree
    items = _micromasters_items(program, pricer)
    remaining = _courses_remaining(pathway, degree)
    items += _charge_items("degree", pathway.charges, remaining, _credits_remaining(pathway, degree), pricer)
    if degree.direct is not None:
        items += _charge_items(
            "baseline", degree.direct.charges, degree.courses_required, degree.credits_required, pricer
        )
    if pricer.missing:
        raise MissingFigureError(list(dict.fromkeys(pricer.missing)))

    currencies = {item.currency for item in items}
    if len(currencies) > 1:
        raise MissingFigureError(
            [
                f"{program_id}/{pathway_id} mixes currencies ({', '.join(sorted(currencies))}); "
                "override the figures so that all are in one currency"
            ]
        )
    currency = currencies.pop() if currencies else pricer._route_currency()

    def section_total(section: Section) -> Decimal:
        return total([Money(i.amount, i.currency) for i in items if i.section == section], currency).amount

    micromasters_cost = section_total("micromasters")
    remaining_degree_cost = section_total("degree")
    net_cost = micromasters_cost + remaining_degree_cost
    baseline_cost = section_total("baseline") if degree.direct is not None else None
    savings = baseline_cost - net_cost if baseline_cost is not None else None
    warnings = list(dict.fromkeys(pricer.warnings))
    warnings += [
        f"Inferred requirement: {requirement.text}"
        for requirement in pathway.requirements
        if requirement.basis == "inference"
    ]
    if degree.direct is None:
        warnings.append(f"{degree.name} has no direct route, so there is no baseline and no savings to report")

    return Estimate(
        program_id=program_id,
        pathway_id=pathway_id,
        program_name=program.name,
        pathway_name=pathway.name,
        degree_name=degree.name,
        school=degree.school,
        fee_year=fee_year,
        currency=currency,
        line_items=tuple(items),
        micromasters_cost=micromasters_cost,
        remaining_degree_cost=remaining_degree_cost,
        net_cost=net_cost,
        baseline_cost=baseline_cost,
        savings=savings,
        savings_pct=percent(savings, baseline_cost) if savings is not None and baseline_cost is not None else None,
        courses_credited=pathway.courses_credited,
        courses_remaining=remaining,
        courses_required=degree.courses_required,
        months=pathway.months,
        baseline_months=degree.months if degree.direct is not None else None,
        requirements=pathway.requirements,
        warnings=tuple(warnings),
    )


def _courses_remaining(pathway: Pathway, degree: Degree) -> int | None:
    if pathway.courses_credited is None or degree.courses_required is None:
        return None
    return degree.courses_required - pathway.courses_credited


def _credits_remaining(pathway: Pathway, degree: Degree) -> Decimal | None:
    if pathway.credits_credited is None or degree.credits_required is None:
        return None
    return degree.credits_required - pathway.credits_credited


def _line(
    section: Section, label: str, quantity: Decimal, unit: str, figure_id: str, priced: _Priced, sign: int = 1
) -> LineItem:
    unit_amount = priced.amount * sign
    return LineItem(
        section=section,
        label=label,
        quantity=quantity,
        unit=unit,
        unit_amount=unit_amount,
        amount=unit_amount * quantity,
        currency=priced.currency,
        figure=figure_id,
        as_of=priced.as_of,
        applies_to=priced.applies_to,
        basis=priced.basis,
        source=priced.source,
    )


def _micromasters_items(program: Program, pricer: _Pricer) -> list[LineItem]:
    items = []
    course_fee = pricer.price(program.course_fee)
    if course_fee is not None:
        if program.courses:
            for course in program.courses:
                label = f"{course.code} {course.title}" if course.code else course.title
                items.append(_line("micromasters", label, Decimal(1), "course", program.course_fee, course_fee))
        else:
            label = pricer.catalog.figures[program.course_fee].label
            items.append(
                _line(
                    "micromasters", label, Decimal(program.number_of_courses), "course", program.course_fee, course_fee
                )
            )
    for exam in program.exams:
        exam_fee = pricer.price(exam.fee)
        if exam_fee is not None:
            items.append(_line("micromasters", exam.name, Decimal(exam.count), "exam", exam.fee, exam_fee))
    return items


def _charge_items(
    section: Section,
    charges: Iterable[Charge],
    courses: int | None,
    credits: Decimal | None,
    pricer: _Pricer,
) -> list[LineItem]:
    items = []
    for charge in charges:
        priced = pricer.price(charge.figure)
        if priced is None:
            continue
        if charge.per == "course":
            quantity = Decimal(courses if courses is not None else 0)
        elif charge.per == "credit":
            quantity = credits if credits is not None else ZERO
        else:
            quantity = charge.quantity if charge.quantity is not None else Decimal(1)
        sign = -1 if charge.discount else 1
        items.append(_line(section, charge.label, quantity, charge.per, charge.figure, priced, sign))
    return items
