"""A finished estimate's ledgers: their line items and yearly schedules, made only when read (batch's CSV never
reads them).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from mmcost.engine.ledger import Item, Ledger, Section
from mmcost.money import ZERO, padded, with_minor_units

if TYPE_CHECKING:
    from mmcost.engine.costs import RouteCosts


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


def to_line_item(item: Item, section: Section | None = None) -> LineItem:
    """The finished, immutable line item (quantity summed over its years); a shared item's is made once (the
    plan's items: every scenario on the plan reads them)."""
    finished = item.finished
    if isinstance(finished, LineItem) and (section or item.line.section) == finished.section:
        return finished
    line = item.line
    made = LineItem(
        section=section or line.section,
        label=line.label,
        quantity=item.quantity,
        unit=line.unit,
        unit_amount=line.unit_amount,
        amount=item.amount,
        currency=line.currency,
        figure=line.figure,
        as_of=line.as_of,
        applies_to=line.applies_to,
        basis=line.basis,
        source=line.source,
        kind=line.kind,
    )
    if item.shared:
        item.finished = made
    return made


def direct_parts(items: Sequence[LineItem], currency: str) -> dict[str, Decimal]:
    """The direct route's cost split like the pathway's sections (education, living, salary, funding)."""
    parts = {"education": ZERO, "living": ZERO, "opportunity": ZERO, "funding": ZERO}
    part_of = {"living": "living", "travel": "living", "salary": "opportunity", "employer": "funding"}
    for item in items:
        parts[part_of.get(item.kind, "education")] += item.amount
    return {name: with_minor_units(amount, currency) for name, amount in parts.items()}


_COLUMNS = {"employer": 1, "salary": 2}
"""yearly_schedule's sums by a line's kind: employer money, salary given up; what is paid (0) for the others."""


def yearly_schedule(items: Sequence[Item]) -> tuple[ScheduleYear, ...]:
    """Per calendar year: paid, covered by the employer, out of pocket, salary given up."""
    years: dict[int, list[Decimal]] = {}  # each year's sums: paid, employer money (negative), salary given up
    for item in items:
        column = _COLUMNS.get(item.line.kind, 0)
        for year, amount in item.by_year().items():
            sums = years.get(year)
            if sums is None:
                sums = years[year] = [ZERO, ZERO, ZERO]
            sums[column] += amount
    rows = []
    currency = items[0].line.currency if items else "USD"
    for year in sorted(years):
        paid, employer, foregone = years[year]
        employer = -employer
        rows.append(ScheduleYear(year, *padded([paid, employer, paid - employer, foregone], currency)))
    return tuple(rows)


class Ledgers:
    """Both routes' finished ledgers, expanded into line items and schedules only when asked for (batch's
    CSV never needs them). Equal when what they expand to is equal."""

    def __init__(self, pathway: RouteCosts, direct: RouteCosts | None, currency: str) -> None:
        self._pathway_route, self._direct_route, self._currency = pathway, direct, currency

    @property
    def _pathway_ledger(self) -> Ledger:
        return self._pathway_route.ledger

    @property
    def _direct_ledger(self) -> Ledger | None:
        return self._direct_route.ledger if self._direct_route is not None else None

    @cached_property
    def _pathway(self) -> tuple[Item, ...]:
        return tuple(self._pathway_ledger.items)

    @cached_property
    def _direct(self) -> tuple[Item, ...]:
        direct = self._direct_ledger
        return tuple(direct.items) if direct is not None else ()

    @cached_property
    def line_items(self) -> tuple[LineItem, ...]:
        """The pathway's line items, then the direct degree's (in the baseline section)."""
        pathway = tuple(to_line_item(item) for item in self._pathway)
        return pathway + tuple(to_line_item(item, "baseline") for item in self._direct)

    @cached_property
    def schedule(self) -> tuple[ScheduleYear, ...]:
        return yearly_schedule(self._pathway)

    @cached_property
    def baseline_schedule(self) -> tuple[ScheduleYear, ...]:
        return yearly_schedule(self._direct) if self._direct else ()

    @property
    def baseline_parts(self) -> dict[str, Decimal]:
        """The direct route's cost split like the pathway's sections (education, living, salary, funding)."""
        return direct_parts([item for item in self.line_items if item.section == "baseline"], self._currency)

    def _key(self) -> tuple[object, ...]:
        return self.line_items, self.schedule, self.baseline_schedule

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ledgers) and self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Ledgers({len(self._pathway)} pathway items, {len(self._direct)} direct items)"
