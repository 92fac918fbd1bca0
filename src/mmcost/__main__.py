"""The `mmcost` command (and `python -m mmcost`): the command line, started with the cycle collector paused
and ended without Python's teardown when nothing is left for it to do."""

import atexit
import gc
import os
import sys


def main() -> None:
    """Console-script entry point: mmcost.cli.main, with the cycle collector paused, then a quick exit.

    A one-shot command builds a bounded few megabytes (modules, the catalog, one answer) and exits;
    the collector's passes over them free nothing and cost about a twentieth of its start-up (README,
    Performance). batch, whose input has no bound, turns collection back on before its first row.
    """
    gc.disable()
    from mmcost.cli import main as command_line

    try:
        command_line()
    except SystemExit as done:
        leave_now(done.code)
        raise


def leave_now(code: object) -> None:
    """End the process with code at once, when Python's own exit would do nothing more than tear down
    what the OS frees anyway (every module and object of the run: a tenth to a seventh of a one-shot
    command's time).

    It first does what that exit does that anyone could see: it runs the atexit callbacks and flushes
    stdout and stderr. It returns, for the ordinary exit, whenever that exit has more to do or say: a
    thread still running (which Python's exit waits for), an exit code that is not a number (which it
    prints), or a stream that cannot be flushed (whose error it reports, as it always has)."""
    if not (code is None or isinstance(code, int)) or _threads_running():
        return
    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return
    os._exit(code or 0)


def _threads_running() -> bool:
    """Whether a thread other than this one is still running, and not as a daemon."""
    threading = sys.modules.get("threading")
    if threading is None:
        return False
    return any(thread is not threading.main_thread() and not thread.daemon for thread in threading.enumerate())


if __name__ == "__main__":
    main()
