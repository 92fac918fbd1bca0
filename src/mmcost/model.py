"""The validated catalog as plain immutable records: what the engine reads.

catalog/ validates YAML with pydantic and converts the result into these
classes; store.py caches them as JSON (its codec is derived from the
annotations here), so a run that finds a fresh cache needs neither pydantic
nor yaml. Each record has the same fields as its pydantic model (a test
checks it). Cheap to
import: the standard library only, and NamedTuple records (they cost a sixth
of a dataclass to define, which one-shot start-up time notices). Annotations
are not postponed (no `from __future__ import annotations`): typing.NamedTuple
compiles each postponed annotation when the class is made, and store.py's
get_type_hints would evaluate them again (README, Performance).
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Literal, NamedTuple

from mmcost.errors import UnknownIdError

Section = Literal["figures", "programs", "degrees"]


class DatedValue(NamedTuple):
    """One figure's amount as a source gives it for one academic year."""

    amount: Decimal
    currency: str
    year: int
    applies_to: str
    source: str
    basis: str = "stated"
    tier: str | None = None
    income_up_to: Decimal | None = None
    note: str | None = None


class Figure(NamedTuple):
    """A money figure with its price history; no values means unknown (gap says why)."""

    label: str
    kind: str
    values: tuple[DatedValue, ...] = ()
    gap: str | None = None
    check_at: str | None = None

    @property
    def currency(self) -> str | None:
        """The figure's currency, when any value is known."""
        return self.values[0].currency if self.values else None

    @property
    def tiers(self) -> tuple[str, ...]:
        """The price tiers, in the catalog's order (empty when not tiered)."""
        return tuple(dict.fromkeys(v.tier for v in self.values if v.tier is not None))


class Course(NamedTuple):
    """One course of a MicroMasters program."""

    title: str
    code: str | None = None


class Exam(NamedTuple):
    """A proctored exam and how many times it is sat."""

    name: str
    fee: str
    count: int = 1  # type: ignore[assignment]  # a field named like tuple.count


class Note(NamedTuple):
    """A sourced remark about a program or pathway."""

    text: str
    source: str | None = None
    basis: str = "stated"


class Closure(NamedTuple):
    """When and how a program or pathway stopped admitting learners."""

    date: str
    text: str
    source: str


class Requirement(NamedTuple):
    """Something a pathway asks of the learner (admission course, time on campus, ...)."""

    kind: str
    text: str
    count: int | None = None  # type: ignore[assignment]
    basis: str = "stated"
    source: str | None = None


class Charge(NamedTuple):
    """A line of what a route costs: a figure times a quantity."""

    label: str
    figure: str
    per: str
    quantity: Decimal | None = None
    discount: bool = False
    season: str | None = None
    optional: bool = False


class Pathway(NamedTuple):
    """A degree that credits the MicroMasters, and what is left to pay."""

    name: str
    degree: str
    source: str
    charges: tuple[Charge, ...]
    courses_credited: int | None = None
    credits_credited: Decimal | None = None
    credit_note: str | None = None
    credit_gap: str | None = None
    months: int | None = None
    requirements: tuple[Requirement, ...] = ()
    notes: tuple[Note, ...] = ()
    closed: Closure | None = None


class Program(NamedTuple):
    """A MicroMasters program: its courses, their fees and its exams."""

    name: str
    institution: str
    url: str
    course_fee: str | None = None
    program_price: str | None = None
    courses: tuple[Course, ...] = ()
    course_count: int | None = None
    course_note: str | None = None
    exams: tuple[Exam, ...] = ()
    financial_aid: str = "edx"
    aid_covers_exams: bool = False
    notes: tuple[Note, ...] = ()
    gaps: tuple[str, ...] = ()
    closed: Closure | None = None
    pathways: dict[str, Pathway] = {}  # noqa: RUF012  (never mutated; records are read-only)

    @property
    def fee_figures(self) -> list[str]:
        """The program's own figures: course fee, program price and exam fees, in that order."""
        own = [fee for fee in (self.course_fee, self.program_price) if fee is not None]
        return list(dict.fromkeys([*own, *(exam.fee for exam in self.exams)]))

    @property
    def number_of_courses(self) -> int:
        """How many courses the credential takes."""
        return self.course_count if self.course_count is not None else len(self.courses)


class LivingBudget(NamedTuple):
    """A school's cost-of-attendance budget: its rows (figures of kind living), over how many months."""

    label: str
    figures: tuple[str, ...]
    months: int


class DirectRoute(NamedTuple):
    """What the degree costs taken without a MicroMasters."""

    charges: tuple[Charge, ...]


class Degree(NamedTuple):
    """A master's degree."""

    name: str
    school: str
    source: str
    courses_required: int | None = None
    credits_required: Decimal | None = None
    months: int | None = None
    residential: bool = False
    direct: DirectRoute | None = None
    living: LivingBudget | None = None


class Catalog(NamedTuple):
    """Every file's entries merged by id, remembering which file gave each."""

    figures: dict[str, Figure]
    programs: dict[str, Program]
    degrees: dict[str, Degree]
    origins: dict[tuple[Section, str], str] = {}  # noqa: RUF012  (never mutated)
    files: tuple[str, ...] = ()

    def program(self, program_id: str) -> Program:
        """The program with this id, or an error that suggests the closest."""
        if program_id not in self.programs:
            raise UnknownIdError(unknown("program", program_id, self.programs, "mmcost programs lists them"))
        return self.programs[program_id]

    def pathway(self, program_id: str, pathway_id: str) -> Pathway:
        """The pathway of a program, or an error naming the valid ones."""
        program = self.program(program_id)
        if pathway_id not in program.pathways:
            if not program.pathways:
                raise UnknownIdError(f"program {program_id!r} has no costed pathway yet")
            hint = f"mmcost pathways --program {program_id} lists them"
            raise UnknownIdError(unknown(f"pathway of {program_id}", pathway_id, program.pathways, hint))
        return program.pathways[pathway_id]

    def figure(self, figure_id: str) -> Figure:
        """The figure with this id, or an error that suggests the closest."""
        if figure_id not in self.figures:
            raise UnknownIdError(unknown("figure", figure_id, self.figures, "mmcost show PROGRAM lists them"))
        return self.figures[figure_id]


def unknown(what: str, given: str, known: Iterable[str], hint: str) -> str:
    """An unknown-id message with the closest known id, if any is close."""
    import difflib

    close = difflib.get_close_matches(given.lower(), list(known), n=1, cutoff=0.5)
    suggestion = f"; did you mean {close[0]!r}?" if close else ""
    shown = repr(given) if len(given) <= SHOWN_ID else f"{given[: SHOWN_ID // 2]!r}... ({len(given):,} characters)"
    return f"unknown {what} {shown}{suggestion} ({hint})"


SHOWN_ID = 60
"""Longest id a message repeats whole; a longer one (a hostile argument) is cut, with its length."""
