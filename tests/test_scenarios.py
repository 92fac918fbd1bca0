"""Scenarios: each option worked out by hand on the mini catalog, then properties.

The mini catalog (conftest.py): 3 courses at 100.00 and one exam at 50.00
(fee year 2022); an MSc of 10 courses at 1,000.00 (2021 figure) plus an
80.00 application fee; the pathway credits 4 courses, so 6 remain.
Plain estimate: MicroMasters 350.00, degree 6,080.00, net 6,430.00,
baseline 10,080.00, savings 3,650.00.

The default schedule (start fall 2022, 2 courses a term):
  pathway: courses fall 22 (2), spring 23 (1); exam summer 23;
           degree from fall 23: application fee fall 23;
           tuition fall 23 (2), spring 24 (2), summer 24 (2).
  direct:  application fee fall 22; tuition fall 22, spring 23, summer 23,
           fall 23, spring 24 (2 each).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import simplejson
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from mmcost.catalog import load_catalog
from mmcost.cli import cli
from mmcost.engine import Estimate, Request, Term, estimate
from mmcost.errors import MissingFigureError, UsageError
from mmcost.model import Catalog
from mmcost.options import Scholarship

from .conftest import MINI_CATALOG

D = Decimal


def mini_estimate(mini: Catalog, **options: object) -> Estimate:
    return estimate(mini, "demo", "uni", Request.of(**options))


def test_all_defaults_equal_the_plain_estimate(mini: Catalog) -> None:
    plain = estimate(mini, "demo", "uni")
    explicit = mini_estimate(mini, courses_per_term=2, fee_growth=D(0), discount_rate=D(0))
    assert (plain.net_cost, plain.baseline_cost, plain.savings) == (D("6430.00"), D("10080.00"), D("3650.00"))
    assert (explicit.net_cost, explicit.baseline_cost, explicit.savings) == (
        plain.net_cost,
        plain.baseline_cost,
        plain.savings,
    )


def test_aid_discounts_certificates_not_exams(mini: Catalog) -> None:
    # 50% of each 100.00 certificate = -50.00 x 3 = -150.00; the 50.00 exam is not discounted.
    # MicroMasters 350 - 150 = 200; net 200 + 6,080 = 6,280; savings 10,080 - 6,280 = 3,800.
    result = mini_estimate(mini, aid=D(50))
    [aid] = [item for item in result.line_items if item.kind == "aid"]
    assert (aid.quantity, aid.unit_amount, aid.amount, aid.section) == (D(3), D("-50.00"), D("-150.00"), "micromasters")
    assert result.micromasters_cost == D("200.00")
    assert result.net_cost == D("6280.00")
    assert result.savings == D("3800.00")


def test_aid_above_90_percent_is_refused(mini: Catalog) -> None:
    with pytest.raises(UsageError, match="--aid: 95 is not between 0 and 90"):
        mini_estimate(mini, aid=D(95))


def test_aid_does_not_apply_to_income_priced_programs(shipped: Catalog) -> None:
    plain = estimate(shipped, "mit-dedp", "hes", Request.of(price_tier="lowest"))
    aided = estimate(shipped, "mit-dedp", "hes", Request.of(price_tier="lowest", aid=D(50)))
    assert aided.net_cost == plain.net_cost
    # The engine names options by key; views spell them for the command line (--aid).
    assert any("{aid} does not apply to mit-dedp" in warning for warning in aided.warnings)


def test_scholarship_percent_on_both_routes(mini: Catalog) -> None:
    # 10% of 1,000.00 tuition = -100.00 a course. Pathway: 6 courses -> -600; direct: 10 -> -1,000.
    # Net 6,430 - 600 = 5,830; baseline 10,080 - 1,000 = 9,080; savings 3,250.
    result = mini_estimate(mini, scholarship=Scholarship(D(10), True))
    assert result.remaining_degree_cost == D("5480.00")
    assert result.net_cost == D("5830.00")
    assert result.baseline_cost == D("9080.00")
    assert result.savings == D("3250.00")


def test_scholarship_amount_is_taken_from_tuition_in_order(mini: Catalog) -> None:
    # 2,500 against the pathway's tuition: 2023 has 2,000 (fall 23), 2024 has 4,000,
    # so 2,000 in 2023 and 500 in 2024. Direct: 2,000 in 2022, 500 in 2023.
    # Net 6,430 - 2,500 = 3,930; baseline 10,080 - 2,500 = 7,580; savings unchanged 3,650.
    result = mini_estimate(mini, scholarship=D(2500))
    lines = {item.label: item.amount for item in result.items("degree") if item.kind == "scholarship"}
    assert lines == {"Scholarship (2023)": D("-2000.00"), "Scholarship (2024)": D("-500.00")}
    assert (result.net_cost, result.baseline_cost, result.savings) == (D("3930.00"), D("7580.00"), D("3650.00"))
    # More than the tuition: capped at it (6,000 and 10,000), with a warning.
    capped = mini_estimate(mini, scholarship=D(20000))
    assert capped.net_cost == D("430.00")  # 350 + 80
    assert capped.baseline_cost == D("80.00")
    assert any("larger than the tuition" in warning for warning in capped.warnings)


def test_employer_cap_applies_per_calendar_year(mini: Catalog) -> None:
    # Cap 1,000 a year. Pathway education costs by year:
    #   2022: 2 courses = 200        -> 200 covered
    #   2023: 100 + 50 + 80 + 2,000  -> 1,000 covered (of 2,230)
    #   2024: 4,000                  -> 1,000 covered
    # Funding 2,200; net 6,430 - 2,200 = 4,230.
    # Direct: 2022: 80 + 2,000; 2023: 6,000; 2024: 2,000 -> 1,000 each = 3,000; baseline 7,080.
    # Savings 7,080 - 4,230 = 2,850.
    result = mini_estimate(mini, employer_per_year=D(1000))
    assert result.employer_funding == D("2200.00")
    assert result.net_cost == D("4230.00")
    assert result.baseline_cost == D("7080.00")
    assert result.savings == D("2850.00")
    schedule = [(row.year, row.paid, row.employer, row.out_of_pocket) for row in result.schedule]
    assert schedule == [
        (2022, D("200.00"), D("200.00"), D("0.00")),
        (2023, D("2230.00"), D("1000.00"), D("1230.00")),
        (2024, D("4000.00"), D("1000.00"), D("3000.00")),
    ]
    assert not any("IRC section 127" in warning for warning in result.warnings)
    assert any("IRC section 127" in w for w in mini_estimate(mini, employer_per_year=D(6000)).warnings)


def test_retakes(mini: Catalog, shipped: Catalog) -> None:
    # One course retake (+100) and one exam retake (+50): net 6,430 + 150 = 6,580.
    result = mini_estimate(mini, retakes=1, exam_retakes=1)
    assert result.micromasters_cost == D("500.00")
    assert result.net_cost == D("6580.00")
    # DEDP's price includes the exam, so an exam retake pays the course again:
    # 5 x 100 + 100 = 600 at the lowest tier.
    dedp = estimate(shipped, "mit-dedp", "hes", Request.of(price_tier="lowest", exam_retakes=1))
    assert dedp.micromasters_cost == D("600.00")


def test_pace_and_months(mini: Catalog) -> None:
    # Default pace 2: pathway 3 terms before the degree (fall 22 - summer 23) = 12 months,
    # degree fall 23 - summer 24 = 3 terms = 12 months: 24. Direct: 5 terms = 20 months.
    result = mini_estimate(mini)
    assert (result.months, result.baseline_months) == (24, 20)
    # One course a term: courses fall 22, spring 23, summer 23; exam fall 23; degree spring 24,
    # 6 terms: (spring 24 - fall 22) = 4 terms = 16 months + 24 = 40. Direct: 10 terms = 40.
    slow = mini_estimate(mini, courses_per_term=1)
    assert (slow.months, slow.baseline_months) == (40, 40)
    assert slow.net_cost == result.net_cost  # pace changes time, not price, without fee growth


def test_start_term(mini: Catalog) -> None:
    result = mini_estimate(mini, start=Term.of(2023, "spring"))
    assert str(result.start) == "2023-spring"
    assert [row.year for row in result.schedule] == [2023, 2024]
    assert result.net_cost == D("6430.00")


def test_fee_growth_projects_each_payment(mini: Catalog) -> None:
    # 10% a year from each figure's year to the academic year it is paid in.
    # Pathway: certificates (2022 figure) paid in AY 2022 -> 100.00; exam (2022) in summer 23 = AY 2022 -> 50.00;
    # application fee (2022) in fall 23 = AY 2023 -> 88.00; tuition (2021 figure) paid in AY 2023 ->
    # 1,000 x 1.1^2 = 1,210.00 x 6 = 7,260.00. Net 300 + 50 + 88 + 7,260 = 7,698.00.
    # Direct: application fee fall 22 (AY 2022) 80.00; tuition AY 2022 (fall 22 - summer 23, 6 courses)
    # at 1,100.00 = 6,600.00, AY 2023 (fall 23, spring 24, 4 courses) at 1,210.00 = 4,840.00: 11,520.00.
    # Savings 11,520 - 7,698 = 3,822.00.
    result = mini_estimate(mini, fee_growth=D(10))
    assert result.net_cost == D("7698.00")
    assert result.baseline_cost == D("11520.00")
    assert result.savings == D("3822.00")
    assert any(item.label == "Tuition (2023-24 prices)" for item in result.line_items)


def test_living_and_salary_in_residence(shipped: Catalog) -> None:
    # 2018-19: MicroMasters 1,350; blended spring 44,520; 5 months at MIT, the residential
    # program 10 months. Living 2,000 a month: 10,000 against 20,000. Salary 60,000 a year
    # = 5,000.00 a month: 25,000 against 50,000.
    # Net 1,350 + 44,520 + 10,000 + 25,000 = 80,870; baseline 74,200 + 20,000 + 50,000 = 144,200;
    # savings 63,330.
    scenario = Request.of(living_per_month=D(2000), salary=D(60000))
    result = estimate(shipped, "mit-scm", "mit", scenario.replace("year", 2018))
    assert (result.living_travel_cost, result.opportunity_cost) == (D("10000.00"), D("25000.00"))
    assert result.net_cost == D("80870.00")
    assert result.baseline_cost == D("144200.00")
    assert result.savings == D("63330.00")
    kept = estimate(shipped, "mit-scm", "mit", Request.of(year=2018, salary=D(60000), keep_working=True))
    assert kept.opportunity_cost == D("0.00")
    assert not any("is not used" in warning for warning in result.warnings)
    # HES is online and part-time: no residence, so neither counts, and the unused amount is said.
    hes = estimate(shipped, "mit-scm", "hes", scenario.replace("year", 2018))
    assert (hes.living_travel_cost, hes.opportunity_cost) == (D("0.00"), D("0.00"))
    unused = "{living_per_month} is not used: neither this pathway nor the direct degree has months in residence"
    assert unused in hes.warnings


def test_a_trip_cost_without_on_campus_requirements_is_said(mini: Catalog) -> None:
    # The mini pathway has no on-campus requirement: the 400 is not counted (net stays 6,430.00), and said.
    result = mini_estimate(mini, trip_cost=D(400))
    assert (result.living_travel_cost, result.net_cost) == (D("0.00"), D("6430.00"))
    assert "{trip_cost} is not used: the pathway has no on-campus requirement" in result.warnings


def test_trips_for_on_campus_requirements(shipped: Catalog) -> None:
    # HES Management: 1 on-campus course; a 400 trip: net 23,050 + 400 = 23,450 (2018-19).
    result = estimate(shipped, "mit-scm", "hes", Request.of(year=2018, trip_cost=D(400)))
    assert result.living_travel_cost == D("400.00")
    assert result.net_cost == D("23450.00")
    assert result.baseline_cost == D("32500.00")
    assert any("on-campus requirements only for the pathway" in w for w in result.warnings)


def test_payback_and_npv(mini: Catalog) -> None:
    # Uplift 10,000 a year. Payback 6,430 / 10,000 = 0.643 -> 0.6 years.
    # At 0%: NPV(5) = 50,000 - 6,430 = 43,570.00.
    flat = mini_estimate(mini, salary_uplift=D(10000))
    assert flat.outcome is not None
    assert flat.outcome.payback_years == D("0.6")
    assert flat.outcome.npv[5] == D("43570.00")
    # At 10%: annuity factor (1 - 1.1^-5) / 0.1 = 3.7907867694...; 37,907.87 - 6,430 = 31,477.87.
    discounted = mini_estimate(mini, salary_uplift=D(10000), discount_rate=D(10))
    assert discounted.outcome is not None
    assert discounted.outcome.npv[5] == D("31477.87")
    assert discounted.baseline_outcome is not None
    assert discounted.baseline_outcome.npv[5] == D("27827.87")  # 37,907.87 - 10,080


def test_currency_conversion(mini: Catalog) -> None:
    # At 0.5 EUR per USD every unit halves: 50.00, 25.00, 500.00, 40.00.
    # Net 3 x 50 + 25 + 6 x 500 + 40 = 3,215.00; baseline 10 x 500 + 40 = 5,040.00.
    result = mini_estimate(mini, currency="EUR", rate=D("0.5"))
    assert result.currency == "EUR"
    assert {item.currency for item in result.line_items} == {"EUR"}
    assert (result.net_cost, result.baseline_cost, result.savings) == (D("3215.00"), D("5040.00"), D("1825.00"))
    assert result.exchange_rate == ("USD", "EUR", D("0.5"))
    with pytest.raises(UsageError, match="--currency and --rate go together"):
        mini_estimate(mini, currency="EUR")


def test_income_picks_a_tier_where_the_catalog_knows_the_limits(
    write_yaml: Callable[..., Path], shipped: Catalog
) -> None:
    with pytest.raises(MissingFigureError, match="does not know the income limits"):
        estimate(shipped, "mit-dedp", "hes", Request.of(income=D(8000)))
    tiered = MINI_CATALOG.replace(
        '      - {amount: 90.00, currency: USD, year: 2020, applies_to: "2020", source: "https://example.edu/fees-2020"}\n'
        '      - {amount: 100.00, currency: USD, year: 2022, applies_to: "2022", source: "https://example.edu/fees-2022"}\n',
        '      - {amount: 20.00, currency: USD, year: 2022, tier: low, income_up_to: 10000, applies_to: "2022", source: "https://example.edu/t"}\n'
        '      - {amount: 60.00, currency: USD, year: 2022, tier: middle, income_up_to: 50000, applies_to: "2022", source: "https://example.edu/t"}\n'
        '      - {amount: 100.00, currency: USD, year: 2022, tier: high, applies_to: "2022", source: "https://example.edu/t"}\n',
    )
    catalog = load_catalog([write_yaml(tiered)], bundled=False)
    # Income 30,000: the lowest limit covering it is 50,000 (middle, 60.00): 3 x 60 + 50 = 230.
    assert estimate(catalog, "demo", "uni", Request.of(income=D(30000))).micromasters_cost == D("230.00")
    # Above every limit: the open-ended tier (100.00): 3 x 100 + 50 = 350.
    assert estimate(catalog, "demo", "uni", Request.of(income=D(90000))).micromasters_cost == D("350.00")


# --- the command line -----------------------------------------------------------


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner(env=env).invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_estimate_with_scenario_options_json(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(MINI_CATALOG)
    code, out, _ = invoke(
        "--catalog",
        str(path),
        "estimate",
        "-p",
        "demo",
        "-w",
        "uni",
        "--aid",
        "50",
        "--employer-per-year",
        "1000",
        "--schedule",
        "-f",
        "json",
        "-q",
    )
    assert code == 0
    data = simplejson.loads(out, use_decimal=True)
    # Aid 50%: MicroMasters 200. Employer by year: 2022: 100 (2 x 50 after aid) covered;
    # 2023: 50 + 50 + 80 + 2,000 = 2,180 -> 1,000; 2024: 4,000 -> 1,000. Funding 2,100.
    # Net 200 + 6,080 - 2,100 = 4,180.
    assert data["employer_funding"] == D("2100.00")
    assert data["net_cost"] == D("4180.00")
    assert sum(row["out_of_pocket"] + row["foregone_salary"] for row in data["schedule"]) == data["net_cost"]
    assert data["schedule"][0] == {
        "year": 2022,
        "paid": D("100.00"),
        "employer": D("100.00"),
        "out_of_pocket": D("0.00"),
        "foregone_salary": D("0.00"),
    }


def test_scenario_file_with_command_line_override(write_yaml: Callable[..., Path]) -> None:
    catalog = write_yaml(MINI_CATALOG)
    scenario = write_yaml("program: demo\npathway: uni\naid: 50\nscholarship: '10%'\nstart: 2023-spring\n", "me.yaml")
    code, out, _ = invoke("--catalog", str(catalog), "estimate", "--scenario", str(scenario), "-f", "json", "-q")
    assert code == 0
    data = simplejson.loads(out, use_decimal=True)
    # Aid 50%: 200; degree 6,080 - 600 (10% of 6 courses) = 5,480; net 5,680.
    assert data["net_cost"] == D("5680.00") and data["start"] == "2023-spring"
    code, out, _ = invoke(
        "--catalog", str(catalog), "estimate", "--scenario", str(scenario), "--aid", "0", "-f", "json", "-q"
    )
    # The command line's --aid 0 wins: 350 + 5,480 = 5,830.
    assert simplejson.loads(out, use_decimal=True)["net_cost"] == D("5830.00")


def test_scenario_file_errors_are_located(write_yaml: Callable[..., Path]) -> None:
    scenario = write_yaml("program: mit-scm\npathway: hes\naid: 95\nsalery: 1\n", "bad.yaml")
    code, out, err = invoke("estimate", "--scenario", str(scenario))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{scenario}:3:1: aid: 95 is not between 0 and 90",
        f"{scenario}:4:1: salery: unknown key 'salery'; did you mean 'salary'? "
        "(a scenario file takes the options of mmcost estimate, with underscores)",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--aid", "95"], "'--aid': 95 is not between 0 and 90"),
        (["--scholarship", "150%"], "'--scholarship': 150% is not between 0 and 100"),
        (["--start", "2026-winter"], "is not a term"),
        (["--currency", "EUR"], "--currency and --rate go together"),
        (["--currency", "XXX", "--rate", "1"], "'XXX' is not a currency mmcost knows"),
        (["--courses-per-term", "0"], "'--courses-per-term': 0 is not between 1 and 12"),
    ],
)
def test_scenario_usage_errors_exit_2(args: list[str], message: str) -> None:
    code, out, err = invoke("estimate", "-p", "mit-scm", "-w", "hes", *args)
    assert code == 2 and out == ""
    assert message in err


def test_explain_and_schedule_tables() -> None:
    code, out, _ = invoke("estimate", "-p", "mit-scm", "-w", "hes", "--year", "2018", "--explain", "--schedule", "-q")
    assert code == 0
    assert "[degree] Tuition: 8 course(s) x 2,700.00 USD = 21,600.00, 2018-19, derived" in out
    assert "Assumptions" in out and "2 course(s) per term (default; set --courses-per-term)" in out
    assert "Pathway, by year" in out and "Direct degree, by year" in out


def test_compare_draws_bars() -> None:
    code, out, _ = invoke("compare", "-p", "mit-scm", "-q", env={"COLUMNS": "160"})  # bars from 150 columns
    assert code == 0
    assert "Cost breakdown" in out and "Bars:" in out
    assert "dddd" in out


def test_sweep(write_yaml: Callable[..., Path]) -> None:
    catalog = write_yaml(MINI_CATALOG)
    code, out, _ = invoke(
        "--catalog", str(catalog), "sweep", "-p", "demo", "-w", "uni", "--vary", "aid=0:90:30", "-f", "json", "-q"
    )
    assert code == 0
    rows = simplejson.loads(out, use_decimal=True)["rows"]
    # Net = 6,430 - 3 x (aid% x 100): 6,430, 6,340, 6,250, 6,160.
    assert [(row["value"], row["net_cost"]) for row in rows] == [
        (D(0), D("6430.00")),
        (D(30), D("6340.00")),
        (D(60), D("6250.00")),
        (D(90), D("6160.00")),
    ]
    code, _, err = invoke("sweep", "-p", "mit-scm", "-w", "hes", "--vary", "aid=0:100:50")
    assert code == 2 and "--aid: 100 is not between 0 and 90" in err
    code, _, err = invoke("sweep", "-p", "mit-scm", "-w", "hes", "--vary", "aide=0:10:5")
    assert code == 2 and "did you mean 'aid'" in err


def test_breakeven(write_yaml: Callable[..., Path]) -> None:
    catalog = write_yaml(MINI_CATALOG)
    code, out, _ = invoke(
        "--catalog", str(catalog), "breakeven", "-p", "demo", "-w", "uni", "--vary", "tuition-per-course", "-f", "json"
    )
    assert code == 0
    [row] = simplejson.loads(out, use_decimal=True)["rows"]
    # Savings = 4 credited courses x t - 350 (MicroMasters), zero at t = 87.50.
    assert (row["verdict"], row["value"]) == ("crosses", D("87.50"))
    code, out, _ = invoke(
        "--catalog", str(catalog), "breakeven", "-p", "demo", "-w", "uni", "--vary", "living-per-month", "-f", "json"
    )
    [row] = simplejson.loads(out, use_decimal=True)["rows"]
    # The mini degree is not residential: living costs never count, savings stay 3,650.
    assert row["verdict"] == "always saves" and row["savings_at_high"] == D("3650.00")


# --- properties -------------------------------------------------------------------

pct = st.decimals(min_value=0, max_value=90, places=2)
money = st.decimals(min_value=0, max_value=50_000, places=2)


@settings(max_examples=60, deadline=None)
@given(low=pct, high=pct)
def test_more_aid_never_costs_more(mini: Catalog, low: Decimal, high: Decimal) -> None:
    low, high = min(low, high), max(low, high)
    assert mini_estimate(mini, aid=high).net_cost <= mini_estimate(mini, aid=low).net_cost


@settings(max_examples=60, deadline=None)
@given(low=money, high=money, as_pct=st.booleans())
def test_more_scholarship_never_costs_more(mini: Catalog, low: Decimal, high: Decimal, as_pct: bool) -> None:
    low, high = min(low, high), max(low, high)
    if as_pct:
        low, high = low % 100, high % 100
        low, high = min(low, high), max(low, high)
    cheap = mini_estimate(mini, scholarship=Scholarship(high, as_pct))
    dear = mini_estimate(mini, scholarship=Scholarship(low, as_pct))
    assert cheap.net_cost <= dear.net_cost


@settings(max_examples=60, deadline=None)
@given(low=money, high=money)
def test_more_employer_money_never_costs_more(mini: Catalog, low: Decimal, high: Decimal) -> None:
    low, high = min(low, high), max(low, high)
    assert mini_estimate(mini, employer_per_year=high).net_cost <= mini_estimate(mini, employer_per_year=low).net_cost


@settings(max_examples=30, deadline=None)
@given(slow=st.integers(1, 12), fast=st.integers(1, 12))
def test_a_faster_pace_never_takes_longer(mini: Catalog, slow: int, fast: int) -> None:
    slow, fast = min(slow, fast), max(slow, fast)
    slower, faster = mini_estimate(mini, courses_per_term=slow), mini_estimate(mini, courses_per_term=fast)
    assert faster.months is not None and slower.months is not None
    assert faster.months <= slower.months
    assert faster.baseline_months is not None and slower.baseline_months is not None
    assert faster.baseline_months <= slower.baseline_months


@settings(max_examples=100, deadline=None)
@given(rate=st.decimals(min_value="0.2", max_value="5", places=4))
def test_currency_round_trip_returns_to_the_cent(mini: Catalog, rate: Decimal) -> None:
    # Each unit amount is rounded once to the cent when converted (error <= 0.005 there).
    # Back at 1 / rate, that error shrinks by the rate: below half a cent whenever
    # rate > 1, so the amounts come back exactly; for rate <= 1 they come back within
    # 0.005 / rate + 0.005 (half a cent of rounding at each end, the first one scaled).
    original = mini_estimate(mini, aid=D(30))
    there = mini_estimate(mini, aid=D(30), currency="EUR", rate=rate)
    bound = D(0) if rate > 1 else D("0.005") / rate + D("0.005")
    for out_item, item in zip(there.line_items, original.line_items, strict=True):
        back = (out_item.unit_amount / rate).quantize(D("0.01"))
        assert abs(back - item.unit_amount) <= bound


@settings(max_examples=60, deadline=None)
@given(
    aid=pct,
    employer=st.none() | money,
    living=st.none() | money,
    salary=st.none() | money,
    growth=st.decimals(min_value=0, max_value=20, places=1),
    pace=st.integers(1, 4),
)
def test_schedule_years_add_up_to_the_totals(  # noqa: PLR0913, PLR0917 - hypothesis draws one argument per option varied
    shipped: Catalog,
    aid: Decimal,
    employer: Decimal | None,
    living: Decimal | None,
    salary: Decimal | None,
    growth: Decimal,
    pace: int,
) -> None:
    scenario = Request.of(
        aid=aid,
        employer_per_year=employer,
        living_per_month=living,
        salary=salary,
        fee_growth=growth,
        courses_per_term=pace,
    )
    result = estimate(shipped, "mit-scm", "mit", scenario.replace("year", 2018))
    assert sum(row.out_of_pocket + row.foregone_salary for row in result.schedule) == result.net_cost
    assert result.baseline_cost is not None
    assert sum(row.out_of_pocket + row.foregone_salary for row in result.baseline_schedule) == result.baseline_cost
    assert result.net_cost == sum(item.amount for item in result.line_items if item.section != "baseline")
    for item in result.line_items:
        assert item.amount == item.quantity * item.unit_amount
        if item.kind not in ("aid", "scholarship", "employer", "subsidy"):
            assert item.amount >= 0, item  # only discounts and funding are negative


def test_fee_growth_that_overflows_is_a_usage_error(mini: Catalog) -> None:
    # 100% a year from 2022 to 2190: 2^168 x 100.00 is far beyond 10^15.
    with pytest.raises(UsageError, match="larger than 10\\^15"):
        mini_estimate(mini, fee_growth=D(100), start=Term.of(2190, "fall"))


def test_breakeven_searches_the_options_own_range() -> None:
    code, out, _ = invoke("breakeven", "-p", "mit-scm", "-w", "hes", "--vary", "aid", "-f", "json", "-q")
    [row] = simplejson.loads(out, use_decimal=True)["rows"]
    # Aid only lowers the pathway's cost: 9,850 of savings at 0% and 9,850 + 5 x 135 = 10,525 at 90%.
    assert (row["verdict"], row["low"], row["high"]) == ("always saves", D(0), D(90))
    assert (row["savings_at_low"], row["savings_at_high"]) == (D("9850.00"), D("10525.00"))
    code, _, err = invoke("breakeven", "-p", "mit-scm", "-w", "hes", "--vary", "year")
    assert code == 2 and "--year: picks figures, it does not move costs smoothly; use mmcost sweep" in err
