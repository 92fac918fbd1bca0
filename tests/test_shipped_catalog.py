"""The bundled catalog: loads cleanly, and every figure says where it came from."""

from __future__ import annotations

from mmcost.bundled import bundled_catalog
from mmcost.engine import route
from mmcost.model import Catalog


def test_loads_with_zero_issues(shipped: Catalog) -> None:
    assert {"mit-scm", "mit-dedp", "mit-sds", "mit-pom"} <= set(shipped.programs)
    assert set(shipped.programs["mit-scm"].pathways) >= {"hes", "mit"}
    assert set(shipped.programs["mit-dedp"].pathways) >= {"hes", "mit"}
    assert "hes" in shipped.programs["mit-sds"].pathways
    assert "mit" in shipped.programs["mit-pom"].pathways


def test_the_bundled_file_is_the_data_file() -> None:
    assert bundled_catalog().name == "programs.yaml"


def test_every_figure_has_a_source_and_a_year_or_names_its_gap(shipped: Catalog) -> None:
    for figure_id, figure in shipped.figures.items():
        assert figure.values or figure.gap, figure_id
        for value in figure.values:
            assert value.source.startswith(("http://", "https://")), figure_id
            assert 2000 <= value.year <= 2030, figure_id
            assert value.applies_to, figure_id


def test_figures_the_facts_mark_derived_or_approximate_say_so(shipped: Catalog) -> None:
    [hes] = shipped.figures["hes-tuition-per-course"].values
    assert hes.basis == "derived" and hes.note and "$10,800" in hes.note
    [subsidy] = shipped.figures["mit-meng-amd-summer-subsidy"].values
    assert subsidy.basis == "approximate"
    admission = shipped.programs["mit-scm"].pathways["hes"].requirements[0]
    assert (admission.kind, admission.basis) == ("admission_course", "inference")


def test_gaps_stay_unknown(shipped: Catalog) -> None:
    for figure_id in ("mit-sds-course-fee", "mit-pom-course-fee", "mit-dedp-masters-tuition"):
        assert shipped.figures[figure_id].values == ()


def test_every_figure_is_used_by_some_route(shipped: Catalog) -> None:
    used = {
        figure_id
        for program_id, program in shipped.programs.items()
        for pathway_id in program.pathways
        for figure_id in route(shipped, program_id, pathway_id).figure_ids()
    }
    used |= {figure_id for p in shipped.programs.values() for figure_id in p.fee_figures}
    # MIT's standard graduate tuition (per term and summer) is context: no route charges it,
    # because SCM, DEDP and the MEng have their own rates. Each says so in its gap.
    context = {"mit-graduate-tuition-per-term", "mit-graduate-summer-tuition"}
    assert set(shipped.figures) - used == context
    assert all("Context only" in (shipped.figures[figure_id].gap or "") for figure_id in context)
