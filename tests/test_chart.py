"""The cost over time: the timeline behind the charts, and `--chart` in the terminal."""

from __future__ import annotations

import functools
import re
import subprocess
import sys
from decimal import Decimal

import pytest
import simplejson
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from mmcost.catalog import load_catalog
from mmcost.cli import cli
from mmcost.engine import Estimate, Request, estimate
from mmcost.model import Catalog
from mmcost.views.timeline import timeline
from tests.conftest import in_a_terminal

HANG_SECONDS = 60
D = Decimal


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner(env=env).invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@functools.cache
def shipped() -> Catalog:
    return load_catalog()


def hes(**scenario: object) -> Estimate:
    return estimate(shipped(), "mit-scm", "hes", Request.of(**scenario))


def test_the_timeline_of_the_hes_route_by_hand() -> None:
    # mit-scm -> hes, default fee year 2019-20, start 2019-fall, the bundled catalog's figures:
    # pathway schedule (out of pocket): 2019 300, 2020 650, 2021 16,300, 2022 5,400 (net cost 22,650);
    # direct schedule: 2019 5,500, 2020 16,200, 2021 10,800 (baseline 32,500).
    data = timeline([hes(salary_uplift=15000)])
    pathway, direct = data.cost
    assert pathway.key == "mit-scm/hes"
    assert direct.key == "mit-scm/hes/direct"
    # Cumulative: 300; 300 + 650 = 950; 950 + 16,300 = 17,250; 17,250 + 5,400 = 22,650.
    assert pathway.points == ((2019, D("300.00")), (2020, D("950.00")), (2021, D("17250.00")), (2022, D("22650.00")))
    # 5,500; 5,500 + 16,200 = 21,700; 21,700 + 10,800 = 32,500; nothing more in 2022 (the chart's last year).
    assert direct.points == ((2019, D("5500.00")), (2020, D("21700.00")), (2021, D("32500.00")), (2022, D("32500.00")))
    # Net position with 15,000 a year. Fall 2019 starts in September (month 8 of 2019), so the pathway's
    # 32 months end at the start of May 2022 and the direct degree's 24 at the start of September 2021.
    # Pathway: end of 2022: 8 months earning, 15,000 x 8 / 12 = 10,000 - 22,650 = -12,650;
    # 2023: -12,650 + 15,000 = 2,350; 2024: 17,350. Payback 22,650 / 15,000 = 1.51 -> 1.5 years,
    # at 2022 + 4/12 + 1.5 = 2023.83: in 2023, so the chart runs to 2024.
    net_pathway, net_direct = data.net
    assert net_pathway.points[-3:] == ((2022, D("-12650.00")), (2023, D("2350.00")), (2024, D("17350.00")))
    # Direct: end of 2021: 4 months earning, 5,000 - 32,500 = -27,500; 2022: -12,500; 2023: 2,500.
    assert net_direct.points[2:] == (
        (2021, D("-27500.00")),
        (2022, D("-12500.00")),
        (2023, D("2500.00")),
        (2024, D("17500.00")),
    )
    # Before finishing only costs count: end of 2019 -300, 2020 -950.
    assert net_pathway.points[:2] == ((2019, D("-300.00")), (2020, D("-950.00")))
    assert [(p.key, p.years, p.year) for p in data.paybacks] == [
        ("mit-scm/hes", D("1.5"), 2023),
        ("mit-scm/hes/direct", D("2.2"), 2023),  # 32,500 / 15,000 = 2.17 -> 2.2; 2021.67 + 2.2 = 2023.87
    ]


@settings(max_examples=40, deadline=None)
@given(
    uplift=st.integers(min_value=1000, max_value=80000),
    salary=st.sampled_from([None, 30000, 90000]),
    pathway=st.sampled_from(["hes", "mit"]),
)
def test_the_net_position_turns_positive_in_the_payback_year(uplift: int, salary: int | None, pathway: str) -> None:
    scenario: dict[str, object] = {"salary_uplift": uplift}
    if salary is not None:
        scenario |= {"salary": salary, "keep_working": False}
    result = estimate(shipped(), "mit-scm", pathway, Request.of(**scenario))
    data = timeline([result])
    pathway_cost = data.cost[0]
    # The cumulative cost ends at the schedule's total, the out-of-pocket part of the net cost.
    assert pathway_cost.points[-1][1] == sum(row.out_of_pocket for row in result.schedule)
    for line in data.net:
        [payback] = [p for p in data.paybacks if p.key == line.key]
        position = dict(line.points)
        if payback.year in position:
            assert position[payback.year] >= -uplift / D(10)  # paid back within the year (payback is rounded to 0.1)
            assert position.get(payback.year - 1, D(-1)) < uplift / D(10)


def test_a_chart_never_mixes_currencies() -> None:
    usd = hes()
    eur = usd._replace(currency="EUR", program_id="other")
    data = timeline([usd, eur])
    assert data.left_out == ("other/hes",)
    assert {line.key for line in data.cost} == {"mit-scm/hes", "mit-scm/hes/direct"}


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_the_chart_fits_the_width_in_plain_ascii_when_piped(columns: int) -> None:
    code, out, _ = invoke(
        "estimate", "mit-scm/hes", "--chart", "--salary-uplift", "15000", "-q", env={"COLUMNS": str(columns)}
    )
    assert code == 0
    chart = out[out.index("Cumulative out of pocket") :]
    assert out.isascii()
    assert "\x1b" not in out
    assert max(len(line) for line in chart.splitlines()) <= columns
    assert "** mit-scm/hes: pathway" in chart
    assert "oo mit-scm/hes/direct: ALM in Management taken directly" in chart
    assert "Net position with a 15,000 USD a year salary uplift" in chart
    assert "mit-scm/hes in 2023 (1.5 years after finishing)" in " ".join(chart.split())


def test_without_an_uplift_there_is_only_the_cost_chart() -> None:
    code, out, _ = invoke("estimate", "mit-scm/hes", "--chart", "-q")
    assert code == 0
    assert "Cumulative out of pocket (USD)" in out
    assert "Net position" not in out


def test_a_machine_format_never_carries_the_chart() -> None:
    code, with_chart, err = invoke("estimate", "mit-scm/hes", "--chart", "-f", "json")
    _, without, _ = invoke("estimate", "mit-scm/hes", "-f", "json")
    assert code == 0
    assert with_chart == without
    simplejson.loads(with_chart)
    assert "note: --chart is drawn only with the table format, not json" in err


def test_compare_charts_every_priced_route_and_each_direct_degree_once() -> None:
    code, out, _ = invoke("compare", "-p", "mit-scm", "--chart", "-q", env={"COLUMNS": "120"})
    assert code == 0
    chart = out[out.index("Cumulative out of pocket") :]
    for key in ("mit-scm/hes", "mit-scm/mit", "mit-scm/hes/direct", "mit-scm/mit/direct"):
        assert f" {key}: " in chart, key


def screen(*args: str, env: dict[str, str]) -> str:
    code, shown = in_a_terminal(*args, env=env)
    assert code == 0
    return shown.decode()


def test_a_terminal_gets_colour_and_braille_lines_and_no_color_gets_ascii() -> None:
    args = ("estimate", "mit-scm/hes", "--chart", "--salary-uplift", "15000", "-q")
    env = {"COLUMNS": "80", "NO_COLOR": ""}
    coloured = screen(*args, env={**env, "TERM": "xterm-256color"})
    chart = coloured[coloured.index("Cumulative out of pocket") :]
    assert "\x1b[" in chart
    assert any("\u2800" <= char <= "\u28ff" for char in chart)  # braille line cells
    assert "┌" in chart
    plain = screen(*args, env={**env, "NO_COLOR": "1"})
    chart = plain[plain.index("Cumulative out of pocket") :]
    assert chart.isascii()
    assert "\x1b" not in chart
    assert "** mit-scm/hes: pathway" in chart


def test_the_chart_libraries_load_only_for_a_chart() -> None:
    code = (
        "import sys\n"
        "from mmcost.cli import main\n"
        "try:\n    main(['estimate', 'mit-scm/hes', '-q'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('plotext', 'jinja2', 'pygal') if m in sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=HANG_SECONDS, check=True
    )
    assert result.stderr.strip().splitlines()[-1] == "[]"


def test_the_readme_chart_is_a_real_run() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    command = "$ mmcost estimate -p mit-scm -w hes --chart --salary-uplift 15000 -q | sed -n '/Cumulative/,$p'\n"
    shown = readme[readme.index(command) + len(command) :].split("```", 1)[0]
    code, out, _ = invoke(
        "estimate", "-p", "mit-scm", "-w", "hes", "--chart", "--salary-uplift", "15000", "-q", env={"COLUMNS": "80"}
    )
    assert code == 0
    assert out[out.rindex("\n", 0, out.index("Cumulative out of pocket")) + 1 :] == shown


def test_a_terminal_that_cannot_show_braille_gets_ascii() -> None:
    out = screen(
        "estimate", "mit-scm/hes", "--chart", "-q",
        env={"COLUMNS": "80", "TERM": "xterm-256color", "NO_COLOR": "", "PYTHONIOENCODING": "latin-1"},
    )  # fmt: skip
    chart = out[out.index("Cumulative out of pocket") :]
    assert "\x1b[" in chart  # still a colour terminal
    assert all(ord(char) < 128 for char in chart)  # but no braille and no box drawing
    assert "** mit-scm/hes: pathway" in re.sub(r"\x1b\[[0-9;]*m", "", chart)


def test_routes_with_the_same_amounts_share_one_line_and_every_line_its_own_marker() -> None:
    from mmcost.render import Style
    from mmcost.render.chart import ASCII_MARKERS, chart_text
    from mmcost.views.timeline import Series, Timeline

    same = ((2019, D("100.00")), (2020, D("250.00")))
    lines = [Series("a/x", "a/x: pathway", same), Series("b/y", "b/y: pathway", same)]
    # Twelve more lines, each different (1,000, 2,000, ... at the end of 2020), so 13 lines in all.
    lines += [Series(f"r{n}", f"r{n}: pathway", ((2019, D(0)), (2020, D(1000 * n)))) for n in range(1, 13)]
    data = Timeline(currency="USD", cost=tuple(lines), net=(), uplift=None, paybacks=(), left_out=())
    text = chart_text(data, Style(width=80))
    legend = [line.strip() for line in text.splitlines() if re.match(r"  ([^ ])\1 ", line)]
    assert legend[0] == "** a/x: pathway; b/y: pathway (the same amounts)"
    # Thirteen lines drawn: the first twelve markers are all different, and the 13th reuses the first.
    markers = [line[0] for line in legend]
    assert markers == [*ASCII_MARKERS, ASCII_MARKERS[0]] and len(set(ASCII_MARKERS)) == 12
