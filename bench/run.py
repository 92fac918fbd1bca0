"""mmcost benchmark: start-up, batch throughput and batch memory, measured side by side.

Run from a checkout with mmcost installed in the current interpreter's environment:

    python bench/run.py            # the full run (about ten minutes: a million distinct rows)
    python bench/run.py --quick    # smaller inputs, for a smoke test

It prints a table and then the same figures as JSON. Ratios are measured in
one run on one machine, so a noisy machine moves both sides of each ratio.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

TARGETS = {
    "estimate_json_vs_python": 7.0,
    "estimate_table_vs_python": 9.0,
    "help_vs_python": 5.0,
    "batch_rows_per_second": 90_000.0,
    "batch_ndjson_vs_csv_time": 1.5,
    "batch_distinct_rows_per_second": 15_000.0,
    "batch_distinct_jobs2_speedup": 1.7,
    "batch_peak_mb_1m_rows": 100.0,
    "batch_distinct_jobs2_peak_mb": 100.0,
}
HIGHER_IS_BETTER = ("per_second", "speedup")

# Routes priced from the bundled catalog without extra figures.
ROUTES = [
    ("mit-scm", "hes", ""),
    ("mit-scm", "hes-sustainability", ""),
    ("mit-scm", "mit", ""),
    ("mit-dedp", "hes", "lowest"),
    ("mit-dedp", "hes", "highest"),
]


# Measure what a user runs: with bytecode cached (some sandboxes set PYTHONDONTWRITEBYTECODE,
# which makes every start compile the sources again) and with the catalog cache warm.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def mmcost_command() -> list[str]:
    script = Path(sys.executable).with_name("mmcost")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mmcost"]


def median_seconds(command: list[str], runs: int) -> float:
    subprocess.run(command, capture_output=True, check=True, env=ENV)  # warm bytecode, catalog cache, OS
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def write_scenarios(path: Path, rows: int, *, distinct: bool) -> None:
    """A study of every route under 50 aid levels and 2 fee years (distinct=False), or rows that are
    all different scenarios (distinct=True: aid, salary and employer money vary row by row)."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "program", "pathway", "price_tier", "year", "aid", "salary", "employer_per_year"])
        for index in range(rows):
            program, pathway, tier = ROUTES[index % len(ROUTES)]
            year = 2018 + (index // len(ROUTES)) % 2
            aid = (index // (2 * len(ROUTES))) % 50 if program != "mit-dedp" else ""
            salary = 40000 + index if distinct else ""
            employer = (index * 7) % 5251 if distinct else ""
            writer.writerow([f"r{index}", program, pathway, tier, year, aid, salary, employer])


def batch_seconds(input_path: Path, *options: str) -> float:
    start = time.perf_counter()
    with open(os.devnull, "w") as sink:
        command = [*mmcost_command(), "batch", str(input_path), "-q", *options]
        subprocess.run(command, stdout=sink, check=True, env=ENV)
    return time.perf_counter() - start


def peak_mb(input_path: Path, *options: str) -> float:
    """Peak memory of one batch run: the largest sum over mmcost and its worker processes, sampled
    every 20 ms from /proc (Linux), of each one's proportional set size (PSS: a page shared by n
    processes counts 1/n to each). Summing resident sizes instead would count every page a forked
    worker still shares with its parent once per process."""
    command = [*mmcost_command(), "batch", str(input_path), "-q", *options]
    with open(os.devnull, "w") as sink:
        process = subprocess.Popen(command, stdout=sink, env=ENV)
        peak = 0
        while process.poll() is None:
            peak = max(peak, sum(_proportional_kb(pid) for pid in _tree(process.pid)))
            time.sleep(0.02)
    if process.returncode != 0:
        raise SystemExit(f"batch failed with exit code {process.returncode}")
    return peak / 1024


def _tree(pid: int) -> list[int]:
    """pid and all its descendants."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        queue += [int(child) for child in children]
    return found


def _proportional_kb(pid: int) -> int:
    """PSS in kB (smaps_rollup, Linux 4.14+); resident size where the kernel has no rollup."""
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            text = Path(path).read_text()
        except OSError:
            continue
        line = next((line for line in text.splitlines() if line.startswith(key)), None)
        if line is not None:
            return int(line.split()[1])
    return 0


def shell_loop_seconds_per_row(rows: int) -> float:
    command = " ".join(mmcost_command())
    script = (
        f"for i in $(seq {rows}); do {command} estimate -p mit-scm -w hes --aid 50 --format csv -q > /dev/null; done"
    )
    start = time.perf_counter()
    subprocess.run(["bash", "-c", script], check=True, env=ENV)
    return (time.perf_counter() - start) / rows


def startup_figures(runs: int) -> dict[str, float]:
    """One-shot commands as fresh processes, each against `python -c pass` in the same run."""
    python = median_seconds([sys.executable, "-c", "pass"], runs)
    tool = mmcost_command()
    route = ["estimate", "--program", "mit-scm", "--pathway", "hes"]
    estimate_json = median_seconds([*tool, *route, "--format", "json"], runs)
    estimate_table = median_seconds([*tool, *route, "--format", "table"], runs)
    help_time = median_seconds([*tool, "--help"], runs)
    # The chart and the report load plotext, jinja2 and pygal; only they should pay for it (no target).
    chart = median_seconds([*tool, *route, "--chart", "--salary-uplift", "15000", "-q"], runs)
    report = {}
    if all(importlib.util.find_spec(name) for name in ("jinja2", "pygal")):
        with tempfile.TemporaryDirectory() as folder:
            page = str(Path(folder) / "r.html")
            report["report_html_ms"] = median_seconds([*tool, "report", "mit-scm/hes", "-q", "-o", page], runs) * 1000
    else:
        print("report_html_ms: not measured (pip install '.[report]' adds it)", file=sys.stderr)
    return {
        "python_pass_ms": python * 1000,
        "estimate_json_ms": estimate_json * 1000,
        "estimate_json_vs_python": estimate_json / python,
        "estimate_table_ms": estimate_table * 1000,
        "estimate_table_vs_python": estimate_table / python,
        "help_ms": help_time * 1000,
        "help_vs_python": help_time / python,
        "estimate_chart_ms": chart * 1000,
        **report,
    }


def floor_seconds(input_path: Path) -> float:
    """A lower bound for batch: read each input row's CSV fields and write a result row of the same output
    fields (one real result's cells, with the row's number and id), with no arithmetic, in this process."""
    with input_path.open() as handle:
        head = handle.readline() + handle.readline()  # the header and the first row
    command = [*mmcost_command(), "batch", "-", "-q", "--jobs", "1"]
    result = subprocess.run(command, input=head, capture_output=True, check=True, env=ENV, text=True)
    template = next(csv.reader(result.stdout.splitlines()[1:]))
    start = time.perf_counter()
    with input_path.open(newline="") as handle, open(os.devnull, "w", newline="") as sink:
        reader, writer = csv.reader(handle), csv.writer(sink, lineterminator="\n")
        writer.writerow(next(reader))
        for number, row in enumerate(reader, start=1):
            writer.writerow([number, row[0], *template[2:]])
    return time.perf_counter() - start


def distinct_stage_figures(input_path: Path) -> dict[str, float]:
    """Where a distinct row's time goes, in this process: parsing its options, the engine, and encoding its
    CSV result, each timed over every row in a loop of its own, after a first pass has made the routes'
    plans (the batch figures above include making them, and reading, checking and writing the rows).
    No loop keeps its results, as batch keeps none: encoding cycles through the first 1,000 estimates."""
    import mmcost
    from mmcost import engine
    from mmcost.render import OutputFormat, RowEncoder, Style

    catalog = mmcost.load_catalog()  # what batch loads: the bundled catalog and the user's
    with input_path.open(newline="") as handle:
        rows = [{key: text for key, text in row.items() if text and key != "id"} for row in csv.DictReader(handle)]
    routes = [(row.pop("program"), row.pop("pathway")) for row in rows]
    requests = [engine.Request.parse(row) for row in rows]
    for route, request in zip(routes, requests, strict=True):
        engine.estimate(catalog, *route, request)
    first = zip(routes[:1000], requests[:1000], strict=True)
    kept = [engine.estimate(catalog, *route, request) for route, request in first]
    encode = RowEncoder(OutputFormat.CSV, Style())

    def parse() -> None:
        for row in rows:
            engine.Request.parse(row)

    def price() -> None:
        for route, request in zip(routes, requests, strict=True):
            engine.estimate(catalog, *route, request)

    def encode_all() -> None:
        for index in range(len(rows)):
            encode(kept[index % len(kept)])

    def per_row(loop: Callable[[], None]) -> float:
        start = time.perf_counter()
        loop()
        return 1e6 * (time.perf_counter() - start) / len(rows)

    return {
        "distinct_parse_us_per_row": per_row(parse),
        "distinct_engine_us_per_row": per_row(price),
        "distinct_encode_us_per_row": per_row(encode_all),
    }


def one_and_two_processes(input_path: Path, rows: int, runs: int) -> tuple[float, float]:
    """Seconds to run batch with --jobs 1 and with --jobs 2 on rows distinct scenarios, written to input_path:
    medians of runs alternating runs, so that a noisy moment moves one run, not the figure."""
    write_scenarios(input_path, rows, distinct=True)
    ones, twos = [], []
    for _ in range(runs):
        ones.append(batch_seconds(input_path, "--jobs", "1"))
        twos.append(batch_seconds(input_path, "--jobs", "2"))
    return statistics.median(ones), statistics.median(twos)


class Sizes(NamedTuple):
    """The batch inputs' sizes."""

    batch_rows: int
    """The study of repeated scenarios."""
    distinct_rows: int
    """The study whose every row is a different scenario."""
    short_rows: int
    """A short study of different scenarios."""
    distinct_runs: int
    """Runs of each distinct study, one process and two (the figures are their medians)."""
    loop_rows: int
    """Rows of the shell loop."""
    memory_rows: int
    """Rows of the peak-memory runs."""


FULL = Sizes(
    batch_rows=500_000, distinct_rows=200_000, short_rows=20_000, distinct_runs=3, loop_rows=20, memory_rows=1_000_000
)
QUICK = Sizes(
    batch_rows=20_000, distinct_rows=5_000, short_rows=2_000, distinct_runs=1, loop_rows=5, memory_rows=50_000
)


def batch_figures(sizes: Sizes) -> dict[str, float]:
    """Batch throughput (repeated and distinct scenarios, one process and two: the distinct figures and their
    floor are medians of sizes.distinct_runs runs, on a study and on a short one), against a shell loop, and peak
    memory."""
    batch_rows, distinct_rows, short_rows, distinct_runs, loop_rows, memory_rows = sizes
    figures: dict[str, float] = {}
    folder = Path(tempfile.mkdtemp(prefix="mmcost-bench-"))
    try:
        study = folder / "study.csv"
        write_scenarios(study, batch_rows, distinct=False)
        figures["batch_rows"] = batch_rows
        csv_seconds = batch_seconds(study, "--jobs", "1")
        figures["batch_rows_per_second"] = batch_rows / csv_seconds
        ndjson_seconds = batch_seconds(study, "--jobs", "1", "--format", "ndjson")
        figures["batch_ndjson_rows_per_second"] = batch_rows / ndjson_seconds
        figures["batch_ndjson_vs_csv_time"] = ndjson_seconds / csv_seconds
        distinct = folder / "distinct.csv"
        figures["batch_distinct_rows"] = distinct_rows
        one, two = one_and_two_processes(distinct, distinct_rows, distinct_runs)
        figures["batch_distinct_rows_per_second"] = distinct_rows / one
        figures["batch_distinct_jobs2_rows_per_second"] = distinct_rows / two
        figures["batch_distinct_jobs2_speedup"] = one / two
        figures["batch_distinct_us_per_row"] = 1e6 * one / distinct_rows
        floor = statistics.median(floor_seconds(distinct) for _ in range(distinct_runs))
        figures["batch_floor_us_per_row"] = 1e6 * floor / distinct_rows
        # A short study too, whose time start-up weighs on: starting mmcost, and each process making the routes'
        # plans, do not halve with a second process.
        short = folder / "distinct-short.csv"
        figures["batch_short_rows"] = short_rows
        one, two = one_and_two_processes(short, short_rows, distinct_runs)
        figures["batch_short_rows_per_second"] = short_rows / one
        figures["batch_short_jobs2_speedup"] = one / two
        # NDJSON of distinct rows writes each one's whole estimate (line items, schedules, assumptions): one run.
        ndjson = batch_seconds(short, "--jobs", "1", "--format", "ndjson")
        figures["batch_short_ndjson_us_per_row"] = 1e6 * ndjson / short_rows
        figures["batch_short_ndjson_vs_csv_time"] = ndjson / one
        figures |= distinct_stage_figures(short)
        loop = shell_loop_seconds_per_row(loop_rows)
        figures["shell_loop_rows_per_second"] = 1 / loop
        figures["batch_vs_shell_loop"] = figures["batch_rows_per_second"] * loop
        memory_input = folder / "memory.csv"
        write_scenarios(memory_input, memory_rows, distinct=False)
        figures["batch_memory_rows"] = memory_rows
        label = {1_000_000: "1m", 10_000_000: "10m"}.get(memory_rows, str(memory_rows))
        figures[f"batch_peak_mb_{label}_rows"] = peak_mb(memory_input, "--jobs", "1")
        write_scenarios(memory_input, memory_rows, distinct=True)
        figures["batch_distinct_jobs2_peak_mb"] = peak_mb(memory_input, "--jobs", "2")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs (a smoke test, not the figures to quote)")
    parser.add_argument("--memory-rows", type=int, default=None, help="rows for the peak-memory run [1,000,000]")
    args = parser.parse_args()
    figures = startup_figures(5 if args.quick else 15)
    sizes = QUICK if args.quick else FULL
    figures |= batch_figures(sizes._replace(memory_rows=args.memory_rows or sizes.memory_rows))
    print(f"{'figure':34} {'value':>14} {'target':>12}  ok")
    for name, value in figures.items():
        target = TARGETS.get(name)
        if target is None:
            print(f"{name:34} {value:14.2f}")
            continue
        higher_is_better = name.endswith(HIGHER_IS_BETTER)
        ok = value >= target if higher_is_better else value <= target
        sign = ">=" if higher_is_better else "<="
        print(f"{name:34} {value:14.2f} {sign + ' ' + format(target, 'g'):>12}  {'yes' if ok else 'NO'}")
    summary = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "quick": args.quick, "figures": figures}
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
