"""Edit text values in a statement's YAML file and keep everything else as typed.

ruamel.yaml's round trip keeps comments, key order, quoting and the line
breaks of folded (`>`) scalars, but reflows some things (multi-line plain
scalars, spacing before comments). So the file is dumped twice, before and
after the edits, and only the lines that differ between the two dumps are
carried over into the original text. The result is parsed again and must
equal the original data with exactly the edited values changed.
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import io
import itertools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import display_path
from ..render.bookmarks import split_path
from . import ReviewError

INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 4, 0), (2, 3, 1), (4, 6, 4))
MIN_WIDTH = 60


@dataclass
class FieldEdit:
    """Edits of one value: (start, end, replacement) ranges of the old value, not overlapping."""

    path: str
    old: str
    edits: list[tuple[int, int, str]]
    bounds: list[tuple[int, int]] = dataclasses.field(init=False, repr=False, compare=False)  # of the edits, sorted

    def __post_init__(self) -> None:
        self.bounds = sorted((start, end) for start, end, _ in self.edits)

    def add(self, edit: tuple[int, int, str]) -> bool:
        """Add `edit` unless it overlaps one already there (ranges that only touch do not); tell whether it was added.

        Edits that do not overlap, sorted by start, also have their ends in
        order: the only ones that can overlap `edit` start before it ends,
        and of those the last ends last, so one look-up decides.
        """
        start, end, _ = edit
        before = bisect.bisect_left(self.bounds, (end,))
        if before and self.bounds[before - 1][1] > start:
            return False
        bisect.insort(self.bounds, (start, end))
        self.edits.append(edit)
        return True

    def new(self) -> str:
        """Return the value with the edits made."""
        pieces, at = [], 0
        for start, end, text in sorted(self.edits, key=lambda e: (e[0], e[1])):
            pieces += [self.old[at:start], text]
            at = end
        return "".join([*pieces, self.old[at:]])


@dataclass
class ListEdit:
    """A list of texts whose items were joined or split: `old` becomes `new`."""

    path: str
    old: list[str]
    new: list[str]
    file: Path | None = None


@dataclass
class Removal:
    """A key to remove from a mapping (a named note nothing refers to any more); an emptied parent goes too."""

    path: str
    file: Path | None = None


@dataclass
class Append:
    """Mappings to add at the end of a top-level list (made before the first of `before` when the key is missing or empty)."""

    key: str
    items: list[dict]
    before: tuple[str, ...] = ()


def edited_text(file: Path, fields: list[FieldEdit], lists: list[ListEdit] = (), removals: list[Removal] = (),
                appends: list[Append] = ()) -> tuple[str, str]:
    """Return the file's text before and after making the edits; only edited lines change, endings included."""
    raw = file.read_bytes().decode("utf-8")

    def change(data) -> None:
        for field in fields:
            _edit(data, field, file)
        for edit in lists:
            _edit_list(data, edit, file)
        for removal in removals:
            _remove(data, split_path(removal.path))
        for append in appends:
            _append(data, append)

    expected = None
    for keep_typed in (True, False):
        text, result, after = changed(raw, change, keep_typed)
        expected = _expected(text, fields, lists, removals, appends) if expected is None else expected
        if _reads_back(result, expected, fields):
            return raw, after
        # values around the edit kept as typed did not line up (the same words in two values): rebuild the region
    raise ReviewError(f"{display_path(file)}: the edited YAML did not read back as intended; nothing was written")


def changed(raw: str, change, keep_typed: bool = True) -> tuple[str, str, str]:
    """Return a YAML text (line ends made LF, no BOM), that text after `change(data)` edited its ruamel data, and the edited
    text with the original's BOM and line ends; only the lines whose values changed differ (see `carry_over` for `keep_typed`)."""
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    lines, endings = _lines_and_endings(raw[len(bom):])
    text = "\n".join(lines)
    yaml, data, before = _round_trip(text)
    change(data)
    result = carry_over(text, before, _dump(yaml, data), keep_typed)
    return text, result, bom + _with_endings(lines, endings, result.split("\n"))


def styled_like(old, value: str):
    """Return `value` in the style of the scalar `old` (folded at the old width, literal, quoted or plain)."""
    from ruamel.yaml.scalarstring import FoldedScalarString, ScalarString

    if isinstance(old, FoldedScalarString):
        new = FoldedScalarString(value)
        width = max(MIN_WIDTH, *(len(line) for line in _lines(str(old), getattr(old, "fold_pos", []))))
        new.fold_pos = _wrap(value, [], width) if getattr(old, "fold_pos", []) else []
        return new
    return type(old)(value) if isinstance(old, ScalarString) else value


def rewrite(raw: str, change: Callable[[Any], None], verify: Callable[[str, str], None] = lambda text, result: None) -> str:
    """Return the YAML text `raw` after `change` edited its round-trip data; only edited lines change, endings included.

    `verify` sees the text and the result (both with LF line ends, no BOM) and raises when the result is not as intended.
    """
    text, result, after = changed(raw, change)
    verify(text, result)
    return after


def restyled(old, value: str):
    """Return `value` in the style of the scalar `old` (folded lines moved through the one changed stretch)."""
    text = str(old)
    start = len(os.path.commonprefix([text, value]))
    tail = len(os.path.commonprefix([text[start:][::-1], value[start:][::-1]]))
    return _restyled(old, FieldEdit("", text, [(start, len(text) - tail, value[start:len(value) - tail])]))


def folded(value: str, width: int = 76):
    """Return `value` as a folded (>-) scalar wrapped at `width` columns."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    scalar = FoldedScalarString(value)
    scalar.fold_pos = _wrap(value, [], width)
    return scalar


def _lines_and_endings(text: str) -> tuple[list[str], list[str]]:
    """Split `text` into its lines and the ending of each (CR LF, CR or LF; one fewer than lines)."""
    parts = re.split(r"(\r\n|\r|\n)", text)
    return parts[0::2], parts[1::2]


def _with_endings(old: list[str], endings: list[str], new: list[str]) -> str:
    """Join the `new` lines: a kept or edited line keeps the ending of the line it was, an added one takes the file's usual ending."""
    usual = max(set(endings), key=endings.count) if endings else "\n"
    chosen = [usual] * (len(new) - 1)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag in ("equal", "replace"):
            for k in range(min(i2 - i1, j2 - j1)):
                if j1 + k < len(chosen) and i1 + k < len(endings):
                    chosen[j1 + k] = endings[i1 + k]
    return "".join(line + ending for line, ending in zip(new, [*chosen, ""], strict=True))


def _round_trip(text: str):
    """Return a ruamel YAML whose indentation reproduces `text` best, the data it loaded and its dump of it."""
    from ruamel.yaml import YAML

    best, best_score = None, (-1, -1)
    for mapping, sequence, offset in INDENTS:
        yaml = YAML()
        yaml.preserve_quotes = True
        yaml.width = 4096
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        data = yaml.load(text)
        dumped = _dump(yaml, data)
        if dumped == text:
            return yaml, data, dumped
        # lines as typed first; then how items and keys are indented (a plain value typed over
        # several lines is dumped on one, so it matches no line, but its "- " still shows the indent)
        score = (len(set(dumped.split("\n")) & set(text.split("\n"))), len(_indents(dumped) & _indents(text)))
        if score > best_score:
            best, best_score = (yaml, data, dumped), score
    return best


def _indents(text: str) -> set[str]:
    """Return the indentations of the lines of `text` that start an item or a key, with their "- " markers."""
    return {match.group(0) for line in text.split("\n") if (match := _ITEM_OR_KEY.match(line))}


_ITEM_OR_KEY = re.compile(r"^[ -]*(?=[^ -][^:]*:|(?<=- )\S)")


def _dump(yaml, data) -> str:
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def _edit(data, field: FieldEdit, file: Path) -> None:
    parts = split_path(field.path)
    parent = data
    for part in parts[:-1]:
        parent = parent[part]
    old = parent[parts[-1]]
    if not isinstance(old, str) or str(old) != field.old:
        raise ReviewError(f"{display_path(file)}: {field.path} does not hold the text the draft was built from; nothing was written")
    parent[parts[-1]] = _restyled(old, field)


def _edit_list(data, edit: ListEdit, file: Path) -> None:
    """Replace a list of texts by `edit.new`, each new item styled like the old first one."""
    from ruamel.yaml.scalarstring import FoldedScalarString, ScalarString

    seq = _at(data, split_path(edit.path))
    if [str(item) for item in seq] != edit.old:
        raise ReviewError(f"{display_path(file)}: {edit.path} does not hold the texts the draft was built from; nothing was written")
    model = seq[0]
    width = max(MIN_WIDTH, *(len(line) for item in seq if isinstance(item, FoldedScalarString)
                             for line in _lines(str(item), getattr(item, "fold_pos", []))), 0)
    def made(value: str):
        if isinstance(model, FoldedScalarString):
            folded = FoldedScalarString(value)
            folded.fold_pos = _wrap(value, [], width) if getattr(model, "fold_pos", []) else []
            return folded
        return type(model)(value) if isinstance(model, ScalarString) else value

    # change only the items that differ, from the end, so that comments stay with their items
    opcodes = difflib.SequenceMatcher(None, edit.old, edit.new, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(opcodes):
        if tag == "equal":
            continue
        common = min(i2 - i1, j2 - j1)
        for k in range(common):
            seq[i1 + k] = made(edit.new[j1 + k])
        for k in range(i2 - 1, i1 + common - 1, -1):
            del seq[k]
        for k in range(j1 + common, j2):
            seq.insert(i1 + k - j1, made(edit.new[k]))


def _append(data, append: Append) -> None:
    """Add the mappings of `append` at the end of its list, in block style."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    seq = data.get(append.key)
    if not isinstance(seq, CommentedSeq) or not seq:
        seq = CommentedSeq()
        if append.key in data:
            data[append.key] = seq
        else:
            keys = list(data)
            data.insert(next((keys.index(k) for k in append.before if k in keys), len(keys)), append.key, seq)
    seq.extend(CommentedMap(item) for item in append.items)


def _remove(data, parts: list) -> None:
    parent = _at(data, parts[:-1])
    del parent[parts[-1]]
    if not parent and len(parts) > 1:
        del _at(data, parts[:-2])[parts[-2]]


def _at(data, parts: list):
    for part in parts:
        data = data[part]
    return data


def _restyled(old, field: FieldEdit):
    """Return the new value in the style of the old one (folded, literal, quoted or plain)."""
    from ruamel.yaml.scalarstring import FoldedScalarString, ScalarString

    value = field.new()
    if isinstance(old, FoldedScalarString):
        new = FoldedScalarString(value)
        new.fold_pos = refold(str(old), getattr(old, "fold_pos", []), field.edits, value)
        return new
    return type(old)(value) if isinstance(old, ScalarString) else value


def refold(old: str, folds: list[int], edits: list[tuple[int, int, str]], value: str) -> list[int]:
    """Move the line folds of a folded scalar through the edits; fold lines that grew too long."""
    moved = []
    inside, shift = _edited_ranges(edits)
    for fold in folds:
        if not inside(fold):
            moved.append(fold + shift(fold))
    moved = sorted(f for f in moved if _foldable(value, f))
    if not folds:
        return moved  # typed on one line: keep it on one line
    return _wrap(value, moved, max(MIN_WIDTH, *(len(line) for line in _lines(old, folds))))


def _edited_ranges(edits: list[tuple[int, int, str]]):
    """Return two look-ups in logarithmic time: whether an edit covers an offset of the old value,
    and how far the edits that end at or before an offset move it."""
    by_start = sorted((start, end) for start, end, _ in edits)
    starts = [start for start, _ in by_start]
    furthest = list(itertools.accumulate((end for _, end in by_start), max))  # furthest end of the edits starting so far
    by_end = sorted((end, len(text) - (end - start)) for start, end, text in edits)
    ends = [end for end, _ in by_end]
    moves = [0, *itertools.accumulate(growth for _, growth in by_end)]

    def inside(offset: int) -> bool:
        count = bisect.bisect_right(starts, offset)
        return count > 0 and furthest[count - 1] > offset

    def shift(offset: int) -> int:
        return moves[bisect.bisect_right(ends, offset)]

    return inside, shift


def _lines(value: str, folds: list[int]) -> list[str]:
    cuts = [-1, *folds, len(value)]
    pieces = [value[a + 1:b] for a, b in zip(cuts, cuts[1:], strict=False)]
    return [line for piece in pieces for line in piece.split("\n")]


def _foldable(value: str, index: int) -> bool:
    return 0 < index < len(value) - 1 and value[index] == " " and not value[index - 1].isspace() and not value[index + 1].isspace()


def _wrap(value: str, folds: list[int], width: int) -> list[int]:
    """Add folds to lines longer than `width`, at the last space that fits.

    What a long line sheds flows into the next line (its fold is dropped), the
    last line too, so that an insertion never leaves a short line behind
    (such as one holding only "in the"); the paragraph keeps its folds again
    from the first line that fits.
    """
    result: list[int] = []
    start = 0
    ends = [*folds, len(value)]
    for index, end in enumerate(ends):
        line_start = start
        shed = False
        while end - line_start > width:
            candidates = [i for i in range(line_start + 1, line_start + width + 1) if _foldable(value, i) and "\n" not in value[line_start:i]]
            if not candidates:
                break
            result.append(candidates[-1])
            line_start, shed = candidates[-1] + 1, True
        if shed and index + 1 < len(ends) and _foldable(value, end):
            start = line_start  # carry the rest into the next line
            continue
        if end < len(value):
            result.append(end)
        start = end + 1
    return result


def carry_over(original: str, before: str, after: str, keep_typed: bool = True) -> str:
    """Apply the line changes between two dumps (`before` -> `after`) to `original`.

    With `keep_typed`, unchanged values inside a changed region keep their lines as typed.
    """
    if original == before:
        return after
    o_lines, b_lines, a_lines = original.split("\n"), before.split("\n"), after.split("\n")
    same = _equal_lines(o_lines, b_lines)
    regions: list[list] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, b_lines, a_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        lo, hi = i1, i2
        while lo > 0 and lo - 1 not in same:
            lo -= 1
        while hi < len(b_lines) and hi not in same:
            hi += 1
        if regions and lo <= regions[-1][1]:
            regions[-1][1] = max(hi, regions[-1][1])
            regions[-1][2].append((i1, i2, j1, j2))
        else:
            regions.append([lo, hi, [(i1, i2, j1, j2)]])
    result = list(o_lines)
    for lo, hi, hunks in reversed(regions):
        o_lo = same[lo - 1] + 1 if lo > 0 else 0
        o_hi = same[hi] if hi < len(b_lines) else len(o_lines)
        first, last = hunks[0][0], hunks[-1][1]
        kept = _kept_as_typed(o_lines[o_lo:o_hi], b_lines[lo:first], b_lines[last:hi]) if keep_typed else None
        if kept is None:
            result[o_lo:o_hi] = _rebuilt(b_lines, a_lines, lo, hi, hunks)
        else:
            head, tail = kept
            result[o_lo + head:o_hi - tail] = _rebuilt(b_lines, a_lines, first, last, hunks)
    return "\n".join(result)


def _kept_as_typed(typed: list[str], head: list[str], tail: list[str]) -> tuple[int, int] | None:
    """Return how many `typed` lines at the start and end hold the unchanged `head` and `tail` of a dumped region.

    A region of changed lines spreads over the values around the edited one
    whose dump differs from how they were typed (a plain scalar over several
    lines comes out on one); those values are the same words on other lines,
    so they are found again by their words and kept as typed. None when the
    words do not split at line ends.
    """
    def lines_holding(words: list[str], lines: list[str]) -> int | None:
        count, seen = 0, []
        while len(seen) < len(words) and count < len(lines):
            seen += lines[count].split()
            count += 1
        return count if seen == words else None

    head_lines = lines_holding([w for line in head for w in line.split()], typed)
    tail_lines = lines_holding([w for line in reversed(tail) for w in reversed(line.split())],
                               [" ".join(reversed(line.split())) for line in reversed(typed)])
    if head_lines is None or tail_lines is None or head_lines + tail_lines > len(typed):
        return None
    return head_lines, tail_lines


def _equal_lines(o_lines: list[str], b_lines: list[str]) -> dict[int, int]:
    same = {}
    for tag, i1, _, j1, j2 in difflib.SequenceMatcher(None, o_lines, b_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            same.update({j1 + k: i1 + k for k in range(j2 - j1)})
    return same


def _rebuilt(b_lines: list[str], a_lines: list[str], lo: int, hi: int, hunks: list) -> list[str]:
    lines, at = [], lo
    for i1, i2, j1, j2 in hunks:
        lines += b_lines[at:i1] + a_lines[j1:j2]
        at = i2
    return lines + b_lines[at:hi]


def _expected(text: str, fields: list[FieldEdit], lists: list[ListEdit], removals: list[Removal], appends: list[Append] = ()) -> object:
    """Return the data `text` holds once the edits are made: what the edited file must read back as."""
    import yaml

    expected = yaml.safe_load(text)
    for field in fields:
        parts = split_path(field.path)
        _at(expected, parts[:-1])[parts[-1]] = field.new()
    for edit in lists:
        parts = split_path(edit.path)
        _at(expected, parts[:-1])[parts[-1]] = list(edit.new)
    for removal in removals:
        _remove(expected, split_path(removal.path))
    for append in appends:
        expected[append.key] = (expected.get(append.key) or []) + [dict(item) for item in append.items]
    return expected


def _reads_back(result: str, expected: object, fields: list[FieldEdit]) -> bool:
    """Tell whether the edited text reads back as the expected data, to both readers of statements.

    The statement loader (PyYAML, through libyaml when present) must read the
    expected data; ruamel, which the next `review apply` edits the file with,
    must read the edited values too. The two disagree on some characters (a
    raw U+2028 inside a folded scalar is text to one and a line break to the
    other), so one reading alone is no proof.
    """
    import yaml
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError as RuamelError

    try:
        if yaml.load(result, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) != expected:
            return False
        again = YAML().load(result)
    except (yaml.YAMLError, RuamelError):
        return False
    return all(_at(again, split_path(field.path)) == field.new() for field in fields)
