"""The options that shape an estimate, shared by estimate, compare, sweep and breakeven.

Each option can also come from a scenario file (`--scenario me.yaml`); an
option typed on the command line wins over the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.core import ParameterSource

from mmcost.cli.common import MONEY, FigureSetting

if TYPE_CHECKING:
    from mmcost.engine import Request

F = TypeVar("F", bound=Callable[..., Any])

ROLE_OPTIONS = ("course_fee", "exam_fee", "tuition_per_course", "tuition_per_credit", "application_fee")


class DecimalParam(click.ParamType):  # type: ignore[type-arg]
    """A plain decimal number within [low, high]."""

    def __init__(self, name: str, low: Decimal, high: Decimal) -> None:
        self.name = name
        self.low, self.high = low, high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Decimal:
        if isinstance(value, Decimal):
            number = value
        else:
            try:
                number = Decimal(str(value).strip().rstrip("%"))
            except InvalidOperation:
                self.fail(f"{value!r} is not a number", param, ctx)
        if not number.is_finite() or not self.low <= number <= self.high:
            self.fail(f"{value!r} is not between {self.low} and {self.high}", param, ctx)
        return number


class ScholarshipParam(click.ParamType):  # type: ignore[type-arg]
    """An amount (5000) or a percentage of tuition (25%)."""

    name = "amount|pct%"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[Decimal, bool]:
        if isinstance(value, tuple):
            return value
        text = str(value).strip()
        if text.endswith("%"):
            return PERCENT.convert(text, param, ctx), True
        return MONEY.convert(text, param, ctx), False


class TermParam(click.ParamType):  # type: ignore[type-arg]
    """A term such as 2026-fall."""

    name = "year-season"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from mmcost.engine import Term, parse_term

        if isinstance(value, Term):
            return value
        try:
            return parse_term(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


PERCENT = DecimalParam("pct", Decimal(0), Decimal(100))
AID = DecimalParam("pct", Decimal(0), Decimal(90))
GROWTH = DecimalParam("pct", Decimal(-50), Decimal(100))
RATE = DecimalParam("rate", Decimal("0.0001"), Decimal(100000))
CURRENCY = re.compile(r"^[A-Za-z]{3}$")


def _currency(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from mmcost.money import MINOR_UNITS

    if value is None:
        return None
    code = value.upper()
    if not CURRENCY.match(value) or code not in MINOR_UNITS:
        raise click.BadParameter(f"{value!r} is not a currency mmcost knows ({', '.join(sorted(MINOR_UNITS))})")
    return code


def scenario_options(function: F) -> F:
    """Every option a learner's scenario can set."""
    options = [
        click.option(
            "--scenario",
            "scenario_file",
            type=click.Path(path_type=Path),
            metavar="FILE",
            help="Read options from a YAML scenario file; options given here win.",
        ),
        click.option(
            "-y",
            "--year",
            type=click.IntRange(1900, 2200),
            help="Figures in force for the academic year starting in YEAR [default: the newest the route has].",
        ),
        click.option(
            "--price-tier",
            metavar="NAME",
            help="Price tier where prices follow ability to pay (mit-dedp: lowest, highest).",
        ),
        click.option(
            "--income",
            type=MONEY,
            help="Yearly household income, to pick a price tier where the catalog knows the limits.",
        ),
        click.option("--course-fee", type=MONEY, help="Your figure for the verified-certificate fee per course."),
        click.option("--exam-fee", type=MONEY, help="Your figure for each proctored exam's fee."),
        click.option("--tuition-per-course", type=MONEY, help="Your figure for the degree's tuition per course."),
        click.option("--tuition-per-credit", type=MONEY, help="Your figure for the degree's tuition per credit."),
        click.option("--application-fee", type=MONEY, help="Your figure for the degree's application fee."),
        click.option(
            "--set",
            "settings",
            type=FigureSetting(),
            multiple=True,
            metavar="FIGURE=AMOUNT",
            help="Override any catalog figure by id (mmcost show lists them). Repeatable.",
        ),
        click.option("--aid", type=AID, help="edX financial aid, percent off course certificates (0-90; not exams)."),
        click.option(
            "--scholarship", type=ScholarshipParam(), help="Master's scholarship: an amount, or PCT% of tuition."
        ),
        click.option("--employer-per-year", type=MONEY, help="Employer reimbursement cap per calendar year."),
        click.option("--retakes", type=click.IntRange(0, 50), help="Course certificates paid again."),
        click.option("--exam-retakes", type=click.IntRange(0, 50), help="Proctored exam attempts paid again."),
        click.option("--courses-per-term", type=click.IntRange(1, 12), help="Pace: courses per term [default: 2]."),
        click.option("--start", type=TermParam(), help="First term, e.g. 2026-fall [default: the fee year's fall]."),
        click.option(
            "--fee-growth",
            type=GROWTH,
            help="Fee growth, percent a year, from each figure's year to when it is paid [default: 0].",
        ),
        click.option("--living-per-month", type=MONEY, help="Living costs per residential month."),
        click.option("--trip-cost", type=MONEY, help="Cost of one trip for an on-campus requirement."),
        click.option("--salary", type=MONEY, help="Yearly salary, given up during full-time residential months."),
        click.option("--keep-working", is_flag=True, default=None, help="You keep your job: no salary is given up."),
        click.option("--salary-uplift", type=MONEY, help="Extra salary a year after the degree: adds payback and NPV."),
        click.option("--discount-rate", type=PERCENT, help="Discount rate for NPV, percent a year [default: 0]."),
        click.option(
            "--currency",
            callback=_currency,
            metavar="CODE",
            help="Convert every amount to this currency (needs --rate).",
        ),
        click.option("--rate", type=RATE, help="Units of --currency per unit of the catalog currency."),
        click.option("-q", "--quiet", is_flag=True, help="No warnings on stderr (JSON still lists them)."),
    ]
    for decorator in reversed(options):
        function = decorator(function)
    return function


SCENARIO_KEYS = (
    "year",
    "price_tier",
    "income",
    "course_fee",
    "exam_fee",
    "tuition_per_course",
    "tuition_per_credit",
    "application_fee",
    "settings",
    "aid",
    "scholarship",
    "employer_per_year",
    "retakes",
    "exam_retakes",
    "courses_per_term",
    "start",
    "fee_growth",
    "living_per_month",
    "trip_cost",
    "salary",
    "keep_working",
    "salary_uplift",
    "discount_rate",
    "currency",
    "rate",
)


def merged_options(ctx: click.Context, options: dict[str, Any]) -> dict[str, Any]:
    """The command line's options over the scenario file's (when one is given)."""
    values = {key: options.get(key) for key in SCENARIO_KEYS}
    path = options.get("scenario_file")
    if path is None:
        return values
    from mmcost.scenariofile import read_scenario

    from_file, _ = read_scenario(path)
    converters: dict[str, Callable[[Any], Any]] = {
        "set": lambda mapping: tuple(mapping.items()),
        "scholarship": lambda value: ScholarshipParam().convert(value, None, ctx),
        "start": lambda value: TermParam().convert(value, None, ctx),
    }
    for key, value in from_file.items():
        target = "settings" if key == "set" else key
        if target in values and _from_command_line(ctx, target):
            continue
        values[target] = converters[key](value) if key in converters else value
    for key in ("program", "pathway"):
        if key in from_file:
            values[key] = from_file[key]
    return values


def _from_command_line(ctx: click.Context, name: str) -> bool:
    source = ctx.get_parameter_source(name)
    return source is not None and source not in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)


def request_from(values: dict[str, Any]) -> Request:
    """The engine's Request from merged option values."""
    from mmcost.engine import Request, Scenario

    by_role = {role: values[role] for role in ROLE_OPTIONS if values.get(role) is not None}
    scholarship = values.get("scholarship")
    scenario = Scenario(
        aid_pct=values.get("aid") or Decimal(0),
        scholarship=scholarship[0] if scholarship else None,
        scholarship_is_pct=bool(scholarship and scholarship[1]),
        employer_per_year=values.get("employer_per_year"),
        retakes=values.get("retakes") or 0,
        exam_retakes=values.get("exam_retakes") or 0,
        courses_per_term=values.get("courses_per_term"),
        start=values.get("start"),
        fee_growth_pct=values.get("fee_growth") or Decimal(0),
        living_per_month=values.get("living_per_month"),
        trip_cost=values.get("trip_cost"),
        salary=values.get("salary"),
        keep_working=bool(values.get("keep_working")),
        salary_uplift=values.get("salary_uplift"),
        discount_rate_pct=values.get("discount_rate") or Decimal(0),
        currency=values.get("currency"),
        rate=values.get("rate"),
    )
    return Request(
        year=values.get("year"),
        tier=values.get("price_tier"),
        income=values.get("income"),
        by_role=by_role,  # type: ignore[arg-type]
        settings=dict(values.get("settings") or ()),
        scenario=scenario,
    )
