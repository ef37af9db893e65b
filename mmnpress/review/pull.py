"""List the comments and tracked changes of a reviewed draft, mapped to the YAML.

Every comment and every tracked change becomes an `Item` with the YAML
paths it touches and the ``FILE:LINE`` of each; what cannot be mapped is
kept with an empty `where`, never dropped. Comments are numbered in the
order they are anchored in the document: Word and LibreOffice ids are not
stable across a round trip, so they are not shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import escaped
from ..safedocx import open_docx
from .align import Alignment, align
from .mapping import GENERATED, Location, Source, load_source, name_generated, segment_at, segments, statement_path
from .notes import note_sources
from .read import NOTE, PARA, Review, describe_format, element_pieces, innermost, paragraph_neighbours, read_review


@dataclass
class Item:
    """A comment or a tracked change, with where it belongs in the statement."""

    kind: str  # "comment", "insertion" or "deletion"
    number: int
    author: str
    date: str
    text: str
    part: str
    where: list[Location]
    initials: str = ""
    quote: str = ""
    resolved: bool = False
    parent: int | None = None
    replies: list[int] = field(default_factory=list)
    paragraph_mark: bool = False  # the change splits or joins paragraphs
    formatting: str = ""  # a format change: what it did ("bold added")


@dataclass
class Pulled:
    """The result of `pull`: what was read and how it maps."""

    document: str
    statement: str | None
    statement_changed: bool | None
    comments: list[Item]
    changes: list[Item]
    notes: list[str] = field(default_factory=list)


def pull(docx: Path, statement: Path | None = None) -> Pulled:
    """Read `docx` and map its comments and tracked changes to the statement."""
    package = open_docx(docx)
    review = read_review(package)
    path = statement_path(review.properties, statement, docx)
    source, notes = _source(path, given=statement is not None)
    if source is not None:
        name_generated(review, source)
    locator = Locator(review, source)
    changed = None if source is None or "mmnpress.hash" not in review.properties else source.hash != review.properties["mmnpress.hash"]
    if changed:
        notes.append("the statement changed since this draft was built; lines may have moved")
    shown = _shown(source.file) if source else None
    return Pulled(package.name, shown, changed, _comments(review, locator), _changes(review, locator), notes)


def _source(path: Path | None, given: bool) -> tuple[Source | None, list[str]]:
    """Load the statement; without --statement, a missing one only costs the line numbers."""
    from . import ReviewError

    if path is None:
        return None, ["the draft names no statement and --statement was not given; nothing is mapped to lines"]
    try:
        return load_source(path), []
    except ReviewError:
        if given:
            raise
        return None, [f"the draft names {_shown(path)}, which is not found from this folder; pass --statement for line numbers"]


def _shown(path: Path) -> str:
    from ..errors import display_path

    return display_path(path)


def shown_text(text: str) -> str:
    """Return piece text for people: paragraph ends as new lines, footnote marks as [note]."""
    return text.replace(PARA, "\n").replace(NOTE, "[note]").strip("\n")


class Locator:
    """Find the locations of pieces, caching each element's text and alignment."""

    def __init__(self, review: Review, source: Source | None):
        self.review, self.source = review, source
        self.elements = element_pieces(review)
        self._texts: dict[str, tuple[str, dict[int, int]]] = {}
        self._alignments: dict[str, Alignment] = {}
        self._notes = note_sources(review, self._markdown_value) if source is not None else {}

    def _markdown_value(self, path: str) -> str | None:
        node = self.source.node(path)
        return node.value if node is not None and node.kind == "scalar" else None

    def locations(self, indexes: list[int], marks: bool = False) -> list[Location]:
        """Return one location per path the pieces at `indexes` lie in, in document order.

        With `marks`, a paragraph mark (a tracked join or split) stands for both paragraphs it lies between.
        """
        first: dict[str, int] = {}
        notes: dict[str, Location] = {}
        for index in indexes:
            piece = self.review.pieces[index]
            note = self.note_location(piece.part) if piece.part.startswith("footnote") else None
            if note is not None:
                notes.setdefault(note.path, note)
                continue
            if marks and piece.text == PARA and piece.part == "document":  # a join or split: both paragraphs
                before, after = paragraph_neighbours(self.review, index)
                for path, at in ((before, -1), (after, 0)):
                    if path and path in self.elements:
                        first.setdefault(path, self.elements[path][at])
                continue
            for path in innermost(piece.paths):
                first.setdefault(path, index)
        found = []
        for path, index in first.items():
            found += self._generated(path, indexes) if path.startswith(GENERATED) else [self.location(path, index)]
        return found + list(notes.values())

    def _generated(self, path: str, indexes: list[int]) -> list[Location]:
        """Return the locations of the values a generated line shows where the pieces at `indexes` lie."""
        if self.source is None:
            return []
        text, offsets = self._text(path)
        spans = [(offsets[i], offsets[i] + len(self.review.pieces[i].text)) for i in indexes if i in offsets]
        shown = [s for s in segments(path, text, self.source) if any(s.start <= b and a <= s.end for a, b in spans)]
        return [self.source.location(s.path) for s in shown]

    def note_location(self, part: str) -> Location | None:
        """Return where the text of footnote `part` is typed: its inline note, `notes:` entry or citation."""
        note = self._notes.get(part) if self.source is not None else None
        if note is None or note.mark is None:
            return None
        if note.mark.kind == "named":
            return self.source.location(note.path)
        return self.source.location(note.element, note.mark.start)

    def location(self, path: str, index: int | None) -> Location:
        """Return the location of the piece at `index` inside element `path`."""
        if self.source is None:
            return Location(path)
        anchor = self.review.pieces[index].anchor if index is not None and index < len(self.review.pieces) else None
        text, offsets = self._text(path)
        offset = offsets.get(anchor if anchor is not None else index)
        if offset is None:
            return self.source.location(path)
        segment = segment_at(segments(path, text, self.source), offset, offset)
        if segment is None:
            return self.source.location(path)
        if segment.printed:
            return self.source.location(segment.path)
        if not segment.markdown:
            return self.source.location(segment.path, offset - segment.start)
        return self.source.location(segment.path, self._value_offset(segment, text, offset))

    def _text(self, path: str) -> tuple[str, dict[int, int]]:
        """Return the element's text as the statement has it (insertions left out) and each piece's offset."""
        if path not in self._texts:
            text, offsets = "", {}
            for index in self.elements.get(path, []):
                offsets[index] = len(text)
                piece = self.review.pieces[index]
                if not any(self.review.changes[c].kind == "insertion" for c in piece.changes):
                    text += piece.text
            self._texts[path] = (text, offsets)
        return self._texts[path]

    def _value_offset(self, segment, text: str, offset: int) -> int | None:
        node = self.source.node(segment.path)
        if node is None or node.kind != "scalar":
            return None
        if segment.path not in self._alignments:
            self._alignments[segment.path] = align(text[segment.start:segment.end], node.value)
        return self._alignments[segment.path].near(offset - segment.start)


def _comments(review: Review, locator: Locator) -> list[Item]:
    anchored: dict[str, list[int]] = {}
    for index, piece in enumerate(review.pieces):
        for key in piece.comments:
            anchored.setdefault(key, []).append(index)
    order = sorted(review.comments, key=lambda c: _first_index(c.key, anchored, review))
    numbers = {c.key: n for n, c in enumerate(order, start=1)}
    thread_done = _thread_done(review.comments)
    items = [_comment_item(c, numbers, anchored, review, locator, thread_done[c.key]) for c in order]
    for item in items:
        if item.parent is not None:
            items[item.parent - 1].replies.append(item.number)
    return items


def _first_index(key: str, anchored: dict[str, list[int]], review: Review) -> int:
    if key in anchored:
        return anchored[key][0]
    return review.points[key][1] if key in review.points else len(review.pieces) + 1


def _thread_done(comments: list) -> dict[str, bool]:
    """Return, per comment key, whether the first comment of its thread is resolved, in linear time.

    A reply cycle (a crafted commentsExtended.xml) ends the walk where it
    closes: that comment counts as the first of its thread.
    """
    by_key = {c.key: c for c in comments}
    done: dict[str, bool] = {}
    for comment in comments:
        chain, seen, current = [], set(), comment
        while current.key not in done:
            chain.append(current)
            seen.add(current.key)
            parent = by_key.get(current.parent) if current.parent else None
            if parent is None or parent.key in seen:
                done[current.key] = current.done
                break
            current = parent
        for walked in chain:
            done[walked.key] = done[current.key]
    return done


def _comment_item(comment, numbers: dict[str, int], anchored: dict[str, list[int]], review: Review, locator: Locator,
                  thread_done: bool) -> Item:
    indexes = anchored.get(comment.key, [])
    if indexes:
        where = locator.locations(indexes)
        part = review.pieces[indexes[0]].part
    else:
        paths, index = review.points.get(comment.key, ((), None))
        where = [locator.location(path, index) for path in paths]
        part = review.pieces[index].part if index is not None and index < len(review.pieces) else "document"
    return Item(
        kind="comment", number=numbers[comment.key], author=comment.author, date=comment.date, text=comment.text,
        part=part, where=where, initials=comment.initials,
        quote=shown_text("".join(review.pieces[i].text for i in indexes)),
        resolved=comment.done or thread_done, parent=numbers.get(comment.parent) if comment.parent else None,
    )


def _changes(review: Review, locator: Locator) -> list[Item]:
    items = []
    for number, change in enumerate(review.changes, start=1):
        text = "".join(review.pieces[i].text for i in change.pieces)
        items.append(Item(
            kind=change.kind, number=number, author=change.author, date=change.date, text=shown_text(text),
            part=change.part, where=locator.locations(change.pieces, marks=True), paragraph_mark=PARA in text,
            formatting=describe_format(change, review.pieces[change.pieces[0]].fmt) if change.kind == "format" else "",
        ))
    return items


def to_data(pulled: Pulled) -> dict:
    """Return the pulled review as plain data with stable keys."""
    return {
        "document": pulled.document,
        "statement": pulled.statement,
        "statement_changed": pulled.statement_changed,
        "comments": [_item_data(item) for item in pulled.comments],
        "changes": [_item_data(item) for item in pulled.changes],
        "notes": pulled.notes,
    }


def _item_data(item: Item) -> dict:
    data = {"number": item.number, "kind": item.kind, "author": item.author, "date": item.date}
    if item.kind == "comment":
        data |= {"initials": item.initials, "text": item.text, "quote": item.quote, "resolved": item.resolved,
                 "parent": item.parent, "replies": item.replies}
    else:
        data |= {"text": item.text, "paragraph_mark": item.paragraph_mark}
        if item.kind == "format":
            data["formatting"] = item.formatting
    data |= {"part": item.part, "mapped": bool(item.where),
             "where": [{"path": w.path, "file": w.file, "line": w.line} for w in item.where]}
    return data


def to_text(pulled: Pulled) -> str:
    """Return the pulled review for people: a header, then one block per item."""
    blocks = [_header(pulled)]
    blocks += [_comment_block(item) for item in pulled.comments]
    blocks += [_change_block(item) for item in pulled.changes]
    return "\n\n".join(blocks) + "\n"


def _header(pulled: Pulled) -> str:
    lines = [f"{pulled.document}: {len(pulled.comments)} comment(s), {len(pulled.changes)} tracked change(s)"]
    if pulled.statement is not None:
        lines.append(f"statement: {pulled.statement}")
    lines += [f"note: {note}" for note in pulled.notes]
    return "\n".join(map(escaped, lines))


def _where_lines(item: Item) -> list[str]:
    if not item.where:
        return [f"  unmapped ({item.part})"]
    note = "" if item.part in ("document",) else f" (in {item.part})"
    return [escaped(f"  at {w.path}  {w}{note}") for w in item.where]


def _comment_block(item: Item) -> str:
    status = ", resolved" if item.resolved else ""
    reply = f", reply to comment {item.parent}" if item.parent else ""
    initials = f" ({item.initials})" if item.initials else ""
    lines = [escaped(f"{'' if item.where else 'unmapped '}comment {item.number}: {item.author}{initials}, {item.date}{status}{reply}")]
    lines += _where_lines(item)
    if item.quote:
        lines.append("  on: " + _indented(item.quote, "      "))
    lines.append("  says: " + _indented(item.text, "        "))
    return "\n".join(lines)


def _change_block(item: Item) -> str:
    sign = {"insertion": "+", "deletion": "-"}.get(item.kind, "~")
    mark = " (splits or joins paragraphs)" if item.paragraph_mark else f" ({item.formatting})" if item.formatting else ""
    lines = [escaped(f"{'' if item.where else 'unmapped '}{item.kind} {item.number}: {item.author}, {item.date}{mark}")]
    lines += _where_lines(item)
    lines.append(f"  {sign} “" + _indented(item.text, "     ") + "”")
    return "\n".join(lines)


def _indented(text: str, prefix: str) -> str:
    return ("\n" + prefix).join(escaped(line) for line in text.split("\n"))
