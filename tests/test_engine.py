"""The engine, on hand-worked cases and on properties."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmcost.catalog import load_catalog
from mmcost.engine import Estimate, Request, estimate
from mmcost.errors import MissingFigureError, OptionError, UnknownIdError, UsageError
from mmcost.model import Catalog
from mmcost.money import ZERO

from .conftest import MINI_CATALOG

D = Decimal


# --- the shipped catalog, checked against its sources -------------------------


def test_scm_hes_2018_matches_the_crimson_quote(shipped: Catalog) -> None:
    # With the 2018-19 figures HES tuition is $2,700 per course (derived from
    # the dean's "$10,800 ... waived four courses", The Harvard Crimson,
    # 3 Oct 2018). The pathway pays 8 courses, the direct degree 12:
    #   12 x 2,700 - 8 x 2,700 = 32,400 - 21,600 = 10,800.
    result = estimate(shipped, "mit-scm", "hes", Request.of(year=2018))
    tuition = {item.section: item for item in result.line_items if item.figure == "hes-tuition-per-course"}
    assert tuition["degree"].quantity == 8
    assert tuition["baseline"].quantity == 12
    assert tuition["baseline"].amount - tuition["degree"].amount == D("10800.00")


def test_scm_hes_2018_totals(shipped: Catalog) -> None:
    # MicroMasters: 5 courses x $150 (2016-17 FAQ) + CFx $600 (May 2017 sitting,
    # carried forward to 2018) = 750 + 600 = 1,350.
    # Degree: 8 x 2,700 + application fee 100 = 21,600 + 100 = 21,700.
    # Net: 1,350 + 21,700 = 23,050. Baseline: 12 x 2,700 + 100 = 32,500.
    # Savings: 32,500 - 23,050 = 9,450 = 29.0769...% -> 29.1 %.
    result = estimate(shipped, "mit-scm", "hes", Request.of(year=2018))
    assert result.fee_year == 2018
    assert result.micromasters_cost == D("1350.00")
    assert result.remaining_degree_cost == D("21700.00")
    assert result.net_cost == D("23050.00")
    assert result.baseline_cost == D("32500.00")
    assert result.savings == D("9450.00")
    assert result.savings_pct == D("29.1")
    assert (result.courses_credited, result.courses_remaining) == (4, 8)


def test_scm_hes_default_year_is_the_newest_and_warns(shipped: Catalog) -> None:
    # The newest figure on this route is the CFx fee of the Sep 2019 sitting,
    # so the fee year is 2019-20: CFx $200, so MicroMasters = 5 x 150 + 200 = 950;
    # net = 950 + 21,700 = 22,650; savings = 32,500 - 22,650 = 9,850 (30.307...% -> 30.3).
    result = estimate(shipped, "mit-scm", "hes")
    assert result.fee_year == 2019
    assert result.net_cost == D("22650.00")
    assert result.savings == D("9850.00")
    assert result.savings_pct == D("30.3")
    joined = "\n".join(result.warnings)
    assert "carried forward to 2019-20" in joined
    assert "HES graduate tuition per course (2,700.00 USD, 2018-19) is derived" in joined
    assert "Inferred requirement" in joined


def test_scm_mit_blended_against_residential(shipped: Catalog) -> None:
    # 2018-19: MicroMasters 1,350 (as above); blended spring term 44,520;
    # net = 45,870; residential year 74,200; savings = 74,200 - 45,870 = 28,330
    # = 38.180...% -> 38.2.
    # The student life fee and MIT's living budget are known only from 2022-23, so in 2018-19
    # they are left out, and the output says so.
    result = estimate(shipped, "mit-scm", "mit", Request.of(year=2018))
    assert result.net_cost == D("45870.00")
    assert result.baseline_cost == D("74200.00")
    assert result.savings == D("28330.00")
    assert result.savings_pct == D("38.2")
    [uncounted] = [n.text for n in result.notices if n.kind == "uncounted"]
    assert "student life fee" in uncounted
    assert "known from 2022-23 on; {living_per_month} adds them" in uncounted


def test_scm_mit_default_year_counts_fees_and_living(shipped: Catalog) -> None:
    # Default fee year: the newest figure of the route, the student life fee's 2024-25.
    # Pathway: 5 courses x 150 + CFx 200 = 950; blended tuition 44,520 (2018-19); student life
    # fee 406 x 0.5 = 203; 5 months at MIT's graduate budget, 48,717 / 12 = 4,059.75 a month
    # (see the DEDP test) x 5 = 20,298.75. Net 950 + 44,520 + 203 + 20,298.75 = 65,971.75.
    # Direct: 74,200 + 406 + 10 months x 4,059.75 = 40,597.50 -> 115,203.50.
    # Savings 115,203.50 - 65,971.75 = 49,231.75.
    result = estimate(shipped, "mit-scm", "mit")
    assert result.fee_year == 2024
    assert result.living_travel_cost == D("20298.75")
    assert result.net_cost == D("65971.75")
    assert result.baseline_cost == D("115203.50")
    assert result.savings == D("49231.75")
    [living] = result.items("living")
    assert (living.quantity, living.unit_amount, living.basis) == (D(5), D("4059.75"), "derived")
    assert "2022-23 to 2023-24" in living.label
    # --no-living leaves it out: 65,971.75 - 20,298.75 = 45,673.00.
    bare = estimate(shipped, "mit-scm", "mit", Request.of(no_living=True))
    assert bare.net_cost == D("45673.00")
    # --living-per-month replaces the budget: 5 x 1,000 = 5,000 -> 45,673 + 5,000 = 50,673.
    own = estimate(shipped, "mit-scm", "mit", Request.of(living_per_month=D(1000)))
    assert own.net_cost == D("50673.00")
    with pytest.raises(OptionError, match="cannot go with"):
        estimate(shipped, "mit-scm", "mit", Request.of(living_per_month=D(1000), no_living=True))


def test_pom_needs_fees_then_skips_the_fall_term(shipped: Catalog) -> None:
    with pytest.raises(MissingFigureError, match="--course-fee AMOUNT") as caught:
        estimate(shipped, "mit-pom", "mit")
    assert "--exam-fee AMOUNT" in str(caught.value)
    result = estimate(shipped, "mit-pom", "mit", Request.of(course_fee=D("200"), exam_fee=D("100")))
    # MicroMasters: 8 x 200 + 4 exams x 100 = 1,600 + 400 = 2,000 (your figures).
    # Fee year 2024 (the student life fee's newest). Degree: spring 29,875 + summer 20,640
    # - subsidy 15,000 + student life fee for one term 406 x 0.5 = 203 -> 35,718.
    # Baseline: fall 29,875 + spring 29,875 + summer 20,640 - 15,000 + 406 = 65,796.
    # Savings: 65,796 - (2,000 + 35,718) = 28,078 = 42.674...% -> 42.7.
    # The MEng's months are unknown, so living costs are not counted (and it says so).
    assert result.fee_year == 2024
    assert result.micromasters_cost == D("2000")
    assert result.remaining_degree_cost == D("35718.00")
    assert result.baseline_cost == D("65796.00")
    assert result.savings == D("28078.00")
    assert result.savings_pct == D("42.7")
    assert any("approximate" in warning for warning in result.warnings)
    assert any("months in residence are unknown" in warning for warning in result.warnings)


def test_dedp_price_tier(shipped: Catalog) -> None:
    # No tier given: the highest (the price with no discount), said as a warning naming the option.
    # 5 courses x 1,000 = 5,000; degree 8 x 2,700 + 100 = 21,700; net 26,700; baseline 32,500; savings 5,800.
    top = estimate(shipped, "mit-dedp", "hes")
    assert top.micromasters_cost == D("5000.00")
    assert top.net_cost == D("26700.00")
    assert top.savings == D("5800.00")
    assert any("highest tier" in warning and "{price_tier} lowest" in warning for warning in top.warnings)
    result = estimate(shipped, "mit-dedp", "hes", Request.of(price_tier="lowest"))
    # Fee year: newest of DEDP 2017, HES tuition 2018, application 2014 -> 2018.
    # MicroMasters: 5 courses x 100 (exam included) = 500.
    # Degree: 8 x 2,700 + 100 = 21,700; net 22,200; baseline 32,500;
    # savings 10,300 = 31.692...% -> 31.7.
    assert result.fee_year == 2018
    # Shown as the list price (the highest tier, 1,000) less the tier: 5 x 1,000 - 5 x 900 = 500.
    [listed, tier] = result.items("micromasters")
    assert (listed.quantity, listed.unit_amount, tier.unit_amount) == (D(5), D("1000.00"), D("-900.00"))
    assert result.micromasters_cost == D("500.00")
    assert result.net_cost == D("22200.00")
    assert result.savings == D("10300.00")
    assert result.savings_pct == D("31.7")


def test_dedp_mit_tuition_is_unknown_and_has_no_baseline(shipped: Catalog) -> None:
    with pytest.raises(MissingFigureError, match=r"--set mit-dedp-masters-tuition=AMOUNT"):
        estimate(shipped, "mit-dedp", "mit", Request.of(price_tier="highest"))
    assumptions = Request.of(price_tier="highest", set={"mit-dedp-masters-tuition": D("30000")})
    result = estimate(shipped, "mit-dedp", "mit", assumptions)
    # Fee year 2024: 5 x 1,000 + 30,000 (your figure) + student life fee 406 x 0.5 = 203, plus
    # 8 months in residence at MIT's graduate budget: (housing 22,800 + food 9,036 + books 1,344
    # + transport 3,276 + personal 9,024, all 2022-23, + health insurance 3,237, 2023-24)
    # = 48,717 / 12 = 4,059.75 a month x 8 = 32,478 -> 35,203 + 32,478 = 67,681.
    # No direct route, so no baseline.
    assert result.living_travel_cost == D("32478.00")
    assert result.net_cost == D("67681.00")
    assert result.baseline_cost is None
    assert result.savings is None
    assert result.savings_pct is None
    assert any("no direct route" in warning for warning in result.warnings)


def test_year_before_any_figure_names_the_first_year(shipped: Catalog) -> None:
    with pytest.raises(MissingFigureError, match=r"choose --year 2018 or later"):
        estimate(shipped, "mit-scm", "mit", Request.of(year=2016))


def test_a_role_option_that_fits_nothing_is_a_usage_error(shipped: Catalog) -> None:
    with pytest.raises(UsageError, match="--tuition-per-course: does not apply to mit-scm/mit") as caught:
        estimate(shipped, "mit-scm", "mit", Request.of(tuition_per_course=D("1")))
    # The engine names the option by its key; each front end spells it its own way.
    assert isinstance(caught.value, OptionError)
    assert caught.value.key == "tuition_per_course"
    assert caught.value.lines(lambda key: f"column {key}")[0].startswith("column tuition_per_course: does not apply")


def test_unknown_ids_suggest_the_closest(shipped: Catalog) -> None:
    with pytest.raises(UnknownIdError, match="unknown program 'mit-sc'; did you mean 'mit-scm'"):
        estimate(shipped, "mit-sc", "hes")
    with pytest.raises(UnknownIdError, match="unknown pathway of mit-scm 'hse'; did you mean 'hes'"):
        estimate(shipped, "mit-scm", "hse")


# --- rules, on the mini catalog -------------------------------------------------


def test_mini_hand_worked(mini: Catalog) -> None:
    # Fee year: newest figure is 2022. Course fee 2022 = 100.
    # MicroMasters: 3 x 100 + 50 = 350.
    # Degree: 6 remaining x 1,000 + 80 = 6,080. Net: 6,430.
    # Baseline: 10 x 1,000 + 80 = 10,080. Savings: 3,650 = 36.210...% -> 36.2.
    result = estimate(mini, "demo", "uni")
    assert result.fee_year == 2022
    assert result.micromasters_cost == D("350.00")
    assert result.remaining_degree_cost == D("6080.00")
    assert result.net_cost == D("6430.00")
    assert result.baseline_cost == D("10080.00")
    assert result.savings == D("3650.00")
    assert result.savings_pct == D("36.2")


def test_mini_price_history_picks_the_value_in_force(mini: Catalog) -> None:
    # In 2021 the course fee in force is the 2020 value, 90; the exam (2022)
    # and the application fee (2022) have no value yet, so both are missing.
    with pytest.raises(MissingFigureError) as caught:
        estimate(mini, "demo", "uni", Request.of(year=2021))
    message = str(caught.value)
    assert "Demo exam fee in 2021-22 or earlier" in message
    assert "MSc application fee in 2021-22 or earlier" in message


def test_mini_overrides_replace_both_routes(mini: Catalog) -> None:
    # Tuition 1,500: degree 6 x 1,500 + 80 = 9,080; baseline 10 x 1,500 + 80 = 15,080;
    # net 350 + 9,080 = 9,430; savings 15,080 - 9,430 = 5,650.
    result = estimate(mini, "demo", "uni", Request.of(set={"msc-tuition": D("1500")}))
    assert result.remaining_degree_cost == D("9080")
    assert result.baseline_cost == D("15080")
    assert result.savings == D("5650")
    assert {item.basis for item in result.line_items if item.figure == "msc-tuition"} == {"override"}


# --- properties ---------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(course=amounts, exam=amounts, tuition=amounts, application=amounts)
def test_totals_are_the_sum_of_their_line_items(
    mini: Catalog, course: Decimal, exam: Decimal, tuition: Decimal, application: Decimal
) -> None:
    overrides = {
        "demo-course-fee": course,
        "demo-exam-fee": exam,
        "msc-tuition": tuition,
        "msc-application-fee": application,
    }
    result = estimate(mini, "demo", "uni", Request.of(set=overrides))
    assert result.micromasters_cost == sum(i.amount for i in result.items("micromasters"))
    assert result.remaining_degree_cost == sum(i.amount for i in result.items("degree"))
    assert result.baseline_cost == sum(i.amount for i in result.items("baseline"))
    assert result.net_cost == result.micromasters_cost + result.remaining_degree_cost
    assert result.savings == result.baseline_cost - result.net_cost
    # Credit is 4 of 10 courses, so savings are exactly 4 x tuition - MicroMasters cost.
    assert result.savings == 4 * tuition - (3 * course + exam)
    for item in result.line_items:
        assert item.amount == item.quantity * item.unit_amount
        assert item.amount >= 0


@settings(max_examples=100, deadline=None)
@given(low=amounts, high=amounts)
def test_a_higher_fee_never_lowers_the_net_cost(mini: Catalog, low: Decimal, high: Decimal) -> None:
    low, high = min(low, high), max(low, high)
    cheap = estimate(mini, "demo", "uni", Request.of(set={"demo-course-fee": low}))
    dear = estimate(mini, "demo", "uni", Request.of(set={"demo-course-fee": high}))
    assert cheap.net_cost <= dear.net_cost
    assert cheap.baseline_cost == dear.baseline_cost


def test_more_credit_never_costs_more(write_yaml: Callable[..., Path]) -> None:
    # The mini pathway with 0..10 of the 10 courses credited: each credited course
    # takes one 1,000.00 tuition payment off the pathway, so the net cost falls by
    # exactly 1,000 per course: net(k) = 350 + 80 + (10 - k) x 1,000.
    for credited in range(11):
        text = MINI_CATALOG.replace("courses_credited: 4", f"courses_credited: {credited}")
        catalog = load_catalog([write_yaml(text, f"credit{credited}.yaml")], bundled=False)
        result = estimate(catalog, "demo", "uni")
        assert result.net_cost == D(430) + (10 - credited) * D(1000)
        assert result.savings == D(10080) - result.net_cost


ROUTES = [("mit-scm", "hes"), ("mit-scm", "mit"), ("mit-scm", "hes-sustainability"), ("mit-dedp", "hes")]
SCENARIO = {
    "aid": st.sampled_from([0, 30, 90]),
    "salary": st.sampled_from([None, 45000, 123456.78]),
    "employer_per_year": st.sampled_from([None, 0, 5250, 20000]),
    "scholarship": st.sampled_from([None, "10%", 1500]),
    "living_per_month": st.sampled_from([None, 1800]),
    "no_living": st.sampled_from([None, True]),
    "trip_cost": st.sampled_from([None, 900]),
    "keep_working": st.sampled_from([None, True]),
    "salary_uplift": st.sampled_from([None, 15000]),
    "discount_rate": st.sampled_from([None, 5]),
    "year": st.sampled_from([None, 2018, 2019]),
    "price_tier": st.sampled_from([None, "lowest"]),
    "retakes": st.sampled_from([None, 1]),
    "courses_per_term": st.sampled_from([None, 1, 3]),
    "fee_growth": st.sampled_from([None, 3]),
    "currency": st.sampled_from([None, "EUR"]),
    "rate": st.sampled_from([None, "0.92"]),
}


def _estimate_or_error(shipped: Catalog, chosen: tuple[str, str], values: dict[str, object]) -> object:
    try:
        return estimate(shipped, *chosen, Request.parse(values))
    except UsageError as error:  # MissingFigureError, OptionError: the same message either way
        return (type(error).__name__, error.lines(str))


@settings(max_examples=150, deadline=None)
@given(chosen=st.sampled_from(ROUTES), first=st.fixed_dictionaries(SCENARIO), second=st.fixed_dictionaries(SCENARIO))
def test_a_reused_route_plan_gives_what_a_fresh_one_gives(
    shipped: Catalog, chosen: tuple[str, str], first: dict[str, object], second: dict[str, object]
) -> None:
    import importlib

    module = importlib.import_module("mmcost.engine.estimate")  # the module, not the function mmcost.engine exports
    # Price `first`, then `second` with the catalog options of `first` (so that it reuses first's plan
    # and only the scenario options differ), then `second` again from an empty plan cache: equal.
    planned = {key: value for key, value in first.items() if key not in module.SCENARIO_KEYS}
    second = {**{key: value for key, value in second.items() if key in module.SCENARIO_KEYS}, **planned}
    made = _estimate_or_error(shipped, chosen, first)
    if isinstance(made, Estimate):  # its line items read, as JSON reads them: the plan's shared items are
        assert made.line_items and made.schedule  # finished now, and `second` reads what they kept
    reused = _estimate_or_error(shipped, chosen, second)
    module._plans.clear()
    module._priced_routes.clear()
    assert reused == _estimate_or_error(shipped, chosen, second)


@settings(max_examples=150, deadline=None)
@given(chosen=st.sampled_from(ROUTES), first=st.fixed_dictionaries(SCENARIO), aid=SCENARIO["aid"])
def test_plans_that_differ_only_in_aid_share_a_priced_route_and_leave_it_as_it_was(
    shipped: Catalog, chosen: tuple[str, str], first: dict[str, object], aid: int
) -> None:
    import importlib

    module = importlib.import_module("mmcost.engine.estimate")
    # `first`, then the same options with another aid: a plan of its own, forked from the priced route of
    # `first` (PRICING_RULES) when both give aid or neither does. It must equal a plan made from nothing, and
    # `first`, made again from the kept priced route, must equal itself (the fork changed nothing shared).
    module._plans.clear()
    module._priced_routes.clear()
    alone = _estimate_or_error(shipped, chosen, first)
    other = {**first, "aid": aid}
    shared = _estimate_or_error(shipped, chosen, other)
    module._plans.clear()
    assert _estimate_or_error(shipped, chosen, first) == alone
    module._plans.clear()
    module._priced_routes.clear()
    assert shared == _estimate_or_error(shipped, chosen, other)


def test_forks_of_one_plan_keep_the_figures_each_prices_to_itself(shipped: Catalog) -> None:
    # MIT's residential semester prices its cost-of-attendance budget rows in the scenario stage, only when
    # living costs are counted: 5 figures without them (SCM certificate fee, CFx exam fee, the blended
    # semester's tuition, the student life fee and the residential tuition of the direct degree), 6 more with
    # them (housing, food, books, transport, personal, health insurance: 11). The three estimates share a plan.
    without = Request.parse({"no_living": "true"})
    first = estimate(shipped, "mit-scm", "mit", without)
    living = estimate(shipped, "mit-scm", "mit", Request.parse({"salary": "50000"}))
    again = estimate(shipped, "mit-scm", "mit", without)
    assert (len(first.figures_used), len(living.figures_used), len(again.figures_used)) == (5, 11, 5)
    assert again == first


def test_a_forked_ledger_copies_a_shared_item_before_adding_to_it() -> None:
    from mmcost.engine.ledger import Ledger, Line

    plan = Ledger(Decimal(0), 2020)
    fee = Line("micromasters", "Course", "course", D("150.00"), "USD", "course_fee")
    plan.add(fee, 2020, D(2))
    fork = plan.fork()
    fork.add(fee, 2021, D(1))  # the same line item, in another year
    fork.convert("EUR", D("0.5"))
    # The plan still has 2 x 150.00 = 300.00 in 2020 alone; the fork 3 x 75.00 = 225.00 over two years.
    [planned] = plan.items
    assert (planned.line.currency, planned.amount, dict(planned.by_year())) == ("USD", D("300.00"), {2020: D(300)})
    [forked] = fork.items
    assert (forked.line.currency, forked.amount, dict(forked.by_year())) == (
        "EUR",
        D("225.00"),
        {2020: D(150), 2021: D(75)},
    )
    # The running totals follow: the plan's course fees are 300.00 in 2020; the fork's, after conversion,
    # 2 x 75.00 = 150.00 in 2020 and 75.00 in 2021, 225.00 in all.
    assert (plan.totals, plan.education) == ({"micromasters": D(300)}, {2020: D(300)})
    assert (fork.totals, fork.education, fork.currencies) == (
        {"micromasters": D(225)},
        {2020: D(150), 2021: D(75)},
        {"EUR"},
    )


def test_forks_of_one_plan_do_not_see_each_others_payments() -> None:
    from mmcost.engine.ledger import Ledger, Line

    plan = Ledger(Decimal(0), 2020)
    plan.add(Line("micromasters", "Course", "course", D("150.00"), "USD", "course_fee"), 2020, D(2))
    first, second = plan.fork(), plan.fork()
    first.add(Line("funding", "Employer", "year", D("-100.00"), "USD", "employer"), 2020, D(1))
    third = first.fork()  # a fork of a fork holding a payment of its own
    second.add(Line("living", "Living", "month", D("10.00"), "USD", "living"), 2020, D(3))
    third.add(Line("funding", "Employer", "year", D("-100.00"), "USD", "employer"), 2021, D(1))
    labels = [[item.line.label for item in ledger.items] for ledger in (plan, first, second, third)]
    assert labels == [["Course"], ["Course", "Employer"], ["Course", "Living"], ["Course", "Employer"]]
    # first keeps its one employer year (-100.00); third adds 2021 to the same line item: 2 x -100.00.
    assert [item.amount for item in first.items] == [D("300.00"), D("-100.00")]
    assert [item.amount for item in third.items] == [D("300.00"), D("-200.00")]


def test_a_typed_request_out_of_range_is_refused_as_a_parsed_one_is(shipped: Catalog) -> None:
    # Request.parse checks ranges as it types; a Request built from typed values is checked by the engine.
    with pytest.raises(OptionError, match="aid: 95 is not between 0 and 90"):
        estimate(shipped, "mit-scm", "hes", Request({"aid": D(95)}))
    with pytest.raises(OptionError, match="aid: 95 is not between 0 and 90"):
        Request.of(aid="95")
    with pytest.raises(OptionError, match="aid: 95 is not between 0 and 90"):
        estimate(shipped, "mit-scm", "hes", Request.of(aid="50").replace("aid", "95"))


def test_yearly_lines_are_counted_at_once_and_made_in_the_order_they_came() -> None:
    from mmcost.engine.ledger import Ledger, Line, Yearly

    ledger = Ledger(Decimal(0), 2020)
    ledger.add(Line("micromasters", "Course", "course", D("150.00"), "USD", "course_fee"), 2020, D(2))
    paid = ((2020, D("300.00")), (2021, D("50.00")))
    cover = Yearly("funding", "Employer reimbursement ({year})", "year", "USD", "employer", paid, D(250))
    ledger.add_yearly(cover, D("-300.00"))  # min(300.00, 250) + min(50.00, 250) = 250 + 50.00, negated
    ledger.add(Line("living", "Living", "month", D("10.00"), "USD", "living"), 2021, D(4))
    # Counted before any item is made: funding -300.00; education only the course fees.
    assert ledger.totals == {"micromasters": D("300.00"), "funding": D("-300.00"), "living": D("40.00")}
    assert ledger.education == {2020: D("300.00")}
    assert [(item.line.label, item.amount) for item in ledger.items] == [
        ("Course", D("300.00")),
        ("Employer reimbursement (2020)", D("-250.00")),  # the cap, 250, padded to cents
        ("Employer reimbursement (2021)", D("-50.00")),
        ("Living", D("40.00")),
    ]
    # The cap as the learner typed it (7, not 7.00) is the amount; the line shows it padded to cents.
    exact = Ledger(Decimal(0), 2020)
    exact.add_yearly(
        Yearly("funding", "Employer ({year})", "year", "USD", "employer", ((2020, D("9.00")),), D(7)), D(-7)
    )
    assert [str(item.line.unit_amount) for item in exact.items] == ["-7.00"]


@given(
    paid=st.lists(st.decimals(min_value=D("0.01"), max_value=D(99999), places=2), max_size=6),
    cap=st.decimals(min_value=D("0.01"), max_value=D(99999), places=2) | st.integers(1, 99999).map(Decimal),
)
def test_a_capped_sum_is_the_sum_year_by_year_to_the_last_digit(paid: list[Decimal], cap: Decimal) -> None:
    from mmcost.engine.ledger import capped_sum, running_sums

    # What the employer rule sums once from the plan's running sums is what adding min(paid, cap) year by year
    # gives: the same value and the same exponent (so that the same cells are written).
    year_by_year = ZERO
    for amount in paid:
        year_by_year += amount if amount < cap else cap
    assert str(capped_sum(*running_sums(paid), cap)) == str(year_by_year)


def test_running_totals_are_the_sums_of_the_merged_items() -> None:
    """What a batch row reads (the totals) and what JSON shows (the line items) agree, on every route and
    under scenarios that add lines, copy plan items, and convert currency."""
    from mmcost.engine.ledger import EDUCATION_KINDS

    scenarios = [
        Request.parse({"aid": "50", "salary": "90000", "employer_per_year": "5250", "scholarship": "10%"}),
        Request.parse({"scholarship": "3000", "trip_cost": "700", "living_per_month": "1500", "fee_growth": "3"}),
        Request.parse({"currency": "JPY", "rate": "151.3", "employer_per_year": "6000", "retakes": "1"}),
    ]
    catalog, checked = load_catalog(), 0
    for program_id, pathway_id in [("mit-scm", "hes"), ("mit-scm", "mit"), ("mit-dedp", "hes")]:
        for request in scenarios:
            result = estimate(catalog, program_id, pathway_id, request)
            for ledger in (result.ledgers._pathway_ledger, result.ledgers._direct_ledger):
                assert ledger is not None
                items = ledger.items
                for section in {item.line.section for item in items}:
                    assert ledger.totals[section] == sum(i.amount for i in items if i.line.section == section)
                years: dict[int, Decimal] = {}
                for item in items:
                    if item.line.kind in EDUCATION_KINDS:
                        for year, amount in item.by_year().items():
                            years[year] = years.get(year, ZERO) + amount
                assert ledger.education == years
                checked += 1
    assert checked == 18  # 3 routes x 3 scenarios x 2 ledgers


def test_a_living_budget_in_another_currency_is_said_and_its_figures_listed_on_every_row(shipped: Catalog) -> None:
    # MIT's cost-of-attendance budget rows made EUR in a copy of the shipped catalog: the budget is priced (its
    # rows' figures are used and listed, 5 + 6 = 11 as in the test above), but it cannot be added to USD, so no
    # living line is counted and a warning says why. A second estimate on the same plan says and lists the same.
    budget = shipped.degrees[shipped.pathway("mit-scm", "mit").degree].living
    assert budget is not None
    figures = dict(shipped.figures)
    for figure_id in budget.figures:
        figure = figures[figure_id]
        figures[figure_id] = figure._replace(values=tuple(v._replace(currency="EUR") for v in figure.values))
    catalog = shipped._replace(figures=figures)
    request = Request.parse({"year": "2024", "salary": "50000"})
    first, again = (estimate(catalog, "mit-scm", "mit", request) for _ in range(2))
    for result in (first, again):
        assert any(f"{budget.label} is in another currency" in text for text in result.warnings)
        assert not any(item.kind == "living" for item in result.line_items)
        assert len(result.figures_used) == 11
        assert {use.figure for use in result.figures_used} >= set(budget.figures)
    assert again == first
