"""The 2026 research folded into the shipped catalog: program prices, secondary figures,
closed programs, unknown credit rules, price tiers by residency. Each expected number is
worked out by hand from data/programs.yaml (itself from ../shared/research/)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from mmcost.catalog import CatalogFile
from mmcost.engine import Request, estimate
from mmcost.errors import MissingFigureError
from mmcost.model import Catalog


def test_sds_prices_from_the_secondary_program_price(shipped: Catalog) -> None:
    # Fee year 2021-22 (the program price's year). MicroMasters: one bundle, 1,500 (learner
    # compilation, June 2022). Degree: 12 - 3 credited = 9 HES courses x 2,700 (2018-19) + the
    # 100 application fee = 24,400. Net 25,900; baseline 12 x 2,700 + 100 = 32,500; savings 6,600.
    result = estimate(shipped, "mit-sds", "hes")
    assert result.fee_year == 2021
    [bundle] = result.items("micromasters")
    assert (bundle.unit, bundle.quantity, bundle.amount, bundle.basis) == ("program", D(1), D("1500.00"), "secondary")
    assert "bought as one bundle" in bundle.label
    assert result.net_cost == D("25900.00")
    assert result.savings == D("6600.00")
    assert any(n.kind == "secondary" and "third-party compilation" in n.text for n in result.notices)


def test_a_bundle_gives_way_to_a_fee_per_course_and_cannot_take_aid(shipped: Catalog) -> None:
    # Your fees: 4 courses x 300 + the capstone 300 = 1,500, line by line.
    own = estimate(shipped, "mit-sds", "hes", Request.of(course_fee=D(300), exam_fee=D(300)))
    assert len(own.items("micromasters")) == 5
    assert own.micromasters_cost == D("1500.00")
    # edX aid is per course, so a bundle alone cannot carry it.
    with pytest.raises(MissingFigureError, match=r"priced only as a bundle.*--course-fee"):
        estimate(shipped, "mit-sds", "hes", Request.of(aid=D(50)))


def test_columbia_is_closed_and_needs_its_course_fee(shipped: Catalog) -> None:
    with pytest.raises(MissingFigureError, match=r"ColumbiaX Business Analytics verified certificate fee"):
        estimate(shipped, "columbia-ba", "msor")
    # With your fee of 100: 4 x 100 = 400; 30 - 7.5 credited = 22.5 points x 2,018 (2018-19,
    # estimate) = 45,405 (the research's own derived figure); net 45,805.
    # Direct: 30 x 2,018 = 60,540 (the IEOR page's "30 pts at $2,018 per point"); savings 14,735.
    result = estimate(shipped, "columbia-ba", "msor", Request.of(course_fee=D(100)))
    assert result.remaining_degree_cost == D("45405.00")
    assert result.net_cost == D("45805.00")
    assert result.baseline_cost == D("60540.00")
    assert result.savings == D("14735.00")
    [closed] = [n.text for n in result.notices if n.kind == "closed"]
    assert "closed (2021-08-30)" in closed and "summer 2021" in closed


def test_omsa_names_the_unknown_credit_rule_and_takes_credits_left(shipped: Catalog) -> None:
    with pytest.raises(MissingFigureError, match=r"credits still to take .* --credits-left N"):
        estimate(shipped, "gtx-analytics", "omsa")
    # 30 credits left x 275 (9,900 / 36, secondary) = 8,250 + the 2,475 program price = 10,725;
    # direct 36 x 275 = 9,900; savings 9,900 - 10,725 = -825.
    result = estimate(shipped, "gtx-analytics", "omsa", Request.of(credits_left=D(30)))
    assert result.net_cost == D("10725.00")
    assert result.baseline_cost == D("9900.00")
    assert result.savings == D("-825.00")


def test_michigan_tiers_by_residency_default_to_the_highest(shipped: Catalog) -> None:
    scenario = Request.of(course_fee=D(199), credits_left=D(18))
    # 5 x 199 = 995; 18 credits x 2,690 (non-resident, the highest tier) = 48,420; net 49,415.
    result = estimate(shipped, "michigan-lei", "blended-ma", scenario)
    assert result.net_cost == D("49415.00")
    assert result.baseline_cost is None
    assert any("highest tier, non-resident" in w for w in result.warnings)
    assert any(n.kind == "closed" for n in result.notices)
    # Resident: 18 x 1,311 = 23,598 + 995 = 24,593.
    resident = estimate(shipped, "michigan-lei", "blended-ma", scenario.replace("price_tier", "resident"))
    assert resident.net_cost == D("24593.00")


def test_at_least_eight_programs_and_five_pathways_price_with_no_option(shipped: Catalog) -> None:
    assert len(shipped.programs) >= 8
    priced = []
    for program_id, program in shipped.programs.items():
        for pathway_id in program.pathways:
            try:
                estimate(shipped, program_id, pathway_id)
            except MissingFigureError:
                continue
            priced.append(f"{program_id}/{pathway_id}")
    assert priced == ["mit-scm/hes", "mit-scm/hes-sustainability", "mit-scm/mit", "mit-dedp/hes", "mit-sds/hes"]


def test_a_program_needs_a_course_fee_or_a_program_price() -> None:
    document = {
        "schema_version": 1,
        "programs": {"p": {"name": "P", "institution": "I", "url": "https://x.org", "course_count": 3}},
    }
    with pytest.raises(ValueError, match="`course_fee` figure, a `program_price` figure"):
        CatalogFile.model_validate(document)
