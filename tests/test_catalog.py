"""The catalog loader: every rule, reported as file:line:col: path: message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mmcost.catalog import load_catalog
from mmcost.errors import CatalogError

from .conftest import MINI_CATALOG


def issues(path: Path) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load_catalog([path], bundled=False)
    return [str(issue).replace(str(path), "c.yaml") for issue in caught.value.issues]


def broken(write_yaml: Callable[..., Path], old: str, new: str) -> Path:
    assert old in MINI_CATALOG
    return write_yaml(MINI_CATALOG.replace(old, new, 1))


def test_the_mini_catalog_loads(write_yaml: Callable[..., Path]) -> None:
    catalog = load_catalog([write_yaml(MINI_CATALOG)], bundled=False)
    assert list(catalog.programs) == ["demo"]
    assert catalog.origins[("programs", "demo")].endswith("catalog.yaml")


def test_negative_amount(write_yaml: Callable[..., Path]) -> None:
    path = broken(write_yaml, "{amount: 50.00,", "{amount: -50.00,")
    assert issues(path) == ["c.yaml:13:10: figures.demo-exam-fee.values[0].amount: must be >= 0"]


def test_more_places_than_the_currency_has(write_yaml: Callable[..., Path]) -> None:
    path = broken(write_yaml, "{amount: 50.00,", "{amount: 50.001,")
    assert issues(path) == [
        "c.yaml:13:9: figures.demo-exam-fee.values[0]: amount 50.001 has more than 2 decimal places for USD"
    ]


def test_unknown_currency(write_yaml: Callable[..., Path]) -> None:
    path = broken(write_yaml, "{amount: 50.00, currency: USD", "{amount: 50.00, currency: usd")
    [message] = issues(path)
    assert message.startswith(
        "c.yaml:13:25: figures.demo-exam-fee.values[0].currency: unknown currency 'usd'; use an ISO 4217 code"  # at the key `currency`
    )


def test_unknown_key_and_wrong_type_reported_together(write_yaml: Callable[..., Path]) -> None:
    path = broken(write_yaml, "    kind: exam_fee\n", "    kind: exam_fee\n    colour: red\n")
    path = write_yaml(path.read_text().replace("courses_credited: 4", "courses_credited: four"))
    assert issues(path) == [
        "c.yaml:12:5: figures.demo-exam-fee.colour: unknown key 'colour'; check the spelling (mmcost schema lists the keys)",
        "c.yaml:41:9: programs.demo.pathways.uni.courses_credited: input should be a valid integer,"
        " unable to parse string as an integer",
    ]


def test_missing_key_points_at_the_parent(write_yaml: Callable[..., Path]) -> None:
    path = broken(write_yaml, "    institution: Example U\n", "")
    assert issues(path) == ["c.yaml:25:3: programs.demo: missing required key 'institution'"]


def test_ids_must_be_slugs(write_yaml: Callable[..., Path]) -> None:
    path = broken(write_yaml, "  demo:\n", "  Demo Program:\n")
    assert issues(path) == [
        "c.yaml:25:3: programs.Demo Program: ids must be lowercase slugs like 'mit-scm' (letters, digits, single hyphens)"
    ]


def test_unknown_figure_suggests_the_closest(write_yaml: Callable[..., Path]) -> None:
    path = broken(write_yaml, "course_fee: demo-course-fee", "course_fee: demo-course-fees")
    assert issues(path) == [
        "c.yaml:33:5: programs.demo.course_fee: unknown figure 'demo-course-fees'; did you mean 'demo-course-fee'?"
        " (define it under `figures`)"
    ]


def test_figure_of_the_wrong_kind(write_yaml: Callable[..., Path]) -> None:
    path = broken(write_yaml, "{name: Final exam, fee: demo-exam-fee}", "{name: Final exam, fee: msc-tuition}")
    assert issues(path) == [
        "c.yaml:35:28: programs.demo.exams[0].fee: figure 'msc-tuition' is a tuition, expected exam_fee"
    ]


def test_credit_cannot_exceed_the_degree(write_yaml: Callable[..., Path]) -> None:
    path = broken(write_yaml, "courses_credited: 4", "courses_credited: 11")
    assert issues(path) == [
        "c.yaml:40:9: programs.demo.pathways.uni.courses_credited: credits 11 courses but degree 'msc' requires only 10"
    ]


def test_unknown_degree(write_yaml: Callable[..., Path]) -> None:
    path = broken(write_yaml, "degree: msc", "degree: mba")
    assert issues(path) == [
        "c.yaml:39:9: programs.demo.pathways.uni.degree: unknown degree 'mba' (define it under `degrees`)"
    ]


def test_a_top_level_list_is_refused(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml("- 1\n- 2\n")
    assert issues(path) == ["c.yaml:1:1: expected a mapping with `schema_version` at the top, found a list"]


def test_every_file_is_checked_before_stopping(write_yaml: Callable[..., Path]) -> None:
    first = write_yaml("schema_version: 2\n", "first.yaml")
    second = write_yaml("a: [1\n", "second.yaml")
    with pytest.raises(CatalogError) as caught:
        load_catalog([first, second], bundled=False)
    assert [str(issue) for issue in caught.value.issues] == [
        f"{first}:1:1: schema_version: unsupported schema version; this mmcost reads version 1",
        f"{second}:2:1: YAML syntax: did not find expected ',' or ']'",
    ]


def test_a_later_file_replaces_an_id(write_yaml: Callable[..., Path]) -> None:
    base = write_yaml(MINI_CATALOG, "base.yaml")
    mine = write_yaml(
        """\
        schema_version: 1
        figures:
          msc-tuition:
            label: MSc tuition per course (my school's 2025 price list)
            kind: tuition
            values:
              - {amount: 1200.00, currency: USD, year: 2025, applies_to: "2025-26", source: "https://example.edu/2025"}
        """,
        "mine.yaml",
    )
    catalog = load_catalog([base, mine], bundled=False)
    assert catalog.figures["msc-tuition"].values[0].amount == 1200
    assert catalog.origins[("figures", "msc-tuition")] == str(mine)
    assert catalog.origins[("programs", "demo")] == str(base)


def test_a_key_holding_a_newline_is_reported_on_one_line(write_yaml: Callable[..., Path]) -> None:
    # Found by the fuzz test: in a flow mapping, `applies_t<newline><CR> "2022"` reads as one key with a line break.
    broken = MINI_CATALOG.replace('applies_to: "2021-22"', 'applies_t\n\r "2021-22"')
    with pytest.raises(CatalogError) as raised:
        load_catalog([write_yaml(broken)], bundled=False)
    for issue in raised.value.issues:
        assert "\n" not in str(issue) and "\r" not in str(issue)
    assert any("unknown key 'applies_t\\n" in str(issue) for issue in raised.value.issues)
