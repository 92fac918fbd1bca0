"""The command line: parse options, load the catalog, call the engine, render.

Thin on purpose. Only click, the standard library and cheap mmcost modules
are imported at the top; pydantic, yaml and rich load inside the commands
that need them, so `mmcost --help` starts fast.

Exit codes: 0 success, 1 bad data or unknown id, 2 usage.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from types import FrameType
from typing import Any, NoReturn

import click

from mmcost import __version__
from mmcost.cli.base import (
    CONTEXT_SETTINGS,
    EXIT_CODES_HELP,
    ClosedStream,
    Session,
    escape_what_stdout_cannot_encode,
    session,
    stand_in_for_closed_streams,
    terminal_size,
)
from mmcost.errors import EXIT_DATA, CatalogError, MmcostError, UsageError
from mmcost.files import STOP_SIGNALS, Stopped, take_stop

# Subcommands load on first use, so `mmcost --help` and each command import only
# what they need. name -> (module, attribute, one-line help for the command list).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "estimate": ("mmcost.cli.estimate", "estimate", "Net cost through a MicroMasters pathway, and the savings."),
    "compare": ("mmcost.cli.estimate", "compare", "Every pathway side by side, with the direct degrees as baselines."),
    "sweep": ("mmcost.cli.whatif", "sweep", "Net cost and savings for each value of one option."),
    "breakeven": ("mmcost.cli.whatif", "breakeven", "The value of one option at which the pathway stops saving money."),
    "batch": ("mmcost.cli.batch", "batch", "Price many scenarios: one row in, one result out, in input order."),
    "programs": ("mmcost.cli.browse", "programs", "List the MicroMasters programs in the catalog."),
    "pathways": ("mmcost.cli.browse", "pathways", "List the degree pathways, with the credit each gives."),
    "show": ("mmcost.cli.browse", "show", "Everything the catalog says about a program or a PROGRAM/PATHWAY."),
    "validate": ("mmcost.cli.browse", "validate", "Check catalog files: silent and exit 0 when clean."),
    "schema": ("mmcost.cli.browse", "schema", "The catalog's JSON Schema, for editors that check and complete YAML."),
    "figure": ("mmcost.cli.record", "figure", "Record what you find: dated, sourced figures in your catalog."),
    "catalog": ("mmcost.cli.browse", "catalog", "Where catalogs come from, and which figures are stale."),
    "report": ("mmcost.cli.report", "report", "One HTML page to hand over: the answer, the chart, every source."),
}  # fmt: skip


class _Group(click.Group):
    """Loads subcommands lazily; turns mmcost's own errors into messages on stderr and an exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            import difflib

            close = difflib.get_close_matches(name, list(COMMANDS), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise click.UsageError(f"No such command {name!r}.{hint}", ctx)
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        import importlib

        module, attribute, _ = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """click's main, with every usage error on one line: `mmcost estimate: <what is wrong> (see ...)`."""
        args = list(sys.argv[1:] if args is None else args)
        extra.setdefault("obj", Session(args))
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as error:
            where = error.ctx.command_path if error.ctx else "mmcost"
            message = error.format_message()
            if isinstance(error, click.NoSuchOption) and _takes_amount(error.ctx) and _number(error.option_name):
                message = message.rstrip(".") + "; if it is an amount: amounts are >= 0"
            click.echo(f"{where}: {message} (see '{where} --help')", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            click.echo(f"error: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except _Interrupted as stop:  # from a command (invoke): temporary files are gone by now
            _say_interrupted(stop.signum, after_a_terminal_echo=stop.signum == signal.SIGINT)
        except click.Abort as error:
            # click turns Ctrl-C while it parses (and the signals main() maps to it) into Abort, after a newline.
            if not isinstance(error.__cause__, KeyboardInterrupt):
                click.echo("aborted", err=True)
                sys.exit(EXIT_DATA)
            _say_interrupted(error.__cause__.signum if isinstance(error.__cause__, Stopped) else signal.SIGINT)
        sys.exit(code if isinstance(code, int) else 0)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, short_help) for name, (_, _, short_help) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as error:
            # Past click's handler, which would write a blank line first (for the ^C a terminal echoes)
            raise _Interrupted(error.signum if isinstance(error, Stopped) else signal.SIGINT) from None
        except RuntimeError as error:
            # A signal that lands while a class is made (a module imported mid-command, such as a format's
            # writer) comes wrapped: Python 3.11 raises "Error calling __set_name__" from it. It is the signal.
            stop = error.__cause__
            if not isinstance(stop, KeyboardInterrupt):
                raise
            raise _Interrupted(stop.signum if isinstance(stop, Stopped) else signal.SIGINT) from None
        except UsageError as error:
            where = " ".join(filter(None, (ctx.command_path, ctx.invoked_subcommand)))
            message = "; ".join(error.lines(session(ctx).spell))
            click.echo(f"{where}: {message} (see '{where} --help')", err=True)
            ctx.exit(error.exit_code)
        except MmcostError as error:
            # Located issues (file:line:col: ...) print as they are, for editors and grep.
            prefix = "" if isinstance(error, CatalogError) else "error: "
            for line in error.lines(session(ctx).spell):
                click.echo(f"{prefix}{line}", err=True)
            ctx.exit(error.exit_code)


@click.group(
    name="mmcost", cls=_Group, context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP, invoke_without_command=True
)
@click.version_option(__version__, "-V", "--version", prog_name="mmcost")
@click.option(
    "--catalog",
    "catalog_files",
    type=click.Path(),
    multiple=True,
    metavar="FILE",
    help="Add a catalog file for every command; its ids replace bundled ones. Repeatable; - reads stdin.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour in tables.",
)
@click.pass_context
def cli(ctx: click.Context, catalog_files: Sequence[str], color: str) -> None:
    """What a master's costs through a MicroMasters pathway, and what it saves.

    \b
    Examples:
      mmcost estimate --program mit-scm --pathway hes
      mmcost compare --program mit-scm
      mmcost show mit-scm/hes
    """
    state = session(ctx)
    state.catalog_files = list(catalog_files)  # paths as typed; made Path when loaded
    state.color = color
    if ctx.invoked_subcommand is None:  # bare `mmcost`: the help, on stdout, and success
        click.echo(ctx.get_help())


class _Interrupted(Exception):
    """A command stopped by a signal (Ctrl-C, Stopped), its `finally` blocks run: said on one line by main."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _say_interrupted(signum: int, *, after_a_terminal_echo: bool = False) -> NoReturn:
    """`interrupted (SIGTERM)` and the shell's exit code, 128 + the signal; on a line of its own after the ^C
    that a terminal echoes."""
    if after_a_terminal_echo and sys.stderr is not None and sys.stderr.isatty():
        click.echo(err=True)
    click.echo(f"interrupted ({signal.Signals(signum).name})", err=True)
    sys.exit(128 + signum)


def _stop(signum: int, _frame: object) -> None:
    take_stop(signum)
    raise Stopped(signum)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C as Python's own handler takes it (KeyboardInterrupt), noted like the other stop signals."""
    take_stop(signum)
    signal.default_int_handler(signum, frame)


def _drop_quietly(unraisable: Any) -> None:
    """A stop signal that landed in a finalizer, where Python cannot raise it, is noted (take_stop) and acted
    on where the run next checks: no "Exception ignored" traceback for it."""
    if not isinstance(unraisable.exc_value, KeyboardInterrupt):
        sys.__unraisablehook__(unraisable)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    for name in ("COLUMNS", "LINES"):
        if name in os.environ and terminal_size(os.environ[name]) is None:
            del os.environ[name]  # unusable (`²`, 5,000 digits): ignored here, and by rich and click too
    stand_in_for_closed_streams()
    escape_what_stdout_cannot_encode()
    for signum in STOP_SIGNALS:  # one ignored on purpose (nohup, a background job) stays ignored
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _stop)
        elif signal.getsignal(signum) is signal.default_int_handler:  # SIGINT: still KeyboardInterrupt
            signal.signal(signum, _interrupt)
    sys.unraisablehook = _drop_quietly
    try:
        cli.main(args=argv, prog_name="mmcost")
    except BrokenPipeError:
        # The reader went away (`mmcost ... | head`): not an error worth a traceback.
        _silence_stdout()
        sys.exit(EXIT_DATA)
    except OSError as error:
        # Standard output cannot be written (a full disk, a device error): one line, and exit 1.
        _silence_stdout()
        click.echo(f"error: cannot write the output: {error.strerror or error}", err=True)
        sys.exit(EXIT_DATA)


def _takes_amount(ctx: click.Context | None) -> bool:
    """Whether the command takes an amount as an argument (`figure add FIGURE AMOUNT`), which `-5` would be."""
    return ctx is not None and any(
        isinstance(param, click.Argument) and param.name == "amount" for param in ctx.command.params
    )


def _number(text: str) -> bool:
    """Whether an argument click took for an option is a negative number (-5, -2700.50)."""
    return text[1:].replace(".", "", 1).isdigit()


def _silence_stdout() -> None:
    """Point stdout at the null device, so that Python's final flush cannot fail again."""
    if isinstance(sys.stdout, ClosedStream):
        return  # nothing is buffered: its first write failed
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


__all__ = ["COMMANDS", "Stopped", "cli", "main"]
