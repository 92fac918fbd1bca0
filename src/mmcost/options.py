"""Every scenario option, declared once.

``OPTIONS`` is the one table of what a learner can ask of an estimate: each
option's key, kind, range, default and help. Everything else is derived from
it: the click options of estimate/compare/sweep/breakeven, the keys a
scenario file may hold, the columns a batch file may have, the variables
`sweep` and `breakeven` can vary, and the engine's range checks. A limit
changed here changes everywhere.

One key, three spellings: ``course_fee`` is ``--course-fee`` on the command
line, the column ``course_fee`` in a batch file and the key ``course_fee:`` in
a scenario file. Errors name the option by its key (see errors.OptionError)
and each front end spells it its own way.

Amounts of money that a learner types (``--employer-per-year 1000``) are in
the catalog's currency, before any ``--currency``/``--rate`` conversion.

Cheap: the standard library and mmcost.errors/money only.
"""

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, NamedTuple

from mmcost.errors import OptionError
from mmcost.money import MINOR_UNITS
from mmcost.terms import Term, parse_term

Kind = Literal["money", "number", "whole", "year", "term", "slug", "flag", "currency", "scholarship", "settings"]

MONEY_DIGITS = 13
"""Typed amounts stay below 10^13 (cents included): far above any tuition or salary."""


class Scholarship(NamedTuple):
    """A master's scholarship: an amount, or a percentage of tuition."""

    amount: Decimal
    is_pct: bool


class Option(NamedTuple):
    """One scenario option: how it is typed, checked, explained and varied."""

    key: str
    kind: Kind
    help: str
    low: Decimal | None = None
    high: Decimal | None = None
    default: Any = None
    metavar: str | None = None
    short: str | None = None
    step: Decimal | None = None
    """Resolution when varied by sweep/breakeven; None: the option cannot be varied."""
    solvable: bool = True
    """Whether breakeven may solve for it (the fee year picks figures, it does not move costs smoothly)."""
    role: str | None = None
    """For figure overrides: the role of the figures it stands for on a route."""

    @property
    def flag(self) -> str:
        """The command-line spelling: course_fee -> --course-fee."""
        return "--" + self.key.replace("_", "-")

    @property
    def name(self) -> str:
        """The name sweep and breakeven use: course_fee -> course-fee."""
        return self.key.replace("_", "-")

    def parse(self, value: Any) -> Any:
        """The typed value from text (command line, batch) or a YAML scalar; OptionError when out of range."""
        return _PARSERS[self.kind](self, value)

    def check(self, value: Any) -> None:
        """Raise OptionError when a typed value is outside the option's range."""
        if isinstance(value, Scholarship):
            if value.is_pct:
                _in_range(self, value.amount, Decimal(0), Decimal(100), "%")
            return
        if isinstance(value, Mapping):  # the amounts of `set`
            for amount in value.values():
                _in_range(self, amount, self.low, self.high)
        elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            _in_range(self, Decimal(value), self.low, self.high)


ZERO, HUNDRED = Decimal(0), Decimal(100)
_MONEY_NOTE = "in the catalog's currency"
"""What a typed amount means: it is in the catalog's currency, before any --currency conversion."""
CENTS = Decimal("0.01")
_MONEY_HIGH = Decimal(10) ** MONEY_DIGITS - CENTS


def _money(key: str, help_text: str, *, step: Decimal | None = CENTS, role: str | None = None) -> Option:
    return Option(key, "money", help_text, ZERO, _MONEY_HIGH, metavar="AMOUNT", step=step, role=role)


OPTIONS: tuple[Option, ...] = (
    Option(
        "year", "year", "Figures in force for the academic year starting in YEAR [default: the newest the route has].",
        Decimal(1900), Decimal(2200), metavar="YEAR", short="-y", step=Decimal(1), solvable=False,
    ),
    Option("price_tier", "slug", "Price tier, where prices follow ability to pay or residency [default: the highest].",
           metavar="NAME"),
    _money("income", "Yearly household income, to pick a price tier where the catalog knows the limits."),
    _money("course_fee", "Your figure for the verified-certificate fee per course.", role="course_fee"),
    _money("exam_fee", "Your figure for each proctored exam's fee.", role="exam_fee"),
    _money("tuition_per_course", "Your figure for the degree's tuition per course.", role="tuition_per_course"),
    _money("tuition_per_credit", "Your figure for the degree's tuition per credit.", role="tuition_per_credit"),
    _money("application_fee", "Your figure for the degree's application fee.", role="application_fee"),
    Option("set", "settings", "Override any catalog figure by id (mmcost show lists them). Repeatable.",
           ZERO, _MONEY_HIGH, metavar="FIGURE=AMOUNT"),
    Option("aid", "number", "edX financial aid, percent off course certificates (0-90; not exams).",
           ZERO, Decimal(90), default=ZERO, metavar="PCT", step=CENTS),
    Option("scholarship", "scholarship", "Master's scholarship: an amount, or PCT% of tuition.",
           ZERO, _MONEY_HIGH, metavar="AMOUNT|PCT%", step=CENTS),
    _money("employer_per_year", "Employer reimbursement cap per calendar year."),
    Option("retakes", "whole", "Course certificates paid again.", ZERO, Decimal(50), default=0, metavar="N",
           step=Decimal(1)),
    Option("exam_retakes", "whole", "Proctored exam attempts paid again.", ZERO, Decimal(50), default=0,
           metavar="N", step=Decimal(1)),
    Option("courses_per_term", "whole", "Pace: courses per term [default: 2].", Decimal(1), Decimal(12),
           metavar="N", step=Decimal(1)),
    Option("start", "term", "First term, e.g. 2026-fall [default: the fee year's fall].", metavar="YEAR-SEASON"),
    Option("fee_growth", "number",
           "Fee growth, percent a year, from each figure's year to when it is paid [default: 0].",
           Decimal(-50), HUNDRED, default=ZERO, metavar="PCT", step=CENTS),
    Option("credits_left", "number", "Credits still to take after credit transfer (replaces the catalog's "
           "credit rule; needed where it is unknown).", ZERO, Decimal(1000), metavar="N", step=Decimal("0.5")),
    _money("living_per_month", "Living costs per residential month [default: the school's published budget, "
           "where the catalog has one]."),
    Option("no_living", "flag", "Leave living costs out, even where the school publishes a budget.", default=False),
    _money("trip_cost", "Cost of one trip for an on-campus requirement."),
    _money("salary", "Yearly salary, given up during full-time residential months."),
    Option("keep_working", "flag", "You keep your job: no salary is given up.", default=False),
    _money("salary_uplift", "Extra salary a year after the degree: adds payback and NPV."),
    Option("discount_rate", "number", "Discount rate for NPV, percent a year [default: 0].", ZERO, HUNDRED,
           default=ZERO, metavar="PCT", step=CENTS),
    Option("currency", "currency", "Convert every amount to this currency (needs --rate); amounts you type are "
           f"{_MONEY_NOTE} and are converted too.", metavar="CODE"),
    Option("rate", "number", "Units of --currency per unit of the catalog currency.", Decimal("0.0001"),
           Decimal(100000), metavar="RATE", step=Decimal("0.0001")),
)  # fmt: skip

BY_KEY: Mapping[str, Option] = {option.key: option for option in OPTIONS}
ROUTE_KEYS = ("program", "pathway")
"""Keys that name the route rather than shape the scenario (scenario files and batch rows have them too)."""


def option(key: str) -> Option:
    """The option with this key (a programming error if there is none)."""
    return BY_KEY[key]


def variables() -> dict[str, Option]:
    """The options sweep can vary, by their dashed name."""
    return {spec.name: spec for spec in OPTIONS if spec.step is not None}


# --- parsing: one function per kind -----------------------------------------------------


def _in_range(spec: Option, number: Decimal, low: Decimal | None, high: Decimal | None, unit: str = "") -> None:
    if (low is not None and number < low) or (high is not None and number > high):
        raise OptionError(spec.key, f"{_show(number)}{unit} is not between {_show(low)} and {_show(high)}")


def _show(number: Decimal | None) -> str:
    if number is None:
        return "any"
    text = format(number, "f") if abs(number.adjusted()) < 30 else format(number, ".3e")
    return text if len(text) <= 40 else text[:37] + "..."


def _text(value: Any) -> str:
    return str(value).strip()


def _decimal(spec: Option, value: Any, what: str = "a number") -> Decimal:
    if isinstance(value, bool):
        raise OptionError(spec.key, f"{value!r} is not {what}")
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    else:
        text = _text(value)
        if len(text) > 100:
            raise OptionError(spec.key, f"{text[:20]!r}... is too long for a number")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise OptionError(spec.key, f"{text!r} is not {what}") from None
    if not number.is_finite():
        raise OptionError(spec.key, f"{_text(value)[:20]!r} is not finite")
    return number


def _parse_number(spec: Option, value: Any) -> Decimal:
    if type(value) is str and _PLAIN_AMOUNT.fullmatch(value):  # most rows write 50 or 12.5: read at once
        number = Decimal(value)
        if spec.low is not None and spec.high is not None and spec.low <= number <= spec.high:
            return number
    number = _decimal(spec, str(value).strip().rstrip("%") if isinstance(value, str) else value)
    _in_range(spec, number, spec.low, spec.high)
    return number


_PLAIN_AMOUNT = re.compile(rf"[0-9]{{1,{MONEY_DIGITS}}}(?:\.[0-9]{{1,2}})?")
"""An amount as most rows write it (2700, 2700.5): in every money option's range, nothing to check."""


def _parse_money(spec: Option, value: Any) -> Decimal:
    # An amount as most rows write it (2700, 2700.5) in a money option's full range (the very objects _money
    # gives it: identity, no Decimal comparison) is read at once; whole units without even the pattern.
    if type(value) is str and spec.low is ZERO and spec.high is _MONEY_HIGH:
        whole = value.isdigit() and value.isascii() and len(value) <= MONEY_DIGITS
        if whole or _PLAIN_AMOUNT.fullmatch(value):
            return Decimal(value)
    if isinstance(value, str):
        value = value.strip().replace(",", "").lstrip("$")
    amount = _decimal(spec, value, "an amount; write digits like 2700 or 2700.50")
    if amount < 0:
        raise OptionError(spec.key, f"{_show(amount)} is negative; amounts are >= 0")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise OptionError(spec.key, f"{_show(amount)} has more than 2 decimal places")
    _in_range(spec, amount, spec.low, spec.high)
    return amount


def _parse_whole(spec: Option, value: Any) -> int:
    number = _decimal(spec, value)
    if number != number.to_integral_value():
        raise OptionError(spec.key, f"{_show(number)} is not a whole number")
    _in_range(spec, number, spec.low, spec.high)
    return int(number)


_YEAR = re.compile(r"^(\d{4})(?:-(\d{2}|\d{4}))?$")


def _parse_year(spec: Option, value: Any) -> int:
    """2019, or the academic year 2019-20 (or 2019-2020)."""
    if type(value) is str and len(value) == 4 and value.isascii() and value.isdigit():  # 2019: read at once
        year = int(value)
        if spec.low is not None and spec.high is not None and spec.low <= year <= spec.high:
            return year
    match = _YEAR.match(_text(value)) if not isinstance(value, (int, Decimal)) else None
    if match and match.group(2):
        first, second = int(match.group(1)), int(match.group(2))
        if second % 100 != (first + 1) % 100:
            raise OptionError(spec.key, f"{_text(value)!r} is not an academic year like 2019-20")
        value = first
    return _parse_whole(spec, value)


def _parse_term(spec: Option, value: Any) -> Term:
    if isinstance(value, Term):
        return value
    try:
        return parse_term(_text(value)[:40])
    except ValueError as error:
        raise OptionError(spec.key, str(error)) from None


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _parse_slug(spec: Option, value: Any) -> str:
    text = _text(value)
    if not _SLUG.match(text) or len(text) > 64:
        raise OptionError(spec.key, f"{text[:64]!r} is not an id (lowercase letters, digits, single hyphens)")
    return text


def _parse_flag(spec: Option, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0", ""):
        return False
    raise OptionError(spec.key, f"{text[:20]!r} is not true or false")


def _parse_currency(spec: Option, value: Any) -> str:
    code = _text(value).upper()
    if code not in MINOR_UNITS:
        raise OptionError(spec.key, f"{_text(value)[:20]!r} is not a currency mmcost knows ({', '.join(MINOR_UNITS)})")
    return code


def _parse_scholarship(spec: Option, value: Any) -> Scholarship:
    if isinstance(value, Scholarship):
        return value
    if isinstance(value, str) and value.strip().endswith("%"):
        pct = _decimal(spec, value.strip()[:-1])
        _in_range(spec, pct, ZERO, HUNDRED, "%")
        return Scholarship(pct, True)
    return Scholarship(_parse_money(spec, value), False)


def _parse_settings(spec: Option, value: Any) -> dict[str, Decimal]:
    """FIGURE=AMOUNT pairs: a mapping (scenario file), or text separated by ';' (command line, batch)."""
    if isinstance(value, Mapping):
        pairs = [(str(key), amount) for key, amount in value.items()]
    else:
        pairs = []
        for part in filter(None, (piece.strip() for piece in _text(value).split(";"))):
            figure_id, sep, amount = part.partition("=")
            if not sep or not figure_id.strip():
                raise OptionError(spec.key, f"{part[:40]!r} is not FIGURE=AMOUNT (e.g. hes-tuition-per-course=3220)")
            pairs.append((figure_id.strip(), amount))
    settings: dict[str, Decimal] = {}
    for figure_id, amount in pairs:
        if not _SLUG.match(figure_id) or len(figure_id) > 64:
            raise OptionError(spec.key, f"{figure_id[:64]!r} is not a figure id")
        if figure_id in settings:
            raise OptionError(spec.key, f"figure {figure_id!r} is set twice")
        settings[figure_id] = _parse_money(spec, amount)
    return settings


_PARSERS = {
    "money": _parse_money,
    "number": _parse_number,
    "whole": _parse_whole,
    "year": _parse_year,
    "term": _parse_term,
    "slug": _parse_slug,
    "flag": _parse_flag,
    "currency": _parse_currency,
    "scholarship": _parse_scholarship,
    "settings": _parse_settings,
}


def parse_options(raw: Mapping[str, Any], values: dict[str, Any] | None = None) -> dict[str, Any]:
    """Typed values for raw option values by key, added to values (a new dict when not given); the first bad one
    raises OptionError (unknown keys too)."""
    if values is None:
        values = {}
    for key, value in raw.items():
        spec = BY_KEY.get(key)
        if spec is None:
            raise OptionError(key, "is not an option")
        if value is not None:
            values[key] = _PARSERS[spec.kind](spec, value)  # spec.parse(value), without the call
    return values


__all__ = ["BY_KEY", "OPTIONS", "ROUTE_KEYS", "Option", "Scholarship", "option", "parse_options"]
