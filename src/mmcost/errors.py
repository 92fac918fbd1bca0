"""Located problems and the error family the command line turns into exit codes.

This module is imported by everything, so it stays cheap: no click, rich,
pydantic or yaml.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2

MAX_ISSUES = 100
"""At most this many problems are reported per file: enough to fix in one pass."""


CONTROL = frozenset(map(chr, (*range(0x20), *range(0x7F, 0xA0))))
"""C0, DEL and C1: characters that drive a terminal rather than print. Input text with one is refused."""


def control_character(text: str, allowed: str = "") -> str | None:
    """A description of the first control character in text (those in allowed aside), or None."""
    if text.isprintable():
        return None
    bad = next((char for char in text if char in CONTROL and char not in allowed), None)
    return None if bad is None else f"contains the control character U+{ord(bad):04X}"


class Issue(NamedTuple):
    """One problem in a file, pointing at where an editor should jump."""

    file: str
    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return one_line(text)


_CONTROL = {code: f"\\x{code:02x}" for code in (*range(32), 127)} | {10: "\\n", 13: "\\r", 9: "\\t"}


def one_line(text: str) -> str:
    """Text with its control characters escaped (a key read from a file may hold a newline): one line, always."""
    return text.translate(_CONTROL)


Spelling = Callable[[str], str]
"""How a front end names an option given its key: `--course-fee`, `column 'course_fee'`, ..."""


def command_line(key: str) -> str:
    """An option as typed on the command line: course_fee -> --course-fee."""
    return "--" + key.replace("_", "-")


_OPTION_REF = re.compile(r"\{([a-z][a-z_]*)\}")


def spelled(text: str, spell: Spelling) -> str:
    """Replace each {option_key} in a message with the front end's name for that option."""
    return _OPTION_REF.sub(lambda match: spell(match.group(1)), text)


class MmcostError(Exception):
    """A problem the user can fix; the CLI prints it and exits non-zero.

    Messages name scenario options as {key} (e.g. "supply it with {course_fee}");
    lines() spells them for the front end that reports the error.
    """

    exit_code = EXIT_DATA

    def lines(self, spell: Spelling = command_line) -> list[str]:
        """The message as the lines printed on stderr, options spelled by spell."""
        return [spelled(line, spell) for line in self.raw_lines()]

    def raw_lines(self) -> list[str]:
        """The message's lines with {option_key} references left in."""
        return [super().__str__()]

    def __str__(self) -> str:
        return "\n".join(self.lines())


class CatalogError(MmcostError):
    """A catalog (or other input file) broke one or more rules."""

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues: Sequence[Issue] = _at_most(MAX_ISSUES, issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))

    def lines(self, spell: Spelling = command_line) -> list[str]:
        return [str(issue) for issue in self.issues]

    def raw_lines(self) -> list[str]:
        return self.lines()


def _at_most(limit: int, issues: Iterable[Issue]) -> tuple[Issue, ...]:
    """The first limit issues of each file, then one line per file saying how many more there were."""
    kept: list[Issue] = []
    counts: dict[str, int] = {}
    for issue in issues:
        counts[issue.file] = counts.get(issue.file, 0) + 1
        if counts[issue.file] <= limit:
            kept.append(issue)
    hidden = {file: count - limit for file, count in counts.items() if count > limit}
    kept.extend(Issue(file, f"{count:,} more problems not shown") for file, count in hidden.items())
    return tuple(kept)


class UnknownIdError(MmcostError):
    """A program, pathway or figure id that the catalog does not have."""


class MissingFigureError(MmcostError):
    """An estimate needs figures the catalog does not know for that year."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))

    def raw_lines(self) -> list[str]:
        return list(self.problems)


class UsageError(MmcostError):
    """Options that cannot go together; reported like click's usage errors."""

    exit_code = EXIT_USAGE


class OptionError(UsageError):
    """One scenario option's value is wrong; `key` names it, whichever front end gave it."""

    def __init__(self, key: str, problem: str) -> None:
        self.key, self.problem = key, problem
        super().__init__(f"{{{key}}}: {problem}")
