"""Map the bookmarked elements of a draft to values and lines in the statement.

The statement is found from `--statement` or the draft's `mmnpress.statement`
property (relative to the working folder), loaded with `extends` merged, and
hashed the way the build hashed it. An element path such as `contacts[0]`
covers several values; `segments` splits its text into the values it shows
(`contacts[0].role`, ...), and `Source.location` turns a path and an offset
in its value into ``FILE:LINE``.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import MmnpressError, display_path
from ..paths import split_path
from ..source import Node
from . import ReviewError
from .read import PARA

CONTACT_FIELDS = ("name", "name_local", "role", "email", "phone")


@dataclass(frozen=True)
class Location:
    """A YAML path and where its value is typed."""

    path: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.file else "(not in the statement)"


@dataclass(frozen=True)
class Segment:
    """The part of an element's text that shows one YAML value."""

    path: str
    start: int
    end: int
    markdown: bool


@dataclass
class Source:
    """The statement a draft was built from, as it is now on disk."""

    file: Path
    tree: Node
    sources: list[Path]
    root: Path

    @cached_property
    def hash(self) -> str:
        """Return the content hash the build records (`mmnpress.assemble.source_hash`)."""
        from ..assemble import source_hash

        return source_hash(types.SimpleNamespace(sources=self.sources))

    def node(self, path: str) -> Node | None:
        """Return the value node of `path`, or the profile's boilerplate for `about`."""
        node = node_at(self.tree, path)
        if node is None and path == "about":
            return self._profile_about
        return node

    def location(self, path: str, offset: int | None = None) -> Location:
        """Return the file and line of `path`, at `offset` into its value when given."""
        node = self.node(path)
        if node is None:
            return Location(path)
        line = node.line if offset is None or node.kind != "scalar" else line_at(node, offset)
        return Location(path, display_path(node.file), line)

    @cached_property
    def _profile_about(self) -> Node | None:
        from ..project import load_organisation, organisation_folder

        key = self.tree.get("organisation")
        lang = self.tree.get("lang")
        try:
            folder = organisation_folder(self.root, key.value if key else None, key)
            about = load_organisation(folder).about
        except MmnpressError:
            return None
        code = lang.value if lang is not None else "en"
        return about.get(code) or about.get(code.split("-")[0]) or about.get("en")


def statement_path(properties: dict[str, str], given: Path | None) -> Path | None:
    """Return the statement to map to: `given`, or the draft's property resolved against the working folder."""
    if given is not None:
        return given
    recorded = properties.get("mmnpress.statement")
    return Path.cwd() / recorded if recorded else None


def load_source(path: Path) -> Source:
    """Load the statement at `path` with its originals merged."""
    from ..project import find_root
    from ..statement import merged_tree

    if not path.is_file():
        raise ReviewError(f"{display_path(path)}: statement not found; pass --statement")
    root = find_root(path)
    tree, sources = merged_tree(path.resolve(), root, ())
    return Source(path.resolve(), tree, sources, root)


def node_at(tree: Node, path: str) -> Node | None:
    """Return the node at a YAML path such as ``recommendations.items[1].text``."""
    node: Node | None = tree
    for part in split_path(path):
        if node is None:
            return None
        if isinstance(part, int):
            node = node.items[part] if node.kind == "seq" and part < len(node.items) else None
        else:
            node = node.get(part) if node.kind == "map" else None
    return node


def line_at(node: Node, offset: int) -> int:
    """Return the file line of the word at `offset` into a scalar's value."""
    words_before = len(node.value[: offset + 1].split())
    lines = _file_lines(node.file)
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


def _file_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        return []


def segments(path: str, text: str, source: Source | None) -> list[Segment]:
    """Split an element's text into the YAML values it shows."""
    if source is None:
        return [Segment(path, 0, len(text), True)]
    node = source.node(path)
    if node is None or node.kind == "scalar":
        return [Segment(path, 0, len(text), True)]
    if re.fullmatch(r"signatories\[\d+\]", path):
        return _signatory_segments(path, text, node)
    if re.fullmatch(r"contacts\[\d+\]", path):
        return _contact_segments(path, text, node)
    return []


def _signatory_segments(path: str, text: str, node: Node) -> list[Segment]:
    country = node.get("country")
    suffix = f" ({country.value})" if country is not None and country.kind == "scalar" else ""
    if suffix and text.rstrip(PARA).endswith(suffix):
        cut = len(text.rstrip(PARA)) - len(suffix)
        return [Segment(f"{path}.name", 0, cut, True), Segment(f"{path}.country", cut + 2, cut + len(suffix) - 1, False)]
    return [Segment(f"{path}.name", 0, len(text), True)]


def _contact_segments(path: str, text: str, node: Node) -> list[Segment]:
    found: list[Segment] = []
    for key in CONTACT_FIELDS:
        value = node.get(key)
        if value is None:
            continue
        items = value.items if value.kind == "seq" else [value]
        for index, item in enumerate(items):
            sub = f"{path}.{key}" + (f"[{index}]" if value.kind == "seq" else "")
            found += _occurrence(sub, text, item.value, found) if item.kind == "scalar" and item.value else []
    return sorted(found, key=lambda s: s.start)


def _occurrence(path: str, text: str, value: str, taken: list[Segment]) -> list[Segment]:
    """Return the first occurrence of `value` in `text` that overlaps no segment found before."""
    start = text.find(value)
    while start >= 0:
        end = start + len(value)
        if not any(s.start < end and start < s.end for s in taken):
            return [Segment(path, start, end, False)]
        start = text.find(value, start + 1)
    return []


def segment_at(found: list[Segment], start: int, end: int) -> Segment | None:
    """Return the segment that holds text[start:end] (an insertion when start == end)."""
    for segment in found:
        if segment.start <= start and end <= segment.end:
            return segment
    return None
