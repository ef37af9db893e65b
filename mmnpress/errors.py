"""Problems found in user input, and the exceptions that carry them.

Every problem a user can fix is a `Problem` with a file and a position; the
command line prints each as ``FILE:LINE:COLUMN: message`` and exits with 2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# The last line of a command the user interrupted, however it ran (alone, or through the build server).
INTERRUPTED = "mmnpress: interrupted; no output was left half-written"
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def escaped(text: str) -> str:
    """Return `text` with line breaks and control characters written as escapes.

    Every line that prints user data (file names, values, authors) goes
    through here, so a value can never start a line of its own (a forged
    ``FILE:LINE:COLUMN`` problem) or move the cursor.
    """
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    char = match.group()
    named = {"\n": "\\n", "\r": "\\r"}
    return named.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in an input file, at a 1-based line and column."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return escaped(f"{self.file}:{self.line}:{self.column}: {self.message}")


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


class ReviewError(MmnpressError):
    """Raise when a reviewed document cannot be read or its changes not applied."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.details = details or []

    def lines(self) -> list[str]:
        """Return the message, then one line per detail."""
        return [str(self), *self.details]


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
