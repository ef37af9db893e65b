"""Decide what the site holds, where each statement lives, and why the others are left out.

A statement is left out while it is a draft (unless --drafts), while its
embargo holds at the time the site is built for (--at, else now), and while
its original is left out. Each statement the site holds gets a stable folder:
`<year>/<slug>/` for an original (year and slug from its date and file name),
`<year>/<slug>/<lang>/` for a translation made with `extends`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..pipeline.model import Statement

RESERVED_SLUGS = {"page"}  # <year>/page/<n>/ holds the year's older archive pages
DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[-_.]?")


@dataclass
class Entry:
    """One statement the site holds."""

    path: Path
    statement: Statement
    folder: str = ""  # e.g. "2017/asean-consensus" or "2017/asean-consensus/th"
    name: str = ""  # the base name of its PDF and Word files
    original: Path | None = None  # the file it extends at the end of the chain; None for an original

    @property
    def lang(self) -> str:
        """Return the statement's language."""
        return self.statement.lang

    @property
    def kind(self) -> str:
        """Return the statement's kind."""
        return self.statement.kind

    @property
    def date(self) -> dt.date:
        """Return the statement's date."""
        return self.statement.date

    @property
    def family(self) -> str:
        """Return the folder of the original this is a version of (its own for an original)."""
        return self.folder if self.original is None else self.folder.rsplit("/", 1)[0]

    @property
    def page(self) -> str:
        """Return the path of its page in the site."""
        return f"{self.folder}/index.html"


@dataclass
class LeftOut:
    """A statement the site does not hold, and why."""

    path: Path
    reason: str


@dataclass
class Discovery:
    """The statements the site holds, those it leaves out, and those that do not load."""

    entries: list[Entry] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)


def why_left_out(statement: Statement, at: dt.datetime, drafts: bool = False) -> str | None:
    """Return why the site leaves `statement` out at `at`, or None when it holds it (its original aside)."""
    if statement.status == "draft" and not drafts:
        return "a draft (status: draft) stays out of the site; set status: final to publish it, or build with --drafts"
    if statement.release == "embargoed" and statement.embargo is not None and statement.embargo > at:
        return f"under embargo until {statement.embargo.isoformat()}: out of every page, feed, sitemap and search index until then"
    return None


def discover(files: list[Path], root: Path, at: dt.datetime, drafts: bool = False) -> tuple[Discovery, dict[Path, list[str]]]:
    """Return what the site holds of the statement `files`, and the problems of those that do not load."""
    from ..errors import MmnpressError

    found, failed = Discovery(), {}
    loaded: dict[Path, Statement] = {}
    for path in files:
        try:
            loaded[path.resolve()] = _load(path, root)
        except MmnpressError as error:
            failed[path] = error.lines()
    reasons = {path: why_left_out(st, at, drafts) for path, st in loaded.items()}
    for path, statement in sorted(loaded.items(), key=lambda item: (item[1].date, item[0].name)):
        reason = reasons[path] or _original_left_out(statement, reasons)
        if reason:
            found.left_out.append(LeftOut(path, reason))
        else:
            chain = statement.sources
            found.entries.append(Entry(path, statement, original=chain[-1] if len(chain) > 1 else None))
    place(found.entries)
    return found, failed


# The statements earlier sites in this process loaded (the build server runs one site after another),
# each with the bytes it was read from: a statement whose files hold the same bytes is not read again.
_LOADED: dict[tuple[Path, Path], tuple[dict[Path, bytes], Statement]] = {}
MAX_KEPT = 4096


def _load(path: Path, root: Path) -> Statement:
    """Load the statement at `path`, or return the one loaded before from exactly the bytes its files hold now.

    The statement is read from the bytes compared (`source.pending`), so
    what is kept always matches what it was read from, even if a file
    changes meanwhile.
    """
    from ..errors import MmnpressError
    from ..pipeline.source import MAX_FILE_BYTES, pending, read_limited
    from ..pipeline.translations import MAX_EXTENDS, load_statement

    key = (path.resolve(), root)
    kept = _LOADED.get(key)
    files = list(kept[0]) if kept else [key[0]]
    for _ in range(MAX_EXTENDS + 2):  # each round learns the files one more `extends` names
        try:
            contents = {file: read_limited(file, MAX_FILE_BYTES) for file in files}
        except (OSError, MmnpressError):
            return load_statement(path, root)  # which says what is wrong with the file
        if kept and contents == kept[0]:
            return kept[1]
        with pending(contents):
            statement = load_statement(path, root)
        if set(statement.sources) <= set(contents):
            if len(_LOADED) >= MAX_KEPT:
                _LOADED.clear()
            _LOADED[key] = ({file: contents[file] for file in statement.sources}, statement)
            return statement
        files, kept = statement.sources, None
    return load_statement(path, root)


def _original_left_out(statement: Statement, reasons: dict[Path, str | None]) -> str | None:
    from ..errors import display_path

    for original in statement.sources[1:]:
        if reasons.get(original) or original not in reasons:
            return f"a translation of {display_path(original)}, which the site leaves out"
    return None


def place(entries: list[Entry]) -> None:
    """Give every entry its folder and file name: originals first, each slug once a year, translations under them."""
    taken: set[str] = set()
    folders: dict[Path, str] = {}
    for entry in entries:
        if entry.original is None:
            slug = unique(slug_of(entry.path), lambda s, year=entry.date.year: f"{year}/{s}" in taken)
            entry.folder, entry.name = f"{entry.date.year}/{slug}", slug
            taken.add(entry.folder)
            folders[entry.path.resolve()] = entry.folder
    for entry in entries:
        if entry.original is not None:
            base = folders[entry.original]
            lang = unique(entry.lang.lower(), lambda s, base=base: f"{base}/{s}" in taken)
            entry.folder, entry.name = f"{base}/{lang}", f"{base.rsplit('/', 1)[1]}-{lang}"
            taken.add(entry.folder)


def unique(name: str, taken) -> str:
    """Return `name`, or `name-2`, `name-3`... : the first that `taken` refuses."""
    candidate, number = name, 1
    while taken(candidate) or candidate in RESERVED_SLUGS:
        number += 1
        candidate = f"{name}-{number}"
    return candidate


def slug_of(path: Path) -> str:
    """Return the address slug of a statement file: its name without the date, in ASCII letters, digits and hyphens."""
    name = DATE_PREFIX.sub("", path.stem)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80].strip("-")
    return slug or "statement"
