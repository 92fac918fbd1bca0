"""mmcost: what a master's costs through a MicroMasters pathway, and what it saves."""

__version__ = "0.1.0"
