"""`python -m mmcost` runs the command line."""

from mmcost.cli import main

if __name__ == "__main__":
    main()
