"""Map the bookmarked elements of a draft to values and lines in the statement.

The statement is found from `--statement` or the draft's `mmnpress.statement`
property (relative to the project folder), loaded with `extends` merged, and
hashed the way the build hashed it. An element path such as `contacts[0]`
covers several values; `segments` splits its text into the values it shows
(`contacts[0].role`, ...), and `Source.location` turns a path and an offset
in its value into ``FILE:LINE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .. import schema
from ..errors import MmnpressError, display_path
from ..i18n import place_separator
from ..outline import date_line, dateline, heading_labels
from ..pipeline.source import Node, file_lines, line_at
from ..render.bookmarks import split_path
from . import ReviewError
from .read import PARA

# The fields of a contact that a draft bookmarks, in the order they print.
CONTACT_FIELDS = tuple(f.key for f in schema.STATEMENT.child("contacts").fields if f.bookmarked)


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
    printed: bool = False  # the text is printed from the value (a date), not the value as typed


# The labels the build prints as lines of their own: the kind lines, the end mark and the headings the outline declares.
GENERATED_LABELS = ("statement", "press_release", "position_paper", "immediate_release", "end_mark", *heading_labels())


@dataclass
class Source:
    """The statement a draft was built from, as it is now on disk."""

    file: Path
    tree: Node
    sources: list[Path]
    root: Path

    @cached_property
    def hash(self) -> str:
        """Return the content hash the build records (`mmnpress.statement.source_hash`)."""
        from ..pipeline.translations import source_hash

        return source_hash(self.sources)

    def node(self, path: str) -> Node | None:
        """Return the value node of `path`, or the profile's boilerplate for `about`."""
        node = node_at(self.tree, path)
        if node is None and path == "about":
            return self._profile_about
        return node

    def location(self, path: str, offset: int | None = None) -> Location:
        """Return the file and line of `path`, at `offset` into its value when given; ``labels.KEY`` is a catalog entry."""
        if path.startswith("labels."):
            return _catalog_location(path, self._lang)
        node = self.node(path)
        if node is None:
            return Location(path)
        line = node.line if offset is None or node.kind != "scalar" else line_at(node, offset)
        return Location(path, display_path(node.file), line)

    @cached_property
    def _lang(self) -> str:
        lang = self.tree.get("lang")
        return lang.value if lang is not None and lang.kind == "scalar" else "en"

    @cached_property
    def labels(self) -> dict[str, str]:
        """Return the document labels of the statement's language."""
        from ..i18n import labels

        return labels(self._lang).text

    @cached_property
    def generated(self) -> dict[str, list[Segment]]:
        """Return the lines the build generates around the fields, each split into the values or labels it shows."""
        lines: dict[str, list[Segment]] = {}
        place, date = self.tree.get("place"), self._date()
        if date is not None:
            date_text = _formatted(date, self._lang)
            typed = place.value if place is not None and place.kind == "scalar" and place.value else ""
            separator = len(place_separator(self._lang))  # between the place and the date
            for line, printed in ((date_line(typed, date_text, self._lang), False), (dateline(typed, date_text, self._lang), True)):
                at = line.rindex(date_text)
                shown_place = [Segment("place", 0, at - separator, False, printed=printed)] if typed else []
                lines[line] = [*shown_place, Segment("date", at, at + len(date_text), False, printed=True)]
        embargo = self.tree.get("embargo")
        if embargo is not None and embargo.kind == "scalar":
            label = self.labels["embargoed_until"]
            lines[f"{label} {_formatted_embargo(embargo.value, self._lang)}"] = [
                Segment("labels.embargoed_until", 0, len(label), False, printed=True),
                Segment("embargo", len(label) + 1, 10_000, False, printed=True)]
        for key in GENERATED_LABELS:
            text = self.labels[key]
            lines.setdefault(text, [Segment(f"labels.{key}", 0, len(text), False, printed=True)])
        return lines

    def _date(self):
        import datetime as dt

        node = self.tree.get("date")
        try:
            return dt.date.fromisoformat(node.value) if node is not None and node.kind == "scalar" else None
        except ValueError:
            return None

    @cached_property
    def _profile_about(self) -> Node | None:
        from ..pipeline.project import load_organisation, organisation_folder

        key = self.tree.get("organisation")
        try:
            organisation = load_organisation(organisation_folder(self.root, key.value if key else None, key))
        except MmnpressError:
            return None
        return organisation.about_in(self._lang)


def _formatted(date, lang: str) -> str:
    from ..i18n import format_date

    try:
        return format_date(date, lang)
    except (MmnpressError, ValueError, LookupError):
        return date.isoformat()


def _formatted_embargo(value: str, lang: str) -> str:
    import datetime as dt

    from ..i18n import format_embargo

    try:
        return format_embargo(dt.datetime.fromisoformat(value), lang)
    except (MmnpressError, ValueError, LookupError):
        return value


def _catalog_location(path: str, lang: str) -> Location:
    """Return the catalog entry that makes the label `labels.KEY`: its .po file, or mmnpress's built-in English."""
    from ..i18n import catalog

    key = path.split(".", 1)[1]
    po = catalog.catalog_path(lang)
    file, needle = (po, f'msgctxt "{key}"') if po is not None else (Path(catalog.__file__), f'"{key}":')
    lines = file_lines(file)
    line = next((n for n, text in enumerate(lines, start=1) if needle in text), None)
    return Location(path, str(file), line) if line else Location(path)


def statement_path(properties: dict[str, str], given: Path | None, draft: Path | None = None) -> Path | None:
    """Return the statement to map to: `given`, or the one the draft records.

    The draft records the statement's path relative to the project folder.
    A reviewer can rewrite that record, so it is trusted only when it names
    a file inside the project of the working folder (symbolic links
    resolved); anything else needs --statement.
    """
    if given is not None:
        return given
    recorded = properties.get("mmnpress.statement")
    if not recorded:
        return None
    from ..pipeline.project import find_root, inside

    root = find_root(Path.cwd() / "statement.yaml")
    candidate = root / recorded
    if Path(recorded).is_absolute() or not inside(candidate, root):
        name = draft.name if draft is not None else "the draft"
        raise ReviewError(f"{name}: the draft names the statement {recorded!r}, which is not inside the project folder "
                          f"{display_path(root)}; run the command in the statement's project or pass --statement")
    return candidate


def load_source(path: Path) -> Source:
    """Load the statement at `path` with its originals merged."""
    from ..pipeline.project import find_root
    from ..pipeline.translations import merged_tree

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


def segments(path: str, text: str, source: Source | None) -> list[Segment]:
    """Split an element's text into the YAML values it shows."""
    if source is None:
        return [Segment(path, 0, len(text), True)]
    if path.startswith(GENERATED):
        return _generated_segments(text, source)
    node = source.node(path)
    if node is None or node.kind == "scalar":
        return [Segment(path, 0, len(text), is_markdown(path))]
    if re.fullmatch(r"signatories\[\d+\]", path):
        return _signatory_segments(path, text, node)
    if re.fullmatch(r"contacts\[\d+\]", path):
        return _contact_segments(path, text, node, source.labels)
    if node.kind == "seq":  # a contact's list of phone numbers or e-mails
        return _item_segments(path, text, node, [])
    return []


def is_markdown(path: str) -> bool:
    """Tell whether the value at `path` is inline Markdown, as the schema says (a contact's fields are plain)."""
    item = schema.field_at(re.sub(r"\[\d+\]$", "", path))
    return item is None or item.markdown


GENERATED = "generated:"  # element paths of generated lines (a dateline, a label), which the draft does not bookmark


def name_generated(review, source: Source) -> None:
    """Give the pieces of each generated line of the body (the dateline, a label) an element path ``generated:N``.

    A paragraph, or the start of one, without bookmarks whose text is a line
    the build generates is named; `segments` then splits it into the values
    (``place``, ``date``) or catalog labels (``labels.signed_by``) it shows.
    """
    from dataclasses import replace

    lines = source.generated
    start = 0
    while start < len(review.pieces):
        end = start
        while end < len(review.pieces) and review.pieces[end].text != PARA and not review.pieces[end].paths:
            end += 1
        pieces = review.pieces[start:end]
        shown = "".join(p.text for p in pieces if not any(review.changes[c].kind == "insertion" for c in p.changes))
        if pieces and pieces[0].part == "document" and shown.strip() in lines:
            for index in range(start, end):
                review.pieces[index] = replace(review.pieces[index], paths=(f"{GENERATED}{start}",))
        start = end + 1 if end == start else end


def _generated_segments(text: str, source: Source) -> list[Segment]:
    key = text.strip(PARA).strip()
    found = source.generated.get(key)
    if found is None:
        return []
    shift = text.find(key)
    return [Segment(s.path, s.start + shift, min(s.end, len(key)) + shift, s.markdown, s.printed) for s in found]


def _signatory_segments(path: str, text: str, node: Node) -> list[Segment]:
    country = node.get("country")
    suffix = f" ({country.value})" if country is not None and country.kind == "scalar" else ""
    if suffix and text.rstrip(PARA).endswith(suffix):
        cut = len(text.rstrip(PARA)) - len(suffix)
        return [Segment(f"{path}.name", 0, cut, True), Segment(f"{path}.country", cut + 2, cut + len(suffix) - 1, False)]
    return [Segment(f"{path}.name", 0, len(text), True)]


def _contact_segments(path: str, text: str, node: Node, labels: dict[str, str]) -> list[Segment]:
    """Split a contact's text into its fields, the labels the build adds ("Tel.") and its language names."""
    found: list[Segment] = []
    for key in CONTACT_FIELDS:
        value = node.get(key)
        if value is not None:
            found = _item_segments(f"{path}.{key}", text, value, found)
    for key in ("email", "tel", "languages"):
        at = text.find(labels[key])
        if at >= 0 and not any(s.start < at + len(labels[key]) and at < s.end for s in found):
            found.append(Segment(f"labels.{key}", at, at + len(labels[key]), False, printed=True))
            if key == "languages" and text[at + len(labels[key]):].startswith(": "):
                start = at + len(labels[key]) + 2
                end = text.find(PARA, start) if PARA in text[start:] else len(text)
                found.append(Segment(f"{path}.languages", start, end, False, printed=True))
    return sorted(found, key=lambda s: s.start)


def _item_segments(path: str, text: str, value: Node, found: list[Segment]) -> list[Segment]:
    """Add the segments of a plain value, or of each item of a list (``phone[1]``), to `found`."""
    items = value.items if value.kind == "seq" else [value]
    for index, item in enumerate(items):
        sub = path + (f"[{index}]" if value.kind == "seq" else "")
        found = found + (_occurrence(sub, text, item.value, found) if item.kind == "scalar" and item.value else [])
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
