"""Figures in force: routes, the user's overrides, and the value of each figure for a year.

A figure's value for an academic year is the newest dated value at or before
it. A value from an earlier year is carried forward with a warning; a figure
with no value at or before the year is missing, and the estimate stops and
names it with the option that supplies it. Nothing is ever taken from a later
year or invented.
"""

from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import NamedTuple

from mmcost.bundled import bundled_catalog
from mmcost.engine.scenario import EMPTY, Request
from mmcost.errors import OptionError, command_line
from mmcost.model import Catalog, Charge, DatedValue, Degree, Figure, Pathway, Program
from mmcost.money import MINOR_UNITS
from mmcost.options import OPTIONS

ROLES: tuple[str, ...] = tuple(spec.key for spec in OPTIONS if spec.role is not None)
"""Options that stand for a kind of figure on any route (course_fee, tuition_per_course, ...)."""


def academic_year(year: int) -> str:
    """2018 -> '2018-19'."""
    return f"{year}-{(year + 1) % 100:02d}"


class Assumptions(NamedTuple):
    """A request fitted to one route: the fee year, a price tier, and the figures the user knows better.

    ``overrides`` maps a figure id to its amount (in the figure's currency);
    ``override_sources`` names the option that gave each, for the output.
    """

    year: int | None = None
    tier: str | None = None
    income: Decimal | None = None
    overrides: Mapping[str, Decimal] = EMPTY
    override_sources: Mapping[str, str] = EMPTY


class Route(NamedTuple):
    """A program, one of its pathways and the degree it leads to."""

    program_id: str
    pathway_id: str
    program: Program
    pathway: Pathway
    degree: Degree

    def figure_ids(self) -> list[str]:
        """Every figure an estimate of this route reads, in first-use order."""
        program, degree = self.program, self.degree
        ids = program.fee_figures
        ids += [charge.figure for charge in self.pathway.charges]
        ids += [charge.figure for charge in degree.direct.charges] if degree.direct else []
        ids += list(degree.living.figures) if degree.living else []
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


def role_figures(catalog: Catalog, chosen: Route, role: str) -> list[str]:
    """The figures an override option such as course_fee stands for on this route."""
    if role == "course_fee":
        return [chosen.program.course_fee] if chosen.program.course_fee else []
    if role == "exam_fee":
        return list(dict.fromkeys(exam.fee for exam in chosen.program.exams))

    def fits(charge: Charge) -> bool:
        kind = catalog.figures[charge.figure].kind
        if role == "application_fee":
            return kind == "application_fee"
        per = "course" if role == "tuition_per_course" else "credit"
        return kind == "tuition" and charge.per == per

    return list(dict.fromkeys(charge.figure for charge in chosen.charges() if fits(charge)))


def supplying_options(catalog: Catalog, chosen: Route) -> list[str]:
    """The role options (course_fee, ...) that stand for some figure on this route, by key."""
    return [role for role in ROLES if role_figures(catalog, chosen, role)]


def fit(catalog: Catalog, chosen: Route, request: Request, *, strict: bool = True) -> Assumptions:
    """The request fitted to one route: role options and --set become figure overrides.

    With strict (one route), a role option that fits nothing on the route is
    an error; without (many routes, as compare asks), it is skipped for the
    routes it does not fit.
    """
    overrides: dict[str, Decimal] = {}
    sources: dict[str, str] = {}
    for role in ROLES:
        amount = request.money(role)
        if amount is None:
            continue
        figure_ids = role_figures(catalog, chosen, role)
        if not figure_ids and strict:
            raise OptionError(
                role,
                f"does not apply to {chosen.program_id}/{chosen.pathway_id}: {_how_charged(catalog, chosen)}; "
                f"use {{set}} FIGURE=AMOUNT (mmcost show {chosen.program_id}/{chosen.pathway_id} lists the figures)",
            )
        for figure_id in figure_ids:
            overrides[figure_id] = amount
            sources[figure_id] = command_line(role)
    for figure_id, amount in request.settings.items():
        catalog.figure(figure_id)
        overrides[figure_id] = amount
        sources[figure_id] = f"{command_line('set')} {figure_id}"
    income = request.money("income")
    return Assumptions(request.year, request.values.get("price_tier"), income, overrides, sources)


def _how_charged(catalog: Catalog, chosen: Route) -> str:
    parts = [f"{catalog.figures[c.figure].kind.replace('_', ' ')} per {c.per}" for c in chosen.charges()]
    return "it charges " + ", ".join(dict.fromkeys(parts))


class Priced(NamedTuple):
    """A figure's amount in force, and what to say about it."""

    amount: Decimal
    currency: str
    as_of: int | None
    applies_to: str
    basis: str
    source: str
    list_amount: Decimal | None = None  # for a price tier below the top: the top tier's price
    tier: str | None = None


class Notice(NamedTuple):
    """A warning and what kind it is, so that warnings can be summarised by kind.

    Kinds: "carried" (an older figure carried forward), a basis ("derived",
    "estimate", "approximate", "inference", "secondary"), "inferred" (a
    requirement or note the catalog infers), "scenario" (about the learner's
    options), "route", "closed" (a program or pathway no longer admitting).
    """

    kind: str
    text: str


class FigureUse(NamedTuple):
    """A catalog figure an estimate used: its year, its basis and where its current price is published."""

    figure: str
    label: str
    year: int
    basis: str
    check_at: str | None


class Pricer:
    """Finds each figure's value in force, collecting warnings, the figures used and the missing ones."""

    def __init__(self, catalog: Catalog, chosen: Route, assumptions: Assumptions, fee_year: int | None) -> None:
        self.catalog = catalog
        self.chosen = chosen
        self.assumptions = assumptions
        self.fee_year = fee_year
        self.notices: list[Notice] = []
        self.used: dict[str, FigureUse] = {}
        self.missing: list[str] = []
        self._cache: dict[str, Priced | None] = {}
        self._shared = False  # True while a fork shares the collections above (price copies them first)

    def fork(self) -> "Pricer":
        """A copy whose warnings, figures used and missing figures grow apart from this one's. They are
        shared until either prices a figure the original had not (copy on write): most scenarios never do."""
        self._shared = True
        other = Pricer.__new__(Pricer)
        other.__dict__.update(self.__dict__)
        return other

    def price(self, figure_id: str) -> Priced | None:
        cache = self._cache
        if figure_id in cache:
            return cache[figure_id]
        if self._shared:
            self.notices, self.used, self.missing = list(self.notices), dict(self.used), list(self.missing)
            self._cache, self._shared = dict(cache), False
        found = self._cache[figure_id] = self._price(figure_id)
        return found

    def _price(self, figure_id: str) -> Priced | None:
        figure = self.catalog.figures[figure_id]
        if figure_id in self.assumptions.overrides:
            option = self.assumptions.override_sources.get(figure_id, f"{command_line('set')} {figure_id}")
            currency = figure.currency or self.route_currency()
            amount = self.assumptions.overrides[figure_id]
            return Priced(amount, currency, self.fee_year, "your figure", "override", option)
        value = self._in_force(figure_id, figure)
        if value is None:
            return None
        self._note(figure_id, figure, value)
        list_amount = self._list_amount(figure, value)
        return Priced(
            exact_minor_units(value.amount, value.currency),
            value.currency,
            value.year,
            value.applies_to,
            value.basis,
            value.source,
            list_amount=exact_minor_units(list_amount, value.currency) if list_amount is not None else None,
            tier=value.tier if list_amount is not None else None,
        )

    def available(self, figure_id: str) -> bool:
        """Whether a figure has an amount for the fee year (the user's, or a catalog value at or before it)."""
        if figure_id in self.assumptions.overrides:
            return True
        year = self.fee_year
        return any(year is None or value.year <= year for value in self.catalog.figures[figure_id].values)

    def _list_amount(self, figure: Figure, value: DatedValue) -> Decimal | None:
        """For a tiered price below the top tier: the top tier's price in force the same year (the list price)."""
        if value.tier is None:
            return None
        same_year = [other.amount for other in figure.values if other.year == value.year]
        top = max(same_year)
        return top if top > value.amount else None

    def route_currency(self) -> str:
        """The currency of the route's first known figure (USD when none is known)."""
        for figure_id in self.chosen.figure_ids():
            currency = self.catalog.figures[figure_id].currency
            if currency:
                return currency
        return "USD"

    def _in_force(self, figure_id: str, figure: Figure) -> DatedValue | None:
        values = list(figure.values)
        if figure.tiers:
            tier = self.assumptions.tier
            if tier is None and self.assumptions.income is not None:
                tier = self._tier_for_income(figure, figure_id, self.assumptions.income)
                if tier is None:
                    return None
            if tier is None:
                tier = self._top_tier(figure)
            if tier not in figure.tiers:
                choices = " or ".join(f"{name} ({_tier_amount(figure, name)})" for name in figure.tiers)
                lead = f"unknown price tier {tier!r}" if tier else f"{figure.label} depends on the price tier"
                self.missing.append(f"{lead}: choose {{price_tier}} {choices}, or {self._supply(figure_id)}")
                return None
            values = [value for value in values if value.tier == tier]
        if not values:
            gap = (figure.gap or "no source found").rstrip(".")
            if gap[1:2].islower():
                gap = gap[0].lower() + gap[1:]
            self.missing.append(f"no figure is known for {figure.label} ({gap}); {self._supply(figure_id)}")
            return None
        year = self.fee_year
        in_force = [value for value in values if year is None or value.year <= year]
        if not in_force:
            first = min(values, key=lambda value: value.year)
            assert year is not None
            self.missing.append(
                f"no figure for {figure.label} in {academic_year(year)} or earlier "
                f"(the first known is for {academic_year(first.year)}); "
                f"choose {{year}} {first.year} or later, or {self._supply(figure_id)}"
            )
            return None
        return max(in_force, key=lambda value: value.year)

    def _top_tier(self, figure: Figure) -> str:
        """The tier with the highest price (the price with no discount), said as an assumption-like notice."""
        newest = max(value.year for value in figure.values)
        top = max((value for value in figure.values if value.year == newest), key=lambda value: value.amount)
        assert top.tier is not None
        others = " or ".join(tier for tier in figure.tiers if tier != top.tier)
        self.notices.append(
            Notice(
                "scenario",
                f"{figure.label}: priced at its highest tier, {top.tier} ({format_plain(top.amount)} {top.currency}); "
                f"{{price_tier}} {others} (or {{income}} where the catalog knows the limits) picks another",
            )
        )
        return top.tier

    def _supply(self, figure_id: str) -> str:
        """How to supply a missing figure (made only when one is missing: most plans never say it)."""
        return _supply_hint(self.catalog, self.chosen, figure_id)

    def _tier_for_income(self, figure: Figure, figure_id: str, income: Decimal) -> str | None:
        """The tier whose income limit is the lowest one covering the income.

        A tier with no `income_up_to` is open-ended (it applies above every
        limit). Without any limits in the catalog, --income cannot choose.
        """
        limits = sorted((v.income_up_to, v.tier) for v in figure.values if v.tier and v.income_up_to is not None)
        if not limits:
            self.missing.append(
                f"{figure.label}: the catalog does not know the income limits of its price tiers, so {{income}} "
                f"cannot choose one; choose {{price_tier}} {' or '.join(figure.tiers)}, or {self._supply(figure_id)}"
            )
            return None
        for limit, tier in limits:
            if income <= limit:
                return tier
        open_ended = [tier for tier in figure.tiers if tier not in {tier for _, tier in limits}]
        if open_ended:
            return open_ended[0]
        self.missing.append(
            f"{figure.label}: income {format_plain(income)} is above every price tier's limit; "
            + self._supply(figure_id)
        )
        return None

    def _note(self, figure_id: str, figure: Figure, value: DatedValue) -> None:
        self.used[figure_id] = FigureUse(figure_id, figure.label, value.year, value.basis, figure.check_at)
        shown = f"{figure.label} ({format_plain(value.amount)} {value.currency}, {academic_year(value.year)})"
        origin = self.catalog.origins.get(("figures", figure_id))
        if origin is not None and origin != _bundled_path():
            self.notices.append(Notice("yours", f"{shown} comes from your catalog {origin}"))
        if self.fee_year is not None and value.year < self.fee_year:
            carried = academic_year(self.fee_year)
            self.notices.append(Notice("carried", f"{shown} is the newest known figure, carried forward to {carried}"))
        if value.basis != "stated":
            detail = f": {value.note}" if value.note else f" ({value.applies_to})"
            self.notices.append(Notice(value.basis, f"{shown} is {_BASIS_WORDS[value.basis]}{detail}"))


@cache
def _bundled_path() -> str:
    return str(bundled_catalog())


_BASIS_WORDS = {
    "estimate": "worded as an estimate by its source",
    "approximate": "approximate (the source says 'about')",
    "derived": "derived, not stated by the source",
    "inference": "an inference, not stated by any source",
    "secondary": "from a third-party compilation, not an official page",
}


def _tier_amount(figure: Figure, tier: str) -> str:
    newest = max((v for v in figure.values if v.tier == tier), key=lambda v: v.year)
    return f"{format_plain(newest.amount)} {newest.currency}"


def _supply_hint(catalog: Catalog, chosen: Route, figure_id: str) -> str:
    """The option that supplies a missing figure, named by key (each front end spells it)."""
    for role in ROLES:
        if role_figures(catalog, chosen, role) == [figure_id]:
            return f"supply it with {{{role}}} AMOUNT"
    return f"supply it with {{set}} {figure_id}=AMOUNT"


def format_plain(amount: Decimal) -> str:
    """An amount with thousands separators, for messages (not for output data)."""
    return f"{amount:,}"


def exact_minor_units(amount: Decimal, currency: str) -> Decimal:
    """The amount written with its currency's minor units (150 -> 150.00).

    Exact by construction: the catalog refuses amounts with more places.
    """
    places = MINOR_UNITS.get(currency, 2)
    return amount.quantize(Decimal(1).scaleb(-places))
