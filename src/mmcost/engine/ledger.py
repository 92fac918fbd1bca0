"""One route's ledger: line items and the calendar years they fall in.

Payments of the same figure, label and unit amount merge into one line item
(quantity x unit amount); each keeps the calendar years its quantity falls
in, for employer caps and the yearly schedule.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Literal, NamedTuple

from mmcost.engine.pricing import Priced, academic_year
from mmcost.errors import OptionError
from mmcost.money import ONE, ZERO, round_money, with_minor_units
from mmcost.terms import Term

MAX_DIGITS = 15
"""Amounts stay below 10^15: far above any tuition, well inside Decimal's exact range."""

Section = Literal["micromasters", "degree", "living", "opportunity", "funding", "baseline"]
PATHWAY_SECTIONS: tuple[Section, ...] = ("micromasters", "degree", "living", "opportunity", "funding")
EDUCATION_KINDS = frozenset(
    {"course_fee", "exam_fee", "tuition", "application_fee", "fee", "subsidy", "aid", "tier", "scholarship"}
)


class Line(NamedTuple):
    """What a line item is: where it goes, its label and unit price, and where that price came from."""

    section: Section
    label: str
    unit: str
    unit_amount: Decimal
    currency: str
    kind: str
    figure: str = ""
    as_of: int | None = None
    applies_to: str = ""
    basis: str = "scenario"
    source: str = ""

    @classmethod
    def of_figure(cls, payment: "Payment", label: str, unit_amount: Decimal, kind: str) -> "Line":
        """A line priced from a catalog figure (or the user's override of it)."""
        priced = payment.priced
        return cls(
            payment.section, label, payment.unit, unit_amount, priced.currency, kind,
            payment.figure, priced.as_of, priced.applies_to, priced.basis, priced.source,
        )  # fmt: skip


class Payment(NamedTuple):
    """A catalog figure to pay: in which section, under which label, per what unit, with what sign."""

    section: Section
    label: str
    unit: str
    figure: str
    priced: Priced
    kind: str
    sign: int = 1


class Yearly(NamedTuple):
    """The employer's line items, one a calendar year (label "Employer reimbursement ({year})"): what is paid
    in each year, up to the cap, negated, with a quantity of one. The ledger counts their total at once (the
    caller's, Payments.add_yearly) and makes their amounts and Lines, padded to minor units, only when its
    items are read."""

    section: Section
    label: str
    unit: str
    currency: str
    kind: str
    paid: Sequence[tuple[int, Decimal]]
    """What is paid in each calendar year that pays anything, in order."""
    cap: Decimal

    @property
    def amounts(self) -> tuple[tuple[int, Decimal], ...]:
        """Each year's line amount: min(paid, cap), negated."""
        cap = self.cap
        return tuple((year, -paid if paid < cap else -cap) for year, paid in self.paid)

    def lines(self) -> Iterator[tuple[Line, int, Decimal]]:
        section, label, unit, currency, kind = self.section, self.label, self.unit, self.currency, self.kind
        for year, amount in self.amounts:
            padded = with_minor_units(amount, currency)
            yield Line(section, label.format(year=year), unit, padded, currency, kind), year, ONE


def capped_sum(ascending: Sequence[Decimal], sums: Sequence[Decimal], cap: Decimal) -> Decimal:
    """The sum of min(amount, cap) over amounts given in ascending order with their running sums (sums[k]: the
    first k amounts', from ZERO): the amounts below the cap, then the cap for each other one. Exactly the sum
    taken year by year, to the last digit and exponent (the same terms, added in another order)."""
    below = 0  # how many are below the cap (a loop: a route pays in a few years, and bisect costs each start)
    for amount in ascending:
        if not amount < cap:
            break
        below += 1
    whole = sums[below]
    return whole if below == len(ascending) else whole + cap * (len(ascending) - below)


def running_sums(amounts: Iterable[Decimal]) -> tuple[tuple[Decimal, ...], tuple[Decimal, ...]]:
    """The amounts in ascending order and their running sums from ZERO, for capped_sum."""
    ascending = tuple(sorted(amounts))
    sums = [ZERO]
    for amount in ascending:
        sums.append(sums[-1] + amount)
    return ascending, tuple(sums)


class Item:
    """A line item being built: its Line and the calendar years its quantity falls in.

    A shared item belongs to a route plan and its forks at once: the Ledger copies it before adding to it.
    """

    __slots__ = ("_amount", "_quantity", "_years", "finished", "line", "placements", "shared")

    def __init__(self, line: Line) -> None:
        self.line = line
        self.placements: list[tuple[int, Decimal]] = []
        self.shared = False
        self._years: dict[int, Decimal] | None = None  # what a shared item (which never changes) paid
        self._amount: Decimal | None = None
        self._quantity: Decimal | None = None
        self.finished: object = None
        """A shared item's finished line item, kept by whoever finishes it (engine.finished.to_line_item)."""

    @property
    def quantity(self) -> Decimal:
        """The placements' quantities summed (a month's share of a budget is placed month by month)."""
        if self._quantity is not None:
            return self._quantity
        total = ZERO
        for _, quantity in self.placements:
            total += quantity
        if self.shared:
            self._quantity = total
        return total

    def fork(self) -> "Item":
        """A copy that can take more placements without changing this one."""
        other = Item(self.line)
        other.placements = list(self.placements)
        return other

    def by_year(self) -> Mapping[int, Decimal]:
        """Amount paid in each calendar year (quantity there x unit amount)."""
        if self._years is not None:
            return self._years
        unit = self.line.unit_amount
        years: dict[int, Decimal] = {}
        for year, quantity in self.placements:
            years[year] = years.get(year, ZERO) + quantity * unit
        if self.shared:
            self._years = years
        return years

    @property
    def amount(self) -> Decimal:
        """Quantity x unit amount, padded to minor units (0.5 x 406.00 is 203.00)."""
        if self._amount is not None:
            return self._amount
        amount = with_minor_units(self.quantity * self.line.unit_amount, self.line.currency)
        if self.shared:
            self._amount = amount
        return amount


class Payments:
    """Payments counted as they come: the totals per section, the education costs per calendar year, the kinds
    and currencies seen, and the payments themselves in order, for a Ledger to merge into line items when they
    are read. A scenario's own payments are just that (costs.RouteCosts); a batch row of CSV reads the totals
    alone."""

    __slots__ = ("_pending", "currencies", "education", "kinds", "totals")

    def __init__(self) -> None:
        self._pending: list[tuple[Line, int, Decimal] | Yearly] = []
        self.totals: dict[Section, Decimal] = {}
        """The exact sum of the payments in each section (amounts before padding to minor units)."""
        self.education: dict[int, Decimal] = {}
        """Education costs (EDUCATION_KINDS) paid in each calendar year, net of aid and scholarship."""
        self.kinds: set[str] = set()
        self.currencies: set[str] = set()

    def add(self, line: Line, year: int, quantity: Decimal) -> None:
        """Add quantity in a calendar year to the line item with these fields (made on first read)."""
        self.add_placed(line, ((year, quantity),))

    def add_placed(self, line: Line, placements: Iterable[tuple[int, Decimal]]) -> None:
        """Add each (calendar year, quantity) to the line item with these fields."""
        padded = with_minor_units(line.unit_amount, line.currency)
        if padded.compare_total(line.unit_amount):  # not already written to minor units
            line = line._replace(unit_amount=padded)
        for year, quantity in placements:
            self._pending.append((line, year, quantity))
            self._count(line, year, quantity * line.unit_amount)

    def add_yearly(self, yearly: Yearly, whole: Decimal) -> None:
        """Line items one a calendar year, whose amounts sum to whole (the caller has it: capped_sum, negated),
        counted now, made when the items are read (batch's CSV never does)."""
        if not yearly.paid:
            return
        if yearly.kind in EDUCATION_KINDS:
            for year, amount in yearly.amounts:
                self.education[year] = self.education.get(year, ZERO) + amount
        self.totals[yearly.section] = self.totals.get(yearly.section, ZERO) + whole
        self.kinds.add(yearly.kind)
        self.currencies.add(yearly.currency)
        self._pending.append(yearly)

    def _count(self, line: Line, year: int, amount: Decimal) -> None:
        totals, section, kind = self.totals, line.section, line.kind
        totals[section] = totals.get(section, ZERO) + amount
        if kind in EDUCATION_KINDS:
            self.education[year] = self.education.get(year, ZERO) + amount
        self.kinds.add(kind)
        self.currencies.add(line.currency)


class Ledger(Payments):
    """Collects the payments of one route and merges equal ones into line items.

    Payments are recorded as they come, with running totals (per section, and education costs per calendar
    year), and merged into items only when the items are asked for: a batch row of CSV reads the totals alone.
    """

    __slots__ = ("_index", "_items", "_owned", "fee_growth_pct", "fee_year")

    def __init__(self, fee_growth_pct: Decimal, fee_year: int | None) -> None:
        super().__init__()
        self.fee_growth_pct = fee_growth_pct
        self.fee_year = fee_year
        self._items: list[Item] = []
        self._index: dict[tuple[object, ...], Item] = {}
        self._owned = True  # False while _items and _index are still a plan's (a fork copies them on first merge)

    @property
    def items(self) -> list[Item]:
        """The line items so far, in the order their first payment came (payments merged on first read)."""
        if self._pending:
            self._merge()
        return self._items

    def _merge(self) -> None:
        if not self._owned:
            self._items, self._index, self._owned = list(self._items), dict(self._index), True
        index, items = self._index, self._items
        for entry in self._pending:
            for line, year, quantity in entry.lines() if isinstance(entry, Yearly) else (entry,):
                key = _key(line)
                item = index.get(key)
                if item is None:
                    item = index[key] = Item(line)
                    items.append(item)
                elif item.shared:
                    item = self._own(key, item)
                item.placements.append((year, quantity))
        self._pending = []

    def fork(self) -> "Ledger":
        """A copy that can take more payments without changing this one (a route plan's, for one scenario).
        The items are shared, and copied only when a payment adds to one (copy on write)."""
        items = self.items
        if self._owned:  # the items become shared once; both ledgers copy the lists before changing them
            for item in items:
                item.shared = True
            self._owned = False
        other = Ledger.__new__(Ledger)  # every field set here: none of __init__'s empty collections is kept
        other.fee_growth_pct, other.fee_year = self.fee_growth_pct, self.fee_year
        other._items, other._index, other._owned, other._pending = self._items, self._index, False, []
        other.totals, other.education = dict(self.totals), dict(self.education)
        other.kinds, other.currencies = set(self.kinds), set(self.currencies)
        return other

    def merged(self, added: Payments) -> "Ledger":
        """A fork of this ledger (a route plan's) with the payments of another (a scenario's own), in the
        order they came: the one ledger that line items and conversion read."""
        other = self.fork()
        other._pending = list(added._pending)
        for section, amount in added.totals.items():
            other.totals[section] = other.totals.get(section, ZERO) + amount
        for year, amount in added.education.items():
            other.education[year] = other.education.get(year, ZERO) + amount
        other.kinds |= added.kinds
        other.currencies |= added.currencies
        return other

    def pay(self, payment: Payment, term: Term, quantity: Decimal) -> None:
        """One payment of a catalog figure in a term, grown by the fee growth to that term's year.

        A price tier below the top is paid as the top tier's price (the list
        price) and a negative line for the tier, so the discount shows in the
        section it discounts.
        """
        priced, sign = payment.priced, payment.sign
        unit_amount, grown_to = self._grown(priced.amount, priced, term)
        label = payment.label if grown_to is None else f"{payment.label} ({academic_year(grown_to)} prices)"
        if priced.list_amount is None:
            self.add(Line.of_figure(payment, label, unit_amount * sign, payment.kind), term.year, quantity)
            return
        list_unit, _ = self._grown(priced.list_amount, priced, term)
        tier = f"Price tier '{priced.tier}' (set by ability to pay)"
        self.add(Line.of_figure(payment, label, list_unit * sign, payment.kind), term.year, quantity)
        self.add(Line.of_figure(payment, tier, (unit_amount - list_unit) * sign, "tier"), term.year, quantity)

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

    def _own(self, key: tuple[object, ...], shared: Item) -> Item:
        """This ledger's own copy of a shared item, in its place."""
        item = shared.fork()
        self._items[self._items.index(shared)] = self._index[key] = item
        return item

    def convert(self, currency: str, rate: Decimal) -> None:
        """Every unit amount at rate, rounded once to the new currency's minor unit (the last rule: no payment
        follows, but the items stay indexed by what they now are), and the totals counted again."""
        converted = []
        self.totals, self.education, self.kinds, self.currencies = {}, {}, set(), set()
        for item in self.items:
            line = item.line
            other = Item(line._replace(unit_amount=round_money(line.unit_amount * rate, currency), currency=currency))
            other.placements, other.shared = item.placements, True  # the placements may be a plan's
            converted.append(other)
            for year, quantity in other.placements:
                self._count(other.line, year, quantity * other.line.unit_amount)
        self._items, self._index = converted, {_key(item.line): item for item in converted}
        self._owned = True

    def of_kind(self, *kinds: str) -> list[Item]:
        return [item for item in self.items if item.line.kind in kinds]


def _key(line: Line) -> tuple[object, ...]:
    """What makes two payments one line item."""
    return line.section, line.label, line.unit, line.unit_amount, line.currency, line.figure, line.kind


class Timeline:
    """When a route starts its degree phase, when it ends and how many months it takes."""

    def __init__(self, anchor: Term, end: Term, months: int | None) -> None:
        self.anchor, self.end, self.months = anchor, end, months
