"""Files, streams and signals: nothing lost, nothing left behind (issue 11).

Each case runs mmcost as its own process, under the hostile corpus's limits.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import in_a_terminal
from tests.test_hostile import HANG_SECONDS, limit_resources, mmcost


def _batch_input(path: Path, rows: int) -> Path:
    lines = ["program,pathway,aid"] + [f"mit-scm,hes,{index % 90}" for index in range(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _as_from_a_terminal() -> None:
    """The resource limits, and every signal tested at its default action, as a shell gives it: a suite
    run under nohup would otherwise hand batch an ignored SIGHUP, which mmcost rightly keeps ignoring."""
    limit_resources()
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGINT):
        signal.signal(signum, signal.SIG_DFL)


@pytest.mark.parametrize(
    ("signum", "jobs", "group"),
    [
        (signal.SIGTERM, "1", False),
        (signal.SIGHUP, "1", False),
        (signal.SIGQUIT, "1", False),
        (signal.SIGINT, "1", False),
        (signal.SIGTERM, "2", False),  # to the reading process alone: it stops its workers
        (signal.SIGTERM, "2", True),  # to every process (`kill -- -PGID`, a service manager)
        (signal.SIGINT, "2", True),  # Ctrl-C: the terminal signals the whole foreground group
    ],
)
def test_a_signal_mid_batch_leaves_no_temporary_file_and_the_target_as_it_was(
    tmp_path: Path, signum: signal.Signals, jobs: str, group: bool
) -> None:
    source = _batch_input(tmp_path / "in.csv", 200_000)
    target = tmp_path / "out.csv"
    target.write_text("the previous results\n")
    command = ["batch", str(source), "-o", str(target), "--jobs", jobs]
    process = subprocess.Popen(
        [sys.executable, "-m", "mmcost", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_as_from_a_terminal,  # noqa: PLW1509 - the tests start no threads
        start_new_session=group,
    )
    deadline = time.monotonic() + HANG_SECONDS
    # Signal once the temporary file exists, so the test does not depend on the machine's speed.
    while not any(name.endswith(".tmp") for name in os.listdir(tmp_path)):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "batch never started writing"
        time.sleep(0.01)
    if group:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    _, stderr = process.communicate(timeout=HANG_SECONDS)
    assert process.returncode == 128 + signum  # the shell's convention: 143 for SIGTERM, 130 for Ctrl-C
    assert stderr.decode() == f"interrupted ({signum.name})\n"  # one line: no blank line before it
    assert sorted(os.listdir(tmp_path)) == ["in.csv", "out.csv"]
    assert target.read_text() == "the previous results\n"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the workers through Linux's /proc")
def test_a_worker_killed_mid_batch_is_one_line_and_the_target_as_it_was(tmp_path: Path) -> None:
    source = _batch_input(tmp_path / "in.csv", 200_000)
    target = tmp_path / "out.csv"
    target.write_text("the previous results\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "mmcost", "batch", str(source), "-o", str(target), "--jobs", "2"],
        stderr=subprocess.PIPE,
        preexec_fn=_as_from_a_terminal,  # noqa: PLW1509 - the tests start no threads
    )
    deadline = time.monotonic() + HANG_SECONDS
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    while not any(name.endswith(".tmp") for name in os.listdir(tmp_path)) or not children.read_text().split():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "batch never started its workers"
        time.sleep(0.01)
    os.kill(int(children.read_text().split()[0]), signal.SIGKILL)  # as the OOM killer would
    _, stderr = process.communicate(timeout=HANG_SECONDS)
    assert process.returncode == 1
    assert stderr.decode() == (
        "error: a worker process ended before it had written its rows (killed by a signal, or out of memory?); "
        "run again, or with --jobs 1\n"
    )
    assert sorted(os.listdir(tmp_path)) == ["in.csv", "out.csv"]
    assert target.read_text() == "the previous results\n"


def test_jobs_write_what_one_process_writes_in_input_order(tmp_path: Path) -> None:
    # 2,500 rows: three chunks of up to 1,000 for the workers; every 700th row asks for 95% aid, which is refused.
    lines = ["id,program,pathway,aid,salary"]
    lines += [f"r{n},mit-scm,{('hes', 'mit')[n % 2]},{95 if n % 700 == 0 else n % 90},{40000 + n}" for n in range(2500)]
    source = tmp_path / "in.csv"
    source.write_text("\n".join(lines) + "\n")
    one, two = (mmcost("batch", str(source), "--jobs", jobs) for jobs in ("1", "2"))
    assert one.returncode == two.returncode == 1  # the refused rows
    assert two.stdout == one.stdout and two.stderr == one.stderr
    refused = [line.split(":")[1] for line in two.stderr.decode().splitlines()]
    assert refused == ["row 1", "row 701", "row 1401", "row 2101"]  # row N is r(N-1): n = 0, 700, 1400, 2100
    numbers = [int(line.split(",")[0]) for line in two.stdout.decode().splitlines()[1:]]
    assert numbers == [n for n in range(1, 2501) if (n - 1) % 700 != 0]  # every other row, in order


@pytest.mark.parametrize(
    "options",
    [
        ("--format", "json"),  # the comma before each row but the first, wherever the first row is written
        ("--format", "ndjson"),
        ("--format", "tsv", "--no-header"),
        ("--format", "table"),  # laid out by one process whatever --jobs says
        ("--fail-fast",),
    ],
)
def test_jobs_write_what_one_process_writes_whatever_the_format(tmp_path: Path, options: tuple[str, ...]) -> None:
    # Workers get 1,000 lines at a time. Rows 1-1,000 (the first chunk) are all refused (pathway nope), then
    # 1,500 rows are priced; the last chunk ends with a blank line, a row of one field, an open quote and
    # a refused aid.
    lines = ["program,pathway,aid"] + ["mit-scm,nope,10"] * 1000
    lines += [f"mit-scm,{('hes', 'mit')[n % 2]},{n % 90}" for n in range(1500)]
    lines += ["", "x", '"mit-scm,hes,1', "mit-scm,hes,95"]
    source = tmp_path / "in.csv"
    source.write_text("\n".join(lines) + "\n")
    one, two = (mmcost("batch", str(source), "-q", *options, "--jobs", jobs) for jobs in ("1", "2"))
    assert one.returncode == two.returncode == 1
    assert two.stdout == one.stdout and two.stderr == one.stderr
    said = two.stderr.decode().splitlines()
    if "--fail-fast" in options:  # the first refused row ends the run before any row is written
        assert said[0].startswith(f"{source}:row 1: ") and said[1:] == [
            "error: stopped at the first bad row (--fail-fast)"
        ]
        assert two.stdout.decode().splitlines()[1:] == []
        return
    refused = [line.split(":")[1] for line in said]
    # rows 1-1,000; then row 2,502 (x: 1 field), row 2,503 (the open quote), row 2,504 (95% aid); 2,501 is blank
    assert refused == [f"row {n}" for n in [*range(1, 1001), 2502, 2503, 2504]]
    if options[1] == "json":
        rows = json.loads(two.stdout)["rows"]
        assert [row["row"] for row in rows] == list(range(1001, 2501))
    if options[1] == "ndjson":
        assert [json.loads(line)["row"] for line in two.stdout.splitlines()] == list(range(1001, 2501))


def test_a_batch_table_at_a_terminal_shows_a_bad_rows_error_after_the_rows_before_it(tmp_path: Path) -> None:
    # Row 2 is refused (95% aid). The table holds rows 1 and 3 until its block is laid out; the error waits for
    # them, so the screen shows the table, then the error.
    source = tmp_path / "in.csv"
    source.write_text("program,pathway,aid\nmit-scm,hes,10\nmit-scm,hes,95\nmit-scm,mit,20\n")
    code, shown = in_a_terminal("batch", str(source), "-f", "table", "-q", env={"COLUMNS": "120"}, stream="both")
    assert code == 1
    screen = shown.decode()
    error = screen.index("row 2: column aid: 95 is not between 0 and 90")
    assert screen.index("mit-scm") < screen.index(" mit ") < error  # rows 1 and 3 (mit) come before it
    assert screen.count("mit-scm") == 2


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_writes_results_before_its_input_ends(jobs: str) -> None:
    # 10,000 rows go in while stdin stays open: the first results must come out before the input ends,
    # as they would not if the rows (or the chunks for the workers) were all read first.
    import select

    process = subprocess.Popen(
        [sys.executable, "-m", "mmcost", "batch", "-", "--jobs", jobs, "--no-header"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    stdin, stdout = process.stdin, process.stdout
    assert stdin is not None and stdout is not None
    os.set_blocking(stdin.fileno(), False)  # the pipe holds less than the rows: write what fits, then read
    unsent = memoryview(("program,pathway,aid\n" + "mit-scm,hes,10\n" * 10_000).encode())
    deadline = time.monotonic() + HANG_SECONDS
    try:
        while True:
            assert time.monotonic() < deadline, "no result came out while the input was still open"
            readable, writable, _ = select.select([stdout], [stdin] if unsent else [], [], 1)
            if readable:
                break
            if writable:
                unsent = unsent[os.write(stdin.fileno(), unsent[:65536]) :]
        assert unsent, "every row was sent before a result came out: the test proves nothing"
        assert stdout.read(2) == b"1,"  # row 1's result
    finally:
        process.kill()  # and with it its workers (the kernel kills them when their parent dies)
        process.communicate(timeout=HANG_SECONDS)


def test_a_new_output_file_gets_the_usual_mode(tmp_path: Path) -> None:
    target = tmp_path / "new.csv"
    old = os.umask(0o027)
    try:
        result = mmcost("estimate", "-p", "mit-scm", "-w", "hes", "-f", "csv", "-o", str(target))
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    assert target.stat().st_mode & 0o777 == 0o640  # 0666 less the umask 027, as a shell's `>` would make it


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux shows the umask in /proc")
def test_the_umask_is_read_without_setting_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Setting the umask to read it would change it, for a moment, for every thread of the process."""
    from mmcost import files

    old = os.umask(0o027)
    try:
        monkeypatch.setattr(os, "umask", lambda mask: pytest.fail("the umask was set"))
        assert files._umask() == 0o027
    finally:
        monkeypatch.undo()
        os.umask(old)


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="signals can be held back on POSIX only")
def test_a_signal_just_as_the_temporary_file_is_made_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C after mkstemp has made the file but before the writer knows its name: the signal waits until
    the name is known, so the file is removed with the rest of the run."""
    import tempfile

    from mmcost import files

    make = tempfile.mkstemp

    def interrupted_mkstemp(dir: Path, prefix: str, suffix: str) -> tuple[int, str]:
        made = make(dir=dir, prefix=prefix, suffix=suffix)
        signal.raise_signal(signal.SIGINT)  # Python's handler raises KeyboardInterrupt as soon as it may
        return made

    monkeypatch.setattr(tempfile, "mkstemp", interrupted_mkstemp)
    # Python's own Ctrl-C handler, even where the suite started with SIGINT ignored (`nohup ... &`: then Python
    # installs none, and the signal would be dropped).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt), files.atomic_output(tmp_path / "out.csv") as stream:
            stream.write("never kept")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert list(tmp_path.iterdir()) == []


FINALIZER_LANDING = """
import os, signal, sys
import mmcost.render
from mmcost.__main__ import main

class Finalized:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGTERM)  # the handler runs here, where Python cannot raise what it raises
        sum(range(100))

made = mmcost.render.writer_for

def writer_for(*args, **kwargs):
    Finalized()  # dropped at once: its finalizer runs now
    return made(*args, **kwargs)

mmcost.render.writer_for = writer_for
sys.argv = ["mmcost", *sys.argv[1:]]
main()
"""


def test_a_stop_signal_dropped_in_a_finalizer_still_stops_the_run(tmp_path: Path) -> None:
    """Python drops an exception raised in a finalizer (it prints "Exception ignored" and goes on), so a SIGTERM
    that lands in one used to be lost: the run went on and replaced the -o target. Every stop signal taken is
    noted, so the run still ends as the signal, quietly, before it replaces anything."""
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("program,pathway\nmit-scm,hes\n")
    target.write_text("the previous results\n")
    command = [sys.executable, "-c", FINALIZER_LANDING, "batch", str(source), "-o", str(target), "-q", "--jobs", "1"]
    result = subprocess.run(
        command, check=False, capture_output=True, timeout=HANG_SECONDS, preexec_fn=_as_from_a_terminal
    )
    assert (result.returncode, result.stderr.decode()) == (128 + signal.SIGTERM, "interrupted (SIGTERM)\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.csv", "out.csv"]
    assert target.read_text() == "the previous results\n"


def test_the_output_file_is_not_replaced_after_a_stop_signal_was_taken(tmp_path: Path) -> None:
    from mmcost import files

    target = tmp_path / "out.csv"
    target.write_text("the previous results\n")
    try:
        with pytest.raises(files.Stopped), files.atomic_output(target) as stream:
            stream.write("new results")
            files.take_stop(signal.SIGHUP)  # what the handler notes before it raises (here: dropped on its way)
    finally:
        files._TAKEN.clear()
    assert [path.name for path in tmp_path.iterdir()] == ["out.csv"]
    assert target.read_text() == "the previous results\n"


def test_a_signal_while_a_module_makes_its_classes_is_still_the_signal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM while batch imports its format's writer (after the -o temporary file exists) lands in a class
    body; Python 3.11 wraps what the handler raises in RuntimeError ("Error calling __set_name__"). The run still
    says `interrupted (SIGTERM)`, exits 128 + 15 = 143 and leaves the target as it was, never a traceback."""
    from click.testing import CliRunner

    import mmcost.render
    from mmcost.cli import Stopped, cli

    class Landing:
        def __set_name__(self, owner: type, name: str) -> None:
            raise Stopped(signal.SIGTERM)  # what the SIGTERM handler raises, wherever the signal lands

    def writer_being_imported(*args: object, **kwargs: object) -> object:
        class Writer:  # a module's class, being made as the signal arrives
            field = Landing()

        return Writer

    monkeypatch.setattr(mmcost.render, "writer_for", writer_being_imported)
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("program,pathway\nmit-scm,hes\n")
    target.write_text("the previous results\n")
    result = CliRunner().invoke(cli, ["batch", str(source), "-o", str(target), "-q"])
    assert (result.exit_code, result.stderr) == (143, "interrupted (SIGTERM)\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.csv", "out.csv"]
    assert target.read_text() == "the previous results\n"


@pytest.mark.parametrize("command", [["estimate", "mit-scm/hes", "-f", "csv"], ["batch", "-"]])
def test_output_names_that_cannot_be_written_get_one_located_line(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "loop-a").symlink_to(tmp_path / "loop-b")
    (tmp_path / "loop-b").symlink_to(tmp_path / "loop-a")
    cases = {
        tmp_path / ("a" * 300 + ".csv"): "File name too long",
        tmp_path / "loop-a": "its symbolic links form a loop",
        tmp_path / "no-such-folder" / "out.csv": "does not exist",
    }
    for target, reason in cases.items():
        result = mmcost(*command, "-o", str(target), stdin=b"program,pathway\nmit-scm,hes\n")
        assert result.returncode == 1
        assert result.stderr.decode().startswith(f"{target}: cannot write: ")
        assert reason in result.stderr.decode() and result.stderr.count(b"\n") == 1
    assert (tmp_path / "loop-a").is_symlink()  # the loop is left as it was, not replaced by a file


def test_a_dangling_link_is_written_through(tmp_path: Path) -> None:
    (tmp_path / "link.csv").symlink_to("target.csv")
    result = mmcost("estimate", "mit-scm/hes", "-f", "csv", "-q", "-o", str(tmp_path / "link.csv"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "link.csv").is_symlink()  # as a shell's `>` would: the link stays, its target is made
    assert (tmp_path / "target.csv").read_text().startswith("program,pathway,")


def test_an_unclosed_quote_costs_one_row_not_the_rest_of_the_file(tmp_path: Path) -> None:
    source = _batch_input(tmp_path / "in.csv", 20_000)
    lines = source.read_text().splitlines()
    lines[1] = 'mit-scm,hes,"10'  # row 1's quote is never closed
    source.write_text("\n".join(lines) + "\n")
    result = mmcost("batch", str(source), "-f", "csv")
    assert result.returncode == 1
    assert result.stderr.decode() == (
        f"{source}:row 1: cannot read this row: a quote is not closed on this line (each row is one line)\n"
    )
    # Every other input row is priced, each under its own number: rows 2 to 20,000.
    numbers = [int(line.split(",")[0]) for line in result.stdout.decode().splitlines()[1:]]
    assert numbers == list(range(2, 20_001))


def test_ndjson_text_that_is_not_utf8_is_refused_for_its_row(tmp_path: Path) -> None:
    source = tmp_path / "in.ndjson"
    source.write_bytes(
        b'{"program": "mit-scm", "pathway": "hes", "id": "a\xff"}\n'  # a raw byte that is not UTF-8
        b'{"program": "mit-scm", "pathway": "hes", "id": "a\\udcff"}\n'  # a lone surrogate, escaped
        b'{"program": "mit-scm", "pathway": "hes", "aid": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"
        b'{"program": "mit-scm", "pathway": "hes", "id": "fine"}\n'
    )
    result = mmcost("batch", str(source), "-f", "csv")
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        f"{source}:row 1: key 'id': not UTF-8 text",
        f"{source}:row 2: key 'id': not UTF-8 text",
        f"{source}:row 3: not JSON: nested too deeply",
    ]
    assert [line.split(",")[:2] for line in result.stdout.decode().splitlines()[1:]] == [["4", "fine"]]


def test_a_read_error_is_one_located_line() -> None:
    result = mmcost("batch", "/proc/self/mem")  # a regular file that fails on read
    assert result.returncode == 1
    assert result.stderr.decode() == "/proc/self/mem:row 0 (header): cannot read further: Input/output error.\n"


def test_a_5_mib_file_of_values_is_answered_without_reading_them_all(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("x: [" + ",".join(["1"] * 2_500_000) + "]\n")  # 5,000,005 bytes: under the 5 MiB limit
    result = mmcost("validate", str(path))
    assert result.returncode == 1
    # 1 mapping + key x + the list + 99,998 items = 100,001 values: the item at column 2 * 99,998 + 3.
    assert (
        result.stderr.decode() == f"{path}:1:199999: more than 100,000 values; no catalog or scenario needs that many\n"
    )


def test_at_most_100_issues_are_printed_per_file(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text("schema_version: 1\n" + "".join(f"k{index}: 1\n" for index in range(40_000)))
    result = mmcost("validate", str(path))
    assert result.returncode == 1
    lines = result.stderr.decode().splitlines()
    # 40,000 unknown keys: the first 100 (lines 2 to 101), then one line for the other 39,900.
    assert lines[0] == f"{path}:2:1: k0: unknown key 'k0'; check the spelling (mmcost schema lists the keys)"
    assert lines[99].startswith(f"{path}:101:1: k99: ")
    assert lines[100:] == [f"{path}: 39,900 more problems not shown"]


def test_control_characters_in_catalog_text_are_refused_where_they_stand(tmp_path: Path) -> None:
    shipped = (Path(__file__).parents[1] / "data" / "programs.yaml").read_text()
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        shipped.replace("label: SCM verified certificate fee per course", 'label: "Course\\x1b]0;pwn\\x07 fee"', 1)
    )
    result = mmcost("validate", str(evil))
    assert result.returncode == 1
    line = shipped[: shipped.index("label: SCM verified certificate fee per course")].count("\n") + 1
    assert result.stderr.decode() == (
        f"{evil}:{line}:5: figures.mit-scm-course-fee.label: contains the control character U+001B; remove it\n"
    )


def test_rich_markup_in_user_text_is_shown_literally(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text('id,program,pathway\n"[bold red]x[/bold red] [link=https://e.example]y[/link]",mit-scm,hes\n')
    result = mmcost("batch", str(source), "-f", "table", "-q")
    assert result.returncode == 0, result.stderr
    assert "[bold red]x[/bold red]" in result.stdout.decode()
    source.write_text("id,program,pathway\nrow:one:,mit-scm,hes\n")
    wide = subprocess.run(
        [sys.executable, "-m", "mmcost", "batch", str(source), "-f", "table", "-q"],
        capture_output=True, env={**os.environ, "COLUMNS": "200"}, timeout=HANG_SECONDS, check=False,
    )  # fmt: skip
    assert wide.returncode == 0, wide.stderr
    assert "| row:one: |" in wide.stdout.decode()  # an emoji code is text too: not row1️⃣
    assert "[link=https://e.example]y[/link]" in result.stdout.decode().replace("\n", "").replace("|", "")


@pytest.mark.parametrize(("raw", "expected"), [(False, ["'=1+1", "'@SUM(A1)", "'-2", "'+x", "plain"]), (True, None)])
def test_csv_text_cells_that_start_like_a_formula_are_neutralised(
    tmp_path: Path, raw: bool, expected: list[str] | None
) -> None:
    ids = ["=1+1", "@SUM(A1)", "-2", "+x", "plain"]
    source = tmp_path / "in.csv"
    source.write_text("id,program,pathway,aid\n" + "".join(f"{cell},mit-scm,hes,10\n" for cell in ids))
    result = mmcost("batch", str(source), "-f", "csv", *(["--raw-cells"] if raw else []))
    assert result.returncode == 0, result.stderr
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(result.stdout.decode())))
    assert [row["id"] for row in rows] == (ids if raw else expected)
    # Numbers are never touched: aid 10 off 5 courses x 150 + exam 200 = 950 - 10% of 750 = 875.00.
    assert {row["micromasters_cost"] for row in rows} == {"875.00"}


@pytest.mark.parametrize("columns", ["²", "9" * 5000, "0", "-3"])
def test_an_unusable_columns_is_ignored(columns: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mmcost", "programs"],
        capture_output=True,
        env={**os.environ, "COLUMNS": columns},
        timeout=HANG_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert b"mit-scm" in result.stdout


def test_a_terminal_that_is_not_utf8_gets_ascii_drawing() -> None:
    code, shown = in_a_terminal("estimate", "mit-scm/hes", "-q", env={"PYTHONIOENCODING": "latin-1", "COLUMNS": "100"})
    assert code == 0
    screen = shown.decode("latin-1")
    assert "+---" in screen and "22,650.00" in screen  # ASCII rules; 950 + 21,700 = 22,650 as ever


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("output_format", ["json", "ndjson", "csv", "table"])
def test_a_stdout_that_cannot_encode_a_name_gets_it_escaped(tmp_path: Path, encoding: str, output_format: str) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("id,program,pathway\nZo\u00eb \u20ac \U0001f600,mit-scm,hes\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mmcost", "batch", str(rows), "-f", output_format],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": encoding},
        timeout=HANG_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode(encoding)
    if output_format in ("json", "ndjson"):
        import json

        document = json.loads(text) if output_format == "json" else json.loads(text.splitlines()[0])
        first = document["rows"][0] if output_format == "json" else document
        assert first["id"] == "Zo\u00eb \u20ac \U0001f600"  # valid JSON, the name intact
    else:  # what the encoding lacks is spelled as a JSON escape: the euro sign is U+20AC, the face U+1F600
        assert "\\u20ac \\ud83d\\ude00" in text


@pytest.mark.parametrize(
    ("args", "columns", "whole"),
    [
        # Every line item's label and amount: 5 courses x 150.00, CFx 200.00, 8 x 2,700.00 = 21,600.00.
        (
            ["estimate", "mit-scm/hes"],
            60,
            ["CTL.SC4x Supply Chain Technology and Systems", "Comprehensive final exam (CFx)", "8 x 2,700.00",
             "21,600.00", "22,650.00"],
        ),
        (["compare"], 80, ["mit-scm/hes-sustainability", "mit-scm/hes/direct", "22,650.00", "115,203.50"]),
        # At 30 columns a label wider than the screen breaks between words (2 + 21, then " Technology" would
        # make 34), rather than where the terminal would cut it.
        (["estimate", "mit-scm/hes"], 30, ["  CTL.SC4x Supply Chain", "  Technology and Systems", "22,650.00"]),
        # Wide enough for a table, not for every column's longest cell: rich narrows the widest columns
        # alike, which split this id across two lines until columns of single words stopped wrapping.
        (["pathways"], 120, ["| hes-sustainability |", "| gtx-analytics |"]),
    ],
)  # fmt: skip
def test_a_narrow_screen_keeps_every_id_and_amount_whole(args: list[str], columns: int, whole: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mmcost", *args, "-q"],
        capture_output=True,
        env={**os.environ, "COLUMNS": str(columns)},
        timeout=HANG_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    for text in whole:
        assert any(text in line for line in lines), text


def test_a_table_wider_than_the_screen_wraps_headers_before_names_and_breaks_no_word() -> None:
    from mmcost.render import Style
    from mmcost.render.table import rows_table

    rows: list[dict[str, object]] = [
        {
            "pathway": "hes-sustainability",
            "name": "Harvard Extension School ALM in Sustainability",
            "courses_credited": 4,
        },
        {"pathway": "mit", "name": "MIT SCM blended master's (one semester at MIT)", "courses_credited": None},
    ]
    # Natural widths 18 + 46 + 16 ("courses credited") + 3 x 2 padding + 4 rules = 90, on a 60-column
    # screen: 60 - 10 = 50 for the cells. The third header alone needs 16 where its cells need 1, so it
    # gives first, down to its longest word (8, "credited"): 18 + 46 + 8 = 72; then names, the one
    # column that can still narrow, give the other 22: 46 - 22 = 24, above its longest word (14, "Sustainability").
    lines = rows_table(rows, ["pathway", "name", "courses_credited"], Style(width=60)).splitlines()
    assert lines[0] == "+--------------------+--------------------------+----------+"  # 18, 24 and 8, padded
    assert all(len(line) <= 60 for line in lines)
    assert [line.split("|")[3].strip() for line in lines[1:3]] == ["courses", "credited"]  # the header wrapped
    for word in ("hes-sustainability", "Sustainability", "semester"):
        assert any(word in line for line in lines), word
    # Two columns of words, natural widths 39 (8 x "abcd") and 19 (4 x "wxyz"), on 40 columns: 40 - 7 = 33
    # for the cells, so 25 must go. Each keeps about the same share of its natural width, 33 / 58 = 0.57:
    # 39 x 0.57 = 22.2 and 19 x 0.57 = 10.8, so 22 and 11 (sum 33); widest-first would give 17 and 16.
    words = {"a": " ".join(["abcd"] * 8), "b": " ".join(["wxyz"] * 4)}
    lines = rows_table([words], ["a", "b"], Style(width=40)).splitlines()
    assert lines[0] == "+------------------------+-------------+"  # 22 and 11, padded


def test_bare_mmcost_prints_help_on_stdout_and_succeeds() -> None:
    result = mmcost()
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout.decode().startswith("Usage: mmcost")


@pytest.mark.parametrize(
    "args",
    [
        ["programs"], ["pathways"], ["show", "mit-scm"], ["validate", "data/programs.yaml"], ["schema"],
        ["catalog", "path"], ["catalog", "stale"], ["compare"], ["estimate", "mit-scm/hes"],
        ["sweep", "mit-scm/hes", "--vary", "aid=0:10:10"], ["breakeven", "mit-scm/hes", "--vary", "aid"],
    ],
)  # fmt: skip
def test_every_command_accepts_quiet(args: list[str]) -> None:
    result = mmcost(*args, "-q", "-f", "json") if args[0] not in ("schema", "validate") else mmcost(*args, "-q")
    assert (result.returncode, result.stderr) == (0, b""), result.stderr


@pytest.mark.parametrize("args", [["estimate", "MIT-SCM/Hes"], ["estimate", "-p", "MIT-SCM", "-w", "HES"]])
def test_ids_are_matched_without_regard_to_case(args: list[str]) -> None:
    import json

    result = mmcost(*args, "-q", "-f", "json")
    assert result.returncode == 0, result.stderr
    # The default fee year's 950 MicroMasters + 21,700 remaining degree = 22,650.
    assert json.loads(result.stdout)["net_cost"] == 22650.00


def test_dash_reads_standard_input_for_catalogs_scenarios_and_validate() -> None:
    import json

    scenario = b"program: mit-scm\npathway: hes\naid: 50\n"
    result = mmcost("estimate", "--scenario", "-", "-q", "-f", "json", stdin=scenario)
    assert result.returncode == 0, result.stderr
    # 50% aid on 5 courses x 150 = 375 off 950, so 575; + 21,700 = 22,275.
    assert json.loads(result.stdout)["net_cost"] == 22275.00
    catalog = Path(__file__).parents[1] / "data" / "programs.yaml"
    assert mmcost("validate", "-", stdin=catalog.read_bytes()).returncode == 0
    broken = mmcost("validate", "-", stdin=b"schema_version: 1\nx: 1\n")
    assert (broken.returncode, broken.stderr.decode()) == (
        1,
        "<stdin>:2:1: x: unknown key 'x'; check the spelling (mmcost schema lists the keys)\n",
    )
    mine = b"schema_version: 1\nprograms: {}\n"
    listed = mmcost("--catalog", "-", "programs", "-q", "-f", "csv", stdin=mine)
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.decode().splitlines()) == 1 + 8  # the header and the 8 bundled programs


def test_stacked_rows_put_as_many_whole_pairs_on_a_line_as_fit() -> None:
    from mmcost.render.table import packed

    # 4 + 2 + 2 = 8 fits in 10; 8 + 2 + 6 does not; 12 is wider than 10 and has a line of its own;
    # "ff gg hh ii" (11) is broken between its words, "ff gg hh" (8) and "ii", and the next piece starts a line.
    pieces = ["aaaa", "bb", "cccccc", "dddddddddddd", "ff gg hh ii", "e", "f"]
    assert packed(pieces, 10) == ["aaaa; bb", "cccccc", "dddddddddddd", "ff gg hh", "ii", "e; f"]
    result = subprocess.run(
        [sys.executable, "-m", "mmcost", "compare", "-p", "mit-scm", "-q"],
        capture_output=True, env={**os.environ, "COLUMNS": "80"}, timeout=HANG_SECONDS, check=True,
    )  # fmt: skip
    lines = result.stdout.decode().splitlines()
    # mit-scm/hes, 2019-20: 5 x 150 + 200 = 950 MicroMasters, 8 x 2,700 + 100 = 21,700 degree: 22,650;
    # direct 12 x 2,700 + 100 = 32,500; savings 9,850, 30.3%. 4 + 25 + 2 + 17 + 2 + 8 + 2 + 20 = 80 columns.
    at = lines.index("mit-scm/hes Harvard Extension School ALM in Management")
    assert lines[at + 1 : at + 3] == [
        "    Net cost (USD): 22,650.00; Savings: 9,850.00; %: 30.3%; Credit / left: 4 / 8",
        "    Months: 32; Fee year: 2019-20",
    ]
    # A title wider than the screen breaks between words: 18 + 4 + 7 + 4 + 15 + 4 + 10 + 9 + 3 = 74, and
    # " Supply" (7) would make 81.
    at = lines.index("mit-scm/mit/direct MIT Center for Transportation and Logistics Master's in")
    assert lines[at + 1] == "Supply Chain Management (10-month residential), taken directly"
    assert all(len(line) <= 80 for line in lines if not line.startswith("["))  # footnotes are the terminal's to wrap


def test_a_stacked_estimate_keeps_its_title_data_age_and_caption_within_the_screen() -> None:
    """The first lines say how old the figures are: on a 60-column screen they wrap between words, as the
    caption (the program, the fee year, what 'As of' means) does, rather than being cut or left out."""
    result = subprocess.run(
        [sys.executable, "-m", "mmcost", "estimate", "mit-scm/mit", "-q"],
        capture_output=True, env={**os.environ, "COLUMNS": "60"}, timeout=HANG_SECONDS, check=True,
    )  # fmt: skip
    lines = result.stdout.decode().splitlines()
    assert all(len(line) <= 60 for line in lines)
    # mit-scm/mit, 2024-25: "mit-scm -> mit: MIT SCM blended master's (one semester at MIT)" is 62 characters;
    # "... at" ends at 58, and " MIT)" would make 63.
    assert lines[:2] == ["mit-scm -> mit: MIT SCM blended master's (one semester at", "MIT)"]
    assert lines[2].startswith("Figures from 2016-17 to 2024-25")
    assert " ".join(lines[-2:]) == (
        "From the MITx MicroMasters in Supply Chain Management. Fee year 2024-25; 'As of' is the year of each "
        "figure used."
    )


def test_warnings_at_a_terminal_break_between_words_and_stay_one_line_each_elsewhere() -> None:
    code, shown = in_a_terminal("estimate", "mit-scm/hes", env={"COLUMNS": "60"}, stream="stderr")
    assert code == 0
    screen = shown.decode().replace("\r\n", "\n").splitlines()
    piped = mmcost("estimate", "mit-scm/hes").stderr.decode().splitlines()
    # Piped, each warning and the hint is one line (for grep and logs); at the terminal each is broken between
    # words into lines of at most 60 characters, the lines after the first indented by two spaces. A web
    # address longer than that has a line of its own, whole (the HES page's is 87 characters).
    assert all(line.startswith(("warning: ", "hint: ")) for line in piped)
    assert all(len(line) <= 60 or (line.startswith("  ") and " " not in line.strip()) for line in screen)
    assert len(screen) > len(piped)
    assert " ".join(line.strip() for line in screen) == " ".join(piped)
