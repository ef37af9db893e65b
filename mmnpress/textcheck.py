"""Find text that Markdown will not read as its writer meant (for `mmnpress check`).

- an opening `[` before a citation that is never closed, or a closing `]`
  after one that was never opened: pandoc then prints the brackets and the
  key as typed (`[@key, p. 12` comes out as "[(key?), p. 12");
- Markdown left in the output: `^[`, `[^` or `[@` that pandoc did not turn
  into a note or a citation, or a note pandoc read as superscript text
  (`^[note][^label]` prints "[note][" raised, then "label]").

Each finding is (text, offset in its source, message); the caller places it.
"""

from __future__ import annotations

import re

from .document import Note, Run
from .model import Text

_BRACKET = re.compile(r"\\.|[\[\]]", re.DOTALL)
_CITATION = re.compile(r"(?<![\w\\])@\{?\w")
LEFTOVERS = ("^[", "[^", "[@")


def unbalanced_citation_brackets(text: Text) -> list[tuple[int, str]]:
    """Return (offset, message) for each `[` or `]` around a citation that has no partner."""
    source = text.source
    opened: list[int] = []
    unopened: list[int] = []
    for match in _BRACKET.finditer(source):
        if match.group() == "[":
            opened.append(match.start())
        elif match.group() == "]":
            (opened.pop() if opened else unopened.append(match.start()))
    found = []
    for offset in opened:
        if _CITATION.search(source, offset):
            found.append((offset, "this '[' before a citation is never closed: add the ']' after the citation "
                                  "(write \\[ for a bracket that is meant to print)"))
    for offset in unopened:
        if _CITATION.search(source[:offset]):
            found.append((offset, "this ']' after a citation has no '[' before it: put the citation in brackets, "
                                  "like [@key, p. 12] (write \\] for a bracket that is meant to print)"))
    return sorted(found)


def markdown_left(text: Text, rich) -> list[tuple[int, str]]:
    """Return (offset, message) for `^[` or `[@` that came out of pandoc as plain text."""
    runs = list(_runs(rich))
    printed = "".join(run.text for run in runs)
    left = [m for m in LEFTOVERS if m in printed]
    if any(run.sup and ("[" in run.text or "]" in run.text) for run in runs) and "^[" not in left:
        left.insert(0, "^[")  # ^...^ is superscript in pandoc's Markdown: "^[a][^" became raised text
    found = []
    for leftover in left:
        offset = max(text.source.find(leftover), 0)
        what = "a citation" if leftover == "[@" else "a footnote"
        found.append((offset, f"'{leftover}' prints as typed instead of becoming {what}; check the brackets around it "
                              "(a note is ^[text], a named note [^label], a citation [@key])"))
    return found


def _runs(rich):
    """Yield the runs of rich text, those inside footnotes too; code is left out (it prints as typed on purpose)."""
    for inline in rich:
        if isinstance(inline, Note):
            for paragraph in inline.paragraphs:
                yield from _runs(paragraph)
        elif isinstance(inline, Run) and not inline.code:
            yield inline
