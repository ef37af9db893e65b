"""The project's files the editor may read and write, named by the browser with paths relative to the project.

Every path from the browser is resolved (symbolic links followed) and must
end inside the project's `statements/` folder as a `.yaml` or `.yml` file:
nothing else is opened for it, and no folder is ever listed except as the
names of the statements the open dialog offers. Bibliographies are found
through a statement's `references` and must lie inside the project too.

Saving is compare-and-swap: the browser names the version (SHA-256 of the
bytes) it opened; when the file on disk is another version, nothing is
written and the difference is returned instead (no lost update).
"""

from __future__ import annotations

import difflib
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import MmnpressError
from ..files import write_atomically
from ..pipeline.project import inside, resolved
from ..pipeline.source import MAX_FILE_BYTES, read_limited
from .formdata import merged_text, text_data

STATEMENT_SUFFIXES = (".yaml", ".yml")


class Refused(MmnpressError):
    """Raise when the browser names a file the editor does not serve (answered with 403)."""


@dataclass
class Conflict:
    """The file changed on disk since the browser opened it: what it holds now, and how it differs from what the browser has."""

    version: str
    text: str
    data: Any
    difference: str


def version_of(data: bytes) -> str:
    """Return the version of a file's bytes (its SHA-256)."""
    return hashlib.sha256(data).hexdigest()


class Workspace:
    """The statements of one project folder."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.statements = self.root / "statements"
        self.lock = threading.Lock()

    def path(self, relative: str) -> Path:
        """Return the statement file the project-relative path names; raise Refused for anything else."""
        if not isinstance(relative, str) or not relative or "\x00" in relative or relative.startswith(("/", "\\")):
            raise Refused("not a statement of this project")
        candidate = resolved(self.root / relative)
        if candidate is None or not inside(candidate, self.statements) or candidate.suffix.lower() not in STATEMENT_SUFFIXES:
            raise Refused("not a statement of this project")
        return candidate

    def relative(self, path: Path) -> str:
        """Return the project-relative name of a statement path."""
        return path.resolve().relative_to(self.root).as_posix()

    def listing(self) -> list[str]:
        """Return the project-relative names of the statements (what the open dialog offers)."""
        if not self.statements.is_dir():
            return []
        found = [p for p in self.statements.rglob("*") if p.suffix.lower() in STATEMENT_SUFFIXES and p.is_file()]
        return sorted(self.relative(p) for p in found if inside(p, self.statements))

    def read(self, relative: str) -> tuple[Path, bytes]:
        """Return the statement's path and bytes."""
        path = self.path(relative)
        try:
            data = read_limited(path, MAX_FILE_BYTES)
        except OSError as error:
            raise MmnpressError(f"{relative}: cannot read: {error.strerror or error}") from None
        return path, data

    def opened(self, relative: str) -> dict:
        """Return what the page needs to edit a statement: its text, data and version."""
        path, data = self.read(relative)
        text = data.decode("utf-8")
        return {"path": self.relative(path), "text": text, "data": text_data(path, text), "version": version_of(data)}

    def save(self, relative: str, new: Any, version: str) -> str | Conflict:
        """Write the form data into the statement unless it changed since `version`; return the new version or the conflict."""
        with self.lock:
            path, data = self.read(relative)
            text = data.decode("utf-8")
            merged = merged_text(path, text, new)
            if version_of(data) != version:
                return Conflict(version_of(data), text, text_data(path, text), _difference(text, merged, self.relative(path)))
            body = merged.encode("utf-8")
            if body != data:
                write_atomically(path, body)
            return version_of(body)


def _difference(disk: str, yours: str, name: str) -> str:
    """Return the unified difference between the file on disk and what saving the form would write."""
    return "".join(difflib.unified_diff(disk.splitlines(True), yours.splitlines(True), f"{name} (on disk)", f"{name} (yours)"))
