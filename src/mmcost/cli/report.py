"""`mmcost report`: one self-contained HTML page to hand over (or, with --format json, the data behind it)."""

from __future__ import annotations

import datetime
import shlex
import sys
from pathlib import Path
from typing import Any

import click

from mmcost.cli.base import CONTEXT_SETTINGS, EXIT_CODES_HELP, session
from mmcost.cli.common import catalog_option, given_catalogs, load, quiet_option, write_out
from mmcost.cli.estimate import print_warnings, route_options
from mmcost.cli.scenario import route_ids, scenario_options, scenario_request
from mmcost.errors import MmcostError
from mmcost.render import OutputFormat

REPORT_FORMATS = ("html", OutputFormat.JSON.value)  # the page, or the data behind it


@click.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@route_options
@scenario_options
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
    help="Write to FILE (atomically: a failure leaves any old file intact; - is stdout).",
)  # fmt: skip
@click.option(
    "-f", "--format", "output_format", type=click.Choice(REPORT_FORMATS), default=None,
    help="html: the page; json: the data behind it [default: from the -o file's extension, else html].",
)  # fmt: skip
@quiet_option
@catalog_option
@click.pass_context
def report(ctx: click.Context, /, program_id: str | None, pathway_id: str | None, **options: Any) -> None:
    """One HTML page to hand over: the answer, the chart, every source, the command that reproduces it.

    The page is self-contained (no network, no script needed to read it) and
    prints cleanly to PDF from a browser. Needs the report extra:
    pip install 'mmcost[report]'.

    \b
    Examples:
      mmcost report -p mit-scm -w hes -o report.html
      mmcost report -p mit-scm -w mit --salary 60000 --salary-uplift 15000 -o r.html
      mmcost report mit-scm/hes -f json
    """
    from mmcost import engine

    output: Path | None = options["output"]
    if output is not None and str(output) == "-":
        output = None
    chosen = options["output_format"] or ("json" if output is not None and output.suffix.lower() == ".json" else "html")
    if chosen == "html" and output is None and sys.stdout.isatty():
        raise click.UsageError("the report is an HTML page; add -o report.html (or -f json for its data)", ctx)
    request, from_file = scenario_request(ctx, options)
    program_id, pathway_id = route_ids(program_id, pathway_id, from_file, options["route_key"])
    result = engine.estimate(load(ctx, options["catalog_files"]), program_id, pathway_id, request)
    command = shlex.join(["mmcost", *session(ctx).argv, *_implicit_catalogs(ctx, options["catalog_files"])])
    today = datetime.date.today()
    if chosen == "json":
        from mmcost.render import dumps_json
        from mmcost.views import report_dict

        text = dumps_json(report_dict(result, command)) + "\n"
    else:
        text = _page(result, command, today)
    write_out(text, output)
    if not options["quiet"]:
        print_warnings(ctx, [result], full=False)
        if output is not None:
            click.echo(f"wrote {output}", err=True)


def _implicit_catalogs(ctx: click.Context, extra: list[Path]) -> list[str]:
    """--catalog for each catalog read without being named on the command line (the config folder's files,
    $MMCOST_CATALOG's), so that the command the report gives reproduces it."""
    from mmcost.sources import user_catalogs

    named = given_catalogs(ctx, extra)
    return [part for path in user_catalogs(named) if path not in named for part in ("--catalog", str(path.absolute()))]


def _page(result: Any, command: str, today: datetime.date) -> str:
    """The HTML, all of it ASCII (anything else as a character reference), so any stdout can carry it."""
    try:
        import jinja2  # noqa: F401
        import pygal  # noqa: F401
    except ImportError as error:
        raise MmcostError(f"mmcost report needs the report extra: pip install 'mmcost[report]' ({error})") from None
    from mmcost.render.report import report_html

    return report_html(result, command, today).encode("ascii", "xmlcharrefreplace").decode("ascii")
