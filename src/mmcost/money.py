"""Money: Decimal amounts that know their currency, and the one rounding policy.

No float ever enters here. Amounts from the catalog are exact; products of an
amount and a whole quantity are exact too, so the only rounding in mmcost is
of derived ratios (percentages), done by :func:`percent`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")
PERCENT_STEP = Decimal("0.1")

# ISO 4217 codes mmcost knows, with their minor units (decimal places). A
# catalog amount may not have more decimal places than its currency has.
MINOR_UNITS: dict[str, int] = {
    "AUD": 2,
    "BRL": 2,
    "CAD": 2,
    "CHF": 2,
    "CNY": 2,
    "COP": 2,
    "DKK": 2,
    "EUR": 2,
    "GBP": 2,
    "HKD": 2,
    "INR": 2,
    "JPY": 0,
    "KRW": 0,
    "MXN": 2,
    "MYR": 2,
    "NOK": 2,
    "NZD": 2,
    "PLN": 2,
    "SEK": 2,
    "SGD": 2,
    "USD": 2,
    "ZAR": 2,
}


_QUANTUM = {code: Decimal(1).scaleb(-places) for code, places in MINOR_UNITS.items()}


def D(value: str | int | Decimal) -> Decimal:
    """A Decimal from text or an int; refuses float so none slips in."""
    if isinstance(value, float):  # pragma: no cover - a programming error
        raise TypeError("money is never built from a float")
    return Decimal(value)


def decimal_places(amount: Decimal) -> int:
    """How many digits an amount has after the point, as written."""
    exponent = amount.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def round_money(amount: Decimal, currency: str) -> Decimal:
    """The rounding rule for computed money: to the currency's minor unit, half-even.

    Used where a rate enters (aid and scholarship percentages, fee growth,
    a monthly share of a salary, currency conversion), once per unit amount.
    """
    return amount.quantize(_QUANTUM.get(currency, CENT), rounding=ROUND_HALF_EVEN)


def with_minor_units(amount: Decimal, currency: str) -> Decimal:
    """The amount padded to its currency's minor units (2500 -> 2500.00); never rounds."""
    padded = amount.quantize(_QUANTUM.get(currency, CENT))
    return padded if padded == amount else amount


def padded(amounts: list[Decimal], currency: str) -> list[Decimal]:
    """with_minor_units of each amount, in one call."""
    quantum = _QUANTUM.get(currency, CENT)
    return [pad if (pad := amount.quantize(quantum)) == amount else amount for amount in amounts]


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole as a percentage to one decimal place (half-even).

    None when whole is zero: a share of nothing is undefined, not 0 %.
    """
    if whole == ZERO:
        return None
    return (part * 100 / whole).quantize(PERCENT_STEP, rounding=ROUND_HALF_EVEN)


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were added."""


class Money:
    """An exact amount in one currency."""

    __slots__ = ("amount", "currency")

    def __init__(self, amount: Decimal, currency: str) -> None:
        self.amount, self.currency = amount, currency

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Money) and (other.amount, other.currency) == (self.amount, self.currency)

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))

    def __repr__(self) -> str:
        return f"Money({self.amount!r}, {self.currency!r})"

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return self + Money(-other.amount, other.currency)

    def __mul__(self, quantity: int | Decimal) -> Money:
        return Money(self.amount * quantity, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)


def total(amounts: list[Money], currency: str) -> Money:
    """The exact sum of amounts, all of which must be in currency."""
    result = Money(ZERO, currency)
    for amount in amounts:
        result = result + amount
    return result
