"""Scenario files: a learner's options in YAML, validated like catalogs.

A scenario file holds any option of `estimate` under its long name with
underscores (`employer_per_year: 5250`), plus `set:` for figure overrides.
Options given on the command line win over the file.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from mmcost import yamlsrc
from mmcost.catalog import Slug, issues_from_validation
from mmcost.errors import CatalogError, Issue

Money = Annotated[Decimal, Field(ge=0, max_digits=15, allow_inf_nan=False, decimal_places=2)]
Percent = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False, max_digits=8)]
_PERCENT_TEXT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


class ScenarioFile(BaseModel):
    """The keys a scenario file may have; each is the option of the same name."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="mmcost scenario")

    program: Slug | None = None
    pathway: Slug | None = None
    year: int | None = Field(None, ge=1900, le=2200)
    price_tier: Slug | None = None
    income: Money | None = None
    course_fee: Money | None = None
    exam_fee: Money | None = None
    tuition_per_course: Money | None = None
    tuition_per_credit: Money | None = None
    application_fee: Money | None = None
    set: dict[Slug, Money] = {}
    aid: Annotated[Decimal, Field(ge=0, le=90, allow_inf_nan=False, max_digits=8)] | None = None
    scholarship: Annotated[str, StringConstraints(max_length=40)] | Money | None = None
    employer_per_year: Money | None = None
    retakes: int | None = Field(None, ge=0, le=50)
    exam_retakes: int | None = Field(None, ge=0, le=50)
    courses_per_term: int | None = Field(None, ge=1, le=12)
    start: Annotated[str, StringConstraints(max_length=20)] | None = None
    fee_growth: Annotated[Decimal, Field(ge=-50, le=100, allow_inf_nan=False, max_digits=8)] | None = None
    living_per_month: Money | None = None
    trip_cost: Money | None = None
    salary: Money | None = None
    keep_working: bool | None = None
    salary_uplift: Money | None = None
    discount_rate: Percent | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    rate: Annotated[Decimal, Field(gt=0, le=100000, allow_inf_nan=False, max_digits=15)] | None = None

    @field_validator("scholarship")
    @classmethod
    def _scholarship(cls, value: str | Decimal | None) -> str | Decimal | None:
        if isinstance(value, str) and not _PERCENT_TEXT.match(value):
            raise ValueError("write an amount (5000) or a percentage in quotes ('25%')")
        return value


def read_scenario(path: Path) -> tuple[dict[str, Any], yamlsrc.Document]:
    """The options a scenario file sets (only those it sets), or CatalogError with located issues."""
    document = yamlsrc.read_file(path)
    if not isinstance(document.data, dict):
        raise CatalogError([document.issue("", "expected a mapping of option names to values")])
    try:
        parsed = ScenarioFile.model_validate(document.data)
    except ValidationError as error:
        raise CatalogError(issues_from_validation(document, error)) from None
    return parsed.model_dump(exclude_unset=True), document


def scenario_issue(document: yamlsrc.Document, key: str, message: str) -> Issue:
    """A located issue for one key of a scenario file (checks done after loading)."""
    return document.issue(key, message)
