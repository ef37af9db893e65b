"""Line up the text a draft shows with the Markdown source it was rendered from.

The rendered text of a field is the source minus its markup: emphasis
stars, link targets, citations (which became footnote marks, shown here as
NOTE) and notes. Characters of markup are *protected*; the rest are matched
to the rendered text with a longest-common-subsequence alignment. A change
in rendered text becomes an edit of the source only when the stretch of
source it covers holds no protected character; otherwise it is
`Unplaceable`, with the reason.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from .read import NOTE

WORDS_FROM = 2_000  # characters: a field at least this long is matched word by word first (see `_matches`)
MASK = "\ue000"  # stands for protected source characters; never in rendered text
_MARKUP_CHARS = set("*_~^`[]{}<>\\")
_CONSTRUCTS = [
    re.compile(r"\[[^\[\]]*@[^\[\]]*\]"),  # [@key, p. 9] citations
    re.compile(r"\[\^[^\]\s]+\]"),  # [^label] note references
    re.compile(r"\]\([^)]*\)"),  # ](target) of links
    re.compile(r"(?<![\w\\])@\{?[\w][\w:.#$%&+?<>~/-]*"),  # @key in-text citations
    re.compile(r"\{[^}]*\}"),  # {.attributes}
    re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);"),  # entities
]
_DELIMITERS = "*_~^"
# The build curls straight quotes (`quotes: typographic`), so a curly quote in
# the draft matches the straight one typed in the YAML, and the other way round.
_STRAIGHT = str.maketrans("\u201c\u201d\u2018\u2019", "\"\"''")


class Unplaceable(Exception):
    """Raise when a change cannot be placed in the Markdown source; the message says why."""


@dataclass
class Alignment:
    """Rendered text of one field lined up with the field's source value."""

    rendered: str
    value: str
    protected: list[bool]
    to_source: list[int]  # per rendered character: its source index, or -1

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the source range holding rendered[start:end]; raise `Unplaceable` if markup is in it."""
        for index in range(start, end):
            if self.to_source[index] < 0:
                raise Unplaceable(self.unmatched_reason(index))
        first, last = self.to_source[start], self.to_source[end - 1] + 1
        self._check_plain(first, last)
        return first, last

    def point(self, at: int, fmt: tuple, left_fmt: tuple | None, right_fmt: tuple | None) -> int:
        """Return the source index where an insertion at rendered position `at` goes.

        Where markup separates the neighbours, the inserted text goes to the
        side whose formatting it shares (text typed after italics is italic).
        """
        left = self.to_source[at - 1] + 1 if at > 0 and self.to_source[at - 1] >= 0 else (0 if at == 0 else None)
        right = self.to_source[at] if at < len(self.rendered) and self.to_source[at] >= 0 else (len(self.value) if at == len(self.rendered) else None)
        if left is None and right is None:
            raise Unplaceable("is next to text that is not in the statement (a citation or generated text)")
        if left is None or right is None or left == right:
            return right if left is None else left
        gap = self.value[left:right]
        if not gap.strip() and not any(self.protected[left:right]):
            return left
        plain = ()
        sides = [side for side, side_fmt in ((left, left_fmt or plain), (right, right_fmt or plain)) if side_fmt == fmt]
        if len(sides) == 1:
            return sides[0]
        raise Unplaceable(f"sits at the edge of the Markdown markup {gap.strip()!r}; cannot tell on which side it belongs")

    def near(self, position: int) -> int:
        """Return the source index of the first matched character at or after `position` (or before it)."""
        after, before = self._matched_around[min(max(position, 0), len(self.to_source))]
        return after if after >= 0 else (before + 1 if before >= 0 else 0)

    @cached_property
    def _matched_around(self) -> list[tuple[int, int]]:
        """Return, per rendered position (and one past the end), the source index of the first matched
        character at or after it and of the last one before it (-1: none), so that `near` is one look-up."""
        following = [-1] * (len(self.to_source) + 1)
        for index in range(len(self.to_source) - 1, -1, -1):
            following[index] = self.to_source[index] if self.to_source[index] >= 0 else following[index + 1]
        around, last = [], -1
        for index, after in enumerate(following):
            around.append((after, last))
            if index < len(self.to_source) and self.to_source[index] >= 0:
                last = self.to_source[index]
        return around

    def untracked(self) -> list[tuple[int, str, str]]:
        """Return (source index, statement text, draft text) where the two differ without markup explaining it.

        Text the draft shows that the source lacks (except where the source
        has a citation, which an author-date style prints inline), and text
        the source has that the draft lacks: edits made with tracking off.
        Differences are widened to whole words.
        """
        shown = []
        for start, end in _runs([s < 0 and c not in NOTE + " " for s, c in zip(self.to_source, self.rendered, strict=True)]):
            left = self.to_source[start - 1] + 1 if start > 0 else 0
            right = self.to_source[end] if end < len(self.rendered) else len(self.value)
            if "@" not in self.value[left:right]:
                shown.append((start, end))
        matched = set(self.to_source)
        lost = _runs([i not in matched and not self.protected[i] and not c.isspace() for i, c in enumerate(self.value)])
        shown, lost = _words(self.rendered, shown), _words(self.value, lost)
        if len(shown) == len(lost):
            return [(a, self.value[a:b], self.rendered[c:d]) for (a, b), (c, d) in zip(lost, shown, strict=True)]
        return [(a, self.value[a:b], "") for a, b in lost] + [(self.near(c), "", self.rendered[c:d]) for c, d in shown]

    def unmatched_reason(self, index: int) -> str:
        if self.rendered[index] == NOTE:
            return "crosses a footnote mark (a citation or note)"
        return f"touches text that is not typed in the statement ({self.rendered[index]!r}: a citation or generated text)"

    def _check_plain(self, first: int, last: int) -> None:
        if any(self.protected[first:last]):
            markup = "".join(c for c, p in zip(self.value[first:last], self.protected[first:last], strict=True) if p)
            kind = "a citation" if "@" in markup else "a note" if "^" in markup and "[" in markup else "Markdown markup"
            raise Unplaceable(f"crosses {kind} ({markup.strip()[:40]!r})")


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """Return the (start, end) ranges where `flags` is true."""
    ranges, start = [], None
    for index, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            ranges.append((start, index))
            start = None
    return ranges


def _words(text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Widen ranges to whole words and merge those that meet."""
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def protected_chars(value: str) -> list[bool]:
    """Mark every character of `value` that is Markdown markup rather than text."""
    marks = [c in _MARKUP_CHARS for c in value]
    for pattern in _CONSTRUCTS:
        for match in pattern.finditer(value):
            marks[match.start():match.end()] = [True] * (match.end() - match.start())
    for start, end in inline_notes(value):
        marks[start:end] = [True] * (end - start)
    return marks


def inline_notes(value: str) -> list[tuple[int, int]]:
    """Return the ranges of ^[inline notes], brackets nested inside included."""
    found = []
    for match in re.finditer(r"\^\[", value):
        depth, index = 0, match.start() + 1
        while index < len(value):
            depth += {"[": 1, "]": -1}.get(value[index], 0)
            if depth == 0:
                break
            index += 1
        found.append((match.start(), index + 1))
    return found


def align(rendered: str, value: str) -> Alignment:
    """Line up `rendered` (the field as the draft shows it) with its source `value`."""
    protected = protected_chars(value)
    comparable = "".join(MASK if p else (" " if c == "\n" else c) for c, p in zip(value, protected, strict=True))
    shown, typed = rendered.translate(_STRAIGHT), comparable.translate(_STRAIGHT)
    to_source = [-1] * len(rendered)
    for a, b, size in _matches(shown, typed):
        to_source[a:a + size] = range(b, b + size)
    return Alignment(rendered, value, protected, to_source)


def _matches(shown: str, typed: str) -> Iterator[tuple[int, int, int]]:
    """Yield (index in `shown`, index in `typed`, length) of the stretches the two texts share.

    difflib's matching of characters costs about the product of the lengths
    it compares (a paragraph of 16,000 characters: minutes). So a common start
    and end are taken as they are, and a long field is first matched word by
    word (words are many times rarer than characters); characters are then
    compared only between the words matched, and inside a matched run whose
    spacing differs.
    """
    head = _common_length(shown, typed)
    tail = _common_length(shown[head:][::-1], typed[head:][::-1])
    yield 0, 0, head
    yield len(shown) - tail, len(typed) - tail, tail
    shown, typed = shown[head:len(shown) - tail], typed[head:len(typed) - tail]
    if min(len(shown), len(typed)) < WORDS_FROM:
        yield from _character_matches(shown, typed, head, head)
        return
    words = [[(m.start(), m.end()) for m in re.finditer(r"\S+", text)] for text in (shown, typed)]
    matcher = difflib.SequenceMatcher(None, [shown[a:b] for a, b in words[0]], [typed[a:b] for a, b in words[1]])
    a_at = b_at = 0
    for i, j, size in matcher.get_matching_blocks():
        a_start = words[0][i][0] if i < len(words[0]) else len(shown)
        b_start = words[1][j][0] if j < len(words[1]) else len(typed)
        yield from _character_matches(shown[a_at:a_start], typed[b_at:b_start], head + a_at, head + b_at)
        a_at, b_at = a_start, b_start
        if size:
            a_end, b_end = words[0][i + size - 1][1], words[1][j + size - 1][1]
            if shown[a_start:a_end] == typed[b_start:b_end]:
                yield head + a_start, head + b_start, a_end - a_start
            else:
                yield from _character_matches(shown[a_start:a_end], typed[b_start:b_end], head + a_start, head + b_start)
            a_at, b_at = a_end, b_end


def _character_matches(shown: str, typed: str, a_shift: int, b_shift: int) -> Iterator[tuple[int, int, int]]:
    if not shown or not typed:
        return
    for block in difflib.SequenceMatcher(None, shown, typed, autojunk=False).get_matching_blocks():
        yield a_shift + block.a, b_shift + block.b, block.size


def _common_length(first: str, second: str) -> int:
    """Return the length of the longest common start of two strings."""
    return len(os.path.commonprefix([first, second]))


def widen_emptied(value: str, start: int, end: int) -> tuple[int, int]:
    """Widen a deletion that empties an emphasis (`*word*`) to take its delimiters too."""
    left = len(value[:start]) - len(value[:start].rstrip(_DELIMITERS))
    right = len(value[end:]) - len(value[end:].lstrip(_DELIMITERS))
    if left and left == right and value[start - left:start] == value[end:end + right][::-1]:
        return start - left, end + right
    return start, end


def escape_markdown(text: str) -> str:
    """Escape what a reviewer typed so that Markdown prints it as typed."""
    text = re.sub(r"([\\*_`\[\]~^<>{}])", r"\\\1", text)
    text = re.sub(r"(?<![\w\\])@", r"\\@", text)
    return re.sub(r"&(?=#?\w+;)", r"\\&", text)
