"""Walk a reviewed DOCX into text pieces, tracked changes and comments.

The body, footnotes, endnotes, headers and footers are walked in document
order into `Piece`s: stretches of text that know which `_y_` bookmarks
(YAML paths) and comment ranges are open around them, which tracked change
they belong to, and how their run is formatted. A paragraph end is the
piece PARA, a footnote reference the piece NOTE. Text in a footnote carries
the paths of the place that refers to it. A formatting change (`w:rPrChange`)
is a change of kind "format" around the runs it reformats; changes that hold
no text (LibreOffice records an empty insertion at each comment anchor) are
dropped.

LibreOffice 7.4 breaks bookmarks that span paragraphs: it collapses them to
a point or drops their end. A collapsed or unterminated `_y_` bookmark
therefore extends to the next `_y_` bookmark or to the first paragraph of
another style, which is where the renderer's element ended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..pipeline.source import MAX_FILE_BYTES
from ..render.bookmarks import path_from_bookmark
from ..safedocx import Package, custom_properties, main_part

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
PARA = "\u2029"
# A statement reviewed by a whole team holds hundreds; Word itself crawls long before this.
MAX_COMMENTS = MAX_CHANGES = 50_000
NOTE = "\ufffc"
MAX_INSERTED = MAX_FILE_BYTES  # characters: at least as many bytes in the statement it would go into
LINE_SEPARATOR = "\u2028"
# What Python, YAML 1.1 or Unicode take for the end of a line inside a run's text (w:br is read as "\n";
# a typed U+2029 as U+2028, so that PARA is only ever a paragraph mark)
LINE_BREAKS = re.compile("\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028]")
CHANGE_TAGS = {W + "ins": "insertion", W + "moveTo": "insertion", W + "del": "deletion", W + "moveFrom": "deletion"}
SKIPPED = {W + t for t in ("rPr", "pPr", "sectPr", "instrText", "delInstrText", "fldChar", "tblPr", "trPr", "tcPr", "annotationRef")}
SKIPPED.add(MC + "Fallback")
STYLE = "style "  # prefixes a paragraph style name in a format change's flags
FLAGS = {"b": "b", "i": "i", "u": "underline", "strike": "strike", "dstrike": "strike", "smallCaps": "smallcaps", "caps": "caps"}


@dataclass(frozen=True)
class Piece:
    """A stretch of text with everything that is open around it."""

    text: str
    changes: tuple[int, ...]  # tracked changes around it, outermost first
    paths: tuple[str, ...]
    comments: frozenset[str]
    fmt: tuple[str, ...]
    part: str
    anchor: int | None = None  # in a footnote: the index of the piece that refers to it

    @property
    def change(self) -> int | None:
        """Return the innermost tracked change around this piece, if any."""
        return self.changes[-1] if self.changes else None


@dataclass
class Change:
    """One tracked insertion or deletion (adjacent pieces by one author merged)."""

    kind: str  # "insertion", "deletion" or "format"
    author: str
    date: str
    part: str
    pieces: list[int] = field(default_factory=list)  # indexes into Review.pieces
    fmt_before: tuple[str, ...] = ()  # a format change: the run's formatting before it
    fmt_after: tuple[str, ...] | None = None  # a paragraph style change: the style after it (runs: their own formatting)


@dataclass
class Comment:
    """A comment as stored in comments.xml, with its thread data."""

    key: str  # w:id; meaningful inside this one file only
    author: str
    initials: str
    date: str
    text: str
    para_id: str | None = None
    parent: str | None = None  # key of the comment this one replies to
    done: bool = False


@dataclass
class Review:
    """Everything read from a reviewed document."""

    pieces: list[Piece]
    changes: list[Change]
    comments: list[Comment]
    points: dict[str, tuple[tuple[str, ...], int]]  # comment key -> paths and piece index at its reference mark
    properties: dict[str, str]


def read_review(package: Package) -> Review:
    """Read the pieces, tracked changes, comments and properties of `package`."""
    try:
        return _read(package)
    except RecursionError:
        raise package.refuse("refused: the document's XML nests too deeply") from None


def _refuse_oversized_insertions(package: Package, walker: _Walker) -> None:
    """Refuse tracked insertions holding more text than a whole statement may (they could never be applied)."""
    inserted = sum(len(piece.text) for piece in walker.pieces
                   if piece.change is not None and walker.changes[piece.change].kind == "insertion")
    if inserted > MAX_INSERTED:
        raise package.refuse(f"refused: its tracked insertions hold {inserted:,} characters, more than a statement may hold "
                             f"({MAX_INSERTED:,}); paste long text into the statement's YAML instead")


def _read(package: Package) -> Review:
    main = main_part(package)
    walker = _Walker()
    walker.walk_part(package.xml(main), "document")
    for kind in ("footnotes", "endnotes"):
        for member in package.related(main, kind):
            _walk_notes(walker, package.xml(member), kind[:-1])
    for kind in ("header", "footer"):
        for member in package.related(main, kind):
            walker.walk_part(package.xml(member), kind)
    comments = _comments(package, main)
    for count, limit, what in ((len(comments), MAX_COMMENTS, "comments"), (len(walker.changes), MAX_CHANGES, "tracked changes")):
        if count > limit:
            raise package.refuse(f"refused: {count} {what} (limit {limit}); accept or delete them in Word in parts")
    _refuse_oversized_insertions(package, walker)
    pieces, changes = _drop_empty(walker.pieces, walker.changes)
    _adopt_insertions(pieces, changes)
    return Review(pieces, changes, comments, walker.points, custom_properties(package))


def _drop_empty(pieces: list[Piece], changes: list[Change]) -> tuple[list[Piece], list[Change]]:
    """Drop the changes no text lies in, renumbering the rest."""
    used = sorted({c for piece in pieces for c in piece.changes})
    number = {old: new for new, old in enumerate(used)}
    kept = [changes[old] for old in used]
    return [replace(p, changes=tuple(number[c] for c in p.changes)) for p in pieces], kept


def _adopt_insertions(pieces: list[Piece], changes: list[Change]) -> None:
    """Give text typed just outside a bookmark, in the same paragraph, to the element beside it.

    Word leaves text typed at the very end (or start) of a bookmark outside
    it; a sentence added at the end of a paragraph would otherwise be lost.
    """
    inserted = [bool(p.changes) and any(changes[c].kind == "insertion" for c in p.changes) for p in pieces]
    index = 0
    while index < len(pieces):
        end = index
        while end < len(pieces) and inserted[end] and not pieces[end].paths and pieces[end].text != PARA:
            end += 1
        if end == index:
            index += 1
            continue
        paths = _neighbour_paths(pieces, index, end)
        for k in range(index, end):
            pieces[k] = replace(pieces[k], paths=paths)
        index = end


def _neighbour_paths(pieces: list[Piece], start: int, end: int) -> tuple[str, ...]:
    before = pieces[start - 1] if start > 0 else None
    after = pieces[end] if end < len(pieces) else None
    for neighbour in (before, after):
        if neighbour is not None and neighbour.text != PARA and neighbour.part == pieces[start].part and neighbour.paths:
            return neighbour.paths
    return ()


def _walk_notes(walker: _Walker, root, kind: str) -> None:
    if root is None:
        return
    for note in root:
        note_id = note.get(W + "id")
        if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        number, paths, anchor = walker.note_refs.get((kind, note_id), (None, (), None))
        label = f"{kind} {number}" if number else f"{kind} (id {note_id}, not referenced)"
        walker.walk_part(note, label, paths, anchor)


class _Walker:
    """Emit pieces while keeping track of bookmarks, comment ranges and changes."""

    def __init__(self) -> None:
        self.pieces: list[Piece] = []
        self.changes: list[Change] = []
        self.points: dict[str, tuple[tuple[str, ...], int]] = {}
        self.note_refs: dict[tuple[str, str], tuple[int, tuple[str, ...], int]] = {}
        self.note_count = {"footnote": 0, "endnote": 0}

    def walk_part(self, root, part: str, base_paths: tuple[str, ...] = (), anchor: int | None = None) -> None:
        if root is None:
            return
        self.part, self.base_paths, self.anchor = part, base_paths, anchor
        self.open: dict[str, tuple[str, int]] = {}  # bookmark id -> (path, pieces emitted at start)
        self.ended = {end.get(W + "id") for end in root.iter(W + "bookmarkEnd")}
        self.loose: tuple[str, str | None] | None = None  # (path, paragraph style)
        self.comment_ids: set[str] = set()
        self.change_stack: list[int] = []
        self.fmt: tuple[str, ...] = ()
        self.current_style: str | None = None
        self.visit(root)

    def visit(self, element) -> None:
        tag = element.tag
        if not isinstance(tag, str) or tag in SKIPPED:
            return
        handler = _HANDLERS.get(tag)
        if handler:
            handler(self, element)
        else:
            self.children(element)

    def children(self, element) -> None:
        for child in element:
            self.visit(child)

    def paths(self) -> tuple[str, ...]:
        found = [path for path, _ in self.open.values()]
        if self.loose:
            found.append(self.loose[0])
        return tuple(dict.fromkeys(found)) or self.base_paths

    def emit(self, text: str, changes: tuple[int, ...] | None = None) -> None:
        changes = tuple(self.change_stack) if changes is None else changes
        piece = Piece(text, changes, self.paths(), frozenset(self.comment_ids), self.fmt, self.part, self.anchor)
        self.pieces.append(piece)
        if changes:
            self.changes[changes[-1]].pieces.append(len(self.pieces) - 1)

    def start_change(self, kind: str, element, fmt_before: tuple[str, ...] = ()) -> int:
        author, date = element.get(W + "author") or "", element.get(W + "date") or ""
        last = self.pieces[-1] if self.pieces else None
        if last and last.change is not None and last.changes[:-1] == tuple(self.change_stack):
            previous = self.changes[last.change]
            if (previous.kind, previous.author, previous.date, previous.part, previous.fmt_before) == (kind, author, date, self.part, fmt_before):
                return last.change
        self.changes.append(Change(kind, author, date, self.part, fmt_before=fmt_before))
        return len(self.changes) - 1

    # element handlers

    def paragraph(self, element) -> None:
        style = self.current_style = _paragraph_style(element)
        if self.loose and self.loose[1] != style:
            self.loose = None
        first = len(self.pieces)
        self.children(element)
        self.restyled(element, first)
        mark = _mark_change(element)
        changes = tuple(self.change_stack)
        if mark is not None:
            changes += (self.start_change(mark[0], mark[1]),)
        self.emit(PARA, changes)

    def restyled(self, paragraph, first: int) -> None:
        """Record a tracked change of the paragraph's style (w:pPrChange) over the pieces from `first` on."""
        change = paragraph.find(f"{W}pPr/{W}pPrChange")
        if change is None or self.change_stack or first == len(self.pieces):
            return
        old = change.find(f"{W}pPr/{W}pStyle")
        before = (STYLE + (old.get(W + "val") if old is not None else "Normal"),)
        number = len(self.changes)
        self.changes.append(Change("format", change.get(W + "author") or "", change.get(W + "date") or "", self.part,
                                   fmt_before=before, fmt_after=(STYLE + (self.current_style or "Normal"),)))
        for index in range(first, len(self.pieces)):
            self.pieces[index] = replace(self.pieces[index], changes=(number, *self.pieces[index].changes))
            self.changes[number].pieces.append(index)

    def run(self, element) -> None:
        outer = self.fmt
        self.fmt = _run_format(element.find(W + "rPr"), outer)
        change = element.find(f"{W}rPr/{W}rPrChange")
        if change is not None and self.change_stack:
            change = None  # new or deleted text: its formatting is part of that change
        if change is not None:
            self.change_stack.append(self.start_change("format", change, _run_format(change.find(W + "rPr"), outer)))
        self.children(element)
        if change is not None:
            self.change_stack.pop()
        self.fmt = outer

    def hyperlink(self, element) -> None:
        outer = self.fmt
        self.fmt = (*outer, "link") if "link" not in outer else outer
        self.children(element)
        self.fmt = outer

    def tracked(self, element) -> None:
        self.change_stack.append(self.start_change(CHANGE_TAGS[element.tag], element))
        self.children(element)
        self.change_stack.pop()

    def text(self, element) -> None:
        if element.text:
            # a paragraph of Word is a w:p, never a character: a typed U+2029 is a line break like the others
            self.emit(element.text.replace(PARA, LINE_SEPARATOR))

    def note_reference(self, element) -> None:
        kind = "footnote" if element.tag == W + "footnoteReference" else "endnote"
        self.note_count[kind] += 1
        self.note_refs[(kind, element.get(W + "id"))] = (self.note_count[kind], self.paths(), len(self.pieces))
        self.emit(NOTE)

    def bookmark_start(self, element) -> None:
        path = path_from_bookmark(element.get(W + "name") or "")
        if path is None:
            return
        if self.loose and self.loose[0] != path:
            self.loose = None
        mark_id = element.get(W + "id")
        if mark_id in self.ended:
            self.open[mark_id] = (path, len(self.pieces))
        else:
            self.loose = (path, self.current_style)

    def bookmark_end(self, element) -> None:
        opened = self.open.pop(element.get(W + "id"), None)
        if opened and opened[1] == len(self.pieces):  # collapsed to a point
            self.loose = (opened[0], self.current_style)

    def comment_start(self, element) -> None:
        self.comment_ids.add(element.get(W + "id"))

    def comment_end(self, element) -> None:
        self.comment_ids.discard(element.get(W + "id"))

    def comment_reference(self, element) -> None:
        self.points[element.get(W + "id")] = (self.paths(), len(self.pieces))


_HANDLERS = {
    W + "p": _Walker.paragraph,
    W + "r": _Walker.run,
    W + "hyperlink": _Walker.hyperlink,
    W + "t": _Walker.text,
    W + "delText": _Walker.text,
    W + "tab": lambda walker, _: walker.emit("\t"),
    W + "br": lambda walker, _: walker.emit("\n"),
    W + "cr": lambda walker, _: walker.emit("\n"),
    W + "noBreakHyphen": lambda walker, _: walker.emit("\u2011"),
    W + "footnoteReference": _Walker.note_reference,
    W + "endnoteReference": _Walker.note_reference,
    W + "bookmarkStart": _Walker.bookmark_start,
    W + "bookmarkEnd": _Walker.bookmark_end,
    W + "commentRangeStart": _Walker.comment_start,
    W + "commentRangeEnd": _Walker.comment_end,
    W + "commentReference": _Walker.comment_reference,
    **{tag: _Walker.tracked for tag in CHANGE_TAGS},
}


def _paragraph_style(paragraph) -> str | None:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return style.get(W + "val") if style is not None else None


def _mark_change(paragraph):
    """Return (kind, element) when the paragraph mark itself is a tracked change."""
    rpr = paragraph.find(f"{W}pPr/{W}rPr")
    if rpr is None:
        return None
    for tag, kind in ((W + "ins", "insertion"), (W + "del", "deletion")):
        found = rpr.find(tag)
        if found is not None:
            return kind, found
    return None


def _run_format(rpr, outer: tuple[str, ...]) -> tuple[str, ...]:
    """Return the formatting flags a run's properties `rpr` set, within `outer` (a link)."""
    flags = [f for f in outer if f == "link"]
    if rpr is None:
        return tuple(flags)
    for child in rpr:
        name = child.tag[len(W):] if isinstance(child.tag, str) and child.tag.startswith(W) else ""
        value = child.get(W + "val")
        if name in FLAGS and value not in ("0", "false", "off"):
            flags.append(FLAGS[name])
        elif name == "vertAlign" and value in ("superscript", "subscript"):
            flags.append(value)
        elif name == "rStyle" and value == "Hyperlink" and "link" not in flags:
            flags.append("link")
    return tuple(sorted(set(flags)))


def _comments(package: Package, main: str) -> list[Comment]:
    parts = package.related(main, "comments")
    root = package.xml(parts[0]) if parts else None
    if root is None:
        return []
    comments = [_comment(element) for element in root.iter(W + "comment")]
    _threads(package, main, comments)
    return comments


def _comment(element) -> Comment:
    paragraphs = element.findall(W + "p")
    text = "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in paragraphs)
    para_id = paragraphs[-1].get(W14 + "paraId") if paragraphs else None
    return Comment(
        key=element.get(W + "id") or "",
        author=element.get(W + "author") or "",
        initials=element.get(W + "initials") or "",
        date=element.get(W + "date") or "",
        text=text.strip(),
        para_id=para_id,
    )


def _threads(package: Package, main: str, comments: list[Comment]) -> None:
    """Fill replies and resolved flags from commentsExtended.xml (w15)."""
    parts = package.related(main, "commentsExtended")
    root = package.xml(parts[0]) if parts else None
    if root is None:
        return
    by_para = {c.para_id: c for c in comments if c.para_id}
    for entry in root.iter(W15 + "commentEx"):
        comment = by_para.get(entry.get(W15 + "paraId"))
        if comment is None:
            continue
        comment.done = entry.get(W15 + "done") in ("1", "true")
        parent = by_para.get(entry.get(W15 + "paraIdParent"))
        comment.parent = parent.key if parent and parent is not comment else None


def element_pieces(review: Review) -> dict[str, list[int]]:
    """Return, per YAML path, the indexes of the body pieces inside its bookmark."""
    found: dict[str, list[int]] = {}
    for index, piece in enumerate(review.pieces):
        if piece.part == "document":
            for path in innermost(piece.paths):
                found.setdefault(path, []).append(index)
    return found


def innermost(paths) -> list[str]:
    """Drop paths that hold another of `paths` (a contact when one of its fields is there too)."""
    return [p for p in paths if not any(q != p and q.startswith((p + ".", p + "[")) for q in paths)]


def paragraph_neighbours(review: Review, index: int) -> tuple[str, str]:
    """Return the element paths of the paragraphs a paragraph mark at `index` ends and starts ("" for generated text)."""
    part = review.pieces[index].part

    def element(indexes) -> str:
        for k in indexes:
            piece = review.pieces[k]
            if piece.part != part or piece.text == PARA:
                return ""
            paths = innermost(piece.paths)
            if paths:
                return paths[0]
        return ""

    return element(range(index - 1, -1, -1)), element(range(index + 1, len(review.pieces)))


def format_difference(change: Change, after: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """Return the formatting flags a format change added and removed (links aside)."""
    before = set(change.fmt_before) - {"link"}
    now = set(change.fmt_after if change.fmt_after is not None else after) - {"link"}
    return now - before, before - now


def describe_difference(added: set[str], removed: set[str]) -> str:
    """Say what a formatting change did, for people."""
    styles = [f[len(STYLE):] for f in (*removed, *added) if f.startswith(STYLE)]
    if len(styles) == 2:
        return f"paragraph style {styles[0]} changed to {styles[1]}"
    names = {"b": "bold", "i": "italics"}
    said = [f"{names.get(f, f)} added" for f in sorted(added)] + [f"{names.get(f, f)} removed" for f in sorted(removed)]
    return ", ".join(said) or "a formatting change Markdown does not show (font, size or colour)"


def describe_format(change: Change, after: tuple[str, ...]) -> str:
    """Say what format change `change` did to text now formatted `after`."""
    return describe_difference(*format_difference(change, after))
