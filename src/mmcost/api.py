"""The Python API, for notebooks and data pipelines: the engine behind the command line, as functions.

    import mmcost

    result = mmcost.estimate(program="mit-scm", pathway="hes", aid=50)
    result.net_cost                 # Decimal('22275.00')
    result.to_dict()                # the JSON contract of `mmcost estimate --format json`

    for row in mmcost.price_rows([{"program": "mit-scm", "pathway": "hes", "aid": 50}]):
        row.to_dict()               # a line of `mmcost batch --format ndjson`

Scenario options are the command line's, by key (`aid`, `salary`,
`employer_per_year`, `set` ...), given as numbers (int, Decimal, or float,
read from its shortest text) or text. Money stays Decimal. The default
catalog is the command line's (the bundled one, the config folder's files and
$MMCOST_CATALOG), loaded once per process; pass `catalog=load_catalog(...)`
for another.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from mmcost.rows import COLUMNS, Row, RowError, RowPricer, priced, row_values

if TYPE_CHECKING:
    from mmcost.engine import Estimate
    from mmcost.model import Catalog


def load_catalog(*files: str | Path, user: bool = True) -> Catalog:
    """The bundled catalog with catalog files merged over it: the user's (config folder,
    $MMCOST_CATALOG) unless user=False, then files, later ones winning. CatalogError says what is wrong."""
    from mmcost.sources import user_catalogs
    from mmcost.store import load_catalog as load

    given = [Path(file) for file in files]
    return load(user_catalogs(given) if user else given)


@lru_cache(maxsize=1)
def _default_catalog() -> Catalog:
    return load_catalog()


class Result:
    """One estimate. Every field of the engine's Estimate reads as an attribute (`net_cost`,
    `savings`, `line_items`, `warnings` ...); to_dict() is the JSON contract of `mmcost estimate`."""

    __slots__ = ("estimate",)

    def __init__(self, estimate: Estimate) -> None:
        self.estimate = estimate

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "estimate":  # pickle and copy probe before estimate is set
            raise AttributeError(name)
        return getattr(self.estimate, name)

    def __reduce__(self) -> tuple[Any, ...]:
        return Result, (self.estimate,)

    def __repr__(self) -> str:
        e = self.estimate
        return f"<mmcost.Result {e.program_id}/{e.pathway_id}: net cost {e.net_cost} {e.currency}>"

    def to_dict(self) -> dict[str, Any]:
        """The result as `mmcost estimate --format json` writes it (amounts as Decimal)."""
        from mmcost.views import estimate_dict

        return estimate_dict(self.estimate)


def estimate(program: str, pathway: str, *, catalog: Catalog | None = None, **scenario: Any) -> Result:
    """The net cost of a master's through a pathway, against the direct degree.

    Raises mmcost.errors.MmcostError (UnknownIdError, OptionError, MissingFigureError ...)
    with the same message the command line prints.
    """
    from mmcost import engine

    chosen = catalog if catalog is not None else _default_catalog()
    request = engine.Request.parse(scenario)
    return Result(engine.estimate(chosen, program.lower(), pathway.lower(), request))


class PricedRow(NamedTuple):
    """One input row, priced (result) or not (error, naming the column as `mmcost batch` does)."""

    row: int
    id: str | None
    result: Result | None
    error: str | None

    def to_dict(self) -> dict[str, Any]:
        """The row as a line of `mmcost batch --format ndjson`, or {"row", "id", "error"}."""
        head: dict[str, Any] = {"row": self.row, "id": self.id}
        if self.result is None:
            return {**head, "error": self.error}
        return {**head, **self.result.to_dict()}


NAMES = tuple(name for name in COLUMNS if name != "id")


def price_rows(rows: Iterable[Mapping[str, Any]], *, catalog: Catalog | None = None) -> Iterator[PricedRow]:
    """Each row (a mapping of batch columns: program, pathway, any scenario option, an optional id)
    priced in order, numbered from 1: the same loop `mmcost batch` runs. A bad row is yielded with
    its error, never dropped; identical rows are priced once."""
    pricer = RowPricer(catalog if catalog is not None else _default_catalog(), Result, NAMES)

    def numbered() -> Iterator[Row]:
        for number, mapping in enumerate(rows, start=1):
            values = row_values(mapping.items(), NAMES) if isinstance(mapping, Mapping) else RowError("not a mapping")
            yield (number, "", values) if isinstance(values, RowError) else (number, *values)

    for number, row_id, result, error in priced(numbered(), pricer):
        yield PricedRow(number, row_id or None, result, error)


__all__ = ["PricedRow", "Result", "estimate", "load_catalog", "price_rows"]
