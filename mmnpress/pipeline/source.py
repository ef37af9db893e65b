"""Load a statement file into a tree of nodes that remember their positions.

The loader is deliberately strict and safe: only plain YAML data (maps,
sequences, scalars), no tags that build objects, no anchors or aliases, no
duplicate keys, UTF-8 only, no control characters that Word cannot store,
and a size limit (the characters are those of `chars.FORBIDDEN`). Every
problem in a file is reported at once.

`locate` and `line_at` find where a piece of a scalar's value is typed, for
messages about Markdown and for mapping reviewers' changes to lines.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import Collector, InputError, Problem, display_path
from ..unicode.chars import FORBIDDEN, NOT_IN_PDF

MAX_FILE_BYTES = 1024 * 1024
# Statements nest a few levels deep; the limit keeps the converters' recursion
# far from Python's limit (libyaml itself stops at 1000 levels).
MAX_DEPTH = 32
MAX_ANCHOR_REPORTS = 10  # also the number of bad characters listed one by one
PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_PENDING: dict[Path, bytes] = {}  # see `pending`


@dataclass
class Node:
    """A YAML value with its file and 1-based position.

    `kind` is "map", "seq" or "scalar". A map's `entries` hold, per key, the
    key's node and the value's node; a sequence's `items` hold nodes; a
    scalar's `value` is the text as typed and `tag` how YAML resolved it.
    """

    kind: str
    file: Path
    line: int
    column: int
    value: str = ""
    tag: str = ""
    style: str | None = None
    entries: dict[str, tuple[Node, Node]] = field(default_factory=dict)
    items: list[Node] = field(default_factory=list)

    @property
    def where(self) -> str:
        """Return ``FILE:LINE:COLUMN`` for messages."""
        return f"{display_path(self.file)}:{self.line}:{self.column}"

    def get(self, key: str) -> Node | None:
        """Return the value node of `key` in a map, or None."""
        entry = self.entries.get(key)
        return entry[1] if entry else None

    def key_node(self, key: str) -> Node | None:
        """Return the node of the key itself, for messages about the key."""
        entry = self.entries.get(key)
        return entry[0] if entry else None

    def is_null(self) -> bool:
        """Tell whether this is an empty or null scalar."""
        return self.kind == "scalar" and self.tag.endswith(":null")


def load(path: Path) -> Node:
    """Read and parse `path`, raising `InputError` with every problem found."""
    name = display_path(path)
    problems = Collector()
    text = _read_text(path, name, problems)
    problems.raise_if_any()
    _check_characters(text, name, problems)
    problems.raise_if_any()
    root = _compose(text, path, name, problems)
    problems.raise_if_any()
    if root is None or root.kind != "map":
        line, column = (root.line, root.column) if root else (1, 1)
        raise InputError([Problem(name, line, column, "a statement must be a YAML mapping of keys")])
    return root


@contextlib.contextmanager
def pending(contents: dict[Path, bytes]) -> Iterator[None]:
    """Load the given bytes in place of each file (keyed by resolved path) for the block.

    `review apply` checks the statements it is about to write this way,
    before anything on disk changes.
    """
    _PENDING.update(contents)
    try:
        yield
    finally:
        for path in contents:
            _PENDING.pop(path, None)


def _read_text(path: Path, name: str, problems: Collector) -> str:
    try:
        data = _PENDING[path.resolve()] if _PENDING and path.resolve() in _PENDING else read_limited(path, MAX_FILE_BYTES)
    except OSError as error:
        problems.add(name, 1, 1, f"cannot read file: {error.strerror or error}")
        return ""
    if len(data) > MAX_FILE_BYTES:
        problems.add(name, 1, 1, f"file is over {MAX_FILE_BYTES // 1024} KiB, the limit for statements")
        return ""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _byte_position(data, error.start)
        problems.add(name, line, column, f"invalid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8")
        return ""


def read_limited(path: Path, limit: int) -> bytes:
    """Return at most `limit` + 1 bytes of `path`, which must be a regular file.

    A FIFO or a device such as /dev/zero would block or never end.
    """
    import os
    import stat

    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as stream:
        mode = os.fstat(stream.fileno()).st_mode
        if stat.S_ISDIR(mode):
            raise OSError(0, "it is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise OSError(0, "not a regular file")
        return stream.read(limit + 1)


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def _check_characters(text: str, name: str, problems: Collector) -> None:
    """Report the first few characters Word cannot store, then how many more there are."""
    found = FORBIDDEN.finditer(text)
    for count, match in enumerate(found):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        if count == MAX_ANCHOR_REPORTS:
            more = sum(1 for _ in found) + 1
            problems.add(name, line, column, f"{more} more control characters from here on, not listed one by one")
            return
        problems.add(name, line, column, f"control character U+{ord(match.group()):04X} cannot be stored in a document")
    for character, reason in NOT_IN_PDF.items():
        at = text.find(character)
        if at >= 0:
            line = text.count("\n", 0, at) + 1
            problems.add(name, line, at - (text.rfind("\n", 0, at) + 1) + 1, reason)


def _yaml_hint(problem: str | None) -> str:
    """Return advice for the YAML errors writers meet most, or nothing."""
    if problem and problem.startswith("mapping values are not allowed"):
        return ('; a colon followed by a space starts a key, so text holding one must be put in quotes, '
                'like title: "Migration: the facts"')
    return ""


def _compose(text: str, path: Path, name: str, problems: Collector) -> Node | None:
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        if not _check_events(yaml.parse(text, Loader=loader_class), name, problems):
            return None  # aliases could expand without bound, deep nesting overflow; go no further
        node = yaml.compose(text, Loader=loader_class)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.add(name, line, column, f"YAML syntax: {error.problem or error.context}{_yaml_hint(error.problem)}")
        return None
    except yaml.YAMLError as error:
        problems.add(name, 1, 1, f"YAML syntax: {error}")
        return None
    return _convert(node, path, name, problems) if node is not None else None


def _check_events(events, name: str, problems: Collector) -> bool:
    """Report anchors, aliases and deep nesting; return whether composing is safe."""
    import yaml

    anchors, depth = 0, 0
    for event in events:
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            anchors += 1
            if anchors <= MAX_ANCHOR_REPORTS:
                problems.add(name, mark.line + 1, mark.column + 1, "anchors and aliases (& and *) are not allowed here")
            elif anchors == MAX_ANCHOR_REPORTS + 1:
                unlisted = mark
        depth += isinstance(event, yaml.CollectionStartEvent) - isinstance(event, yaml.CollectionEndEvent)
        if depth > MAX_DEPTH:
            problems.add(name, mark.line + 1, mark.column + 1, f"lists and mappings nest more than {MAX_DEPTH} levels deep")
            return False
    if anchors > MAX_ANCHOR_REPORTS:
        more = f"{anchors - MAX_ANCHOR_REPORTS} more anchors and aliases from here on, not listed one by one"
        problems.add(name, unlisted.line + 1, unlisted.column + 1, more)
    return anchors == 0


def check_foreign(text: str, name: str, problems: Collector, *, is_yaml: bool = False) -> None:
    """Report what a file that pandoc reads (a bibliography) must not hold.

    That is characters Word cannot store and, in YAML, anchors, aliases
    (pandoc expands an alias bomb for minutes) and deep nesting. Syntax
    errors are left to the file's reader.
    """
    import yaml

    _check_characters(text, name, problems)
    if is_yaml:
        try:
            _check_events(yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), name, problems)
        except yaml.YAMLError:
            pass


def _convert(node, path: Path, name: str, problems: Collector) -> Node:
    import yaml

    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if node.tag not in PLAIN_TAGS:
        problems.add(name, line, column, f"YAML tag {node.tag!r} is not allowed; write plain values")
    if isinstance(node, yaml.MappingNode):
        return _convert_map(node, path, name, problems)
    if isinstance(node, yaml.SequenceNode):
        items = [_convert(item, path, name, problems) for item in node.value]
        return Node("seq", path, line, column, tag=node.tag, items=items)
    _check_escapes(node, name, problems)
    return Node("scalar", path, line, column, value=node.value, tag=node.tag, style=node.style)


def _check_escapes(node, name: str, problems: Collector) -> None:
    """Report control characters that a double-quoted escape such as \\x01 produced."""
    found = FORBIDDEN.search(node.value) if node.style == '"' else None
    if found:
        mark = node.start_mark
        message = f"control character U+{ord(found.group()):04X} (written as an escape) cannot be stored in a document"
        problems.add(name, mark.line + 1, mark.column + 1, message)


def _convert_map(node, path: Path, name: str, problems: Collector) -> Node:
    result = Node("map", path, node.start_mark.line + 1, node.start_mark.column + 1, tag=node.tag)
    for key_node, value_node in node.value:
        key = _convert(key_node, path, name, problems)
        value = _convert(value_node, path, name, problems)
        if key.kind != "scalar":
            problems.add(name, key.line, key.column, "a key must be a plain name")
            continue
        if key.value in result.entries:
            first = result.entries[key.value][0]
            problems.add(name, key.line, key.column, f"duplicate key {key.value!r} (first given at line {first.line})")
            continue
        result.entries[key.value] = (key, value)
    return result


def walk(node: Node) -> Iterator[Node]:
    """Yield `node` and every node below it."""
    yield node
    for key, value in node.entries.values():
        yield key
        yield from walk(value)
    for item in node.items:
        yield from walk(item)


def locate(node: Node, needle: str, skip: int = 0) -> tuple[int, int]:
    """Return the line and column where `needle` is typed in a scalar, from its start on, after `skip` earlier times."""
    lines = file_lines(node.file)
    row, col = node.line - 1, node.column - 1
    while row < len(lines):
        found = lines[row].find(needle, col)
        if found >= 0 and not skip:
            return row + 1, found + 1
        if found >= 0:
            skip, col = skip - 1, found + len(needle)
            continue
        row, col = row + 1, 0
    return node.line, node.column


def line_at(node: Node, offset: int) -> int:
    """Return the file line of the word at `offset` into a scalar's value."""
    words_before = len(node.value[: offset + 1].split())
    lines = file_lines(node.file)
    block = node.style in (">", "|")
    row = node.line if block else node.line - 1
    seen = 0
    while row < len(lines):
        text = lines[row] if block or row != node.line - 1 else lines[row][node.column - 1:]
        seen += len(text.split())
        if seen >= words_before:
            return row + 1
        row += 1
    return node.line


def file_lines(path: Path) -> tuple[str, ...]:
    """Return the lines of `path` as saved now (empty when it cannot be read)."""
    try:
        stat = path.stat()
    except OSError:
        return ()
    return _lines(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _lines(path: Path, mtime: int, size: int) -> tuple[str, ...]:
    """Read `path`; `mtime` and `size` key the cache so a saved file is read afresh."""
    try:
        return tuple(path.read_text(encoding="utf-8-sig").split("\n"))
    except (OSError, UnicodeDecodeError):
        return ()
