"""Find the Markdown each footnote of a draft was made from.

A field's footnote marks come, in order, from its inline notes `^[…]`, its
named note references `[^label]` and, with a note citation style, its
citations (an author-date style prints citations in the text). A footnote
is matched to its construct by counting the marks before it in its field,
so a footnote's text can be edited where it is typed: inside the inline
note, or in the `notes:` entry. A citation's footnote is printed from the
bibliography and is never edited here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .align import inline_notes
from .read import NOTE, PARA, Review, innermost

_NAMED = re.compile(r"\[\^([^\]\s]+)\]")
_CITATION = re.compile(r"\[[^\[\]]*@[^\[\]]*\]|(?<![\w\\\[])@\{?[\w][\w:.#$%&+?<>~/-]*")
_KEY = re.compile(r"@\{?([\w][\w:.#$%&+?<>~/-]*)")


@dataclass(frozen=True)
class Mark:
    """A construct of a field's Markdown that makes a footnote mark."""

    kind: str  # "inline", "named" or "citation"
    start: int  # its range in the field's value
    end: int
    key: str = ""  # the note label, or the citation keys

    def text_range(self) -> tuple[int, int]:
        """Return the range of an inline note's own text (inside ``^[`` and ``]``)."""
        return self.start + 2, self.end - 1


@dataclass(frozen=True)
class NoteSource:
    """Where the text of one footnote is typed."""

    part: str  # "footnote 3"
    element: str  # the YAML path of the field holding the mark
    mark: Mark | None  # None when the reviewer added the footnote or it cannot be matched
    added: bool = False  # the footnote mark is a tracked insertion

    @property
    def path(self) -> str:
        """Return the YAML path where the note's text is typed."""
        return f"notes.{self.mark.key}" if self.mark and self.mark.kind == "named" else self.element


def marks(value: str) -> list[Mark]:
    """Return the constructs of `value` that may make footnote marks, in order."""
    inline = [Mark("inline", s, e) for s, e in inline_notes(value)]

    def outside(start: int) -> bool:
        return not any(m.start <= start < m.end for m in inline)

    named = [Mark("named", m.start(), m.end(), m.group(1)) for m in _NAMED.finditer(value) if outside(m.start())]
    cited = [Mark("citation", m.start(), m.end(), ", ".join(_KEY.findall(m.group()))) for m in _CITATION.finditer(value)
             if outside(m.start()) and not m.group().startswith("[^")]
    return sorted(inline + named + cited, key=lambda m: m.start)


def shown_marks(value: str, count: int) -> list[Mark] | None:
    """Return the constructs that made the `count` footnote marks of a field, or None if that cannot be told."""
    found = marks(value)
    if len(found) == count:
        return found
    notes = [m for m in found if m.kind != "citation"]
    return notes if len(notes) == count else None


def note_sources(review: Review, value_of) -> dict[str, NoteSource]:
    """Return, per footnote part ("footnote 2"), where its text is typed.

    `value_of(path)` returns a field's Markdown value, or None.
    """
    anchors = {p.part: p.anchor for p in review.pieces if p.part.startswith("footnote") and p.anchor is not None}
    found = {}
    for part, anchor in anchors.items():
        paths = innermost(review.pieces[anchor].paths)
        element = paths[0] if len(paths) == 1 else ""
        if _inserted(review, anchor):
            found[part] = NoteSource(part, element, None, added=True)
            continue
        found[part] = NoteSource(part, element, _mark_of(review, anchor, element, value_of) if element else None)
    return found


def _mark_of(review: Review, anchor: int, element: str, value_of) -> Mark | None:
    shown = [i for i, p in enumerate(review.pieces)
             if p.text == NOTE and p.part == "document" and element in innermost(p.paths) and not _inserted(review, i)]
    value = value_of(element)
    found = shown_marks(value, len(shown)) if value is not None else None
    return found[shown.index(anchor)] if found and anchor in shown else None


def _inserted(review: Review, index: int) -> bool:
    return any(review.changes[c].kind == "insertion" for c in review.pieces[index].changes)


def footnote_text(review: Review, anchor: int, in_result) -> str:
    """Return the text a footnote added at piece `anchor` holds in the result; `in_result(piece)` tells."""
    text = "".join(p.text for p in review.pieces if p.anchor == anchor and p.part.startswith("footnote") and in_result(p))
    return text.strip().strip(PARA).strip()
