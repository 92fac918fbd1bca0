"""Every machine contract: what each command prints, as plain data, with its field names and order.

No arithmetic beyond picking values out, no formatting: render turns a View
into a table or a machine format. The field names, their order and
SCHEMA_VERSION here are the JSON/NDJSON/CSV/TSV contract of every command.
"""

from __future__ import annotations

from mmcost.views.base import SCHEMA_VERSION, Layout, Row, View, rows_view
from mmcost.views.catalog import (
    CATALOG_PATH_FIELDS,
    FIGURE_FIELDS,
    ISSUE_FIELDS,
    PATHWAY_FIELDS,
    PATHWAY_TABLE,
    PROGRAM_FIELDS,
    PROGRAM_TABLE,
    catalog_path_view,
    figure_rows,
    pathway_rows,
    program_rows,
    show_pathway,
    show_program,
    show_view,
    validate_view,
    year_span,
)
from mmcost.views.estimate import (
    BATCH_FIELDS,
    BATCH_TABLE,
    BREAKEVEN_FIELDS,
    COMPARE_FIELDS,
    ESTIMATE_TOTALS,
    LINE_ITEM_FIELDS,
    SCHEDULE_FIELDS,
    SORTABLE,
    SWEEP_FIELDS,
    batch_result,
    breakeven_view,
    compare_rows,
    compare_view,
    estimate_dict,
    estimate_view,
    line_item_dict,
    outcome_dict,
    schedule_dicts,
    sort_rows,
    sweep_view,
)

__all__ = [
    "BATCH_FIELDS", "BATCH_TABLE", "BREAKEVEN_FIELDS", "CATALOG_PATH_FIELDS", "COMPARE_FIELDS", "ESTIMATE_TOTALS",
    "FIGURE_FIELDS", "ISSUE_FIELDS", "LINE_ITEM_FIELDS", "PATHWAY_FIELDS", "PATHWAY_TABLE", "PROGRAM_FIELDS",
    "PROGRAM_TABLE", "SCHEDULE_FIELDS", "SCHEMA_VERSION", "SORTABLE", "SWEEP_FIELDS", "Layout", "Row", "View",
    "batch_result", "breakeven_view", "catalog_path_view", "compare_rows", "compare_view", "estimate_dict",
    "estimate_view", "figure_rows", "line_item_dict", "outcome_dict", "pathway_rows", "program_rows", "rows_view",
    "schedule_dicts", "show_pathway", "show_program", "show_view", "sort_rows", "sweep_view", "validate_view",
    "year_span",
]  # fmt: skip
