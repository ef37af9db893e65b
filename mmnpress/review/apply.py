"""Write the tracked changes of a reviewed draft into the statement's YAML.

For each bookmarked element the text before the changes (runs and deleted
text) is rebuilt with the changes as hunks; each hunk is placed in the
value it falls in (`mapping.segments`) and, for Markdown values, in the
source through `align`. Every edit is computed before anything is written:
one change that cannot be placed refuses the whole apply, and the files are
then written atomically, each at once.

A footnote's changes go to the note it came from (`notes`); a footnote the
reviewer adds becomes an inline note. Formatting changes become Markdown
emphasis where they can. Paragraph marks join, split or add items of a list
of paragraphs (`ListEdit`). Changes in headers, citations' footnotes and
generated text are reported as not applied, each with its reason.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import display_path, escaped
from ..safedocx import open_docx
from . import ReviewError
from .align import Alignment, Unplaceable, align, escape_markdown, widen_emptied
from .mapping import GENERATED, Segment, Source, load_source, name_generated, segment_at, segments, statement_path
from .notes import footnote_text, note_sources, shown_marks
from .paragraphs import ParagraphMarks
from .read import LINE_BREAKS, NOTE, PARA, Review, describe_difference, element_pieces, format_difference, read_review
from .yamledit import FieldEdit, ListEdit, Removal, edited_text

SNIPPET = 40
LOCK = ".mmnpress-review.lock"  # in the project's build/ folder


@dataclass(frozen=True)
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
    notes: list[int] = field(default_factory=list)  # footnote marks the reviewer added: their piece indexes


def apply(docx: Path, statement: Path | None = None, only: str | None = None, write: bool = True) -> Outcome:
    """Apply the tracked changes of `docx` to its statement; with `write` False change nothing.

    A writing apply holds the project's review lock throughout, so a second
    apply waits; it then refuses if the statement is no longer the text its
    draft was built from.
    """
    package = open_docx(docx)
    review = read_review(package)
    path = statement_path(review.properties, statement, docx)
    if path is None:
        raise ReviewError(f"{package.name}: the draft does not name its statement (not made by mmnpress?); pass --statement")
    if not write:
        return _apply(package.name, review, path, only, write)
    from ..files import locked
    from ..pipeline.project import find_root

    waiting = f"{package.name}: another `mmnpress review apply` is still writing to this project; nothing was written; try again"
    with locked(find_root(path) / "build" / LOCK, waiting):
        return _apply(package.name, review, path, only, write)


def _apply(name: str, review: Review, path: Path, only: str | None, write: bool) -> Outcome:
    source = load_source(path)
    _check_hash(review, source, name)
    name_generated(review, source)
    selected = {i for i, c in enumerate(review.changes) if only is None or c.author.casefold() == only.casefold()}
    outcome = Outcome(name, by_others=len(review.changes) - len(selected), only=only, comments=len(review.comments))
    planner = _Planner(review, source, selected, outcome)
    fields, lists = planner.plan()
    if planner.problems:
        raise ReviewError(f"{name}: refused to apply; nothing was written:", planner.problems)
    results = _edited(fields, lists, planner.unused_notes(fields), outcome)
    _validate(results, source, name)
    if write:
        _write(results, review, source, name, outcome)
    return outcome


def _check_hash(review: Review, source: Source, name: str, current: str | None = None) -> None:
    recorded = review.properties.get("mmnpress.hash")
    now = current or source.hash
    shown = display_path(source.file)
    if not recorded:
        raise ReviewError(f"{name}: the draft records no content hash, so it cannot be matched to {shown}; nothing was applied")
    if recorded != now:
        raise ReviewError(
            f"{name}: {shown} changed since this draft was built (hash {recorded[:12]} in the draft, {now[:12]} now); "
            "rebuild the draft or apply the changes by hand; nothing was written"
        )


def _edited(fields: dict[Path, list[FieldEdit]], lists: list[ListEdit], removals: list[Removal], outcome: Outcome) -> dict[Path, tuple[str, str]]:
    """Return each file's text before and after the edits; add their diffs to `outcome`."""
    files = list(dict.fromkeys([*fields, *(edit.file for edit in lists), *(r.file for r in removals)]))
    results = {file: edited_text(file, fields.get(file, []), [e for e in lists if e.file == file], [r for r in removals if r.file == file])
               for file in files}
    for file, (old, new) in results.items():
        shown = display_path(file)
        outcome.diffs.append("".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True), f"a/{shown}", f"b/{shown}")))
    return results


def _validate(results: dict[Path, tuple[str, str]], source: Source, name: str) -> None:
    """Refuse, with check's errors, new texts that would not load, validate or resolve."""
    from ..check.engine import check_file
    from ..pipeline.source import pending

    if not results:
        return
    with pending({file.resolve(): new.encode("utf-8") for file, (_, new) in results.items()}):
        errors = [str(f) for f in check_file(source.file) if f.severity == "error"]
    if errors:
        raise ReviewError(f"{name}: refused to apply; the statement would no longer pass `mmnpress check`; nothing was written:", errors)


def _write(results: dict[Path, tuple[str, str]], review: Review, source: Source, name: str, outcome: Outcome) -> None:
    """Replace every edited file together, after checking that none changed while the edits were planned."""
    from ..files import replace_together
    from ..pipeline.translations import source_hash

    def unchanged() -> None:
        _check_hash(review, source, name, source_hash(source.sources))

    replace_together({file: new.encode("utf-8") for file, (_, new) in results.items()}, unchanged)
    outcome.written += [display_path(file) for file in results]


class _Planner(ParagraphMarks):
    """Turn the selected tracked changes into field edits, collecting problems."""

    def __init__(self, review: Review, source: Source, selected: set[int], outcome: Outcome):
        self.review, self.source, self.selected, self.outcome = review, source, selected, outcome
        self.problems: list[str] = []
        self.fields: dict[Path, dict[str, FieldEdit]] = {}
        self.alignments: dict[tuple[str, int], Alignment] = {}
        self.excluded: set[int] = set()
        self.reported: set[Skipped] = set()  # outcome.not_applied as a set: a look-up per report, not a scan
        self.placed: dict[int, tuple[str, int]] = {}  # piece index -> element path, offset in its text before the changes
        self.elements: dict[str, tuple[str, list[tuple], list[Segment]]] = {}  # path -> text before, formats, segments
        self._init_paragraph_marks()
        self.notes = note_sources(review, self._markdown_value)
        self.deleted_labels: set[str] = set()  # named notes whose [^label] a deletion takes along

    def plan(self) -> tuple[dict[Path, list[FieldEdit]], list[ListEdit]]:
        for number in sorted(self.selected):
            self._screen(number)
        for path, indexes in element_pieces(self.review).items():
            self._element(path, indexes)
        for part, indexes in _footnotes(self.review).items():
            self._footnote(part, indexes)
        for number in sorted(self.selected - self.excluded):
            if self.review.changes[number].kind == "format":
                self._format(number)
        lists = self._lists()
        self._check_empty()
        self.outcome.applied -= self.excluded
        return {file: list(edits.values()) for file, edits in self.fields.items()}, lists

    def unused_notes(self, fields: dict[Path, list[FieldEdit]]) -> list[Removal]:
        """Return the `notes:` entries whose only reference the changes delete."""
        notes = self.source.tree.get("notes")
        if notes is None or notes.kind != "map" or not self.deleted_labels:
            return []
        texts = [edit.new() for edits in fields.values() for edit in edits]
        edited = {edit.path for edits in fields.values() for edit in edits}
        texts += [n.value for path, n in _scalars(self.source.tree, "") if path not in edited and not path.startswith("notes.")]
        unused = [label for label in self.deleted_labels if not any(f"[^{label}]" in text for text in texts)]
        return [Removal(f"notes.{label}", notes.get(label).file) for label in unused if notes.get(label) is not None]

    def _markdown_value(self, path: str) -> str | None:
        node = self.source.node(path)
        return node.value if node is not None and node.kind == "scalar" else None

    def _screen(self, number: int) -> None:
        """Set aside changes that lie outside the fields; note partial ones; find paragraph joins and splits."""
        change = self.review.changes[number]
        if change.part in ("header", "footer") or change.part.startswith("endnote"):
            self._skip(number, f"in the {change.part}, which the statement does not type; make it by hand")
            return
        if change.part != "document":
            return  # footnotes: see _footnote
        for index in change.pieces:
            if self.review.pieces[index].text == PARA:
                self._paragraph_mark(number, index)
        text = [self.review.pieces[i] for i in change.pieces if self.review.pieces[i].text != PARA and i not in self.covered]
        if text and not any(p.paths for p in text):
            self._skip(number, "outside the statement's fields (a new paragraph, or generated text such as a label); make it by hand")
        elif any(not p.paths for p in text):
            self._note(number, "the part outside the statement's fields (a new paragraph, a label or separator) was not applied; make it by hand")

    def _element(self, path: str, indexes: list[int]) -> None:
        before, fmts, hunks = self._hunks(indexes, path)
        found = segments(path, before, self.source)
        self.elements[path] = (before, fmts, found)
        self._check_untracked(found, before)
        for hunk in hunks:
            self._place(path, hunk, before, fmts, found)

    def _footnote(self, part: str, indexes: list[int]) -> None:
        """Apply the changes inside one footnote to the note's source, or say why not."""
        numbers = {c for i in indexes for c in self.review.pieces[i].changes if c in self.selected and c not in self.excluded}
        if not numbers:
            return
        note = self.notes.get(part)
        if note is None or note.added:
            for number in numbers - self.outcome.applied:
                self._skip(number, f"in {part}, which the reviewer added; it goes in with that footnote's mark")
            return
        if note.mark is None:
            for number in numbers:
                self._skip(number, f"in {part}, which cannot be matched to a note of {note.element or 'the statement'}; edit the note by hand")
            return
        if note.mark.kind == "citation":
            location = self.source.location(note.element, note.mark.start)
            cited = self._markdown_value(note.element)[note.mark.start:note.mark.end]
            for number in numbers:
                self._skip(number, f"in {part}, the citation {cited} ({note.mark.key}) at {location}: its text is printed "
                                   "from the bibliography, so it is not edited here; correct the reference in the references file")
            return
        before, fmts, hunks = self._hunks(indexes, None)
        node = self.source.node(note.path)
        if node is None or node.kind != "scalar":
            for number in numbers:
                self._skip(number, f"in {part}: {note.path} is not a text in the statement; edit the note by hand")
            return
        start, end = note.mark.text_range() if note.mark.kind == "inline" else (0, len(node.value))
        segment = Segment(note.path, 0, len(before.rstrip(PARA)), True)
        for hunk in hunks:
            self._place_in(segment, hunk, before, fmts, node, start, end)

    def _check_untracked(self, found: list[Segment], before: str) -> None:
        """Note text that differs between draft and statement without a tracked change."""
        for segment in found:
            node = self.source.node(segment.path)
            if not segment.markdown or node is None or node.kind != "scalar":
                continue
            alignment = self._alignment(segment.path, 0, before[segment.start:segment.end], node.value)
            for offset, statement_text, draft_text in alignment.untracked():
                location = self.source.location(segment.path, offset)
                was = f"“{_short(statement_text)}”" if statement_text else "(nothing)"
                now = f"“{_short(draft_text)}”" if draft_text else "(nothing)"
                self.outcome.untracked.append(f"{location}: {segment.path}: {was} → {now}")

    def _hunks(self, indexes: list[int], path: str | None) -> tuple[str, list[tuple], list[Hunk]]:
        """Rebuild the text before the changes and the hunks that change it."""
        texts, fmts, hunks, length = [], [], [], 0  # joined once at the end: adding to a string each time is quadratic
        current: Hunk | None = None
        for index in indexes:
            piece = self.review.pieces[index]
            in_before, in_after, chosen = self._states(piece)
            start = length
            if in_before:
                if path is not None:
                    self.placed[index] = (path, start)
                texts.append(piece.text)
                fmts += [piece.fmt] * len(piece.text)
                length += len(piece.text)
            if piece.text == PARA or not chosen:
                current = None
                continue
            if current is None:
                current = Hunk(start, start)
                hunks.append(current)
            current.changes |= chosen
            current.end = length
            if in_after:
                current.text += piece.text
                current.notes += [index] if piece.text == NOTE else []
                current.fmt = current.fmt if current.fmt is not None else piece.fmt
        return "".join(texts), fmts, hunks

    def _states(self, piece) -> tuple[bool, bool, set[int]]:
        """Return whether the piece is in the statement, in the result, and the selected changes on it."""
        changes = [(c, self.review.changes[c].kind, c in self.selected and c not in self.excluded) for c in piece.changes]
        in_before = not any(kind == "insertion" for _, kind, _ in changes)
        in_after = all(sel for _, kind, sel in changes if kind == "insertion") and not any(sel for _, kind, sel in changes if kind == "deletion")
        chosen = {c for c, kind, sel in changes if sel and kind != "format"}
        return in_before, in_after, chosen if in_before != in_after else set()

    def _place(self, path: str, hunk: Hunk, before: str, fmts: list[tuple], found: list[Segment]) -> None:
        segment = segment_at(found, hunk.start, hunk.end)
        if segment is None and path.startswith(GENERATED):
            shown = ", ".join(f"{s.path} ({self.source.location(s.path)})" for s in found)
            for number in hunk.changes:
                self._skip(number, f"in a line the build generates from {shown}; change those in the statement")
            return
        if segment is None:
            overlaps = any(s.start < hunk.end and hunk.start < s.end for s in found)
            for number in hunk.changes:
                if overlaps:
                    self._problem(number, path, "runs into generated text (a label or separator) around the field")
                else:
                    self._skip(number, f"in generated text of {path} (a label or separator), not in a field")
            return
        if segment.printed:
            location = self.source.location(segment.path)
            if segment.path.startswith("labels."):
                reason = f"in a label generated from the catalog entry {segment.path[7:]} ({location}), not typed in the statement"
            else:
                reason = f"in text printed from {segment.path} ({location}), not typed as shown; change {segment.path} there"
            for number in hunk.changes:
                self._skip(number, reason)
            return
        node = self.source.node(segment.path)
        if node is None or node.kind != "scalar":
            for number in hunk.changes:
                self._skip(number, f"{segment.path} is not a text value of the statement; make the change by hand")
            return
        self._place_in(segment, hunk, before, fmts, node, 0, len(node.value))

    def _place_in(self, segment: Segment, hunk: Hunk, before: str, fmts: list[tuple], node, start: int, end: int) -> None:
        """Place a hunk of `segment` in node.value[start:end], the source it shows."""
        if node.file.resolve() not in {s.resolve() for s in self.source.sources}:
            offset = self._source_offset(segment, start, hunk.start - segment.start)
            location = self.source.location(segment.path, offset)
            for number in hunk.changes:
                self._skip(number, f"{segment.path} is not typed in the statement ({location}); edit it there")
            return
        try:
            edit = self._edit(segment, hunk, before, fmts, node.value[start:end], start)
        except Unplaceable as reason:
            offset = self._source_offset(segment, start, hunk.start - segment.start)
            for number in sorted(hunk.changes):
                self._problem(number, segment.path, str(reason), offset)
            return
        self._add(node, segment.path, (edit[0] + start, edit[1] + start, edit[2]), hunk.changes)

    def _edit(self, segment: Segment, hunk: Hunk, before: str, fmts: list[tuple], value: str, shift: int) -> tuple[int, int, str]:
        start, end = hunk.start - segment.start, hunk.end - segment.start
        text = LINE_BREAKS.sub(" ", hunk.text)  # a line break inside a paragraph is a space, as Markdown reads it
        if PARA in text:
            raise Unplaceable("holds a paragraph break inside the text; make it by hand")
        if not segment.markdown:
            if NOTE in text:
                raise Unplaceable("adds a footnote to a plain field, which cannot hold one")
            return start, end, text
        rendered = before[segment.start:segment.end]
        alignment = self._alignment(segment.path, shift, rendered, value)
        text = self._with_notes(escape_markdown(text), hunk)
        if start == end:
            left = fmts[hunk.start - 1] if start > 0 else None
            right = fmts[hunk.end] if end < segment.end - segment.start else None
            at = alignment.point(start, hunk.fmt or (), left, right)
            return at, at, text
        first, last = self._span(alignment, rendered, start, end, value)
        if not text:
            first, last = widen_emptied(value, first, last)
        return first, last, text

    def _span(self, alignment: Alignment, rendered: str, start: int, end: int, value: str) -> tuple[int, int]:
        """Return the source range of rendered[start:end]; a footnote mark deleted with it takes its note along."""
        if NOTE not in rendered[start:end]:
            return alignment.span(start, end)
        shown = shown_marks(value, rendered.count(NOTE))
        if shown is None:
            raise Unplaceable("deletes a footnote mark that cannot be matched to a note in the statement")
        ranges, labels = [], set()
        for index in range(start, end):
            if rendered[index] == NOTE:
                mark = shown[rendered[:index].count(NOTE)]
                if mark.kind == "citation":
                    raise Unplaceable(f"deletes the citation {value[mark.start:mark.end]!r}; change the citation in the statement by hand")
                ranges.append((mark.start, mark.end))
                if mark.kind == "named":
                    labels.add(mark.key)
            elif alignment.to_source[index] >= 0:
                ranges.append((alignment.to_source[index], alignment.to_source[index] + 1))
            else:
                raise Unplaceable(alignment.unmatched_reason(index))
        first, last = min(r[0] for r in ranges), max(r[1] for r in ranges)
        covered = set().union(*(range(a, b) for a, b in ranges))
        if any(alignment.protected[i] and i not in covered for i in range(first, last)):
            raise Unplaceable(f"crosses Markdown markup ({value[first:last].strip()[:40]!r})")
        self.deleted_labels |= labels
        return first, last

    def _with_notes(self, text: str, hunk: Hunk) -> str:
        """Replace each footnote mark the reviewer added with an inline note holding the footnote's text."""
        for anchor in hunk.notes:
            note = [i for i, p in enumerate(self.review.pieces) if p.anchor == anchor and p.part.startswith("footnote")]
            if any(self.review.pieces[i].text == PARA for i in note[:-1]):
                raise Unplaceable("adds a footnote of several paragraphs; an inline note holds one")
            body = footnote_text(self.review, anchor, lambda p: self._states(p)[1])
            if not body:
                raise Unplaceable("adds an empty footnote")
            hunk.changes |= {c for i in note for c in self.review.pieces[i].changes if c in self.selected}
            text = text.replace(NOTE, f"^[{escape_markdown(body)}]", 1)
        if NOTE in text:
            raise Unplaceable("holds a footnote mark whose note was not found")
        return text

    def _format(self, number: int) -> None:
        """Turn a formatting change into Markdown emphasis, or say why it cannot be."""
        change = self.review.changes[number]
        placed = [self.placed[i] for i in change.pieces if i in self.placed]
        paths = {path for path, _ in placed}
        if change.part != "document" or not placed or len(paths) != 1:
            where = f"in the {change.part}" if change.part != "document" else "outside one field of the statement"
            self._skip(number, f"a formatting change {where} cannot be typed in the YAML; make it by hand")
            return
        path = paths.pop()
        before, _, found = self.elements[path]
        start = min(offset for _, offset in placed)
        end = max(offset + len(self.review.pieces[i].text) for i in change.pieces if i in self.placed for _, offset in [self.placed[i]])
        while start < end and before[start].isspace():
            start += 1
        while end > start and before[end - 1].isspace():
            end -= 1
        added, removed = format_difference(change, self.review.pieces[change.pieces[0]].fmt)
        segment = segment_at(found, start, end)
        node = self.source.node(segment.path) if segment else None
        if segment is None or not segment.markdown or node is None or node.kind != "scalar":
            self._skip(number, f"{describe_difference(added, removed)} in {path}: this text is plain, Markdown emphasis cannot be typed in it")
            return
        stars = _stars(added, removed)
        if stars is None:
            said = describe_difference(added, removed)
            self._skip(number, f"{said} in {segment.path} has no Markdown form (only bold and italics do); make it by hand")
            return
        alignment = self._alignment(segment.path, 0, before[segment.start:segment.end], node.value)
        try:
            first, last = alignment.span(start - segment.start, end - segment.start)
            edits = _emphasis_edits(node.value, first, last, stars, bool(added))
        except Unplaceable as reason:
            self._skip(number, f"{describe_difference(added, removed)} in {segment.path} {reason}; make it by hand")
            return
        for edit in edits:
            self._add(node, segment.path, edit, {number})

    def _alignment(self, path: str, shift: int, rendered: str, value: str) -> Alignment:
        if (path, shift) not in self.alignments:
            self.alignments[(path, shift)] = align(rendered, value)
        return self.alignments[(path, shift)]

    def _add(self, node, path: str, edit: tuple[int, int, str], changes: set[int]) -> None:
        edits = self.fields.setdefault(node.file, {})
        field_edit = edits.setdefault(path, FieldEdit(path, node.value, []))
        if NOTE in edit[2] or PARA in edit[2]:
            raise AssertionError("a footnote or paragraph mark reached the YAML")  # _edit refuses these
        if not field_edit.add(edit):
            for number in changes:
                self._problem(number, path, "overlaps another change to the same text", edit[0])
            return
        self.outcome.applied |= changes

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
        if skipped not in self.reported:
            self.reported.add(skipped)
            self.outcome.not_applied.append(skipped)

    def _source_offset(self, segment: Segment, shift: int, position: int) -> int | None:
        """Return the value offset nearest to rendered `position` of a segment, for line numbers."""
        if not segment.markdown:
            return position
        alignment = self.alignments.get((segment.path, shift))
        return shift + alignment.near(position) if alignment else (shift or None)

    def _problem(self, number: int, path: str | None, reason: str, offset: int | None = None) -> None:
        change = self.review.changes[number]
        pieces = [self.review.pieces[i] for i in change.pieces]
        path = path or next((p.paths[0] for p in pieces if p.paths), "?")
        location = self.source.location(path, offset)
        self.problems.append(f"{location}: {path}: {change.kind} {number + 1} by {change.author or 'unknown'} “{self._text(number)}” {reason}")

    def _text(self, number: int) -> str:
        from .pull import shown_text

        text = "".join(self.review.pieces[i].text for i in self.review.changes[number].pieces)
        return _short(shown_text(text).replace("\n", " ¶ ")) or ("¶" if PARA in text else "")


def _scalars(node, path: str):
    """Yield (path, node) for every scalar below `node`."""
    if node.kind == "scalar":
        yield path, node
    for key, (_, value) in node.entries.items():
        yield from _scalars(value, f"{path}.{key}" if path else key)
    for index, item in enumerate(node.items):
        yield from _scalars(item, f"{path}[{index}]")


def _footnotes(review: Review) -> dict[str, list[int]]:
    """Return the piece indexes of each footnote part."""
    found: dict[str, list[int]] = {}
    for index, piece in enumerate(review.pieces):
        if piece.part.startswith("footnote"):
            found.setdefault(piece.part, []).append(index)
    return found


def _stars(added: set[str], removed: set[str]) -> str | None:
    """Return the Markdown delimiter for a change of bold and italics only, or None."""
    changed = added or removed
    if not changed or (added and removed) or not changed <= {"b", "i"}:
        return None
    return {frozenset("b"): "**", frozenset("i"): "*", frozenset("bi"): "***"}[frozenset(changed)]


def _emphasis_edits(value: str, first: int, last: int, stars: str, add: bool) -> list[tuple[int, int, str]]:
    """Return the edits that wrap value[first:last] in `stars`, or unwrap it."""
    if add:
        return [(first, first, stars), (last, last, stars)]
    width = len(stars)
    if value[first - width:first] == stars and value[last:last + width] == stars:
        return [(first - width, first, ""), (last, last + width, "")]
    raise Unplaceable(f"is not the whole of a {stars}…{stars} span in the Markdown")


def _short(text: str) -> str:
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


def report(outcome: Outcome, dry_run: bool) -> str:
    """Return the diff and a summary of what was and was not applied."""
    lines = []
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
    diffs = [diff.rstrip("\n") for diff in outcome.diffs if diff]  # YAML lines as they are in the files
    return "\n".join([*diffs, *map(escaped, lines)]) + "\n"
