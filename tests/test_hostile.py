"""The hostile corpus (tests/hostile/): every file ends in a clear, located message.

Each case runs as its own process under a 512 MB address-space limit and a
60 s CPU-time limit, the way a user would meet it: no traceback, no hang, no
runaway memory, no code run, exit 1 for bad data. The wall-clock timeout only
catches hangs (120 s): on a busy machine wall time says nothing about the
work done, so speed is measured in bench/, never here.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

HOSTILE = Path(__file__).parent / "hostile"
MEMORY = 512 * 2**20
CPU_SECONDS = 60
HANG_SECONDS = 120
ALIAS = "aliases (*name) are not supported; write the value out"
NOT_PLAIN = "only plain YAML values are read"

# file -> the exact stderr of `mmcost validate FILE` ({f} stands for the file's path).
CATALOG_CASES = {
    "tabs.yaml": "{f}:3:1: YAML syntax: found character that cannot start any token",
    "unclosed-quote.yaml": "{f}:5:1: YAML syntax: found unexpected end of stream",
    "unclosed-bracket.yaml": "{f}:3:1: YAML syntax: did not find expected node content",
    "duplicate-deep.yaml": "{f}:11:5: figures.tuition.kind: duplicate key 'kind' (first at line 10)",
    "python-tag.yaml": f"{{f}}:2:10: figures: unsupported tag 'tag:yaml.org,2002:python/object/apply:os.system'; {NOT_PLAIN}",
    "billion-laughs.yaml": f"{{f}}:2:14: lol2[0]: {ALIAS}",
    "deep-nesting.yaml": "{f}:2:73: nesting deeper than 64 levels",
    "empty.yaml": "{f}: file is empty; expected a mapping",
    "comment-only.yaml": "{f}: file is empty; expected a mapping",
    "top-list.yaml": "{f}:1:1: expected a mapping with `schema_version` at the top, found a list",
    "top-scalar.yaml": "{f}:1:1: expected a mapping with `schema_version` at the top, found text",
    "nul.yaml": "{f}: contains NUL bytes; is this a binary file?",
    "random.bin": "{f}: contains NUL bytes; is this a binary file?",
    "latin1.yaml": "{f}: not UTF-8 text (bad byte at offset 36)",
    "nan.yaml": "{f}:7:18: figures.fee.values[0].amount: '.nan' is not a usable number",
    "infinity.yaml": "{f}:7:18: figures.fee.values[0].amount: '.inf' is not a usable number",
    "huge-number.yaml": "{f}:7:18: figures.fee.values[0].amount: '1.0e+400' is not a usable number",
    "huge-integer.yaml": "{f}:1:17: schema_version: an integer of 5,000 digits is not a usable number",
    "negative.yaml": "{f}:7:10: figures.fee.values[0].amount: must be >= 0",
    "too-many-places.yaml": "{f}:7:9: figures.fee.values[0]: amount 100.001 has more than 2 decimal places for USD",
    "wrong-type.yaml": "{f}:24:9: programs.demo.pathways.uni.courses_credited: input should be a valid integer",
    "unknown-key.yaml": "{f}:19:5: programs.demo.discount: unknown key 'discount'; check the spelling (mmcost schema lists the keys)",
    "bad-slug.yaml": "{f}:14:3: programs.Demo_Program: ids must be lowercase slugs like 'mit-scm' (letters, digits, single hyphens)",
    "unknown-reference.yaml": "{f}:19:5: programs.demo.course_fee: unknown figure 'fees'; did you mean 'fee'? (define it under `figures`)",
    "over-credit.yaml": "{f}:24:9: programs.demo.pathways.uni.courses_credited: credits 40 courses but degree 'msc' requires only 10",
}


def limit_resources() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def mmcost(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run mmcost in its own process, under the memory and time limits."""
    return subprocess.run(
        [sys.executable, "-m", "mmcost", *args],
        input=stdin,
        capture_output=True,
        timeout=HANG_SECONDS,
        preexec_fn=limit_resources,
        check=False,
    )


@pytest.mark.parametrize("name", sorted(CATALOG_CASES))
def test_hostile_catalog(name: str) -> None:
    path = HOSTILE / name
    result = mmcost("validate", str(path))
    assert result.returncode == 1
    assert result.stdout == b""
    assert result.stderr.decode() == CATALOG_CASES[name].format(f=path) + "\n"


def test_valid_files_pass_and_a_byte_order_mark_is_accepted() -> None:
    for name in ("valid.yaml", "bom.yaml"):
        result = mmcost("validate", str(HOSTILE / name))
        assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")


def test_code_is_never_run(tmp_path: Path) -> None:
    marker = Path("/tmp/mmcost-pwned")
    marker.unlink(missing_ok=True)
    for args in (
        ("validate", str(HOSTILE / "python-tag.yaml")),
        ("estimate", "--scenario", str(HOSTILE / "scenario-hostile.yaml")),
    ):
        assert mmcost(*args).returncode == 1
    assert not marker.exists()


def test_hostile_scenario_file() -> None:
    path = HOSTILE / "scenario-hostile.yaml"
    result = mmcost("estimate", "--scenario", str(path))
    assert result.returncode == 1 and result.stdout == b""
    assert result.stderr.decode().splitlines() == [
        f"{path}:3:6: aid: '.nan' is not a usable number",
        f"{path}:4:8: start: unsupported tag 'tag:yaml.org,2002:python/name:os.system'; {NOT_PLAIN}",
    ]


def test_hostile_batch_rows() -> None:
    path = HOSTILE / "batch-hostile.csv"
    result = mmcost("batch", str(path))
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        f"{path}:row 2: column aid: 'ten' is not a number",
        f"{path}:row 3: 3 fields, but the header has 4",
        f"{path}:row 4: cannot read this row: a quote is not closed on this line (each row is one line)",
    ]
    assert [line.split(",")[0] for line in result.stdout.decode().splitlines()] == ["row", "1"]
    encoding = HOSTILE / "batch-encoding.csv"
    result = mmcost("batch", str(encoding))
    assert result.stderr.decode() == f"{encoding}:row 1: column id: not UTF-8 text\n"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("validate", "/no/such.yaml"), "/no/such.yaml: no such file"),
        (("validate", str(HOSTILE)), f"{HOSTILE}: is a directory; give a YAML file"),
        (("validate", "/dev/zero"), "/dev/zero: is not a regular file (a device or a pipe?); give a YAML file"),
        (
            ("batch", "/dev/zero"),
            "/dev/zero:row 0 (header): a line is longer than 1,000,000 characters; is this a CSV or NDJSON file?",
        ),
    ],
)
def test_paths_that_are_not_files(args: tuple[str, ...], expected: str) -> None:
    result = mmcost(*args)
    assert result.returncode == 1
    assert result.stderr.decode() == expected + "\n"


def test_an_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(64 * 2**20)  # sparse: 64 MB that would cost time and memory to read
    result = mmcost("validate", str(big))
    assert result.returncode == 1
    assert result.stderr.decode() == f"{big}: file is 67,108,864 bytes; the limit is 5,242,880\n"


def test_an_endless_stream_on_stdin_stops() -> None:
    result = mmcost("batch", "-", stdin=b"program,pathway\n" + b"a" * 3_000_000)
    assert result.returncode == 1
    assert "a line is longer than 1,000,000 characters" in result.stderr.decode()


def test_one_bad_row_among_300_000(tmp_path: Path) -> None:
    rows = [f"mit-scm,hes,{index % 90}" for index in range(300_000)]
    rows[150_000] = "mit-scm,hes,nine"
    path = tmp_path / "many.csv"
    path.write_text("program,pathway,aid\n" + "\n".join(rows) + "\n")
    result = mmcost("batch", str(path))
    assert result.returncode == 1
    assert result.stderr.decode() == f"{path}:row 150001: column aid: 'nine' is not a number\n"
    assert result.stdout.count(b"\n") == 1 + 299_999


def test_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Running as root, chmod cannot make a file unreadable; the refusal is simulated.
    from mmcost.errors import CatalogError
    from mmcost.yamlsrc import read_file

    path = tmp_path / "secret.yaml"
    path.write_text("schema_version: 1\n")

    def refuse(path: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("mmcost.yamlsrc.read_limited", refuse)
    with pytest.raises(CatalogError) as caught:
        read_file(path)
    assert [str(issue) for issue in caught.value.issues] == [f"{path}: permission denied"]


def test_a_full_disk_is_one_line_and_exit_1(tmp_path: Path) -> None:
    import os
    import stat

    node = tmp_path / "full"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # our own full device (every write: ENOSPC)
    with open(node, "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "mmcost", "estimate", "-p", "mit-scm", "-w", "hes",
             "-q"],
            stdout=full, stderr=subprocess.PIPE, timeout=HANG_SECONDS, check=False,
        )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.decode() == "error: cannot write the output: No space left on device\n"


def test_output_onto_a_device_writes_to_it_and_keeps_the_node(tmp_path: Path) -> None:
    import os
    import stat

    node = tmp_path / "null"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # our own null device, never the system's
    result = mmcost("estimate", "-p", "mit-scm", "-w", "hes", "-f", "csv", "-o", str(node), "-q")
    assert result.returncode == 0 and result.stderr == b""
    assert stat.S_ISCHR(node.stat().st_mode)  # still the device, not replaced by a regular file
    assert not [path for path in tmp_path.iterdir() if path.name != "null"]  # no temporary file left
    result = mmcost("estimate", "-p", "mit-scm", "-w", "hes", "-f", "csv", "-o", "-", "-q")
    assert result.returncode == 0 and result.stdout.startswith(b"program,pathway,section")


def _closing(fd: int) -> Callable[[], None]:
    """A preexec_fn: the resource limits, then descriptor fd closed, as the shell's `<&-` or `>&-` leaves it."""

    def close() -> None:
        limit_resources()
        os.close(fd)

    return close


def test_a_closed_stdout_is_one_line_and_exit_1_and_a_run_writing_to_o_needs_none(tmp_path: Path) -> None:
    route = [sys.executable, "-m", "mmcost", "estimate", "-p", "mit-scm", "-w", "hes", "-q"]
    result = subprocess.run(route, stderr=subprocess.PIPE, preexec_fn=_closing(1), timeout=HANG_SECONDS, check=False)
    assert (result.returncode, result.stderr) == (1, b"error: cannot write the output: standard output is closed\n")
    rows = tmp_path / "rows.csv"
    rows.write_text("program,pathway,aid\n" + "mit-scm,hes,10\nmit-scm,mit,20\n" * 1100)  # workers from 1,000 rows
    batch = [sys.executable, "-m", "mmcost", "batch", str(rows), "--jobs", "2", "-q"]
    piped = subprocess.run(batch, capture_output=True, timeout=HANG_SECONDS, check=True)
    out = tmp_path / "out.csv"
    result = subprocess.run(
        [*batch, "-o", str(out)], stderr=subprocess.PIPE, preexec_fn=_closing(1), timeout=HANG_SECONDS, check=False
    )
    assert (result.returncode, result.stderr) == (0, b"")
    assert out.read_bytes() == piped.stdout  # the -o file never took descriptor 1's place


def test_a_closed_stdin_is_one_located_line_and_exit_1() -> None:
    for args, expected in (
        (("batch", "-"), "<stdin>:row 0 (header): cannot read further: standard input is closed.\n"),
        (("--catalog", "-", "programs"), "<stdin>: cannot read: standard input is closed\n"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "mmcost", *args],
            capture_output=True, preexec_fn=_closing(0), timeout=HANG_SECONDS, check=False,
        )  # fmt: skip
        assert (result.returncode, result.stderr.decode(), result.stdout) == (1, expected, b"")
