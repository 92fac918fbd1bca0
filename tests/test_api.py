"""The Python API: the same numbers and contracts as the command line, and the README's Dask example."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import simplejson

import mmcost
from mmcost.errors import MmcostError, UnknownIdError
from tests.test_hostile import HANG_SECONDS
from tests.test_hostile import mmcost as run_mmcost

ROOT = Path(__file__).resolve().parents[1]


def test_estimate_prices_a_route_as_the_command_line_does() -> None:
    result = mmcost.estimate(program="mit-scm", pathway="hes", aid=50)
    # MicroMasters: 5 certificates x 150.00 = 750.00, half of it aid -> 375.00, plus the CFx exam 200.00 = 575.00;
    # remaining degree: 8 courses x 2,700.00 = 21,600.00 + the 100.00 application fee = 21,700.00.
    assert result.micromasters_cost == Decimal("575.00")
    assert result.net_cost == Decimal("22275.00")  # 575.00 + 21,700.00
    cli = run_mmcost("estimate", "mit-scm/hes", "--aid", "50", "-f", "json", "-q")
    assert cli.returncode == 0, cli.stderr
    assert result.to_dict() == simplejson.loads(cli.stdout, use_decimal=True)


def test_estimate_raises_the_command_lines_error() -> None:
    with pytest.raises(UnknownIdError) as caught:
        mmcost.estimate(program="mit-scn", pathway="hes")
    assert "mit-scm" in " ".join(caught.value.lines(str))  # the "did you mean"
    with pytest.raises(MmcostError):
        mmcost.estimate(program="mit-scm", pathway="hes", aid=95)


def test_price_rows_is_batch_row_for_row() -> None:
    rows = [
        {"id": "a", "program": "mit-scm", "pathway": "hes", "aid": 50},
        {"id": "b", "program": "mit-scm", "pathway": "hes", "aid": 95},
        {"id": "c", "program": "MIT-SCM", "pathway": "mit", "salary": Decimal("60000"), "employer-per-year": 5250},
        {"id": "d", "program": "mit-scm", "pathway": "hes", "aid": 50},
    ]
    priced = list(mmcost.price_rows(rows))
    assert [(row.row, row.id) for row in priced] == [(1, "a"), (2, "b"), (3, "c"), (4, "d")]  # in order, none lost
    assert priced[1].result is None and priced[1].error == "column aid: 95 is not between 0 and 90"
    assert priced[0].result is not None and priced[0].result.net_cost == Decimal("22275.00")  # as worked out above
    ndjson = "".join(
        simplejson.dumps({key.replace("-", "_"): value for key, value in row.items()}) + "\n" for row in rows
    )
    cli = run_mmcost("batch", "-", "--input-format", "ndjson", "-f", "ndjson", stdin=ndjson.encode())
    assert cli.returncode == 1  # row 2 is bad
    lines = [simplejson.loads(line, use_decimal=True) for line in cli.stdout.decode().splitlines()]
    assert [row.to_dict() for row in priced if row.result is not None] == lines
    assert priced[1].to_dict() == {"row": 2, "id": "b", "error": "column aid: 95 is not between 0 and 90"}
    assert "row 2: column aid: 95 is not between 0 and 90" in cli.stderr.decode()


def test_price_rows_reports_what_is_not_a_row() -> None:
    rows = [["mit-scm", "hes"], {"program": "mit-scm", "pathway": "hes", "course fee": 1}, {"program": "mit-scm"}]
    errors = [row.error for row in mmcost.price_rows(rows)]  # type: ignore[arg-type]
    assert errors == ["not a mapping", "key 'course fee' is not an option", "columns program and pathway are required"]


def test_the_readme_dask_example_runs(tmp_path: Path) -> None:
    pytest.importorskip("dask.bag")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [block] = [code for code in re.findall(r"```python\n(.*?)```", readme, re.S) if "dask" in code]
    script = tmp_path / "study.py"
    script.write_text(block, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=HANG_SECONDS, check=False
    )
    assert result.returncode == 0, result.stderr
    # The cheapest learners have the most aid, 90%: 750.00 x 10% = 75.00 + 200.00 exam + 21,700.00 = 21,975.00;
    # aid 90 is n % 91 == 90: learners 90, 181, 272, ... (which three of the ties Dask keeps is its own choice).
    import ast

    cheapest = ast.literal_eval(result.stdout.strip())
    assert len(cheapest) == 3
    for learner, net_cost in cheapest:
        assert int(learner.removeprefix("learner-")) % 91 == 90 and net_cost == "21975.00"


def test_a_result_pickles_for_process_schedulers_and_a_huge_number_is_a_row_error() -> None:
    import pickle

    result = mmcost.estimate(program="mit-scm", pathway="hes")
    assert pickle.loads(pickle.dumps(result)).net_cost == Decimal("22650.00")  # 950.00 + 21,700.00, as ever
    [row] = mmcost.price_rows([{"program": "mit-scm", "pathway": "hes", "aid": 10**5000}])
    assert row.error == "key 'aid': a number too long to read"
