"""The cost engine: pure functions from catalog entities and a scenario to an Estimate."""

from mmcost.engine.estimate import Estimate, Request, Unpriced, assumptions_for, compare, estimate
from mmcost.engine.ledger import PATHWAY_SECTIONS, LineItem, ScheduleYear, Section
from mmcost.engine.outcome import HORIZONS, Outcome
from mmcost.engine.pricing import (
    ROLE_OPTIONS,
    Assumptions,
    Role,
    Route,
    academic_year,
    format_plain,
    newest_year,
    overrides_for_roles,
    role_figures,
    route,
)
from mmcost.engine.scenario import DEFAULT_PACE, IRC_127_LIMIT, MAX_AID_PCT, Scenario
from mmcost.engine.terms import Term, parse_term

__all__ = [
    "DEFAULT_PACE",
    "HORIZONS",
    "IRC_127_LIMIT",
    "MAX_AID_PCT",
    "PATHWAY_SECTIONS",
    "ROLE_OPTIONS",
    "Assumptions",
    "Estimate",
    "LineItem",
    "Outcome",
    "Request",
    "Role",
    "Route",
    "Scenario",
    "ScheduleYear",
    "Section",
    "Term",
    "Unpriced",
    "academic_year",
    "assumptions_for",
    "compare",
    "estimate",
    "format_plain",
    "newest_year",
    "overrides_for_roles",
    "parse_term",
    "role_figures",
    "route",
]
