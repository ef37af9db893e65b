"""Decide what an export holds: every segment of the original, pre-filled where a translation is known.

A segment is pre-filled from the translation file when it records the
segment's source as unchanged (state `translated`), or marked for review
when the original changed since (`needs-review-translation`, with the
earlier source when git still has it) or when the translation predates
`translated_from:`. Segments the translation lacks take an identical
source's translation from the project's other translations; close matches
are offered beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Problem, display_path
from ..pipeline.project import find_root, project_relative
from ..pipeline.provenance import translatable
from ..pipeline.source import load
from ..pipeline.translations import load_statement
from . import inline
from .memory import Match, Memory, recorded_digests
from .segments import Segment, segments, translation_path

NEW, TRANSLATED, REVIEW = "new", "translated", "needs-review-translation"


@dataclass
class Unit:
    """One segment as exported: its pre-filled target (Refs), state and offers."""

    segment: Segment
    target: list | None = None
    state: str = NEW
    why: str = ""  # where the target comes from, for the translator
    previous: str | None = None  # the source the target was made from, when it changed since
    offers: list[Match] = field(default_factory=list)


@dataclass
class Export:
    """What an exchange file holds: the original, the languages and the units."""

    original: str  # project-relative path of the original
    source_lang: str
    target_lang: str
    units: list[Unit]


def plan(statement: Path, lang: str, memory: bool = True) -> Export:
    """Return the export of `statement` into `lang`."""
    root = find_root(statement)
    original = load_statement(statement, root)
    if original.extends is not None:
        node = original.extends.node
        raise InputError([Problem(display_path(node.file), node.line, node.column,
                                  "this file is a translation; export its original, which it extends")])
    if lang.split("-")[0].lower() == original.lang.split("-")[0].lower():
        raise InputError([Problem(display_path(statement), original.root.get("lang").line, 1,
                                  f"the statement is already in '{original.lang}'; --lang names the language to translate into")])
    own = translation_path(statement, lang)
    existing = load(own) if own.is_file() else None
    known = Memory.of_project(statement.parent, lang, {statement.resolve(), own.resolve()}) if memory else Memory({})
    given = {where: node.value for where, _, node in translatable(existing)} if existing is not None else {}
    recorded = recorded_digests(existing) if existing is not None else {}
    origin = display_path(own)
    units = [_unit(segment, given.get(segment.path), recorded.get(segment.path), origin, known) for segment in segments(original.root)]
    if existing is not None:
        _previous_sources(statement, units)
    return Export(project_relative(statement.resolve(), root), original.lang, lang, units)


def _unit(segment: Segment, translated: str | None, recorded: str | None, origin: str, known: Memory) -> Unit:
    unit = Unit(segment)
    if translated is not None and not (translated == segment.source and recorded is None):  # not the original kept by --partial
        unit.target = adapted(translated, segment)
        unit.state = TRANSLATED if recorded == segment.digest else REVIEW
        unit.why = ("this translation" if recorded == segment.digest else
                    "this translation, made before the original changed" if recorded else
                    "this translation, which does not record what it was translated from")
        if recorded and recorded != segment.digest:
            unit.previous = recorded  # a hash until git gives the text
        if unit.target is None:
            unit.offers.append(Match(segment.source, translated, 0, f"{origin} {segment.path}"))
            unit.state, unit.why = NEW, ""
    if unit.target is None:
        exact = known.exact(segment.source)
        if exact is not None and (target := adapted(exact.target, segment)) is not None:
            unit.target, unit.state, unit.why = target, TRANSLATED, f"identical source in {exact.origin}"
    if unit.state != TRANSLATED and segment.markdown:
        unit.offers += known.close(segment.source)
    return unit


def adapted(target: str, segment: Segment) -> list | None:
    """Return a translation's Markdown as target content numbered like the segment's codes, or None when its codes differ."""
    if not segment.markdown:
        return [target]
    free = {}
    for code in inline.codes(segment.content).values():
        free.setdefault(_signature(code), []).append(code.id)

    def renumbered(content: list) -> list:
        out = []
        for part in content:
            if isinstance(part, str):
                out.append(part)
                continue
            ids = free.get(_signature(part))
            if not ids:
                raise LookupError
            out.append(inline.Ref(ids.pop(0), renumbered(part.content) if part.paired else None))
        return out

    try:
        content = renumbered(inline.parse(target))
    except LookupError:
        return None
    return content if not any(free.values()) else None


def _signature(code: inline.Code) -> tuple[str, str, str | None]:
    return code.kind, code.open, code.close


def _previous_sources(statement: Path, units: list[Unit]) -> None:
    """Replace the recorded hashes of changed sources by the texts they hash, from the original's git history."""
    from .history import earlier_texts

    wanted = {unit.segment.path: unit.previous for unit in units if unit.previous}
    found = earlier_texts(statement, wanted) if wanted else {}
    for unit in units:
        if unit.previous:
            unit.previous = found.get(unit.segment.path)


EXTENSIONS = {"xliff": ".xlf", "po": ".po", "docx": ".docx"}


def export(statement: Path, lang: str, fmt: str, output: Path | None, memory: bool = True) -> tuple[str, str]:
    """Write the exchange file of `statement` into `lang`; return its name and what it holds."""
    from importlib import import_module

    from ..files import write_atomically

    made = plan(statement, lang, memory)
    data = import_module(f".{fmt}", __package__).write(made)
    target = output or find_root(statement) / "build" / f"{statement.stem}.{lang}{EXTENSIONS[fmt]}"
    write_atomically(target, data)
    states = [unit.state for unit in made.units]
    counts = (f"{len(states)} segments, {states.count(TRANSLATED)} pre-filled, {states.count(REVIEW)} to review, "
              f"{states.count(NEW)} to translate")
    return display_path(target), counts
