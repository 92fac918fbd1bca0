"""`mmcost report`: a self-contained HTML page to hand over, parsed as a browser would read it."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
import simplejson
from click.testing import CliRunner

from mmcost.cli import cli
from tests.conftest import in_a_terminal

HANG_SECONDS = 60
ARGS = ("report", "-p", "mit-scm", "-w", "mit", "--salary", "60000", "--salary-uplift", "15000")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


class Page(HTMLParser):
    """What a browser would fetch and show: text, links, and every reference to another resource."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self.fetched: list[str] = []  # src=, <link href=>, <object data=>: what a browser would load
        self.scripts = 0
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "script":
            self.scripts += 1
        if tag == "style":
            self._in_style = True
        for name in ("src", "data", "srcset", "xlink:href", "poster"):
            if values.get(name):
                self.fetched.append(values[name] or "")
        if tag == "link" and values.get("href"):
            self.fetched.append(values["href"] or "")
        if tag == "image" and values.get("href"):
            self.fetched.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.text).append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def parsed(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


@pytest.fixture(scope="module")
def mit_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("report") / "r.html"
    code, _, err = invoke(*ARGS, "-o", str(path))
    assert code == 0, err
    return path, path.read_text(encoding="utf-8")


def test_the_page_has_every_line_item_every_source_and_the_answer(mit_report: tuple[Path, str]) -> None:
    _, html = mit_report
    page = parsed(html)
    _, estimate_json, _ = invoke("estimate", "-p", "mit-scm", "-w", "mit", "--salary", "60000",
                                 "--salary-uplift", "15000", "-f", "json", "-q")  # fmt: skip
    estimate = simplejson.loads(estimate_json, use_decimal=True)
    words = page.words
    for item in estimate["line_items"]:
        assert " ".join(item["label"].split()) in words, item["label"]
        if item["source"].startswith("http"):
            assert item["source"] in page.links, item["source"]
    # The answer first: the net cost, the direct cost and the savings, as the estimate computes them.
    first = words[: words.index("Money over time")]
    assert f"{estimate['net_cost']:,} USD" in first
    assert f"{estimate['baseline_cost']:,} USD" in first
    assert f"{estimate['savings']:,} USD" in first
    assert f"Figures from 2016-17 to {estimate['fee_year_label']}" in first  # the data's age
    # Payback 6.1 years after finishing (the estimate's figure), in 2032 (the chart's line).
    assert f"{estimate['outcome']['payback_years']} years" in first
    assert "in 2032" in first
    assert "mit-scm/mit pays back in 2032" in words  # the dashed line's legend in the SVG


def test_the_page_references_nothing_outside_itself(mit_report: tuple[Path, str]) -> None:
    _, html = mit_report
    page = parsed(html)
    assert page.fetched == []
    assert page.scripts == 0
    assert "@import" not in " ".join(page.styles)
    assert "url(" not in " ".join(page.styles)
    assert html.count("<svg") == 2  # the cost chart and the net position, inline
    assert html.isascii()  # anything beyond ASCII is a character reference: any stdout can carry it


def test_the_page_prints_with_page_breaks_between_sections(mit_report: tuple[Path, str]) -> None:
    _, html = mit_report
    style = " ".join(parsed(html).styles)
    assert "@media print" in style
    assert "break-before: page" in style


def test_the_page_names_the_command_that_reproduces_it(mit_report: tuple[Path, str]) -> None:
    path, html = mit_report
    assert f"mmcost {' '.join(ARGS)} -o {path}" in parsed(html).words


def test_text_from_a_catalog_is_shown_not_run(write_yaml, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from .conftest import MINI_CATALOG

    hostile = MINI_CATALOG.replace("name: Example U MSc", 'name: "<script>alert(1)</script> MSc"')
    catalog = write_yaml(hostile)
    code, out, err = invoke("--catalog", str(catalog), "report", "demo/uni", "-f", "html", "-q")
    assert code == 0, err
    page = parsed(out)
    assert page.scripts == 0
    assert "<script>alert(1)</script> MSc" in page.words


def test_json_is_the_data_behind_the_page() -> None:
    code, out, _ = invoke(*ARGS, "-f", "json", "-q")
    assert code == 0
    data = simplejson.loads(out, use_decimal=True)
    _, estimate_json, _ = invoke("estimate", "-p", "mit-scm", "-w", "mit", "--salary", "60000",
                                 "--salary-uplift", "15000", "-f", "json", "-q")  # fmt: skip
    estimate = simplejson.loads(estimate_json, use_decimal=True)
    assert {key: data[key] for key in estimate} == estimate
    assert [p["key"] for p in data["timeline"]["paybacks"]] == ["mit-scm/mit", "mit-scm/mit/direct"]
    assert data["timeline"]["paybacks"][0]["year"] == 2032
    assert data["command"] == f"mmcost {' '.join(ARGS)} -f json -q"


def test_an_o_file_ending_json_gets_json(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    code, _, _ = invoke(*ARGS, "-o", str(path), "-q")
    assert code == 0
    assert simplejson.loads(path.read_text())["program"] == "mit-scm"


def test_a_failed_report_leaves_the_old_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    path.write_bytes(b"the old report")
    code, _, err = invoke("report", "-p", "mit-scmx", "-w", "mit", "-o", str(path))
    assert code == 1
    assert "did you mean 'mit-scm'" in err
    assert path.read_bytes() == b"the old report"


def test_html_is_not_poured_onto_a_terminal() -> None:
    code, shown = in_a_terminal("report", "mit-scm/hes", env={"COLUMNS": "80"})
    assert code == 2
    assert b"<html" not in shown


def test_without_the_report_extra_one_line_names_it() -> None:
    code = (
        "import sys\n"
        "sys.modules['pygal'] = None\n"  # as if not installed: importing it raises ImportError
        "from mmcost.cli import main\n"
        "main(['report', 'mit-scm/hes', '-f', 'html'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=HANG_SECONDS, check=False
    )
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "pip install 'mmcost[report]'" in line
    assert result.stdout == ""


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def png_pixels(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed image rows of a PNG (enough to tell a blank picture)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    offset, data, width, height = 8, b"", 0, 0
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind, body = png[offset + 4 : offset + 8], png[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            data += body
        offset += 12 + length
    return width, height, zlib.decompress(data)


@pytest.mark.skipif(chromium() is None, reason="Chromium is not installed")
@pytest.mark.parametrize(("width", "height"), [(1100, 1400), (390, 844)])  # a desktop window, a phone
def test_a_browser_renders_the_page(mit_report: tuple[Path, str], tmp_path: Path, width: int, height: int) -> None:
    path, _ = mit_report
    shot = tmp_path / "shot.png"
    browser = chromium()
    assert browser is not None
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars", f"--window-size={width},{height}",
         f"--screenshot={shot}", path.as_uri()],
        capture_output=True, timeout=HANG_SECONDS, check=True, env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    shot_width, shot_height, rows = png_pixels(shot.read_bytes())
    assert (shot_width, shot_height) == (width, height)
    # A blank page is one colour: its rows decompress to a handful of distinct byte values.
    assert len(set(rows)) > 64


def test_a_closed_pathway_says_so_before_the_answer() -> None:
    code, out, err = invoke("report", "columbia-ba/msor", "--course-fee", "100", "-f", "html", "-q")
    assert code == 0, err
    words = parsed(out).words
    first = words[: words.index("Net cost through the pathway")]
    assert "closed" in first.lower()


def test_the_command_names_the_catalogs_read_without_being_named(tmp_path: Path) -> None:
    folder = tmp_path / "cfg" / "mmcost"
    folder.mkdir(parents=True)
    (folder / "figures.yaml").write_text("schema_version: 1\n")
    named = tmp_path / "named.yaml"
    named.write_text("schema_version: 1\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "MMCOST_CATALOG": str(named), "MMCOST_NO_CACHE": "1"}
    result = CliRunner(env=env).invoke(cli, ["report", "mit-scm/hes", "-f", "json", "-q"])
    assert result.exit_code == 0, result.stderr
    # The config folder's file and $MMCOST_CATALOG's, in the order they are merged.
    expected = f"mmcost report mit-scm/hes -f json -q --catalog {folder / 'figures.yaml'} --catalog {named}"
    assert simplejson.loads(result.stdout)["command"] == expected
