"""Make the README's screenshots from real runs: the terminal chart and the report page.

    .venv/bin/python docs/screenshots.py    (needs Chromium: apt-get install chromium)

The terminal picture is the command's own coloured output (--color always),
turned into HTML by rich and photographed by headless Chromium, like the report.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHROMIUM = [
    "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
]  # fmt: skip
CHART = ["estimate", "-p", "mit-scm", "-w", "hes", "--chart", "--salary-uplift", "15000", "-q", "--color", "always"]
REPORT = ["report", "-p", "mit-scm", "-w", "mit", "--salary", "60000", "--salary-uplift", "15000", "-q"]


def mmcost(*args: str, columns: int = 100) -> str:
    command = [sys.executable, "-c", "from mmcost.cli import main; main()", *args]
    env = {"COLUMNS": str(columns), "PATH": "/usr/bin:/bin"}
    return subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout


def shoot(page: Path, png: Path, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [*CHROMIUM, f"--user-data-dir={profile}", f"--window-size={width},{height}", f"--screenshot={png}",
             page.as_uri()],
            capture_output=True, check=True, timeout=120,
        )  # fmt: skip
    print(f"wrote {png.relative_to(HERE.parent)} ({width}x{height}) from {page.name}")


def terminal_page(ansi: str, title: str) -> str:
    from rich.console import Console
    from rich.text import Text

    console = Console(record=True, width=80, file=open("/dev/null", "w"), force_terminal=True)  # noqa: SIM115
    console.print(Text.from_ansi(ansi))
    html = console.export_html(inline_styles=True)
    # A browser takes braille and box drawing from a proportional fallback font; a terminal keeps one cell each.
    html = re.sub("([\u2500-\u257f\u2800-\u28ff])", r'<span style="display:inline-block;width:1ch">\1</span>', html)
    return html.replace(
        "<body>",
        f"<body style=\"background:#0c0c0c;color:#ddd\"><p style='font:13px monospace;color:#888'>$ {title}</p>",
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "chart.html"
        out = mmcost(*CHART, columns=80)
        chart = out[out.rindex("\n", 0, out.index("Cumulative out of pocket")) + 1 :]  # the table is in the README
        page.write_text(
            terminal_page(chart, "mmcost " + " ".join(CHART[:-2]) + "   (under the table)"), encoding="utf-8"
        )
        shoot(page, HERE / "chart.png", 800, 880)
        report = Path(folder) / "report.html"
        mmcost(*REPORT, "-o", str(report))
        shoot(report, HERE / "report.png", 1100, 1500)


if __name__ == "__main__":
    main()
