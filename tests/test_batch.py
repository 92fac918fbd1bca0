"""`mmcost batch`: rows in, results out, in order, with located errors for bad rows."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import simplejson
from click.testing import CliRunner

import mmcost
from mmcost.cli import cli

D = Decimal


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_csv_in_csv_out_in_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "in.csv",
        "id,program,pathway,year,aid\nx,mit-scm,hes,2018,50\ny,mit-scm,hes,2018,\nz,mit-scm,hes,2018,50\n",
    )
    code, out, err = run("batch", str(path))
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["row"], r["id"]) for r in rows] == [("1", "x"), ("2", "y"), ("3", "z")]
    # 2018-19 with 50% aid: 5 x (150 - 75) + 600 = 975; + 21,700 = 22,675; savings 32,500 - 22,675 = 9,825.
    assert (rows[0]["micromasters_cost"], rows[0]["net_cost"], rows[0]["savings"]) == ("975.00", "22675.00", "9825.00")
    # Without aid: 1,350 + 21,700 = 23,050.
    assert rows[1]["net_cost"] == "23050.00"
    assert rows[2]["net_cost"] == rows[0]["net_cost"]


def test_results_equal_the_estimate_command(tmp_path: Path) -> None:
    path = write(tmp_path, "in.csv", "program,pathway,aid,employer_per_year,courses-per-term\nmit-scm,mit,30,5250,1\n")
    _, out, _ = run("batch", str(path), "--format", "ndjson")
    from_batch = simplejson.loads(out, use_decimal=True)
    # The row's number and id, then the estimate's own fields at the top level.
    assert (from_batch.pop("row"), from_batch.pop("id")) == (1, None)
    _, single, _ = run(
        "estimate",
        "-p",
        "mit-scm",
        "-w",
        "mit",
        "--aid",
        "30",
        "--employer-per-year",
        "5250",
        "--courses-per-term",
        "1",
        "-f",
        "json",
        "-q",
    )
    assert from_batch == simplejson.loads(single, use_decimal=True)


def test_bad_rows_are_located_and_skipped(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "in.csv",
        'program,pathway,aid\nmit-scm,hes,95\nmit-scm,hes\nmit-scm,hes,"10\nmit-sds,hes,\nmit-scm,hes,10\n',
    )
    code, out, err = run("batch", str(path))
    assert code == 1
    assert err.splitlines() == [
        f"{path}:row 1: column aid: 95 is not between 0 and 90",
        f"{path}:row 2: 2 fields, but the header has 3",
        f"{path}:row 3: cannot read this row: a quote is not closed on this line (each row is one line)",
    ]
    # The open quote ends with its line: the rows after it are priced, under their own numbers.
    assert [line.split(",")[:4] for line in out.splitlines()] == [
        ["row", "id", "program", "pathway"],
        ["4", "", "mit-sds", "hes"],
        ["5", "", "mit-scm", "hes"],
    ]


def test_missing_figures_and_unknown_ids_per_row(tmp_path: Path) -> None:
    path = write(tmp_path, "in.csv", "program,pathway\nmit-pom,mit\nmit-scn,hes\nmit-scm,hes\n")
    code, out, err = run("batch", str(path))
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith(f"{path}:row 1: no figure is known for PoM verified certificate fee per course")
    assert lines[1] == f"{path}:row 2: unknown program 'mit-scn'; did you mean 'mit-scm'? (mmcost programs lists them)"
    assert [row["row"] for row in csv.DictReader(io.StringIO(out))] == ["3"]


def test_rows_sharing_a_plan_read_as_each_row_alone(tmp_path: Path) -> None:
    # Batch parses a row's plan columns (route, aid) once for every row that gives the same, and its scenario
    # columns (salary, currency, rate, employer) per row. Each row must still say what it says priced alone:
    # the first bad column in the header's order, and a currency without a rate before a route's missing figure.
    path = write(
        tmp_path,
        "in.csv",
        "salary,program,pathway,aid,currency,rate,employer_per_year\n"
        "abc,mit-scm,hes,95,,,\n"
        "50000,mit-scm,hes,95,,,\n"
        "50000,mit-pom,mit,,EUR,,\n"
        "50000,mit-pom,mit,,,,\n"
        "50000,mit-scm,mit,10,,,x\n"
        "60000,mit-scm,mit,10,,,6000\n"
        "60000,mit-scm,mit,10,,,\n",
    )
    code, out, err = run("batch", str(path))
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == f"{path}:row 1: column salary: 'abc' is not an amount; write digits like 2700 or 2700.50"
    assert lines[1] == f"{path}:row 2: column aid: 95 is not between 0 and 90"
    assert lines[2] == (
        f"{path}:row 3: column rate: column currency and column rate go together (mmcost has no network access for rates)"
    )
    assert lines[3].startswith(f"{path}:row 4: no figure is known for PoM verified certificate fee per course")
    assert (
        lines[4] == f"{path}:row 5: column employer_per_year: 'x' is not an amount; write digits like 2700 or 2700.50"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["row"] for row in rows] == ["6", "7"]
    # The two priced rows share one plan and differ only in the employer's money: each equals the one-shot estimate.
    for row, employer in zip(rows, ("6000", None), strict=True):
        scenario: dict[str, Any] = {"aid": 10, "salary": 60000}
        if employer is not None:
            scenario["employer_per_year"] = employer
        alone = mmcost.estimate("mit-scm", "mit", **scenario)
        assert (D(row["employer_funding"]), D(row["net_cost"])) == (alone.employer_funding, alone.net_cost)
    # The employer's cap of 6,000 a year covers more than nothing: the first row costs less.
    assert D(rows[0]["net_cost"]) < D(rows[1]["net_cost"])


def test_fail_fast_stops_and_keeps_the_old_output_file(tmp_path: Path) -> None:
    path = write(tmp_path, "in.csv", "program,pathway,aid\nmit-scm,hes,10\nmit-scm,hes,abc\nmit-scm,hes,20\n")
    target = write(tmp_path, "out.csv", "precious\n")
    code, out, err = run("batch", str(path), "--fail-fast", "-o", str(target))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{path}:row 2: column aid: 'abc' is not a number",
        "error: stopped at the first bad row (--fail-fast)",
    ]
    assert target.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_fail_fast_writes_the_rows_before_the_bad_one_whole_in_every_format(tmp_path: Path) -> None:
    # Rows 1 and 2 are priced, row 3 is refused, row 4 is never read.
    path = write(
        tmp_path, "in.csv", "program,pathway,aid\nmit-scm,hes,10\nmit-scm,mit,20\nmit-scm,hes,95\nmit-scm,hes,30\n"
    )
    for output in ("csv", "json", "ndjson", "table"):
        code, out, err = run("batch", str(path), "--fail-fast", "-f", output)
        assert code == 1
        assert err.splitlines() == [
            f"{path}:row 3: column aid: 95 is not between 0 and 90",
            "error: stopped at the first bad row (--fail-fast)",
        ]
        if output == "json":  # the document ends: it parses
            assert [row["row"] for row in simplejson.loads(out)["rows"]] == [1, 2]
        elif output == "ndjson":
            assert [simplejson.loads(line)["row"] for line in out.splitlines()] == [1, 2]
        elif output == "csv":
            assert [row["row"] for row in csv.DictReader(io.StringIO(out))] == ["1", "2"]
        else:  # the table's last block: its rows lead with their numbers (`|   1 |    | mit-scm ...`)
            cells = [line.split("|") for line in out.splitlines() if line.startswith("|")]
            assert [row[1].strip() for row in cells] == ["row", "1", "2"], out


def test_output_file_is_written_at_the_end(tmp_path: Path) -> None:
    path = write(tmp_path, "in.csv", "program,pathway\nmit-scm,hes\n")
    target = tmp_path / "out.ndjson"
    code, out, _ = run("batch", str(path), "-o", str(target))
    assert code == 0 and out == ""
    [line] = target.read_text().splitlines()
    assert simplejson.loads(line)["row"] == 1  # the format follows the extension


def test_output_that_is_the_input_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    text = "program,pathway\nmit-scm,hes\n"
    path = write(tmp_path, "in.csv", text)
    (tmp_path / "link.csv").symlink_to(path)
    for target in (path, tmp_path / "link.csv"):
        code, out, err = run("batch", str(path), "-o", str(target))
        assert (code, out) == (2, "")
        assert f"{target} is the input file; write the results to another file" in err
    assert path.read_text() == text


def test_header_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "in.csv", "program,pathway,aide\nmit-scm,hes,1\n")
    code, out, err = run("batch", str(path))
    assert (code, out) == (1, "")
    assert err == f"{path}:row 0 (header): column 'aide' is not an option; did you mean 'aid'?\n"


def test_ndjson_read_as_csv_says_which_option_reads_it(tmp_path: Path) -> None:
    path = write(tmp_path, "rows.txt", '{"program": "mit-scm", "pathway": "hes"}\n')
    code, out, err = run("batch", str(path))
    assert (code, out) == (1, "")
    assert err == f"{path}:row 0 (header): this is NDJSON; add --input-format ndjson\n"


def test_tsv_input_prices_as_csv_does(tmp_path: Path) -> None:
    rows = [
        ["id", "program", "pathway", "year", "aid"],
        ["x", "mit-scm", "hes", "2018", "50"],
        ["y", "mit-scm", "mit", "", ""],
    ]
    as_csv = write(tmp_path, "in.csv", "".join(",".join(row) + "\n" for row in rows))
    as_tsv = write(tmp_path, "in.tsv", "".join("\t".join(row) + "\n" for row in rows))
    _, expected, _ = run("batch", str(as_csv))
    assert run("batch", str(as_tsv)) == (0, expected, "")  # by its extension
    assert run("batch", "--input-format", "tsv", stdin=as_tsv.read_bytes()) == (0, expected, "")
    # 2018-19 with 50% aid: 975 + 21,700 = 22,675 (as in test_csv_in_csv_out_in_order).
    assert next(csv.DictReader(io.StringIO(expected)))["net_cost"] == "22675.00"


def test_a_header_with_another_separator_says_how_to_read_it(tmp_path: Path) -> None:
    semicolons = write(tmp_path, "in.csv", "program;pathway;aid\nmit-scm;hes;10\n")
    code, out, err = run("batch", str(semicolons))
    assert (code, out) == (1, "")
    assert err == (
        f"{semicolons}:row 0 (header): column 'program;pathway;aid' is not an option; "
        "the header is separated by semicolons, not commas: save it as CSV with commas\n"
    )
    _, _, err = run("batch", "--input-format", "tsv", stdin=b"program,pathway\nmit-scm,hes\n")
    assert err.endswith("the header is separated by commas, not tabs: read it as CSV: --input-format csv\n")
    _, _, err = run("batch", stdin=b"program\tpathway\nmit-scm\thes\n")
    assert err.endswith("not commas: read it as TSV: --input-format tsv (or name the file .tsv)\n")


def test_encodings_and_binary(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "in.csv",
        b"\xef\xbb\xbfid,program,pathway\ncaf\xe9,mit-scm,hes\nok,mit-scm,hes\nnul\x00,mit-scm,hes\n",
    )
    code, out, err = run("batch", str(path))
    assert code == 1
    assert err.splitlines() == [
        f"{path}:row 1: column id: not UTF-8 text",
        f"{path}:row 3: column id: contains the control character U+0000",
    ]
    assert [row["id"] for row in csv.DictReader(io.StringIO(out))] == ["ok"]  # the BOM was accepted


def test_ndjson_in_json_out(tmp_path: Path) -> None:
    lines = '{"program": "mit-scm", "pathway": "hes", "aid": 50, "year": 2018, "id": "a"}\n[1]\nnot json\n{"program": "mit-scm", "pathway": "mit"}\n'
    path = write(tmp_path, "in.ndjson", lines)
    code, out, err = run("batch", str(path), "--format", "json")
    assert code == 1
    assert err.splitlines() == [
        f"{path}:row 2: each line must be a JSON object",
        f"{path}:row 3: not JSON: Expecting value: line 1 column 1 (char 0)",
    ]
    data = simplejson.loads(out, use_decimal=True)
    assert [(row["row"], row["id"]) for row in data["rows"]] == [(1, "a"), (4, None)]
    assert data["rows"][0]["net_cost"] == D("22675.00")


def test_stdin(tmp_path: Path) -> None:
    code, out, err = run("batch", "-", stdin=b"program,pathway\nmit-scm,hes\n")
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 2


def test_one_bad_row_among_many(tmp_path: Path) -> None:
    rows = ["program,pathway,aid"] + [f"mit-scm,hes,{index % 90}" for index in range(5000)]
    rows[2500] = "mit-scm,hes,-1"
    path = write(tmp_path, "in.csv", "\n".join(rows) + "\n")
    code, out, err = run("batch", str(path))
    assert code == 1
    assert err == f"{path}:row 2500: column aid: -1 is not between 0 and 90\n"
    assert len(out.splitlines()) == 1 + 4999


def test_missing_input_file(tmp_path: Path) -> None:
    code, out, err = run("batch", str(tmp_path / "nope.csv"))
    assert (code, out) == (1, "")
    assert err == f"{tmp_path / 'nope.csv'}: no such file\n"


def test_a_csv_row_is_encoded_run_by_run_as_its_values_at_once() -> None:
    """RowEncoder writes a CSV or TSV row run by run (the runs a route's rows repeat kept); the line is the one
    DelimitedWriter.prepare_values makes of batch_values, for rows with an outcome, a conversion, no baseline."""
    from mmcost.render import OutputFormat, RowEncoder, Style
    from mmcost.render.delimited import DelimitedWriter
    from mmcost.views import BATCH_FIELDS, batch_values

    scenarios: list[tuple[str, str, dict[str, Any]]] = [
        ("mit-scm", "hes", {}),
        ("mit-scm", "mit", {"salary": "60000", "salary_uplift": "12000", "discount_rate": "5", "aid": "50"}),
        ("mit-scm", "hes-sustainability", {"currency": "EUR", "rate": "0.9", "employer_per_year": "5250"}),
        ("mit-dedp", "hes", {"price_tier": "lowest", "scholarship": "10%"}),
    ]
    for output, delimiter in ((OutputFormat.CSV, ","), (OutputFormat.TSV, "\t")):
        encode = RowEncoder(output, Style())
        writer = DelimitedWriter(io.StringIO(), BATCH_FIELDS, delimiter, header=False, raw=False)
        for _ in range(2):  # the second time from the kept runs
            for program, pathway, scenario in scenarios:
                estimate = mmcost.estimate(program, pathway, **scenario).estimate
                assert encode(estimate) == writer.prepare_values(batch_values(estimate))
