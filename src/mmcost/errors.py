"""Located problems and the error family the command line turns into exit codes.

This module is imported by everything, so it stays cheap: no click, rich,
pydantic or yaml.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2


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
        if self.path:
            return f"{where}: {self.path}: {self.message}"
        return f"{where}: {self.message}"


class MmcostError(Exception):
    """A problem the user can fix; the CLI prints it and exits non-zero."""

    exit_code = EXIT_DATA

    def lines(self) -> list[str]:
        """The message as the lines printed on stderr."""
        return [str(self)]


class CatalogError(MmcostError):
    """A catalog (or other input file) broke one or more rules."""

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues: Sequence[Issue] = tuple(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))

    def lines(self) -> list[str]:
        return [str(issue) for issue in self.issues]


class UnknownIdError(MmcostError):
    """A program, pathway or figure id that the catalog does not have."""


class MissingFigureError(MmcostError):
    """An estimate needs figures the catalog does not know for that year."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))

    def lines(self) -> list[str]:
        return list(self.problems)


class UsageError(MmcostError):
    """Options that cannot go together; reported like click's usage errors."""

    exit_code = EXIT_USAGE
