"""The command line: parse options, load the catalog, call the engine, render.

Thin on purpose. Only click, the standard library and cheap mmcost modules
are imported at the top; pydantic, yaml and rich load inside the commands
that need them, so `mmcost --help` starts fast.

Exit codes: 0 success, 1 bad data or unknown id, 2 usage.
"""

from __future__ import annotations

import datetime
import os
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mmcost import __version__
from mmcost.errors import EXIT_DATA, MmcostError, UsageError

if TYPE_CHECKING:
    from mmcost.catalog import Catalog
    from mmcost.engine import Role

EXIT_CODES_HELP = "Exit codes: 0 success, 1 bad data or unknown id, 2 usage error."
FORMATS = ("table", "json", "ndjson", "csv", "tsv")


class MoneyParam(click.ParamType):  # type: ignore[type-arg]
    """An amount of money: a plain decimal >= 0 with at most 2 decimal places."""

    name = "amount"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Decimal:
        if isinstance(value, Decimal):
            return value
        text = str(value).strip().replace(",", "").lstrip("$")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            self.fail(f"{value!r} is not an amount; write digits like 2700 or 2700.50", param, ctx)
        if not amount.is_finite():
            self.fail(f"{value!r} is not a finite amount", param, ctx)
        if amount < 0:
            self.fail(f"{value!r} is negative; amounts are >= 0", param, ctx)
        if amount.as_tuple().exponent < -2 or amount.adjusted() > 12:  # type: ignore[operator]
            self.fail(f"{value!r} has more than 2 decimal places or is too large", param, ctx)
        return amount


class FigureSetting(click.ParamType):  # type: ignore[type-arg]
    """FIGURE=AMOUNT, overriding one catalog figure by id."""

    name = "figure=amount"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[str, Decimal]:
        if isinstance(value, tuple):
            return value
        figure_id, sep, amount = str(value).partition("=")
        if not sep or not figure_id.strip():
            self.fail(f"{value!r} is not FIGURE=AMOUNT (e.g. hes-tuition-per-course=3220)", param, ctx)
        return figure_id.strip(), MONEY.convert(amount, param, ctx)


MONEY = MoneyParam()


class _Group(click.Group):
    """Turns mmcost's own errors into a message on stderr and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as error:
            raise click.UsageError(str(error)) from None
        except MmcostError as error:
            for line in error.lines():
                click.echo(line if _is_located(line) else f"error: {line}", err=True)
            ctx.exit(error.exit_code)


def _is_located(line: str) -> bool:
    head = line.split(": ", 1)[0]
    return ":" in head or head.endswith((".yaml", ".yml"))


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, "-V", "--version", prog_name="mmcost")
def cli() -> None:
    """What a master's costs through a MicroMasters pathway, and what it saves.

    \b
    Example:
      mmcost estimate --program mit-scm --pathway hes
    """


def _load(catalog_files: Sequence[Path]) -> Catalog:
    from mmcost.catalog import load_catalog

    return load_catalog(list(catalog_files))


def _color(stream: Any) -> bool | None:
    if os.environ.get("NO_COLOR"):
        return False
    return None


@cli.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@click.option(
    "-p",
    "--program",
    "program_id",
    required=True,
    metavar="ID",
    help="MicroMasters program id (mmcost programs lists them).",
)
@click.option("-w", "--pathway", "pathway_id", required=True, metavar="ID", help="Pathway id, e.g. hes or mit.")
@click.option(
    "-y",
    "--year",
    type=click.IntRange(1900, 2200),
    help="Use the figures in force for the academic year starting in YEAR."
    " Default: the newest year the catalog has for this pathway.",
)
@click.option(
    "--price-tier",
    metavar="NAME",
    help="Price tier, for programs priced by ability to pay (mit-dedp: lowest or highest).",
)
@click.option("--course-fee", type=MONEY, help="Your figure for the verified-certificate fee per course.")
@click.option("--exam-fee", type=MONEY, help="Your figure for each proctored exam's fee.")
@click.option("--tuition-per-course", type=MONEY, help="Your figure for the degree's tuition per course.")
@click.option("--tuition-per-credit", type=MONEY, help="Your figure for the degree's tuition per credit.")
@click.option("--application-fee", type=MONEY, help="Your figure for the degree's application fee.")
@click.option(
    "--set",
    "settings",
    type=FigureSetting(),
    multiple=True,
    metavar="FIGURE=AMOUNT",
    help="Override any catalog figure by id (mmcost show lists them). Repeatable.",
)
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--catalog",
    "catalog_files",
    type=click.Path(path_type=Path),
    multiple=True,
    metavar="FILE",
    help="Add a catalog file (its ids replace bundled ones). Repeatable.",
)
@click.option("-q", "--quiet", is_flag=True, help="Do not print warnings on stderr (JSON still lists them).")
def estimate(
    program_id: str,
    pathway_id: str,
    year: int | None,
    price_tier: str | None,
    course_fee: Decimal | None,
    exam_fee: Decimal | None,
    tuition_per_course: Decimal | None,
    tuition_per_credit: Decimal | None,
    application_fee: Decimal | None,
    settings: Sequence[tuple[str, Decimal]],
    output_format: str,
    catalog_files: Sequence[Path],
    quiet: bool,
) -> None:
    """Net cost of a master's through a MicroMasters pathway, and the savings.

    \b
    Example:
      mmcost estimate --program mit-scm --pathway hes
      mmcost estimate -p mit-scm -w hes --year 2018 --format json
      mmcost estimate -p mit-sds -w hes --course-fee 300 --exam-fee 300
    """
    from mmcost import engine
    from mmcost.render import OutputFormat, render_estimate

    catalog = _load(catalog_files)
    chosen = engine.route(catalog, program_id, pathway_id)
    by_role: dict[Role, Decimal] = {}
    for role, amount in (
        ("course_fee", course_fee),
        ("exam_fee", exam_fee),
        ("tuition_per_course", tuition_per_course),
        ("tuition_per_credit", tuition_per_credit),
        ("application_fee", application_fee),
    ):
        if amount is not None:
            by_role[role] = amount  # type: ignore[index]
    overrides, sources = engine.overrides_for_roles(catalog, chosen, by_role)
    for figure_id, amount in settings:
        catalog.figure(figure_id)
        overrides[figure_id] = amount
        sources[figure_id] = f"--set {figure_id}"
    assumptions = engine.Assumptions(year=year, tier=price_tier, overrides=overrides, override_sources=sources)
    result = engine.estimate(catalog, program_id, pathway_id, assumptions)

    text = render_estimate(result, OutputFormat(output_format), color=_color(sys.stdout))
    click.echo(text, nl=False)
    if not quiet:
        _print_notes(result, output_format, year_chosen=year is not None)


def _print_notes(result: Any, output_format: str, *, year_chosen: bool) -> None:
    """Warnings and the override hint, on stderr so stdout stays data."""
    from mmcost.engine import academic_year

    this_year = datetime.date.today().year
    warnings = list(result.warnings)
    if not year_chosen and result.fee_year is not None and result.fee_year < this_year - 1:
        warnings.append(
            f"these are {academic_year(result.fee_year)} figures, the newest the catalog has; "
            "prices have likely changed since"
        )
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    if output_format == "table":
        click.echo(
            "hint: override any figure with --course-fee, --exam-fee, --tuition-per-course, "
            "--application-fee or --set FIGURE=AMOUNT "
            f"(mmcost show {result.program_id}/{result.pathway_id} lists figure ids)",
            err=True,
        )


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        cli.main(args=argv, prog_name="mmcost")
    except BrokenPipeError:
        # The reader went away (`mmcost ... | head`): not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_DATA)
