"""Write the tracked changes of a reviewed draft into the statement's YAML.

For each bookmarked element the text before the changes (runs and deleted
text) is rebuilt with the changes as hunks; each hunk is placed in the
value it falls in (`mapping.segments`) and, for Markdown values, in the
source through `align`. Every edit is computed before anything is written:
one change that cannot be placed refuses the whole apply, and the files are
then written atomically, each at once. Changes in footnotes, headers or
generated text are reported as not applied.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import display_path
from . import ReviewError
from .align import Alignment, Unplaceable, align, escape_markdown, widen_emptied
from .mapping import Segment, Source, load_source, segment_at, segments, statement_path
from .read import PARA, Review, element_pieces, read_review
from .safedocx import open_docx
from .yamledit import FieldEdit, edited_text

SNIPPET = 40


@dataclass
class Skipped:
    """A tracked change that was not applied, and why."""

    number: int
    kind: str
    author: str
    text: str
    reason: str
    partly: bool = False  # the text was applied, this part of the change was not


@dataclass
class Outcome:
    """What `apply` did or would do."""

    document: str
    diffs: list[str] = field(default_factory=list)
    applied: set[int] = field(default_factory=set)
    not_applied: list[Skipped] = field(default_factory=list)
    by_others: int = 0
    only: str | None = None
    comments: int = 0
    written: list[str] = field(default_factory=list)
    untracked: list[str] = field(default_factory=list)  # "FILE:LINE: path: “text”" the draft and statement disagree on


@dataclass
class Hunk:
    """Consecutive changed text in an element: before[start:end] becomes `text`."""

    start: int
    end: int
    text: str = ""
    changes: set[int] = field(default_factory=set)
    fmt: tuple | None = None


def apply(docx: Path, statement: Path | None = None, only: str | None = None, write: bool = True) -> Outcome:
    """Apply the tracked changes of `docx` to its statement; with `write` False change nothing."""
    package = open_docx(docx)
    review = read_review(package)
    path = statement_path(review.properties, statement)
    if path is None:
        raise ReviewError(f"{package.name}: the draft does not name its statement (not made by mmnpress?); pass --statement")
    source = load_source(path)
    _check_hash(review, source, package.name)
    selected = {i for i, c in enumerate(review.changes) if only is None or c.author.casefold() == only.casefold()}
    outcome = Outcome(package.name, by_others=len(review.changes) - len(selected), only=only, comments=len(review.comments))
    planner = _Planner(review, source, selected, outcome)
    fields = planner.plan()
    if planner.problems:
        raise ReviewError(f"{package.name}: refused to apply; nothing was written:", planner.problems)
    _write(fields, outcome, write)
    return outcome


def _check_hash(review: Review, source: Source, name: str) -> None:
    recorded = review.properties.get("mmnpress.hash")
    shown = display_path(source.file)
    if not recorded:
        raise ReviewError(f"{name}: the draft records no content hash, so it cannot be matched to {shown}; nothing was applied")
    if recorded != source.hash:
        raise ReviewError(
            f"{name}: {shown} changed since this draft was built (hash {recorded[:12]} in the draft, {source.hash[:12]} now); "
            "rebuild the draft or apply the changes by hand; nothing was written"
        )


def _write(fields: dict[Path, list[FieldEdit]], outcome: Outcome, write: bool) -> None:
    from ..files import write_atomically

    results = {file: edited_text(file, edits) for file, edits in fields.items()}
    for file, (old, new) in results.items():
        name = display_path(file)
        outcome.diffs.append("".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True), f"a/{name}", f"b/{name}")))
    if write:
        for file, (_, new) in results.items():
            write_atomically(file, new.encode("utf-8"))
            outcome.written.append(display_path(file))


class _Planner:
    """Turn the selected tracked changes into field edits, collecting problems."""

    def __init__(self, review: Review, source: Source, selected: set[int], outcome: Outcome):
        self.review, self.source, self.selected, self.outcome = review, source, selected, outcome
        self.problems: list[str] = []
        self.fields: dict[Path, dict[str, FieldEdit]] = {}
        self.alignments: dict[str, Alignment] = {}
        self.excluded: set[int] = set()

    def plan(self) -> dict[Path, list[FieldEdit]]:
        for number in sorted(self.selected):
            self._screen(number)
        for path, indexes in element_pieces(self.review).items():
            self._element(path, indexes)
        self._check_empty()
        self.outcome.applied -= self.excluded
        return {file: list(edits.values()) for file, edits in self.fields.items()}

    def _screen(self, number: int) -> None:
        """Set aside changes that lie outside the bookmarked text of the body; note partial ones."""
        change = self.review.changes[number]
        pieces = [self.review.pieces[i] for i in change.pieces]
        if change.part != "document":
            self._skip(number, f"in the {change.part}: changes inside footnotes, headers and footers are not applied; edit the note by hand")
            return
        if not any(p.paths for p in pieces):
            self._skip(number, "outside the statement's fields (a new paragraph, or generated text such as a label or the date); make it by hand")
            return
        left_out = []
        if any(not p.paths and p.text != PARA for p in pieces):
            left_out.append("the part outside the statement's fields (a new paragraph, a label or separator)")
        if any(p.text == PARA for p in pieces):
            left_out.append("the paragraph split or join")
        if left_out:
            self._note(number, f"{' and '.join(left_out)} {'were' if len(left_out) > 1 else 'was'} not applied; make it by hand")

    def _element(self, path: str, indexes: list[int]) -> None:
        before, fmts, hunks = self._hunks(indexes)
        found = segments(path, before, self.source)
        self._check_untracked(found, before)
        for hunk in hunks:
            self._place(path, hunk, before, fmts, found)

    def _check_untracked(self, found: list[Segment], before: str) -> None:
        """Note text that differs between draft and statement without a tracked change."""
        for segment in found:
            node = self.source.node(segment.path)
            if not segment.markdown or node is None or node.kind != "scalar":
                continue
            alignment = self._alignment(segment, before[segment.start:segment.end], node.value)
            for offset, statement_text, draft_text in alignment.untracked():
                location = self.source.location(segment.path, offset)
                was = f"“{_short(statement_text)}”" if statement_text else "(nothing)"
                now = f"“{_short(draft_text)}”" if draft_text else "(nothing)"
                self.outcome.untracked.append(f"{location}: {segment.path}: {was} → {now}")

    def _hunks(self, indexes: list[int]) -> tuple[str, list[tuple], list[Hunk]]:
        """Rebuild the element's text before the changes and the hunks that change it."""
        before, fmts, hunks = "", [], []
        current: Hunk | None = None
        for index in indexes:
            piece = self.review.pieces[index]
            in_before, in_after, chosen = self._states(piece)
            if piece.text == PARA or not chosen:
                current = None
                if in_before:
                    before, fmts = before + piece.text, fmts + [piece.fmt] * len(piece.text)
                continue
            if current is None:
                current = Hunk(len(before), len(before))
                hunks.append(current)
            current.changes |= chosen
            if in_before:
                before, fmts = before + piece.text, fmts + [piece.fmt] * len(piece.text)
                current.end = len(before)
            if in_after:
                current.text += piece.text
                current.fmt = current.fmt if current.fmt is not None else piece.fmt
        return before, fmts, hunks

    def _states(self, piece) -> tuple[bool, bool, set[int]]:
        """Return whether the piece is in the statement, in the result, and the selected changes on it."""
        changes = [(c, self.review.changes[c].kind, c in self.selected and c not in self.excluded) for c in piece.changes]
        in_before = not any(kind == "insertion" for _, kind, _ in changes)
        in_after = all(sel for _, kind, sel in changes if kind == "insertion") and not any(sel for _, kind, sel in changes if kind == "deletion")
        chosen = {c for c, _, sel in changes if sel}
        return in_before, in_after, chosen if in_before != in_after else set()

    def _place(self, path: str, hunk: Hunk, before: str, fmts: list[tuple], found: list[Segment]) -> None:
        segment = segment_at(found, hunk.start, hunk.end)
        if segment is None:
            overlaps = any(s.start < hunk.end and hunk.start < s.end for s in found)
            for number in hunk.changes:
                if overlaps:
                    self._problem(number, path, "runs into generated text (a label or separator) around the field")
                else:
                    self._skip(number, f"in generated text of {path} (a label or separator), not in a field")
            return
        node = self.source.node(segment.path)
        if node is None or node.file.resolve() not in {s.resolve() for s in self.source.sources}:
            where = f" ({display_path(node.file)}:{node.line})" if node is not None else ""
            for number in hunk.changes:
                self._skip(number, f"{segment.path} is not typed in the statement{where}; edit it there")
            return
        try:
            edit = self._edit(segment, hunk, before, fmts, node.value)
        except Unplaceable as reason:
            offset = self._source_offset(segment, hunk.start - segment.start)
            for number in sorted(hunk.changes):
                self._problem(number, segment.path, str(reason), offset)
            return
        self._add(node, segment.path, edit, hunk)

    def _edit(self, segment: Segment, hunk: Hunk, before: str, fmts: list[tuple], value: str) -> tuple[int, int, str]:
        start, end = hunk.start - segment.start, hunk.end - segment.start
        text = hunk.text.replace("\n", " ")
        if not segment.markdown:
            return start, end, text
        alignment = self._alignment(segment, before[segment.start:segment.end], value)
        if start == end:
            left = fmts[hunk.start - 1] if start > 0 else None
            right = fmts[hunk.end] if end < segment.end - segment.start else None
            at = alignment.point(start, hunk.fmt or (), left, right)
            return at, at, escape_markdown(text)
        first, last = alignment.span(start, end)
        if not text:
            first, last = widen_emptied(value, first, last)
        return first, last, escape_markdown(text)

    def _alignment(self, segment: Segment, rendered: str, value: str) -> Alignment:
        if segment.path not in self.alignments:
            self.alignments[segment.path] = align(rendered, value)
        return self.alignments[segment.path]

    def _add(self, node, path: str, edit: tuple[int, int, str], hunk: Hunk) -> None:
        edits = self.fields.setdefault(node.file, {})
        field_edit = edits.setdefault(path, FieldEdit(path, node.value, []))
        clash = [e for e in field_edit.edits if e[0] < edit[1] and edit[0] < e[1]]
        if clash:
            for number in hunk.changes:
                self._problem(number, path, "overlaps another change to the same text", edit[0])
            return
        field_edit.edits.append(edit)
        self.outcome.applied |= hunk.changes

    def _check_empty(self) -> None:
        for file, edits in self.fields.items():
            for path, field_edit in edits.items():
                if not field_edit.new().strip():
                    line = self.source.location(path)
                    self.problems.append(f"{display_path(file)}:{line.line}: {path}: the changes would leave it empty")

    def _skip(self, number: int, reason: str) -> None:
        self.excluded.add(number)
        self._report(number, reason, partly=False)

    def _note(self, number: int, reason: str) -> None:
        self._report(number, reason, partly=True)

    def _report(self, number: int, reason: str, partly: bool) -> None:
        change = self.review.changes[number]
        skipped = Skipped(number + 1, change.kind, change.author, self._text(number), reason, partly)
        if skipped not in self.outcome.not_applied:
            self.outcome.not_applied.append(skipped)

    def _source_offset(self, segment: Segment, position: int) -> int | None:
        """Return the value offset nearest to rendered `position` of a segment, for line numbers."""
        if not segment.markdown:
            return position
        alignment = self.alignments.get(segment.path)
        return alignment.near(position) if alignment else None

    def _problem(self, number: int, path: str | None, reason: str, offset: int | None = None) -> None:
        change = self.review.changes[number]
        pieces = [self.review.pieces[i] for i in change.pieces]
        path = path or next((p.paths[0] for p in pieces if p.paths), "?")
        location = self.source.location(path, offset)
        where = f"{location.file}:{location.line}" if location.file else "(not in the statement)"
        self.problems.append(f"{where}: {path}: {change.kind} {number + 1} by {change.author or 'unknown'} “{self._text(number)}” {reason}")

    def _text(self, number: int) -> str:
        from .pull import shown_text

        return _short(shown_text("".join(self.review.pieces[i].text for i in self.review.changes[number].pieces)).replace("\n", " ¶ "))


def _short(text: str) -> str:
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


def report(outcome: Outcome, dry_run: bool) -> str:
    """Return the diff and a summary of what was and was not applied."""
    lines = [diff.rstrip("\n") for diff in outcome.diffs if diff]
    count = len(outcome.applied)
    if dry_run:
        lines.append(f"dry run: {count} tracked change(s) would be applied; nothing was written")
    elif outcome.written:
        lines.append(f"applied {count} tracked change(s) to {', '.join(outcome.written)}")
    else:
        lines.append("no tracked change to apply; nothing was written")
    for partly, title in ((False, "not applied:"), (True, "applied in part:")):
        listed = [s for s in outcome.not_applied if s.partly == partly]
        if listed:
            lines.append(title)
            lines += [f"  {s.kind} {s.number} by {s.author or 'unknown'} “{s.text}”: {s.reason}" for s in listed]
    if outcome.untracked:
        lines.append("differs from the statement without tracked changes (edits made with tracking off are not applied):")
        lines += [f"  {line}" for line in outcome.untracked]
    if outcome.by_others:
        lines.append(f"skipped {outcome.by_others} tracked change(s) not made by {outcome.only}")
    if outcome.comments:
        lines.append(f"{outcome.comments} comment(s) are not applied; `mmnpress review pull` lists them")
    return "\n".join(lines) + "\n"
