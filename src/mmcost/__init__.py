"""mmcost: what a master's costs through a MicroMasters pathway, and what it saves.

The Python API (mmcost.api) loads on first use, so that `import mmcost` and the
command line start fast: mmcost.estimate, mmcost.price_rows, mmcost.load_catalog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from mmcost.api import PricedRow, Result, estimate, load_catalog, price_rows

_API = ("PricedRow", "Result", "estimate", "load_catalog", "price_rows")


def __getattr__(name: str) -> Any:
    if name in _API:
        from mmcost import api

        return getattr(api, name)
    raise AttributeError(f"module 'mmcost' has no attribute {name!r}")


__all__ = ["PricedRow", "Result", "__version__", "estimate", "load_catalog", "price_rows"]
