"""Recording what you find: mmcost figure add."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from mmcost.cli.base import CONTEXT_SETTINGS, EXIT_CODES_HELP
from mmcost.cli.common import catalog_option, given_catalogs, quiet_option
from mmcost.errors import CatalogError, Issue, OptionError
from mmcost.options import option


@click.group(context_settings=CONTEXT_SETTINGS)
def figure() -> None:
    """Record what you find: dated, sourced figures in your catalog.

    \b
    Example:
      mmcost figure add hes-tuition-per-course 3000 --year 2026 --source https://...
    """


def _typed(key: str, value: str, hint: str) -> Any:
    try:
        return option(key).parse(value)
    except OptionError as error:
        raise click.BadParameter(error.problem, param_hint=hint) from None


_GIVEN_AS = {
    "": "'AMOUNT'", "amount": "'AMOUNT'", "currency": "'--currency'", "year": "'--year'",
    "source": "'--source'", "applies_to": "'--applies-to'",
}  # fmt: skip
"""Which argument or option gave each field of a found value (a problem of the value as a whole is its amount's:
more decimal places than its currency has)."""


@figure.command("add", context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@click.argument("figure_id", metavar="FIGURE")
@click.argument("amount", metavar="AMOUNT")
@click.option("-y", "--year", required=True, metavar="YEAR", help="The academic year it applies to (2026: 2026-27).")
@click.option("--source", required=True, metavar="URL", help="The page that publishes it (http or https).")
@click.option("--applies-to", metavar="TEXT", help="The date or term as the source words it.")
@click.option("--currency", metavar="CODE", help="ISO 4217 code [default: the figure's currency].")
@click.option(
    "--to", "target", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
    help="The catalog file to record it in [default: figures.yaml in the config folder].",
)  # fmt: skip
@catalog_option
@quiet_option
@click.pass_context
def figure_add(ctx: click.Context, /, figure_id: str, amount: str, target: Path | None, **options: Any) -> None:
    """Record a dated, sourced value of FIGURE in your catalog; the next estimate uses it.

    The file keeps its text and comments; the result is validated like any
    catalog (with every catalog an estimate loads) and written atomically, so
    a bad value leaves it as it was. A value for the same year is replaced.

    \b
    Examples:
      mmcost figure add hes-tuition-per-course 3000 --year 2026 --source https://example.edu/x
      mmcost figure add mit-scm-course-fee 200 -y 2025 --source URL --to my-figures.yaml
    """
    from mmcost.catalog import load_catalog
    from mmcost.engine import academic_year
    from mmcost.files import write_atomically
    from mmcost.recording import Found, add_value, catalogs_with, holds_a_catalog, problems
    from mmcost.sources import NO_CONFIG_DIR, config_dir, user_catalogs
    from mmcost.store import load_catalog as load_cached

    money = _typed("income", amount, "'AMOUNT'")
    year = _typed("year", options["year"], "'--year'")
    currency = options["currency"].upper() if options["currency"] else None
    found = Found(money, int(year), options["source"], options["applies_to"], currency)
    path = target
    if path is None:
        folder = config_dir()
        if folder is None:
            raise click.UsageError(f"{NO_CONFIG_DIR}; name the file to record in with --to FILE")
        path = folder / "figures.yaml"
    paths = catalogs_with(path, user_catalogs(given_catalogs(ctx, options["catalog_files"])))
    # A broken file is reported, not edited; an empty target (or one of comments only) is a catalog to begin.
    current = load_cached(
        [each for each in paths if each.exists() and (each.resolve() != path.resolve() or holds_a_catalog(each))]
    )
    for field, problem in problems(current, figure_id, found)[:1]:
        raise click.BadParameter(problem, param_hint=_GIVEN_AS[field])
    recorded = add_value(current, path, figure_id, found)
    load_catalog(paths, texts={each: recorded.text for each in paths if each.resolve() == path.resolve()})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # a file where the folder would be, no permission
        hint = "" if target else "; name another file with --to FILE"
        raise CatalogError([Issue(str(path), f"cannot make its folder: {error.strerror or error}{hint}")]) from None
    write_atomically(path, recorded.text)
    verb = "replaced" if recorded.replaced else "recorded"
    if not options["quiet"]:
        click.echo(f"{figure_id}: {money:,} for {academic_year(int(year))} {verb} in {path}")
