"""The `mmcost` command (and `python -m mmcost`): the command line, started with the cycle collector paused."""

import gc


def main() -> None:
    """Console-script entry point: mmcost.cli.main, with the cycle collector paused.

    A one-shot command builds a bounded few megabytes (modules, the catalog, one answer) and exits;
    the collector's passes over them free nothing and cost about a twentieth of its start-up (README,
    Performance). batch, whose input has no bound, turns collection back on before its first row.
    """
    gc.disable()
    from mmcost.cli import main as command_line

    command_line()


if __name__ == "__main__":
    main()
