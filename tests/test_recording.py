"""mmcost figure add and mmcost catalog stale, tried as a user would (through the CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mmcost.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("MMCOST_NO_CACHE", "1")
    return tmp_path / "cfg" / "mmcost" / "figures.yaml"


def test_figure_add_is_used_by_the_next_estimate_and_named(config: Path) -> None:
    code, out, _ = run(
        "figure", "add", "hes-tuition-per-course", "3000", "--year", "2026", "--source", "https://example.edu/x"
    )
    assert code == 0 and str(config) in out
    code, out, _ = run("estimate", "-p", "mit-scm", "-w", "hes", "--year", "2026", "-f", "json", "-q")
    data = json.loads(out)
    # 8 courses x 3,000 (your 2026-27 figure) + 100 = 24,100; + 950 MicroMasters = 25,050;
    # baseline 12 x 3,000 + 100 = 36,100; savings 11,050.
    assert data["net_cost"] == 25050 and data["savings"] == 11050
    assert any(str(config) in warning and "3,000.00 USD, 2026-27" in warning for warning in data["warnings"])
    code, out, _ = run("show", "mit-scm/hes", "-f", "json")
    assert str(config) in out
    # The bundled history is copied with the new value, so earlier years still price as before:
    # 2018-19: 8 x 2,700 + 100 + 5 x 150 + 600 (CFx 2016-17) = 23,050.
    code, out, _ = run("estimate", "-p", "mit-scm", "-w", "hes", "--year", "2018", "-f", "json", "-q")
    assert json.loads(out)["net_cost"] == 23050


def test_figure_add_keeps_comments_and_a_bad_value_leaves_the_file_as_it_was(config: Path) -> None:
    config.parent.mkdir(parents=True)
    config.write_text("# my notes, kept\nschema_version: 1  # the version\n")
    code, _, _ = run("figure", "add", "mit-scm-course-fee", "200", "-y", "2025", "--source", "https://x.org/p")
    assert code == 0
    text = config.read_text()
    assert text.startswith("# my notes, kept\nschema_version: 1  # the version\n") and "amount: 200.00" in text
    before = config.read_bytes()
    for bad in (["abc"], ["1e400"], ["5", "--source", "not a url"], ["5", "--currency", "XYZ"]):
        args = ["figure", "add", "mit-scm-course-fee", bad[0], "-y", "2026", "--source", "https://x.org", *bad[1:]]
        code, _, err = run(*args)
        assert code in (1, 2) and len(err.strip().splitlines()) == 1, (bad, err)
        assert config.read_bytes() == before


@pytest.mark.parametrize(
    ("given", "line"),
    [
        (["--source", "javascript:alert(1)"], "Invalid value for '--source': must be an http(s) URL"),
        (["--currency", "XYZ"], "Invalid value for '--currency': unknown currency 'XYZ'; use an ISO 4217 code"),
        (["--currency", "JPY"], "Invalid value for '--currency': JPY, but mit-scm-course-fee is in USD"),
        (["--applies-to", "spring\x1b[2J"], "Invalid value for '--applies-to': contains the control character"),
    ],
)
def test_figure_add_names_the_option_a_bad_value_came_from(config: Path, given: list[str], line: str) -> None:
    """Checked before the file is edited: the line names what was typed, not a line of a file not yet written."""
    code, _, err = run("figure", "add", "mit-scm-course-fee", "200", "-y", "2026", "--source", "https://x.org", *given)
    assert code == 2 and len(err.strip().splitlines()) == 1 and line in err, err
    assert not config.exists()


def test_figure_add_never_rounds_an_amount_to_its_currency(tmp_path: Path) -> None:
    """A figure known in no currency yet takes the one given; yen have no minor unit, so 3000.5 is refused
    (rounding it would record 3000 or 3001, neither of which the source says)."""
    target = tmp_path / "mine.yaml"
    args = ["figure", "add", "mit-dedp-masters-tuition", "-y", "2026", "--source", "https://x.org", "--to", str(target)]
    code, _, err = run(*args, "3000.5", "--currency", "JPY")
    assert code == 2 and "Invalid value for 'AMOUNT': amount 3000.5 has more than 0 decimal places for JPY" in err
    assert not target.exists()
    code, _, err = run(*args, "3000", "--currency", "JPY")
    assert code == 0, err
    assert "amount: 3000\n" in target.read_text()  # yen written with no decimal places


@pytest.mark.parametrize(
    "text", ["", "\n", "# my notes, kept", "# my notes, kept\n\n  # and this\n", "---", "--- # mine\n", "# a\n---\n"]
)
def test_figure_add_makes_an_empty_file_a_catalog_and_keeps_its_text(tmp_path: Path, text: str) -> None:
    """A file with no data yet (blank, comments, a YAML document marker) gets the catalog under its text."""
    target = tmp_path / "mine.yaml"
    target.write_text(text)
    code, _, err = run("figure", "add", "hes-tuition-per-course", "3000", "-y", "2026", "--source", "https://x.org",
                       "--to", str(target))  # fmt: skip
    assert code == 0, err
    assert target.read_text().startswith(text.rstrip("\n") + "\n" if text.strip() else "# Your mmcost figures")
    code, out, _ = run("estimate", "mit-scm/hes", "--year", "2026", "--catalog", str(target), "-f", "json", "-q")
    # 8 courses x 3,000 (the recorded 2026-27 value) + 100 = 24,100; + 950 MicroMasters = 25,050.
    assert code == 0 and json.loads(out)["net_cost"] == 25050


def test_figure_add_a_negative_amount_is_refused_as_an_amount(config: Path) -> None:
    # click reads `-5` as an option before any amount check can run: the line says what it likely is.
    code, _, err = run("figure", "add", "hes-tuition-per-course", "-5", "-y", "2026", "--source", "https://x.org")
    assert code == 2 and err.strip().splitlines() == [
        "mmcost figure add: No such option '-5'; if it is an amount: amounts are >= 0 (see 'mmcost figure add --help')"
    ]
    # click splits -2700.50 into short options and names the first, -2: the same hint.
    code, _, err = run("figure", "add", "hes-tuition-per-course", "-2700.50", "-y", "2026", "--source", "https://x.org")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "amounts are >= 0" in err
    code, _, err = run("figure", "add", "hes-tuition-per-course", "3000", "-y", "2026", "--sorce", "https://x.org")
    assert code == 2 and "amounts" not in err  # a mistyped option is not taken for a number
    code, _, err = run("show", "-5")  # show takes no amount: click's own line
    assert code == 2 and "amounts" not in err and "No such option '-5'" in err
    assert not config.exists()


def test_figure_add_an_unknown_figure_suggests_the_closest(config: Path) -> None:
    code, _, err = run("figure", "add", "hes-tuition-per-cours", "5", "-y", "2026", "--source", "https://x.org")
    assert code == 1 and "did you mean 'hes-tuition-per-course'" in err
    assert not config.exists()


def test_catalog_stale_lists_the_old_figures_with_routes_and_pages(config: Path) -> None:
    code, out, _ = run("catalog", "stale", "--before", "2023", "-f", "json")
    assert code == 0
    rows = {row["figure"]: row for row in json.loads(out)["rows"]}
    assert {"hes-tuition-per-course", "mit-scm-course-fee"} <= set(rows)
    assert rows["mit-scm-course-fee"]["newest_year"] == "2016-17"
    assert "mit-scm/hes" in rows["hes-tuition-per-course"]["routes"]
    assert rows["hes-tuition-per-course"]["check_at"].startswith("https://extension.harvard.edu/")
    # The student life fee's newest value is for 2024-25: not before 2023-24.
    assert "mit-student-life-fee" not in rows
    code, out, _ = run("catalog", "stale", "--before", "1900", "-f", "csv")
    assert code == 0 and out.splitlines()[0].startswith("figure,label,newest_year")
    # --before reads a year as --year does: 2016-17 is 2016, so the 2016-17 course fee is not before it,
    # and the 2014-15 application fee is.
    code, out, _ = run("catalog", "stale", "--before", "2016-17", "-f", "csv")
    assert code == 0 and "hes-application-fee" in out and "mit-scm-course-fee" not in out
    code, _, err = run("catalog", "stale", "--before", "0")
    assert code == 2 and "'--before': 0 is not between 1900 and 2200" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("schema_version: 1\nfigures: [\n", "YAML syntax"),
        ("schema_version: 1\nfigures:\n  hes-tuition-per-course: 5\n", "figures.hes-tuition-per-course"),
        ("- 1\n", "expected a mapping"),
    ],
)
def test_figure_add_reports_a_broken_file_and_leaves_it_alone(tmp_path: Path, text: str, message: str) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text(text)
    code, out, err = run("figure", "add", "hes-tuition-per-course", "1", "-y", "2026", "--source", "https://x.org",
                         "--to", str(target))  # fmt: skip
    assert code == 1 and out == "" and message in err and "Traceback" not in err
    assert target.read_text() == text


def test_figure_add_where_its_folder_cannot_be_made_is_one_located_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the config folder would be\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    code, out, err = run("figure", "add", "hes-tuition-per-course", "1", "-y", "2026", "--source", "https://x.org")
    target = blocker / "mmcost" / "figures.yaml"
    assert (code, out) == (1, "")
    assert err == f"{target}: cannot make its folder: Not a directory; name another file with --to FILE\n"
    assert blocker.read_text() == "a file where the config folder would be\n"


@pytest.mark.parametrize("setting", ["", "relative/folder"])
def test_an_empty_or_relative_xdg_config_home_means_the_home_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    """XDG: a relative XDG_CONFIG_HOME is ignored, an empty one is as if unset; the file never lands in
    whatever folder the command happens to run in."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", setting)
    monkeypatch.setenv("MMCOST_NO_CACHE", "1")
    monkeypatch.chdir(tmp_path)
    code, out, err = run("figure", "add", "hes-tuition-per-course", "3000", "-y", "2026", "--source", "https://x.org")
    expected = tmp_path / "home" / ".config" / "mmcost" / "figures.yaml"
    assert code == 0 and str(expected) in out, err
    assert expected.is_file() and sorted(path.name for path in tmp_path.iterdir()) == ["home"]


@pytest.mark.parametrize("home", ["", "relative/home"])
def test_a_home_that_is_not_an_absolute_path_gives_no_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: str
) -> None:
    """HOME empty or relative: no config folder, rather than one that follows the current folder. A catalog
    planted where it would point is not read, and a figure is recorded only where --to says."""
    monkeypatch.setenv("HOME", home)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("MMCOST_NO_CACHE", "1")
    monkeypatch.chdir(tmp_path)
    planted = tmp_path / home / ".config" / "mmcost" / "planted.yaml"
    planted.parent.mkdir(parents=True)
    planted.write_text("figures: {}\n")  # would load (and be listed) if the folder followed the current one
    code, out, _ = run("catalog", "path", "-f", "csv")
    assert code == 0
    assert "config folder,(no config folder: HOME is not an absolute path),false" in out.splitlines()
    assert "planted" not in out
    code, out, err = run("figure", "add", "hes-tuition-per-course", "3000", "-y", "2026", "--source", "https://x.org")
    assert (code, out) == (2, "")
    assert "no config folder: HOME is not an absolute path; name the file to record in with --to FILE" in err
    target = tmp_path / "mine.yaml"
    code, out, err = run(
        "figure", "add", "hes-tuition-per-course", "3000", "-y", "2026", "--source", "https://x.org", "--to",
        str(target),
    )  # fmt: skip
    assert code == 0 and target.is_file(), err
