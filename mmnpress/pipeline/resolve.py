"""Resolve a statement: find everything it refers to and run every input guard.

Resolving loads the statement (with `extends` merged), its organisation
profile, citation style and bibliographies, and has each parser's guard
check what that parser will read: `cite` the style and bibliographies,
`text` the Markdown. All problems are reported at once; what comes out is a
statement the text stage and the renderers can take as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Collector, InputError
from ..options import Options
from . import bibliography, textcheck
from .characters import check_characters
from .discovery import with_translations
from .model import Statement, Text
from .project import Organisation, find_root, load_organisation, organisation_folder
from .translations import load_statement


@dataclass
class Resolved:
    """A statement with everything it refers to found and checked."""

    statement: Statement
    root: Path
    organisation: Organisation
    style: Path
    note_style: bool
    bibliographies: list[Path] = field(default_factory=list)
    family: list[Path] = field(default_factory=list)  # the language family, when built with translations

    def inputs(self) -> list[Path]:
        """Return every file a build of this statement reads."""
        return [*self.statement.sources, self.style, *self.bibliographies, *self.family]


def resolve(path: Path, options: Options) -> Resolved:
    """Load the statement at `path` and find what it refers to; raise all problems."""
    root = find_root(path)
    statement = load_statement(path, root)
    problems = Collector()
    check_characters(statement, problems)
    organisation = _organisation(statement, root, problems)
    style = bibliography.statement_style(statement, options.csl, root, problems)
    bibliographies = bibliography.statement_bibliographies(statement, root, problems)
    problems.raise_if_any()
    if statement.about is None and organisation.about:
        statement.about = _profile_about(organisation, statement.lang)
    known = bibliography.known_keys(statement, bibliographies, problems)
    textcheck.check_markdown(statement, known, problems)
    problems.raise_if_any()
    family = language_family(statement) if options.with_translations else []
    return Resolved(statement, root, organisation, style, bibliography.is_note_style(style), bibliographies, family)


def language_family(statement: Statement) -> list[Path]:
    """Return the original at the root of the statement's `extends` chain and every statement extending it."""
    return [path.resolve() for path in with_translations([statement.sources[-1]])]


def _organisation(statement: Statement, root: Path, problems: Collector) -> Organisation | None:
    node = statement.organisation.node if statement.organisation else statement.root
    key = statement.organisation.value if statement.organisation else None
    try:
        return load_organisation(organisation_folder(root, key, node))
    except InputError as error:
        problems.problems += error.problems
        return None


def _profile_about(organisation: Organisation, lang: str) -> Text | None:
    node = organisation.about_in(lang)
    if node is None or node.kind != "scalar":
        return None
    return Text(node.value, "about", node)
