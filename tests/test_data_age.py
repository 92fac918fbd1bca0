"""How old the answer is, said first; where to check today's prices; warnings a screen can hold."""

from __future__ import annotations

import simplejson
from click.testing import CliRunner

from mmcost.cli import cli
from mmcost.engine import Request, estimate
from mmcost.model import Catalog
from mmcost.render.estimate import data_age


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_2026_question_is_told_its_figures_are_from_2014_to_2019() -> None:
    # The route's figures: application fee 2014-15, SCM course fee 2016-17, HES tuition 2018-19 and the CFx
    # fee 2019-20. Asked for 2026-27, all four are carried forward and none is relabelled as current.
    code, out, err = run("estimate", "-p", "mit-scm", "-w", "hes", "--year", "2026")
    assert code == 0
    title, age = out.splitlines()[:2]
    assert title.startswith("mit-scm -> hes")
    assert age == "Figures from 2014-15 to 2019-20 (4 carried forward); asked for 2026-27"
    assert "| 2016-17 |" in out and "| 2014-15 |" in out  # each line keeps its own year
    # The staleness warning stays even though --year was given, and the old figures name their pages.
    assert "the newest figure used is from 2019-20: prices have likely changed since" in err
    assert "HES graduate tuition per course (2018-19) at https://extension.harvard.edu/" in err
    code, out, _ = run("estimate", "-p", "mit-scm", "-w", "hes", "--year", "2026", "-f", "json")
    data = simplejson.loads(out)
    assert (data["figures_oldest_year"], data["figures_newest_year"], data["carried_forward"]) == (2014, 2019, 4)
    assert data["fee_year_label"] == "2026-27"
    # More than two years older than 2026-27: all four figures (2019-20 is 7 years older).
    checked = {row["figure"] for row in data["check_prices_at"]}
    assert checked == {"mit-scm-course-fee", "mit-scm-cfx-fee", "hes-application-fee", "hes-tuition-per-course"}


def test_the_data_age_of_the_mini_catalog(mini: Catalog) -> None:
    # Fee year 2022: course fee 2022, exam fee 2022, application fee 2022, tuition 2021 (carried forward).
    result = estimate(mini, "demo", "uni")
    assert data_age(result) == "Figures from 2021-22 to 2022-23 (1 carried forward); asked for 2022-23"
    # Every figure overridden: no catalog figure is used, and the line says so.
    overrides = {"demo-course-fee": "1", "demo-exam-fee": "1", "msc-tuition": "1", "msc-application-fee": "1"}
    assert data_age(estimate(mini, "demo", "uni", Request.of(set=overrides))) == (
        "Every figure is yours (no catalog figure used)"
    )


def test_warnings_fit_a_screen_and_list_in_full_on_request() -> None:
    _, _, summary = run("estimate", "-p", "mit-scm", "-w", "hes")
    _, _, full = run("estimate", "-p", "mit-scm", "-w", "hes", "-v")
    assert len(summary.splitlines()) < len(full.splitlines())
    assert "HES graduate tuition per course (2,700.00 USD, 2018-19) is derived" in full
    assert "is derived" not in summary


def test_the_hint_names_only_options_that_apply() -> None:
    # MIT SCM blended charges tuition per term, so --tuition-per-course does not apply there.
    _, _, err = run("estimate", "-p", "mit-scm", "-w", "mit")
    assert "hint: override a figure with --course-fee, --exam-fee or --set FIGURE=AMOUNT" in err
