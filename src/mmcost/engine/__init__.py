"""The cost engine: pure functions from catalog entities and a request to an Estimate."""

from mmcost.engine.estimate import RULES, SCENARIO_KEYS, Estimate, Plan, Unpriced, compare, estimate, plan, price
from mmcost.engine.finished import LineItem, ScheduleYear
from mmcost.engine.ledger import PATHWAY_SECTIONS, Section
from mmcost.engine.outcome import HORIZONS, Outcome
from mmcost.engine.pricing import (
    ROLES,
    Assumptions,
    FigureUse,
    Notice,
    Route,
    academic_year,
    fit,
    format_plain,
    newest_year,
    route,
    supplying_options,
)
from mmcost.engine.scenario import DEFAULT_PACE, IRC_127_LIMIT, MAX_AID_PCT, Request
from mmcost.terms import Term, parse_term

__all__ = [
    "DEFAULT_PACE",
    "HORIZONS",
    "IRC_127_LIMIT",
    "MAX_AID_PCT",
    "PATHWAY_SECTIONS",
    "ROLES",
    "RULES",
    "SCENARIO_KEYS",
    "Assumptions",
    "Estimate",
    "FigureUse",
    "LineItem",
    "Notice",
    "Outcome",
    "Plan",
    "Request",
    "Route",
    "ScheduleYear",
    "Section",
    "Term",
    "Unpriced",
    "academic_year",
    "compare",
    "estimate",
    "fit",
    "format_plain",
    "newest_year",
    "parse_term",
    "plan",
    "price",
    "route",
    "supplying_options",
]
