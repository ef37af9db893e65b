"""Paragraph marks a reviewer changed: joins, splits and new paragraphs of a list of texts.

A deleted paragraph mark between two neighbouring items of a list of plain
paragraphs (`body`, `closing`, `notes_to_editors`) joins them; an inserted
mark inside one item splits it; a new paragraph typed after an item becomes
a new item. Each becomes a `ListEdit` that also carries the text edits of
the list's items; anything else is reported with both paragraphs named.
"""

from __future__ import annotations

import re

from ..render.bookmarks import split_path
from .align import Unplaceable, escape_markdown
from .mapping import Source
from .read import NOTE, PARA, paragraph_neighbours
from .yamledit import ListEdit


class ParagraphMarks:
    """The part of the apply planner that handles paragraph marks (mixed into `apply._Planner`).

    It uses the planner's `review`, `source`, `fields`, `placed`, `elements`,
    `outcome`, `_states`, `_alignment` and `_note`.
    """

    def _init_paragraph_marks(self) -> None:
        self.joins: list[tuple[str, str, int]] = []  # (first path, second path, change number)
        self.splits: list[tuple[str, int, int]] = []  # (path, piece index of the paragraph mark, change number)
        self.additions: list[tuple[str, str, set[int]]] = []  # (path, Markdown of a new paragraph after it, change numbers)
        self.covered: set[int] = set()  # pieces of new paragraphs taken by `additions`

    def _paragraph_mark(self, number: int, index: int) -> None:
        """Record a join (deleted paragraph mark) or a split (inserted one), or say why it cannot be made."""
        first, second = paragraph_neighbours(self.review, index)
        kind = self.review.changes[number].kind
        if kind == "deletion":
            reason = _joinable(self.source, first, second)
            if reason:
                self._note(number, f"the join of {first or 'generated text'} and {second or 'generated text'} was not applied: {reason}")
            else:
                self.joins.append((first, second, number))
        elif first and first == second:
            self.splits.append((first, index, number))
        elif first and not second and (added := self._new_paragraph(index)) is not None:
            self.additions.append((first, added[0], added[1] | {number}))
        else:
            self._note(number, f"the new paragraph after {first or 'generated text'} was not applied: only a paragraph split, "
                               "or one new paragraph after a paragraph of a list, can be; make it by hand")

    def _new_paragraph(self, mark: int) -> tuple[str, set[int]] | None:
        """Return the text of the paragraph after `mark` and its changes when all of it is selected new text."""
        pieces, index = [], mark + 1
        while index < len(self.review.pieces) and self.review.pieces[index].text != PARA:
            pieces.append(index)
            index += 1
        if not pieces or index == len(self.review.pieces):
            return None
        states = [self._states(self.review.pieces[i]) for i in pieces]
        if any(before or not after for before, after, _ in states):
            return None
        text = "".join(self.review.pieces[i].text for i in pieces).replace("\n", " ").strip()
        if not text or NOTE in text:
            return None
        self.covered |= set(pieces)
        return escape_markdown(text), set().union(*(chosen for _, _, chosen in states))

    def _lists(self) -> list[ListEdit]:
        """Turn the joins and splits into new lists of texts, folding in the edits of their items."""
        by_list: dict[str, list] = {}
        for first, second, number in self.joins:
            by_list.setdefault(_list_of(first), []).append(("join", first, second, number))
        for path, index, number in self.splits:
            by_list.setdefault(_list_of(path), []).append(("split", path, index, number))
        for path, text, numbers in self.additions:
            by_list.setdefault(_list_of(path), []).append(("add", path, text, numbers))
        edits = []
        for list_path, operations in by_list.items():
            made = self._list_edit(list_path, operations)
            if made is not None:
                edits.append(made)
        return edits

    def _list_edit(self, list_path: str, operations: list) -> ListEdit | None:
        seq = self.source.node(list_path)
        if seq is None or seq.kind != "seq" or any(item.kind != "scalar" for item in seq.items) or seq.file.resolve() != self.source.file:
            for operation in operations:
                for number in _numbers(operation):
                    self._note(number, f"the paragraph break in {operation[1]} was not applied: {list_path} is not a list of "
                                       "plain paragraphs typed in this statement; make it by hand")
            return None
        values, cuts, joined, added = [], {}, set(), {}
        for index, item in enumerate(seq.items):
            path = f"{list_path}[{index}]"
            edit = self.fields.get(item.file, {}).get(path)
            values.append(edit.new() if edit else item.value)
        for operation in operations:
            if operation[0] == "join":
                joined.add(split_path(operation[2])[-1])
                continue
            if operation[0] == "add":
                added.setdefault(split_path(operation[1])[-1], []).append(operation[2])
                continue
            _, path, piece, number = operation
            at = self._split_offset(path, piece)
            if at is None:
                self._note(number, f"the split of {path} was not applied: it falls next to markup; make it by hand")
                continue
            cuts.setdefault(split_path(path)[-1], []).append(at)
        items: list[str] = []
        for index, value in enumerate(values):
            parts = _cut(value, cuts.get(index, []))
            if index in joined and items:
                items[-1] = items[-1].rstrip() + " " + parts[0].lstrip()
                parts = parts[1:]
            items += parts + added.get(index, [])
        numbers = {n for op in operations for n in _numbers(op)} - {s.number - 1 for s in self.outcome.not_applied if s.partly}
        for index, item in enumerate(seq.items):
            self.fields.get(item.file, {}).pop(f"{list_path}[{index}]", None)
        self.outcome.applied |= numbers
        return ListEdit(list_path, [item.value for item in seq.items], items, seq.file)

    def _split_offset(self, path: str, piece: int) -> int | None:
        """Return where in the edited value of `path` the paragraph mark at `piece` cuts it."""
        before, fmts, found = self.elements.get(path, ("", [], []))
        at = next((offset for index, (p, offset) in self.placed.items() if p == path and index > piece), len(before))
        node = self.source.node(path)
        try:
            source_at = self._alignment(path, 0, before, node.value).point(at, (), None, None) if found else None
        except Unplaceable:
            return None
        if source_at is None:
            return None
        edit = self.fields.get(node.file, {}).get(path)
        moved = sum(len(text) - (end - start) for start, end, text in (edit.edits if edit else []) if end <= source_at)
        return source_at + moved


def _numbers(operation: tuple) -> set[int]:
    """Return the change numbers of a list operation (one, or a set for a new paragraph)."""
    last = operation[-1]
    return set(last) if isinstance(last, set) else {last}


def _list_of(path: str) -> str:
    return path[: path.rindex("[")]


def _joinable(source: Source, first: str, second: str) -> str:
    """Return why two paragraphs cannot be joined in the YAML, or "" when they can."""
    if not first or not second:
        return "one of them is generated text, not a text of the statement"
    if not re.fullmatch(r"[a-z_]+\[\d+\]", first) or not re.fullmatch(r"[a-z_]+\[\d+\]", second):
        return "only two paragraphs of the same list (body, closing, notes to editors) can be joined"
    if _list_of(first) != _list_of(second) or split_path(second)[-1] != split_path(first)[-1] + 1:
        return "they are not neighbours in the same list"
    nodes = [source.node(first), source.node(second)]
    if any(n is None or n.kind != "scalar" for n in nodes):
        return "one of them is not a plain paragraph (a heading or quote)"
    if any(n.file.resolve() != source.file for n in nodes):
        return "one of them is typed in the file this statement extends; join them there"
    return ""


def _cut(value: str, offsets: list[int]) -> list[str]:
    parts, last = [], 0
    for at in sorted(offsets):
        parts.append(value[last:at].rstrip())
        last = at
    parts.append(value[last:].lstrip())
    return [p.strip() for p in parts]
