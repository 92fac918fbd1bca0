"""Scenario files: a learner's options in YAML, checked by the same option table as the command line.

A scenario file holds any scenario option under its key (`employer_per_year:
5250`, options.OPTIONS lists them), `set:` for figure overrides, and
optionally `program:` and `pathway:`. Options given on the command line win
over the file. Every problem is reported at once, located as FILE:LINE:COL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from mmcost import yamlsrc
from mmcost.engine.scenario import Request
from mmcost.errors import CatalogError, Issue, OptionError, spelled
from mmcost.options import BY_KEY, ROUTE_KEYS

SLUG = BY_KEY["price_tier"]
"""Program and pathway ids are checked like any other id."""


class ScenarioFile(NamedTuple):
    """What a scenario file sets: option values by key, and the route when it names one."""

    values: dict[str, Any]
    route: dict[str, str]
    file: str


def read_scenario(path: Path) -> ScenarioFile:
    """The options a scenario file sets (only those it sets), or CatalogError with every located issue."""
    document = yamlsrc.read_file(path)
    if not isinstance(document.data, dict):
        raise CatalogError([document.issue("", "expected a mapping of option names to values")])
    values: dict[str, Any] = {}
    route: dict[str, str] = {}
    issues: list[Issue] = []
    for key, raw in document.data.items():
        try:
            if key in ROUTE_KEYS:
                route[key] = SLUG.parse(raw)
            elif key in BY_KEY:
                if raw is None:
                    raise OptionError(key, "has no value")
                values[key] = BY_KEY[key].parse(raw)
            else:
                issues.append(document.issue(str(key), _unknown(str(key))))
        except OptionError as error:
            issues.append(document.issue(str(key), error.problem))
    if not issues:
        try:
            Request(values).check()
        except OptionError as error:
            issues.append(document.issue(error.key, _key_spelled(error.problem)))
    if issues:
        raise CatalogError(issues)
    return ScenarioFile(values, route, document.file)


def _unknown(key: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, [*ROUTE_KEYS, *BY_KEY], n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown key {key!r}{hint} (a scenario file takes the options of mmcost estimate, with underscores)"


def _key_spelled(message: str) -> str:
    return spelled(message, lambda key: f"`{key}:`")
