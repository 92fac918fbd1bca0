"""The catalog file's schema: strict pydantic models (unknown keys are errors, amounts
are exact Decimals >= 0 with no more places than their currency has, ids are slugs).

`mmcost schema` prints the JSON Schema generated from these models.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from mmcost.errors import control_character
from mmcost.money import MINOR_UNITS, decimal_places

SCHEMA_VERSION = 1


def _printable(text: str) -> str:
    """Refuse control characters (tab and newline aside): they would reach terminals raw."""
    problem = control_character(text, allowed="\t\n")
    if problem is not None:
        raise ValueError(f"{problem}; remove it")
    return text


def _known_currency(code: str) -> str:
    if code not in MINOR_UNITS:
        raise ValueError(f"unknown currency {code!r}; use an ISO 4217 code ({', '.join(sorted(MINOR_UNITS))})")
    return code


Currency = Annotated[str, AfterValidator(_known_currency)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$", max_length=2000), AfterValidator(_printable)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000), AfterValidator(_printable)]
Amount = Annotated[Decimal, Field(ge=0, allow_inf_nan=False, max_digits=15)]
Basis = Literal["stated", "estimate", "approximate", "derived", "inference", "secondary"]
FigureKind = Literal[
    "course_fee", "exam_fee", "program_price", "tuition", "application_fee", "fee", "subsidy", "living"
]
Per = Literal["course", "credit", "term", "year", "once"]
Season = Literal["spring", "summer", "fall"]
FinancialAid = Literal["edx", "price-tiers", "none"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatedValue(_Model):
    """One figure's amount as a source gives it for one academic year."""

    amount: Amount
    currency: Currency
    year: int = Field(ge=1900, le=2200, description="academic year, named by the year it starts in")
    applies_to: Text = Field(description="the date or term as the source words it")
    source: Url
    basis: Basis = "stated"
    tier: Slug | None = Field(None, description="price tier, for prices set by ability to pay or by residency")
    income_up_to: Amount | None = Field(
        None, description="for a tier: the highest yearly household income it applies to (same currency)"
    )
    note: Text | None = None

    @model_validator(mode="after")
    def _places_and_tier(self) -> DatedValue:
        places = MINOR_UNITS[self.currency]
        if decimal_places(self.amount) > places:
            raise ValueError(f"amount {self.amount} has more than {places} decimal places for {self.currency}")
        if self.income_up_to is not None and self.tier is None:
            raise ValueError("`income_up_to` belongs to a price tier; add `tier`")
        return self


class Figure(_Model):
    """A money figure with its price history; no values means unknown."""

    label: Text
    kind: FigureKind
    values: tuple[DatedValue, ...] = ()
    gap: Text | None = Field(None, description="what was searched for, when the figure is unknown or stops")
    check_at: Url | None = Field(None, description="the official page where the current price is published")

    @model_validator(mode="after")
    def _consistent(self) -> Figure:
        if not self.values and not self.gap:
            raise ValueError("a figure with no values needs a `gap` saying what is unknown")
        seen: set[tuple[int, str | None]] = set()
        for value in self.values:
            if (value.year, value.tier) in seen:
                raise ValueError(f"two values for year {value.year}" + (f", tier {value.tier}" if value.tier else ""))
            seen.add((value.year, value.tier))
        if len({value.currency for value in self.values}) > 1:
            raise ValueError("all values of one figure must be in one currency")
        if len({value.tier is None for value in self.values}) > 1:
            raise ValueError("either every value names a tier or none does")
        return self


class Course(_Model):
    """One course of a MicroMasters program."""

    code: Text | None = None
    title: Text


class Exam(_Model):
    """A proctored exam and how many times it is sat."""

    name: Text
    fee: Slug
    count: int = Field(1, ge=1, le=50)


class Note(_Model):
    """A sourced remark about a program or pathway."""

    text: Text
    source: Url | None = None
    basis: Basis = "stated"


class Closure(_Model):
    """When and how a program or pathway stopped admitting learners."""

    date: Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] = Field(
        description="YYYY, YYYY-MM or YYYY-MM-DD"
    )
    text: Text
    source: Url


class Requirement(_Model):
    """Something a pathway asks of the learner."""

    kind: Literal["admission_course", "on_campus", "residence", "admission"]
    text: Text
    count: int | None = Field(None, ge=0, le=50)
    basis: Basis = "stated"
    source: Url | None = None


class Charge(_Model):
    """A line of what a route to the degree costs: a figure times a quantity."""

    label: Text
    figure: Slug
    per: Per
    quantity: Annotated[Decimal, Field(ge=0, le=1000, allow_inf_nan=False)] | None = None
    discount: bool = False
    season: Season | None = Field(None, description="the term the charge falls in, for term-based degrees")
    optional: bool = Field(
        False, description="left out, with a warning, for fee years before its figure's first known value"
    )

    @model_validator(mode="after")
    def _quantity(self) -> Charge:
        if self.per in ("course", "credit") and self.quantity is not None:
            raise ValueError(
                f"per {self.per}: the quantity comes from the degree and the credit rule; remove `quantity`"
            )
        return self


class Pathway(_Model):
    """A degree that credits the MicroMasters, and what is left to pay."""

    name: Text
    degree: Slug
    courses_credited: int | None = Field(None, ge=0, le=100)
    credits_credited: Amount | None = None
    credit_note: Text | None = None
    credit_gap: Text | None = Field(
        None, description="what is unknown about the credit rule; the learner then gives the credits left"
    )
    months: int | None = Field(None, ge=1, le=120)
    source: Url
    charges: tuple[Charge, ...] = Field(min_length=1)
    requirements: tuple[Requirement, ...] = ()
    notes: tuple[Note, ...] = ()
    closed: Closure | None = None


class Program(_Model):
    """A MicroMasters program: its courses, their fees and its exams."""

    name: Text
    institution: Text
    url: Url
    courses: tuple[Course, ...] = ()
    course_count: int | None = Field(None, ge=1, le=50)
    course_note: Text | None = None
    course_fee: Slug | None = Field(None, description="the verified-certificate fee per course")
    program_price: Slug | None = Field(None, description="one price for the whole program, as edX sells bundles")
    exams: tuple[Exam, ...] = ()
    financial_aid: FinancialAid = Field(
        "edx", description="edx: edX financial assistance on course certificates; price-tiers: priced by income"
    )
    aid_covers_exams: bool = False
    notes: tuple[Note, ...] = ()
    gaps: tuple[Text, ...] = ()
    closed: Closure | None = None
    pathways: dict[Slug, Pathway] = {}

    @model_validator(mode="after")
    def _count(self) -> Program:
        if self.course_fee is None and self.program_price is None:
            raise ValueError("give a `course_fee` figure, a `program_price` figure, or both")
        if not self.courses and self.course_count is None:
            raise ValueError("list the `courses` or give a `course_count`")
        if self.courses and self.course_count is not None and self.course_count != len(self.courses):
            raise ValueError(f"course_count is {self.course_count} but {len(self.courses)} courses are listed")
        return self


class LivingBudget(_Model):
    """A school's published cost-of-attendance budget: its rows, over how many months."""

    label: Text
    figures: tuple[Slug, ...] = Field(min_length=1, description="figures of kind living, each for the budget's months")
    months: int = Field(ge=1, le=24, description="the period each row covers, e.g. 12 for a 12-month budget")


class DirectRoute(_Model):
    """What the degree costs taken without a MicroMasters."""

    charges: tuple[Charge, ...] = Field(min_length=1)


class Degree(_Model):
    """A master's degree; `direct` is what it costs taken without a MicroMasters."""

    name: Text
    school: Text
    courses_required: int | None = Field(None, ge=1, le=100)
    credits_required: Amount | None = None
    months: int | None = Field(None, ge=1, le=120)
    residential: bool = Field(False, description="full-time on campus, so living costs and salary given up count")
    source: Url
    direct: DirectRoute | None = None
    living: LivingBudget | None = Field(None, description="living costs for residential months, unless overridden")


class CatalogFile(_Model):
    """The shape of one catalog file."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="mmcost catalog")

    schema_version: Literal[1]
    figures: dict[Slug, Figure] = {}
    programs: dict[Slug, Program] = {}
    degrees: dict[Slug, Degree] = {}


def catalog_json_schema() -> dict[str, Any]:
    """The JSON Schema of a catalog file, generated from the models."""
    schema = CatalogFile.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
