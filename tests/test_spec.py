"""One declaration per concept: the option table, the format list and the cost rules' order.

Each drift case from the issue that asked for this shape has a test here
that failed before it (see the comment on each).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import click
import pytest
import simplejson
from click.testing import CliRunner

from mmcost import options, views
from mmcost.cli import COMMANDS, cli
from mmcost.cli.common import FORMATS
from mmcost.engine import RULES, Request, estimate
from mmcost.engine import scenario_rules as cost_rules
from mmcost.engine.estimate import ROUTE_RULES, each_route
from mmcost.errors import OptionError
from mmcost.model import Catalog
from mmcost.render import OutputFormat
from mmcost.rows import COLUMNS

D = Decimal


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def command(name: str) -> click.Command:
    group = cli
    found = group.get_command(click.Context(group), name)
    assert found is not None
    return found


# --- the option table is the only declaration ---------------------------------------------


def test_every_option_reaches_every_front_end() -> None:
    estimate_params = {param.name for param in command("estimate").params}
    for spec in options.OPTIONS:
        assert spec.key in estimate_params, spec.key  # a click option
        assert spec.key in COLUMNS, spec.key  # a batch column (and NDJSON key)
        if spec.step is not None:
            assert spec.name in options.variables()  # something sweep can vary
    for name in ("compare", "sweep", "breakeven"):
        assert {spec.key for spec in options.OPTIONS} <= {param.name for param in command(name).params}


def test_a_rate_below_the_limit_is_refused_alike_everywhere(write_yaml: Callable[..., Path]) -> None:
    # Before: a scenario file allowed any rate > 0, so `rate: 0.00001` passed the file's check and then
    # failed with exit 2 and no file location. Now the one spec refuses it in every front end, and the
    # scenario file's error is located.
    problem = "0.00001 is not between 0.0001 and 100000"
    with pytest.raises(OptionError, match=re.escape(problem)):
        Request.of(currency="EUR", rate="0.00001")
    code, _, err = invoke("estimate", "-p", "mit-scm", "-w", "hes", "--currency", "EUR", "--rate", "0.00001")
    assert code == 2 and f"'--rate': {problem}" in err
    scenario = write_yaml("program: mit-scm\npathway: hes\ncurrency: EUR\nrate: 0.00001\n", "me.yaml")
    code, _, err = invoke("estimate", "--scenario", str(scenario))
    assert (code, err) == (1, f"{scenario}:4:1: rate: {problem}\n")
    batch = "program,pathway,currency,rate\nmit-scm,hes,EUR,0.00001\n"
    code, _, err = invoke("batch", "-", stdin=batch)
    assert (code, err) == (1, f"<stdin>:row 1: column rate: {problem}\n")


def test_a_batch_row_is_told_its_column_not_a_flag() -> None:
    # Before: a batch row missing a figure was told "supply it with --course-fee AMOUNT".
    code, _, err = invoke("batch", "-", stdin="program,pathway\nmit-pom,mit\n")
    assert code == 1
    assert "supply it with column course_fee AMOUNT" in err and "--course-fee" not in err
    # The same figure, asked for on the command line, is named as the flag.
    code, _, err = invoke("estimate", "-p", "mit-pom", "-w", "mit")
    assert code == 1 and "supply it with --course-fee AMOUNT" in err


def test_an_engine_error_about_a_file_option_names_the_file(write_yaml: Callable[..., Path]) -> None:
    scenario = write_yaml("program: mit-scm\npathway: mit\ntuition_per_course: 100\n", "me.yaml")
    code, _, err = invoke("estimate", "--scenario", str(scenario))
    assert code == 2 and f"`tuition_per_course:` in {scenario}: does not apply to mit-scm/mit" in err


# --- one format list, one dispatch ------------------------------------------------------------


def test_the_format_list_is_the_format_enum() -> None:
    assert [member.value for member in OutputFormat] == FORMATS
    for name in COMMANDS:
        if name in ("catalog", "report"):  # a group; a page and its data (checked below)
            continue
        for param in command(name).params:
            if param.name == "output_format":
                assert isinstance(param.type, click.Choice)
                assert set(FORMATS) <= set(param.type.choices), name


def test_the_report_is_a_page_or_the_json_contract() -> None:
    [param] = [param for param in command("report").params if param.name == "output_format"]
    assert isinstance(param.type, click.Choice)
    assert list(param.type.choices) == ["html", OutputFormat.JSON.value]


def test_batch_writes_tsv_and_a_table() -> None:
    # Before: batch had its own format list, without tsv.
    stdin = "id,program,pathway,aid\na,mit-scm,hes,50\n"
    code, out, _ = invoke("batch", "-", "-f", "tsv", stdin=stdin)
    [header, row] = list(csv.reader(io.StringIO(out), delimiter="\t"))
    assert code == 0 and tuple(header) == views.BATCH_FIELDS
    # Aid 50%: 5 certificates x 150 x 50% = 375 off 22,650 -> 22,275.00.
    assert dict(zip(header, row, strict=True))["net_cost"] == "22275.00"
    code, out, _ = invoke("batch", "-", "-f", "table", stdin=stdin)
    assert code == 0 and "22,275.00" in out and "net cost" in out


def test_one_schema_version_everywhere() -> None:
    code, out, _ = invoke("validate", "tests/hostile/valid.yaml", "-f", "json")
    assert code == 0 and simplejson.loads(out)["schema_version"] == views.SCHEMA_VERSION
    code, out, _ = invoke("batch", "-", "-f", "json", stdin="program,pathway\nmit-scm,hes\n")
    document = simplejson.loads(out)
    assert document["schema_version"] == document["rows"][0]["schema_version"] == views.SCHEMA_VERSION


# --- amounts you type are in the catalog's currency ------------------------------------------


def test_typed_amounts_are_in_the_catalog_currency_and_say_so(mini: Catalog) -> None:
    # Before: with --currency EUR --rate 0.5 --employer-per-year 1000, employer money topped out at 500 EUR
    # while the assumption said "up to 1,000 per calendar year"; the salary uplift was not converted at all.
    result = estimate(mini, "demo", "uni", Request.of(currency="EUR", rate="0.5", employer_per_year="1000",
                                                      salary_uplift="10000"))  # fmt: skip
    yearly = [-item.amount for item in result.line_items if item.kind == "employer" and item.section == "funding"]
    # The mini pathway pays 2,230 USD in 2023 and 4,000 in 2024, so the cap binds: 1,000 USD = 500.00 EUR.
    assert max(yearly) == D("500.00")
    said = " ".join(result.assumptions)
    assert "up to 1,000 USD per calendar year" in said
    assert "amounts you type (fees, employer money, salary and uplift, living, trips) are in USD" in said
    # 10,000 USD a year of uplift is 5,000.00 EUR, like every other amount.
    assert result.outcome is not None and result.outcome.uplift == D("5000.00")


# --- the cost rules run in their written order -------------------------------------------------


def test_employer_money_comes_after_aid_and_scholarship() -> None:
    assert RULES.index(cost_rules.aid) < RULES.index(each_route) < RULES.index(cost_rules.convert)
    assert ROUTE_RULES.index(cost_rules.scholarship) < ROUTE_RULES.index(cost_rules.employer)
    assert ROUTE_RULES[-1] is cost_rules.employer


def test_employer_reimburses_what_is_paid_net_of_aid(mini: Catalog) -> None:
    # Mini catalog from fall 2022 at 2 courses a term:
    #   2022: 2 certificates x 100 = 200, less 50% aid (-100) = 100 paid.
    #   2023: 1 certificate 100 - 50 aid + exam 50 + application 80 + 2 courses x 1,000 = 2,180 paid.
    #   2024: 4 courses x 1,000 = 4,000 paid.
    # A 1,000 a year cap reimburses 100 + 1,000 + 1,000 = 2,100 (it would be 2,200 if it ran before aid).
    result = estimate(mini, "demo", "uni", Request.of(aid="50", employer_per_year="1000"))
    assert result.employer_funding == D("2100.00")
    # Net: MicroMasters 300 + 50 - 150 = 200; degree 80 + 6,000 = 6,080; less 2,100 = 4,180.
    assert result.net_cost == D("4180.00")


@pytest.mark.parametrize(
    ("vary", "message"),
    [
        ("aid=0:90:1e-999999", "--aid: the range would run more than 1000 estimates"),
        ("aid=0:1e999999:1", "--aid: 1.000e+999999 is not between 0 and 90"),
        ("retakes=1e5000:1e5000:1", "--retakes: 1.000e+5000 is not between 0 and 50"),
        ("aid=0:90:0", "--aid: the step must be > 0"),
    ],
)
def test_sweep_ranges_are_checked_by_the_options_own_limits(vary: str, message: str) -> None:
    code, out, err = invoke("sweep", "-p", "mit-scm", "-w", "hes", "--vary", vary)
    assert (code, out) == (2, "") and message in err and "Traceback" not in err


def test_figure_overrides_have_the_money_limit_everywhere(mini: Catalog) -> None:
    # Before: a `set` amount had no upper limit, so 1e400 reached the engine and ended in a Decimal traceback.
    problem = "1.000e+400 is not between 0 and 9999999999999.99"
    with pytest.raises(OptionError, match=re.escape(problem)):
        Request.of(set={"msc-tuition": "1e400"})
    # A Request built without parsing is checked by the engine with the same limit.
    with pytest.raises(OptionError, match=re.escape(problem)):
        estimate(mini, "demo", "uni", Request({"set": {"msc-tuition": D("1e400")}}))
    stdin = '{"program":"mit-scm","pathway":"hes","set":"hes-tuition-per-course=1e400"}\n'
    code, _, err = invoke("batch", "-", "--input-format", "ndjson", stdin=stdin)
    assert (code, err) == (1, f"<stdin>:row 1: column set: {problem}\n")
    code, _, err = invoke("estimate", "-p", "mit-scm", "-w", "hes", "--set", "hes-tuition-per-course=1e400")
    assert code == 2 and problem in err and "Traceback" not in err
