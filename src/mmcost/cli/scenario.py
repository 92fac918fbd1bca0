"""The scenario options of estimate, compare, sweep and breakeven, generated from options.OPTIONS.

Each option can also come from a scenario file (`--scenario me.yaml`); an
option typed on the command line wins over the file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.core import ParameterSource

from mmcost.cli.base import session
from mmcost.errors import OptionError, UsageError
from mmcost.options import OPTIONS, Option

if TYPE_CHECKING:
    from mmcost.engine import Request

F = TypeVar("F", bound=Callable[..., Any])


class OptionType(click.ParamType):  # type: ignore[type-arg]
    """A click type that parses and checks with the option's own spec."""

    def __init__(self, spec: Option) -> None:
        self.spec = spec
        self.name = (spec.metavar or spec.kind).lower()

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return self.spec.parse(value)
        except OptionError as error:
            self.fail(error.problem, param, ctx)


def click_option(spec: Option) -> Callable[[F], F]:
    """The click option of one scenario option."""
    names = [name for name in (spec.short, spec.flag) if name]
    help_text = spec.help
    if spec.kind == "flag":
        return click.option(*names, spec.key, is_flag=True, default=None, help=help_text)
    return click.option(
        *names, spec.key, type=OptionType(spec), metavar=spec.metavar, multiple=spec.kind == "settings", help=help_text
    )


def scenario_options(function: F) -> F:
    """--scenario FILE, every scenario option, and -v (-q comes with the output options)."""
    decorators = [
        click.option(
            "--scenario",
            "scenario_file",
            type=click.Path(path_type=Path),
            metavar="FILE",
            help="Read options from a YAML scenario file; options given here win (- reads stdin).",
        ),
        *(click_option(spec) for spec in OPTIONS),
        click.option("-v", "--verbose", is_flag=True, help="Every warning in full (by default they are summarised)."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def scenario_request(ctx: click.Context, options: Mapping[str, Any]) -> tuple[Request, dict[str, str]]:
    """The Request from the command line over the scenario file, and the route the file names (if any)."""
    from mmcost.engine import Request

    values = {spec.key: options.get(spec.key) for spec in OPTIONS}
    settings = values.pop("set") or ()
    values["set"] = {figure: amount for mapping in settings for figure, amount in mapping.items()} or None
    path = options.get("scenario_file")
    route: dict[str, str] = {}
    if path is not None:
        from mmcost.scenariofile import read_scenario

        scenario = read_scenario(path)
        route = scenario.route
        for key, value in scenario.values.items():
            if not _typed(ctx, key):
                values[key] = value
                session(ctx).from_file[key] = scenario.file
    return Request({key: value for key, value in values.items() if value is not None}), route


def _typed(ctx: click.Context, key: str) -> bool:
    """Whether the option was typed on the command line."""
    source = ctx.get_parameter_source(key)
    return source is not None and source not in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)


def route_ids(
    program_id: str | None, pathway_id: str | None, from_file: Mapping[str, str], key: str | None = None
) -> tuple[str, str]:
    """The route from its key (PROGRAM/PATHWAY, or compare's PROGRAM/PATHWAY/direct), the options,
    or the scenario file when both are absent."""
    if key:
        if program_id or pathway_id:
            raise UsageError(f"give the route once: {key} or --program/--pathway, not both")
        program_id, pathway_id = split_key(key)
    program_id = program_id or from_file.get("program")
    pathway_id = pathway_id or from_file.get("pathway")
    if not program_id or not pathway_id:
        missing = "--program" if not program_id else "--pathway"
        raise UsageError(f"missing option {missing} (or `{missing[2:]}:` in the scenario file)")
    return program_id.lower(), pathway_id.lower()  # ids are lowercase slugs: MIT-SCM means mit-scm


def split_key(key: str) -> tuple[str, str]:
    """PROGRAM/PATHWAY (or PROGRAM/PATHWAY/direct, the direct degree compared with it) as its two ids."""
    parts = key.lower().split("/")
    if len(parts) not in (2, 3) or not all(parts) or parts[2:] not in ([], ["direct"]):
        raise UsageError(f"route {key[:60]!r}: write PROGRAM/PATHWAY, e.g. mit-scm/hes (mmcost compare shows each key)")
    return parts[0], parts[1]
