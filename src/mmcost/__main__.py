"""`python -m mmcost` runs the command line."""

from mmcost.cli import main

main()
