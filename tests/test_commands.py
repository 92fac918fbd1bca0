"""Every command in every format, parsed back; colour; -o; user catalogs; completion."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import simplejson
from click.testing import CliRunner

from mmcost.cli import cli

from .conftest import MINI_CATALOG

COMMANDS = {
    "estimate": ["estimate", "-p", "mit-scm", "-w", "hes", "-q"],
    "compare": ["compare", "-p", "mit-scm", "-q"],
    "programs": ["programs"],
    "pathways": ["pathways"],
    "show-program": ["show", "mit-scm"],
    "show-pathway": ["show", "mit-scm/hes"],
    "catalog-path": ["catalog", "path"],
}


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner(env=env).invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", COMMANDS)
def test_json_parses_back(name: str) -> None:
    code, out, _ = invoke(*COMMANDS[name], "--format", "json")
    assert code == 0
    data = simplejson.loads(out, use_decimal=True)
    assert data["schema_version"] == 1


@pytest.mark.parametrize("name", COMMANDS)
def test_ndjson_is_one_object_per_line(name: str) -> None:
    code, out, _ = invoke(*COMMANDS[name], "--format", "ndjson")
    assert code == 0
    lines = out.splitlines()
    assert lines
    assert all(isinstance(simplejson.loads(line), dict) for line in lines)


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_have_a_header_and_plain_numbers(name: str, fmt: str, delimiter: str) -> None:
    code, out, _ = invoke(*COMMANDS[name], "--format", fmt)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out), delimiter=delimiter))
    assert rows
    for row in rows:
        for key in ("amount", "net_cost", "savings", "unit_amount"):
            if row.get(key):
                Decimal(row[key])  # plain number: no separators, no symbol
    _, bare, _ = invoke(*COMMANDS[name], "--format", fmt, "--no-header")
    assert bare.splitlines() == out.splitlines()[1:]


@pytest.mark.parametrize("name", COMMANDS)
def test_tables_have_no_escape_codes_unless_asked(name: str) -> None:
    _, plain, _ = invoke(*COMMANDS[name])
    assert plain and "\x1b[" not in plain
    _, forced, _ = invoke(*COMMANDS[name], "--color", "always")
    assert "\x1b[" in forced
    _, no_color, _ = invoke(*COMMANDS[name], env={"NO_COLOR": "1"})
    assert "\x1b[" not in no_color
    _, never, _ = invoke("--color", "always", *COMMANDS[name], "--color", "never")
    assert "\x1b[" not in never


def test_compare_rows() -> None:
    code, out, _ = invoke("compare", "-p", "mit-scm", "--year", "2018", "-f", "json", "-q")
    assert code == 0
    rows = {(r["program"], r["pathway"], r["name"]): r for r in simplejson.loads(out, use_decimal=True)["rows"]}
    hes = rows[("mit-scm", "hes", "Harvard Extension School ALM in Management")]
    # 2018-19, as in the engine tests: net 23,050, savings 9,450 (29.1 %).
    assert (hes["net_cost"], hes["savings"], hes["savings_pct"]) == (
        Decimal("23050.00"),
        Decimal("9450.00"),
        Decimal("29.1"),
    )
    direct = rows[("mit-scm", "direct", "Harvard Extension School ALM in Management, taken directly")]
    assert direct["net_cost"] == Decimal("32500.00") and direct["courses_remaining"] == 12
    assert (direct["key"], hes["key"], hes["versus"]) == ("mit-scm/hes/direct", "mit-scm/hes", "mit-scm/hes/direct")
    blended = rows[("mit-scm", "mit", "MIT SCM blended master's (one semester at MIT)")]
    # Start fall 2018, 2 courses a term: courses fall 18, spring 19, summer 19; CFx fall 19;
    # the blended semester starts the next spring (2020): 4 terms x 4 = 16 months, + 5 at MIT = 21.
    assert blended["months"] == 21


def test_compare_across_programs_sorted_and_with_unpriced_rows() -> None:
    code, out, _ = invoke("compare", "-p", "mit-scm", "-p", "mit-pom", "--sort", "net_cost", "-f", "json", "-q")
    assert code == 0
    rows = simplejson.loads(out, use_decimal=True)["rows"]
    costs = [row["net_cost"] for row in rows if row["net_cost"] is not None]
    assert costs == sorted(costs)
    [pom] = [row for row in rows if row["program"] == "mit-pom"]
    assert pom["net_cost"] is None and "--course-fee AMOUNT" in pom["missing"]
    assert rows[-1] is not None and rows[-1]["program"] == "mit-pom"  # unpriced rows sort last


def test_compare_keys_are_unique_sorted_by_net_cost_and_accepted_by_estimate_and_show() -> None:
    code, out, _ = invoke("compare", "-f", "json", "-q")
    rows = simplejson.loads(out, use_decimal=True)["rows"]
    keys = [row["key"] for row in rows]
    assert len(keys) == len(set(keys))
    costs = [row["net_cost"] for row in rows if row["net_cost"] is not None]
    assert costs == sorted(costs)  # net cost is the default order
    [columbia] = [row for row in rows if row["program"] == "columbia-ba"]
    assert columbia["status"] == "closed 2021-08-30"
    for key in ("mit-scm/hes", "mit-scm/hes/direct"):
        assert invoke("estimate", key, "-f", "json", "-q")[0] == 0
        assert invoke("show", key, "-f", "json")[0] == 0
    code, _, err = invoke("estimate", "mit-scm", "-q")
    assert code == 2 and "write PROGRAM/PATHWAY" in err
    code, _, err = invoke("estimate", "mit-scm/hes", "-p", "mit-scm", "-q")
    assert code == 2 and "give the route once" in err


def test_compare_unknown_program_is_exit_1() -> None:
    code, out, err = invoke("compare", "-p", "mit-scn")
    assert code == 1 and out == ""
    assert "did you mean 'mit-scm'" in err


def test_programs_and_pathways_list_the_catalog() -> None:
    _, out, _ = invoke("programs", "-f", "json")
    programs = {row["program"]: row for row in simplejson.loads(out)["rows"]}
    assert programs["mit-scm"]["courses"] == 5
    assert programs["mit-scm"]["pathways"] == ["hes", "hes-sustainability", "mit"]  # a JSON array
    _, out, _ = invoke("pathways", "--program", "mit-sds", "-f", "json")
    [sds] = simplejson.loads(out)["rows"]
    assert (sds["courses_credited"], sds["courses_required"], sds["courses_remaining"]) == (3, 12, 9)
    assert sds["fee_years"] == ["2021-22"]  # an array: the one year of SDS's secondary bundle price
    _, out, _ = invoke("pathways", "--program", "mit-sds", "-f", "csv")
    assert out.splitlines()[1].endswith(",open,2021-22")  # CSV joins it into one cell


def test_show_lists_every_figure_with_year_and_source() -> None:
    code, out, _ = invoke("show", "mit-scm/hes", "-f", "json")
    assert code == 0
    view = simplejson.loads(out, use_decimal=True)
    cfx = [row for row in view["figures"] if row["figure"] == "mit-scm-cfx-fee"]
    assert [(row["year"], row["amount"]) for row in cfx] == [(2016, Decimal("600.00")), (2019, Decimal("200.00"))]
    assert all(row["source"].startswith("http") for row in view["figures"])
    assert view["credit"]["courses_credited"] == 4
    assert any(req["basis"] == "inference" for req in view["requirements"])
    assert any("HES graduate tuition per course" in gap for gap in view["gaps"])
    code, out, _ = invoke("show", "mit-dedp/mit")
    assert "unknown" in out and "none: the degree admits only through this pathway" in out


def test_output_file_format_follows_the_extension(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    code, out, _ = invoke("compare", "-p", "mit-scm", "-q", "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text().startswith("key,program,pathway,route,")
    code, _, err = invoke("compare", "-q", "-o", str(tmp_path / "out.xyz"))
    assert code == 2 and "cannot tell the format from 'out.xyz'" in err


def test_output_file_is_left_intact_when_the_command_fails(tmp_path: Path) -> None:
    target = tmp_path / "keep.json"
    target.write_text("precious\n")
    code, _, err = invoke("estimate", "-p", "nope", "-w", "hes", "-o", str(target))
    assert code == 1 and "unknown program" in err
    assert target.read_text() == "precious\n"


def test_output_file_is_left_intact_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "keep.json"
    target.write_text("precious\n")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    code, _, err = invoke("estimate", "-p", "mit-scm", "-w", "hes", "-q", "-o", str(target))
    assert code == 1
    assert err == f"{target}: cannot write: No space left on device\n"
    assert target.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.json"]  # no temporary file left


def test_output_into_a_missing_folder(tmp_path: Path) -> None:
    code, _, err = invoke("programs", "-o", str(tmp_path / "no" / "such.csv"))
    assert code == 1 and "does not exist" in err


def test_validate_is_silent_when_clean(write_yaml: Callable[..., Path]) -> None:
    code, out, err = invoke("validate", str(write_yaml(MINI_CATALOG)))
    assert (code, out, err) == (0, "", "")


def test_validate_reports_every_issue(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(MINI_CATALOG.replace("{amount: 50.00,", "{amount: -50.00,").replace("degree: msc", "degree: mba"))
    code, out, err = invoke("validate", str(path))
    assert code == 1 and out == ""
    assert err == f"{path}:13:10: figures.demo-exam-fee.values[0].amount: must be >= 0\n"
    # The cross-record check (unknown degree) runs once the file itself is valid:
    fixed = write_yaml(path.read_text().replace("-50.00", "50.00"), "fixed.yaml")
    code, _, err = invoke("validate", str(fixed))
    assert err == f"{fixed}:39:9: programs.demo.pathways.uni.degree: unknown degree 'mba' (define it under `degrees`)\n"
    code, out, err = invoke("validate", str(fixed), "--format", "json")
    report = simplejson.loads(out)
    assert code == 1 and err == "" and report["valid"] is False
    assert report["issues"] == [
        {
            "file": str(fixed),
            "line": 39,
            "column": 9,
            "path": "programs.demo.pathways.uni.degree",
            "message": "unknown degree 'mba' (define it under `degrees`)",
        }
    ]


def test_schema_is_the_models_json_schema() -> None:
    code, out, _ = invoke("schema")
    schema = simplejson.loads(out)
    assert code == 0
    assert schema["title"] == "mmcost catalog"
    assert set(schema["properties"]) == {"schema_version", "figures", "programs", "degrees"}
    assert schema["additionalProperties"] is False


def _replacing_catalog(write_yaml: Callable[..., Path], name: str) -> Path:
    return write_yaml(
        """\
        schema_version: 1
        figures:
          hes-tuition-per-course:
            label: HES graduate tuition per course (my figure)
            kind: tuition
            values:
              - {amount: 3000.00, currency: USD, year: 2025, applies_to: "2025-26", source: "https://example.edu/hes"}
        """,
        name,
    )


def test_catalog_option_replaces_a_bundled_figure(write_yaml: Callable[..., Path]) -> None:
    mine = _replacing_catalog(write_yaml, "mine.yaml")
    code, out, _ = invoke("--catalog", str(mine), "estimate", "-p", "mit-scm", "-w", "hes", "-f", "json", "-q")
    assert code == 0
    data = simplejson.loads(out, use_decimal=True)
    # Fee year 2025 (my figure is the newest): 8 x 3,000 + 100 = 24,100 for the degree.
    assert data["fee_year"] == 2025 and data["remaining_degree_cost"] == Decimal("24100.00")
    _, out, _ = invoke("show", "mit-scm/hes", "--catalog", str(mine), "-f", "json")
    defined = {row["figure"]: row["defined_in"] for row in simplejson.loads(out)["figures"]}
    assert defined["hes-tuition-per-course"] == str(mine)
    _, out, _ = invoke("show", "mit-scm/hes", "--catalog", str(mine))
    assert str(mine) in out


def test_environment_and_config_folder_catalogs(write_yaml: Callable[..., Path], tmp_path: Path) -> None:
    mine = _replacing_catalog(write_yaml, "env.yaml")
    _, out, _ = invoke("show", "mit-scm/hes", "-f", "json", env={"MMCOST_CATALOG": str(mine)})
    assert str(mine) in {row["defined_in"] for row in simplejson.loads(out)["figures"]}
    config = tmp_path / "config"
    (config / "mmcost").mkdir(parents=True)
    (config / "mmcost" / "extra.yaml").write_text(mine.read_text())
    env = {"XDG_CONFIG_HOME": str(config)}
    _, out, _ = invoke("catalog", "path", "-f", "json", env=env)
    rows = simplejson.loads(out)["rows"]
    assert rows[1] == {"source": "config folder", "path": str(config / "mmcost" / "extra.yaml"), "exists": True}
    _, out, _ = invoke("estimate", "-p", "mit-scm", "-w", "hes", "-f", "json", "-q", env=env)
    assert simplejson.loads(out, use_decimal=True)["fee_year"] == 2025


def test_a_missing_env_catalog_is_a_located_error() -> None:
    code, out, err = invoke("programs", env={"MMCOST_CATALOG": "/no/such/catalog.yaml"})
    assert (code, out, err) == (1, "", "/no/such/catalog.yaml: no such file\n")


@pytest.mark.parametrize(
    "command",
    ["estimate", "compare", "programs", "pathways", "show", "validate", "schema", "batch", "sweep", "breakeven"],
)
def test_every_help_leads_with_an_example(command: str) -> None:
    code, out, _ = invoke(command, "-h")
    assert code == 0
    assert "Example" in out and f"mmcost {command}" in out


def test_version() -> None:
    code, out, _ = invoke("--version")
    assert code == 0 and out.startswith("mmcost, version ")


def complete(words: str) -> list[str]:
    """What bash completion offers for the last of words (as click's bash_complete reports it)."""
    env = {
        **os.environ,
        "_MMCOST_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split())),
    }
    if not words.endswith(" "):
        env["COMP_CWORD"] = str(len(words.split()) - 1)
    command = [sys.executable, "-m", "mmcost"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


def test_shell_completion_of_ids() -> None:
    assert complete("mmcost estimate --program mit-s") == ["mit-scm", "mit-sds"]
    assert complete("mmcost estimate --program mit-dedp --pathway ") == ["hes", "mit"]


def test_a_real_pipeline(tmp_path: Path) -> None:
    mmcost = Path(sys.executable).with_name("mmcost")
    if not mmcost.exists():
        pytest.skip("mmcost console script not installed")
    reader = "import csv, sys; rows = list(csv.DictReader(sys.stdin)); print(len(rows), rows[0]['net_cost'])"
    result = subprocess.run(
        f'"{mmcost}" compare --program mit-scm --year 2018 --format csv -q | "{sys.executable}" -c "{reader}"',
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=tmp_path,
    )
    # 3 pathways + 3 direct degrees; the first row is mit-scm/hes at 23,050.00.
    assert result.stdout.split() == ["6", "23050.00"]
