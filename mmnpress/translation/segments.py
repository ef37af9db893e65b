"""The translatable fields of a statement, one segment each, with what a translator needs to know of them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..pipeline.provenance import digest, translatable
from ..pipeline.source import Node
from . import inline

# Paths of recurring values whose use a translator cannot see from the text alone.
_PLACES = {
    "body": "a paragraph of the body", "closing": "a closing paragraph", "notes_to_editors": "a note to editors",
    "notes": "a named footnote", "recommendations": "a recommendation", "signatories": "a signatory",
    "contacts": "a contact",
}


@dataclass
class Segment:
    """One translatable value of the original: its path, text as typed and field."""

    path: str
    source: str
    markdown: bool
    doc: str
    hint: str
    node: Node

    @property
    def content(self) -> list:
        """Return the source as text and codes (a plain value is all text)."""
        return inline.parse(self.source) if self.markdown else [self.source]

    @property
    def digest(self) -> str:
        """Return the short hash a translation records of this source."""
        return digest(self.source)

    def note(self) -> str:
        """Return the description a translator reads: the field, its length hint, and its codes."""
        lines = [self.doc + (f" ({_PLACES[self.path.split('.')[0]]})" if self.path.split(".")[0] in _PLACES else "")]
        if self.hint:
            lines.append(self.hint)
        found = inline.codes(self.content)
        if found:
            lines.append("Codes (keep each one; translate the text inside a pair {n}…{/n}): "
                         + "; ".join(f"{{{c.id}}} {c.describe()}" for c in found.values()))
        return "\n".join(lines)


def segments(root: Node) -> list[Segment]:
    """Return the segments of a statement's node tree, in reading order."""
    return [Segment(path, node.value, item.markdown, item.doc, item.hint, node) for path, item, node in translatable(root)]


def translation_path(original: Path, lang: str) -> Path:
    """Return the file a translation of `original` into `lang` lives in: <stem>.<lang>.yaml beside it."""
    return original.with_name(f"{original.stem}.{lang}.yaml")
