"""The command line through click's runner: exit codes, streams, formats."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import simplejson
from click.testing import CliRunner

from mmcost.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_estimate_table() -> None:
    code, out, err = run("estimate", "--program", "mit-scm", "--pathway", "hes")
    assert code == 0
    # Fee year 2019-20: 5 x 150 + 200 (CFx) = 950; 8 x 2,700 + 100 = 21,700; net 22,650.
    assert "Net cost" in out and "22,650.00" in out and "Fee year 2019-20" in out
    assert "\x1b[" not in out  # not a terminal: no escape codes
    # Warnings are summarised: 3 figures carried forward to 2019-20 (SCM course fee 2016-17, HES
    # application fee 2014-15, HES tuition 2018-19), 1 derived (the HES tuition), 1 inferred requirement.
    assert "warning: 3 figures carried forward (oldest 2014-15); 1 derived figure; 1 inferred requirement" in err
    assert "hint: override a figure with --course-fee, --exam-fee, --tuition-per-course, --application-fee" in err
    assert "warning" not in out


def test_estimate_json_is_exact_and_consistent() -> None:
    code, out, _ = run("estimate", "-p", "mit-scm", "-w", "hes", "--year", "2018", "-f", "json", "-q")
    assert code == 0
    data = simplejson.loads(out, use_decimal=True)
    assert data["schema_version"] == 1
    assert (data["fee_year"], data["fee_year_label"], data["currency"]) == (2018, "2018-19", "USD")
    assert '"micromasters_cost": 1350.00' in out  # written from the Decimal, not a float
    assert data["net_cost"] == data["micromasters_cost"] + data["remaining_degree_cost"]
    assert data["savings"] == data["baseline_cost"] - data["net_cost"] == Decimal("9450.00")
    assert data["net_cost"] == sum(i["amount"] for i in data["line_items"] if i["section"] != "baseline")
    assert data["courses_credited"] == 4 and data["courses_remaining"] == 8
    assert any("derived" in warning for warning in data["warnings"])


def test_json_takes_plain_data_and_refuses_a_tuple() -> None:
    from typing import NamedTuple

    from mmcost.render import dumps_json

    class Pair(NamedTuple):
        a: int
        b: int

    # Amounts as written (1350.00, not 1350.0 or a string); keys in the order given.
    assert dumps_json({"x": [Decimal("1350.00"), None, True], "y": "é"}, indent=None) == (
        '{"x": [1350.00, null, true], "y": "é"}'
    )
    for value in ((1, 2), Pair(1, 2)):  # a view left a record in: a bug to fix, not an array or object to guess
        with pytest.raises(TypeError, match="not JSON serializable"):
            dumps_json({"x": value})


def test_a_line_items_json_fields_are_its_first_fields_in_order() -> None:
    from mmcost.engine import LineItem
    from mmcost.views.estimate import LINE_ITEM_FIELDS

    # line_item_dict zips these names with the LineItem's values: "kind" (its last field) stays out.
    assert LINE_ITEM_FIELDS[2:] == LineItem._fields[:-1]


def test_estimate_csv_has_one_row_per_line_item() -> None:
    code, out, _ = run("estimate", "-p", "mit-scm", "-w", "hes", "--year", "2018", "-f", "csv", "-q")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    # 5 courses + 1 exam; 2 degree lines; 2 baseline lines; then 8 totals.
    assert [row["section"] for row in rows].count("micromasters") == 6
    assert len(rows) == 10 + 8
    baseline = sum(Decimal(r["amount"]) for r in rows if r["section"] == "baseline")
    net = sum(Decimal(r["amount"]) for r in rows if r["section"] in ("micromasters", "degree"))
    assert baseline - net == Decimal("9450.00")
    # The totals rows say the same: the lines' sums, and their difference as savings.
    totals = {r["label"]: Decimal(r["amount"]) for r in rows if r["section"] == "total"}
    assert (totals["net_cost"], totals["baseline_cost"], totals["savings"]) == (net, baseline, Decimal("9450.00"))


def test_overrides_show_in_the_output() -> None:
    code, out, _ = run(
        "estimate", "-p", "mit-sds", "-w", "hes", "--course-fee", "300", "--exam-fee", "$1,000", "-f", "json", "-q"
    )
    assert code == 0
    data = simplejson.loads(out, use_decimal=True)
    # 4 courses x 300 + 1,000 capstone = 2,200 (your figures).
    assert data["micromasters_cost"] == Decimal("2200")
    assert {i["source"] for i in data["line_items"] if i["section"] == "micromasters"} == {"--course-fee", "--exam-fee"}


def test_set_overrides_any_figure() -> None:
    code, out, _ = run(
        "estimate", "-p", "mit-dedp", "-w", "mit", "--price-tier", "lowest",
        "--set", "mit-dedp-masters-tuition=40000", "-f", "json", "-q",
    )  # fmt: skip
    assert code == 0
    data = simplejson.loads(out, use_decimal=True)
    # Fee year 2024: 5 x 100 + 40,000 + student life fee 406 x 0.5 = 203 + 8 months of MIT's
    # graduate budget at 4,059.75 = 32,478 (worked out in test_engine) -> 73,181; no direct
    # route, so no baseline.
    assert data["net_cost"] == Decimal("73181.00")
    assert data["baseline_cost"] is None and data["savings"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-p", "mit-sc", "-w", "hes"],
            "error: unknown program 'mit-sc'; did you mean 'mit-scm'? (mmcost programs lists them)",
        ),
        (["-p", "mit-scm", "-w", "hse"], "error: unknown pathway of mit-scm 'hse'; did you mean 'hes'?"),
        (["-p", "mit-pom", "-w", "mit"], "error: no figure is known for PoM verified certificate fee per course"),
        (["-p", "mit-scm", "-w", "hes", "--set", "nope=1"], "error: unknown figure 'nope'"),
        # An id of 100,000 characters is cut to its first 30 in the message, with its length.
        (["-p", "a" * 100_000, "-w", "hes"], f"error: unknown program '{'a' * 30}'... (100,000 characters) (mmcost"),
    ],
)
def test_data_errors_exit_1_with_nothing_on_stdout(args: list[str], message: str) -> None:
    code, out, err = run("estimate", *args)
    assert code == 1
    assert out == ""
    assert err.startswith(message)
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--course-fee", "-5"], "'--course-fee': -5 is negative"),
        (["--course-fee", "abc"], "'abc' is not an amount; write digits"),
        (["--course-fee", "nan"], "'nan' is not finite"),
        (["--course-fee", "1.005"], "more than 2 decimal places"),
        (["--format", "xml"], "'xml' is not one of"),
        (["--year", "20"], "20 is not between 1900 and 2200"),
        (["--set", "no-equals"], "is not FIGURE=AMOUNT"),
        (["--tuition-per-course", "1"], "--tuition-per-course: does not apply to mit-scm/mit"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    pathway = "mit" if "--tuition-per-course" in args else "hes"
    code, out, err = run("estimate", "-p", "mit-scm", "-w", pathway, *args)
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.splitlines()) == 1 and err.startswith("mmcost estimate: ")  # one line, saying where


def test_a_broken_user_catalog_is_located(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(
        "schema_version: 1\nfigures:\n  x:\n    label: X\n    kind: fee\n    values: []\n    gap: unknown\n    extra: 1\n"
    )
    code, out, err = run("estimate", "-p", "mit-scm", "-w", "hes", "--catalog", str(path))
    assert code == 1
    assert out == ""
    assert (
        err == f"{path}:8:5: figures.x.extra: unknown key 'extra'; check the spelling (mmcost schema lists the keys)\n"
    )


def test_a_catalog_on_stdin_is_read_once(write_yaml: Callable[..., Path]) -> None:
    # The table's hint needs the catalog after the estimate: it must not read stdin a second time.
    path = write_yaml(
        "schema_version: 1\nfigures:\n  hes-application-fee:\n    label: HES application fee\n"
        "    kind: application_fee\n    values:\n      - {amount: 125, currency: USD, year: 2019,\n"
        "         applies_to: test, source: 'https://example.edu/fee'}\n"
    )
    result = CliRunner().invoke(cli, ["estimate", "mit-scm/hes", "--catalog", "-"], input=path.read_bytes())
    assert result.exit_code == 0, result.stderr
    # 5 x 150 + 200 = 950; 8 x 2,700 + 125 (the application fee from stdin) = 21,725; net 22,675.
    assert "22,675.00" in result.stdout
    assert "hint: override a figure" in result.stderr and "empty" not in result.stderr


def test_help_leads_with_an_example_and_lists_exit_codes() -> None:
    code, out, _ = run("estimate", "-h")
    assert code == 0
    assert "mmcost estimate --program mit-scm --pathway hes" in out
    assert "Exit codes: 0 success, 1 bad data or unknown id, 2 usage error." in out
