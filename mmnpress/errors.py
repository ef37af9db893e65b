"""Problems found in user input, and the exceptions that carry them.

Every problem a user can fix is a `Problem` with a file and a position; the
command line prints each as ``FILE:LINE:COLUMN: message`` and exits with 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in an input file, at a 1-based line and column."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        # a value quoted in a message must not start a line of its own
        message = self.message.replace("\r", "\\r").replace("\n", "\\n")
        return f"{self.file}:{self.line}:{self.column}: {message}"


class MmnpressError(Exception):
    """Raise for any failure the user should read as plain lines, not a traceback."""

    def lines(self) -> list[str]:
        """Return the lines to print for this failure."""
        return [str(self)]


class InputError(MmnpressError):
    """Raise when input files hold problems; carries all of them at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        """Return one line per problem, in file order."""
        return [str(p) for p in self.problems]


class RenderError(MmnpressError):
    """Raise when a template or renderer fails on otherwise valid input."""


def display_path(path: Path | str) -> str:
    """Return `path` relative to the working folder when it lies below it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class Collector:
    """Gather problems while checking, then raise them together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, line: int, column: int, message: str) -> None:
        """Record one problem."""
        self.problems.append(Problem(file, line, column, message))

    def raise_if_any(self) -> None:
        """Raise `InputError` with everything recorded, if anything was."""
        if self.problems:
            raise InputError(self.problems)
