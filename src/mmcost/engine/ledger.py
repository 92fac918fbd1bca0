"""One route's ledger: line items and the calendar years they fall in.

Payments of the same figure, label and unit amount merge into one line item
(quantity x unit amount); each keeps the calendar years its quantity falls
in, for employer caps and the yearly schedule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal, NamedTuple

from mmcost.engine.pricing import Priced, academic_year
from mmcost.errors import OptionError
from mmcost.money import ZERO, round_money, with_minor_units
from mmcost.terms import Term

MAX_DIGITS = 15
"""Amounts stay below 10^15: far above any tuition, well inside Decimal's exact range."""

Section = Literal["micromasters", "degree", "living", "opportunity", "funding", "baseline"]
PATHWAY_SECTIONS: tuple[Section, ...] = ("micromasters", "degree", "living", "opportunity", "funding")
EDUCATION_KINDS = frozenset(
    {"course_fee", "exam_fee", "tuition", "application_fee", "fee", "subsidy", "aid", "tier", "scholarship"}
)


class LineItem(NamedTuple):
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
    kind: str = "charge"


class ScheduleYear(NamedTuple):
    """One calendar year of a route: what is paid, what the employer covers, what is given up."""

    year: int
    paid: Decimal
    employer: Decimal
    out_of_pocket: Decimal
    foregone_salary: Decimal


class Item:
    """A line item being built, with the calendar years its quantity falls in."""

    __slots__ = (
        "applies_to", "as_of", "basis", "currency", "figure", "kind", "label", "placements", "section", "source",
        "unit", "unit_amount",
    )  # fmt: skip

    def __init__(
        self,
        section: Section,
        label: str,
        unit: str,
        unit_amount: Decimal,
        currency: str,
        figure: str,
        as_of: int | None,
        applies_to: str,
        basis: str,
        source: str,
        kind: str,
    ) -> None:
        self.section, self.label, self.unit, self.kind = section, label, unit, kind
        self.unit_amount, self.currency = unit_amount, currency
        self.figure, self.as_of, self.applies_to, self.basis, self.source = figure, as_of, applies_to, basis, source
        self.placements: list[tuple[int, Decimal]] = []

    @property
    def quantity(self) -> Decimal:
        return sum((quantity for _, quantity in self.placements), ZERO)

    def by_year(self) -> dict[int, Decimal]:
        """Amount paid in each calendar year (quantity there x unit amount)."""
        years: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for year, quantity in self.placements:
            years[year] += quantity * self.unit_amount
        return dict(years)


class Ledger:
    """Collects the payments of one route and merges equal ones into line items."""

    def __init__(self, fee_growth_pct: Decimal, fee_year: int | None) -> None:
        self.fee_growth_pct = fee_growth_pct
        self.fee_year = fee_year
        self.items: list[Item] = []
        self._index: dict[tuple[object, ...], Item] = {}

    def pay(
        self,
        section: Section,
        label: str,
        unit: str,
        figure_id: str,
        priced: Priced,
        term: Term,
        quantity: Decimal,
        *,
        kind: str,
        sign: int = 1,
    ) -> None:
        """One payment of a catalog figure in a term, grown by the fee growth to that term's year.

        A price tier below the top is paid as the top tier's price (the list
        price) and a negative line for the tier, so the discount shows in the
        section it discounts.
        """
        unit_amount, grown_to = self._grown(priced.amount, priced, term)
        if grown_to is not None:
            label = f"{label} ({academic_year(grown_to)} prices)"

        def line(line_label: str, amount: Decimal, line_kind: str) -> None:
            self.add(
                section,
                line_label,
                unit,
                amount,
                priced.currency,
                term.year,
                quantity,
                figure=figure_id,
                as_of=priced.as_of,
                applies_to=priced.applies_to,
                basis=priced.basis,
                source=priced.source,
                kind=line_kind,
            )

        if priced.list_amount is None:
            line(label, unit_amount * sign, kind)
            return
        list_unit, _ = self._grown(priced.list_amount, priced, term)
        line(label, list_unit * sign, kind)
        line(f"Price tier '{priced.tier}' (set by ability to pay)", (unit_amount - list_unit) * sign, "tier")

    def _grown(self, amount: Decimal, priced: Priced, term: Term) -> tuple[Decimal, int | None]:
        growth = self.fee_growth_pct
        base_year = priced.as_of if priced.as_of is not None else self.fee_year
        if growth == ZERO or base_year is None or term.academic_year <= base_year:
            return amount, None
        years = term.academic_year - base_year
        grown = amount * (1 + growth / 100) ** years
        if grown.adjusted() >= MAX_DIGITS:
            raise OptionError(
                "fee_growth",
                f"{growth}% over {years} years makes a fee of {amount} larger than "
                f"10^{MAX_DIGITS}; choose a smaller growth or an earlier {{start}}",
            )
        return round_money(grown, priced.currency), term.academic_year

    def add(
        self,
        section: Section,
        label: str,
        unit: str,
        unit_amount: Decimal,
        currency: str,
        year: int,
        quantity: Decimal,
        *,
        figure: str = "",
        as_of: int | None = None,
        applies_to: str = "",
        basis: str = "scenario",
        source: str = "",
        kind: str,
    ) -> None:
        """Add quantity in a calendar year to the line item with these fields (made on first use)."""
        unit_amount = with_minor_units(unit_amount, currency)
        key = (section, label, unit, unit_amount, currency, figure, kind)
        item = self._index.get(key)
        if item is None:
            item = Item(section, label, unit, unit_amount, currency, figure, as_of, applies_to, basis, source, kind)
            self._index[key] = item
            self.items.append(item)
        item.placements.append((year, quantity))

    def of_kind(self, *kinds: str) -> list[Item]:
        return [item for item in self.items if item.kind in kinds]


class Timeline:
    """When a route starts its degree phase, when it ends and how many months it takes."""

    def __init__(self, anchor: Term, end: Term, months: int | None) -> None:
        self.anchor, self.end, self.months = anchor, end, months


def convert_currency(ledger: Ledger, currency: str, rate: Decimal) -> None:
    """Every unit amount at the given rate, rounded once to the new currency's minor unit."""
    for item in ledger.items:
        item.unit_amount = round_money(item.unit_amount * rate, currency)
        item.currency = currency


def to_line_item(item: Item, section: Section | None = None) -> LineItem:
    """The finished, immutable line item (quantity summed over its years)."""
    quantity = item.quantity
    return LineItem(
        section=section or item.section,
        label=item.label,
        quantity=quantity,
        unit=item.unit,
        unit_amount=item.unit_amount,
        amount=quantity * item.unit_amount,
        currency=item.currency,
        figure=item.figure,
        as_of=item.as_of,
        applies_to=item.applies_to,
        basis=item.basis,
        source=item.source,
        kind=item.kind,
    )


def direct_parts(items: Sequence[LineItem], currency: str) -> dict[str, Decimal]:
    """The direct route's cost split like the pathway's sections (education, living, salary, funding)."""
    parts = {"education": ZERO, "living": ZERO, "opportunity": ZERO, "funding": ZERO}
    part_of = {"living": "living", "travel": "living", "salary": "opportunity", "employer": "funding"}
    for item in items:
        parts[part_of.get(item.kind, "education")] += item.amount
    return {name: with_minor_units(amount, currency) for name, amount in parts.items()}


def yearly_schedule(ledger: Ledger) -> tuple[ScheduleYear, ...]:
    """Per calendar year: paid, covered by the employer, out of pocket, salary given up."""
    years: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for item in ledger.items:
        column = {"employer": "employer", "salary": "foregone"}.get(item.kind, "paid")
        for year, amount in item.by_year().items():
            years[year][column] += amount
    rows = []
    currency = ledger.items[0].currency if ledger.items else "USD"
    for year in sorted(years):
        paid, employer, foregone = years[year]["paid"], -years[year]["employer"], years[year]["foregone"]
        padded = (with_minor_units(value, currency) for value in (paid, employer, paid - employer, foregone))
        rows.append(ScheduleYear(year, *padded))
    return tuple(rows)
